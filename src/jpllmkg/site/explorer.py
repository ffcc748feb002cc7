"""The site's in-browser side: the bundled scripts, the graph and index they read, and the pages
made for them (sparql.html, search.html, about.html).

Everything a page's script reads is a classic script setting one global (``assets/graph-data.js``
sets ``JPLLMKG_GRAPH``, the gzipped N-Triples in base64; ``assets/site-index.js`` sets
``JPLLMKG_INDEX``): Chromium allows neither ``fetch`` nor ES modules from ``file://``, and a
``<script src>`` works from both ``file://`` and any static host. The engine and the graph travel
gzipped (the browser's DecompressionStream opens them): 4.0 + 4.9 MB become about 2 + 0.6 MB.
The engine (Oxigraph's WebAssembly build, web/) holds the same triples the CLI's queries see:
what the files assert plus the inferred graph.
"""

from __future__ import annotations

import base64
import gzip
import json

import pyoxigraph
from markupsafe import Markup
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from jpllmkg.graph.classes import entities
from jpllmkg.graph.inference import INFERRED_GRAPH
from jpllmkg.graph.namespaces import PREFIX_IRIS, compact, expand
from jpllmkg.query.binding import bind_values
from jpllmkg.query.federation import uses_service
from jpllmkg.query.local import Graph
from jpllmkg.query.params import bind_params
from jpllmkg.query.query_files import SavedQuery, example_params
from jpllmkg.query.sparql_text import first_code_brace, read_query
from jpllmkg.show.web_assets import copy_bundle
from jpllmkg.site.html import Site, table
from jpllmkg.site.words import word

ENGINE_SCRIPTS = ("assets/oxigraph-wasm.js", "assets/graph-data.js")
INDEX_SCRIPT = "assets/site-index.js"
NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


def as_script(name: str, value: object) -> str:
    """``window.NAME = <JSON>;`` with ``<`` escaped, so no text can close the script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"window.{name}={text};\n"


def write_explorer(site: Site, graph: Graph) -> dict[str, int]:
    """Write the bundle, the engine's data, the index and the explorer's pages; returns the
    size in bytes of each asset."""
    sizes = {f"assets/{name}": size for name, size in copy_bundle(site.out / "assets").items()}
    packed = base64.b64encode(gzip.compress(engine_triples(site), mtime=0)).decode("ascii")
    site.write("assets/graph-data.js", as_script("JPLLMKG_GRAPH", packed))
    site.write(INDEX_SCRIPT, as_script("JPLLMKG_INDEX", site_index(site, graph)))
    for name in ("assets/graph-data.js", INDEX_SCRIPT):
        sizes[name] = (site.out / name).stat().st_size
    _sparql_page(site)
    _search_page(site)
    _about_page(site, sizes)
    return sizes


def engine_triples(site: Site) -> bytes:
    """N-Triples of what the CLI's queries see: the files' merged triples and the inferred ones."""
    store = site.kg.store
    parts = [
        store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph)
        for graph in (pyoxigraph.DefaultGraph(), pyoxigraph.NamedNode(INFERRED_GRAPH))
    ]
    return b"".join(parts)


def _names(site: Site) -> dict[URIRef, list[str]]:
    """Every node's labels and aliases in any language."""
    found: dict[URIRef, list[str]] = {}
    for prop in NAME_PROPERTIES:
        for quad in site.kg.store.quads_for_pattern(None, pyoxigraph.NamedNode(str(prop)), None):
            if isinstance(quad.subject, pyoxigraph.NamedNode):
                names = found.setdefault(URIRef(quad.subject.value), [])
                if quad.object.value not in names:
                    names.append(quad.object.value)
    return found


def _class_label(site: Site, iri: URIRef) -> list[str]:
    classes = sorted(site.kg.data.objects(iri, RDF.type), key=str)
    if not classes:
        return ["", ""]
    return [site.kg.label(classes[0], "en"), site.kg.label(classes[0], "ja")]


def site_index(site: Site, graph: Graph) -> dict:
    """What the scripts read: entities (for search), term labels and pages (for result
    tables), the prefixes, and the saved queries with their parameters."""
    names = _names(site)
    kg = site.kg
    found = sorted(entities(kg), key=str)
    index_entities = [
        {
            "iri": str(iri),
            "page": site.entity_pages.get(iri),
            "label": [kg.label(iri, "en"), kg.label(iri, "ja")],
            "names": names.get(iri, []) + [compact(str(iri)).partition(":")[2]],
            "cls": _class_label(site, iri),
        }
        for iri in found
    ]
    terms = {
        str(iri): [kg.label(iri, "en"), kg.label(iri, "ja"), site.entity_pages.get(iri)]
        for iri in sorted(set(names) | set(site.entity_pages), key=str)
    }
    for iri, link in sorted(site.term_links.items()):
        terms.setdefault(str(iri), [kg.label(iri, "en"), kg.label(iri, "ja"), None])[2] = link
    curies = [[compact(str(iri)), kg.label(iri, site.lang)] for iri in sorted(names, key=str)]
    return {
        "prefixes": PREFIX_IRIS,
        "entities": index_entities,
        "terms": terms,
        "curies": [pair for pair in curies if ":" in pair[0] and not pair[0].startswith("http")],
        "queries": {
            q.name: query_entry(site, graph, q) for q in graph.catalogue if not uses_service(q.text)
        },
    }


