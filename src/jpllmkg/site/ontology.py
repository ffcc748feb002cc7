"""Ontology documentation (pyLODE's OntPub profile) and a page of the SKOS vocabularies.

pyLODE 3.3 writes one self-contained page (inline style, icons as data: URLs); a back link to
the site is added after ``<body>``, and links to anchors pyLODE never wrote are unwrapped. Its
class and property anchors are reused by entity pages.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re

from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..errors import JpllmkgError
from ..export import graphs_by_file
from ..namespaces import JPLLM, JPV, bind_prefixes
from ..project import MARKER
from .html import Site, fragment, table
from .words import word


class OntologyDocsError(JpllmkgError):
    """pyLODE could not document the ontology."""


def _ontpub():
    """pyLODE's OntPub class; importing pyLODE configures the root logger, which is undone."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub
    finally:
        for handler in set(root.handlers) - set(handlers):
            root.removeHandler(handler)
        root.setLevel(level)
    return OntPub


def write_ontology_docs(site: Site) -> None:
    """ontology/index.html (pyLODE) and ontology/vocabularies.html."""
    parts, _unassigned = graphs_by_file(site.kg)
    ontology = _one_language(parts.get(str(MARKER), Graph()), site.lang)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            doc = _ontpub()(ontology=ontology, sort_subjects=True)  # stable anchors
            html = doc.make_html()
    except Exception as error:  # pyLODE raises plain exceptions for ontology problems
        raise OntologyDocsError(
            f"pyLODE could not document {MARKER} ({type(error).__name__}: {error}). "
            "Check the ontology header (dcterms:title is required) and run the build again."
        ) from error
    for iri, anchor in doc.fids.items():
        if iri.startswith(str(JPLLM)):
            site.term_links[URIRef(iri)] = f"ontology/index.html#{anchor}"
    back = Markup(
        '<body>\n<p style="margin:0.5rem 1rem"><a href="../index.html">{}</a></p>'
    ).format("jpllmkg · " + word("home", site.lang))
    site.write("ontology/index.html", _unlink_missing_anchors(html.replace("<body>", str(back), 1)))
    _vocabularies(site)


def _unlink_missing_anchors(html: str) -> str:
    """Unwrap pyLODE's in-page links to anchors it never wrote (e.g. the version IRI's)."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))

    def unwrap(match: re.Match) -> str:
        return match.group(0) if match.group(1) in ids else f"<span>{match.group(2)}</span>"

    return re.sub(r'<a href="#([^"]+)">(.*?)</a>', unwrap, html, flags=re.S)


def _one_language(graph: Graph, lang: str) -> Graph:
    """A copy without the texts in other languages where one in ``lang`` exists.

    pyLODE runs every language of a label together ("quantity数量"); the site has one language.
    """
    kept = Graph()
    bind_prefixes(kept)
    titled = set(graph.subjects(DCTERMS.title, None))
    for subject, predicate, value in graph:
        if predicate == RDFS.label and subject in titled:
            continue  # pyLODE would show the label as a second title
        if isinstance(value, Literal) and value.language not in (None, lang):
            same = graph.objects(subject, predicate)
            if any(isinstance(v, Literal) and v.language == lang for v in same):
                continue
        kept.add((subject, predicate, value))
    return kept


def plan_vocabulary_links(site: Site) -> None:
    """Point every jpv: scheme and concept at its place on ontology/vocabularies.html."""
    data = site.kg.data
    for node in set(data.subjects(RDF.type, SKOS.ConceptScheme)) | set(
        data.subjects(RDF.type, SKOS.Concept)
    ):
        if isinstance(node, URIRef) and str(node).startswith(str(JPV)):
            site.term_links[node] = f"ontology/vocabularies.html#{fragment(node)}"


def _vocabularies(site: Site) -> None:
    data, lang = site.kg.data, site.lang
    other = "ja" if lang == "en" else "en"
    sections = [Markup("<p>{}</p>\n").format(word("vocabularies_about", lang))]
    schemes = [s for s in data.subjects(RDF.type, SKOS.ConceptScheme) if s in site.term_links]
    for scheme in sorted(schemes, key=lambda s: site.label(s).lower()):
        concepts = sorted(data.subjects(SKOS.inScheme, scheme), key=str)
        rows = [
            [
                Markup('<code id="{}">{}</code>').format(fragment(c), str(c)[len(str(JPV)) :]),
                site.kg.label(c, lang),
                site.kg.label(c, other),
                data.value(c, SKOS.definition) or "",
            ]
            for c in concepts
        ]
        sections.append(
            Markup('<h2 id="{}">{}</h2>\n{}').format(
                fragment(scheme),
                site.label(scheme),
                table([word("concept", lang), lang, other, ""], rows),
            )
        )
    site.page("ontology/vocabularies.html", word("vocabularies", lang), Markup("").join(sections))