def query_entry(site: Site, graph: Graph, query: SavedQuery) -> dict:
    """A saved query as its form needs it: the text that runs anywhere, where values go, its
    parameters (with the choices of those whose values come from a scheme or class) and the
    example values."""
    text = read_query(query.text, str(query.path)).full_text
    example = example_params(query, site.kg.project.relative(query.path))
    given = dict(example)
    params = []
    for param in query.params:
        entry = {
            "name": param.name,
            "type": param.type,
            "required": param.required,
            "description": param.description,
        }
        if param.type == "IRI" and param.values:
            entry["options"] = _choices(site, graph, param.values)
        params.append(entry)
    for param in query.params:  # a form shows labels where it offers choices or entity names
        if param.type == "IRI" and param.name in given and (iri := expand(given[param.name])):
            given[param.name] = (
                iri
                if any("options" in p and p["name"] == param.name for p in params)
                else site.kg.label(URIRef(iri), site.lang)
            )
    return {
        "title": query.title(site.lang),
        "text": text,
        "brace": first_code_brace(text),
        "params": params,
        "given": given,
        "example": bind_values(text, bind_params(query, example)),
    }


def _choices(site: Site, graph: Graph, values: str) -> list[list[str]]:
    """[IRI, label] of the concepts in a scheme, or the instances of a class, by label."""
    text = bind_values(
        "SELECT DISTINCT ?x WHERE { { ?x skos:inScheme ?s } UNION { ?x a ?s } }",
        {"s": URIRef(expand(values))},
    )
    found = [row["x"] for row in graph.sparql(text) if isinstance(row.get("x"), URIRef)]
    pairs = [[str(x), site.kg.label(x, site.lang)] for x in found]
    return sorted(pairs, key=lambda pair: pair[1])


def scripts(*, engine: bool = False, index: bool = False) -> tuple[str, ...]:
    """The script files a page loads, before the site's own explorer.js."""
    return (*(ENGINE_SCRIPTS if engine else ()), *((INDEX_SCRIPT,) if index else ()))


def _sparql_page(site: Site) -> None:
    lang = site.lang
    body = Markup(
        '<p>{intro}</p>\n<p><label>{examples} <select id="examples"><option value="">—</option>'
        "</select></label></p>\n"
        '<div id="editor" class="editor"></div>\n'
        '<p><button id="run" type="button">{run}</button> '
        '<button id="stop" type="button" disabled>{stop}</button> '
        '<a id="share" href="#">{share}</a> <span id="engine-status" class="meta"></span></p>\n'
        '<div id="results" aria-live="polite"></div>\n'
    ).format(
        intro=word("sparql_intro", lang),
        examples=word("examples", lang),
        run=word("run", lang),
        stop=word("stop", lang),
        share=word("share", lang),
    )
    site.page(
        "sparql.html",
        word("sparql_page", lang),
        body,
        kind="sparql",
        scripts=scripts(engine=True, index=True),
    )


def _search_page(site: Site) -> None:
    body = Markup(
        '<p><input id="search-input" type="search" autofocus size="40" aria-label="{label}"></p>\n'
        '<p id="search-status" class="meta" aria-live="polite"></p>\n<ol id="search-results">'
        "</ol>\n<noscript>{noscript}</noscript>\n"
    ).format(label=word("search", site.lang), noscript=word("noscript", site.lang))
    site.page(
        "search.html", word("search", site.lang), body, kind="search", scripts=scripts(index=True)
    )


def _about_page(site: Site, sizes: dict[str, int]) -> None:
    """The bundled npm packages with their licences, and the sizes of the assets."""
    licences = json.loads((site.out / "assets" / "licences.json").read_text(encoding="utf-8"))
    lang = site.lang
    body = Markup("<p>{}</p>\n").format(word("about_intro", lang))
    body += table(
        [word("package", lang), word("version", lang), word("licence", lang)],
        [[entry["name"], entry["version"], entry["licence"]] for entry in licences],
    )
    body += Markup("<h2>{}</h2>\n").format(word("assets", lang))
    body += table(
        [word("file", lang), "bytes"], [[name, f"{size:,}"] for name, size in sizes.items()], {1}
    )
    body += Markup("<h2>{}</h2>\n").format(word("licence_texts", lang))
    for entry in licences:
        body += Markup("<details><summary>{} {}</summary><pre>{}</pre></details>\n").format(
            entry["name"], entry["version"], entry["text"] or entry["licence"]
        )
    site.page("about.html", word("about", lang), body)
