"""Ontology documentation (pyLODE's OntPub profile) and a page of the SKOS vocabularies.

pyLODE 3.3 builds one page; its body is taken, cleaned and put into a page of our own with
pyLODE's style sheet. pyLODE writes texts of the ontology (comments, descriptions, creators,
titles) as raw HTML and Markdown, so the body goes through the ``nh3`` sanitiser (the Rust
``ammonia`` library): no script, event handler or style survives, and links keep only http(s),
relative and in-page targets, so a ``javascript:`` or ``data:`` URL in the ontology never
becomes a live link. pyLODE's head is not used: its schema.org JSON-LD block holds the same
texts unescaped. pyLODE lists the members of a class union from a set, in a different order on
every run; they are put in text order so that the page is the same for the same ontology. Links
to anchors pyLODE never wrote are unwrapped, and its class and property anchors are reused by
entity pages.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import logging
import re
import tempfile
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import nh3
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from jpllmkg.errors import JpllmkgError
from jpllmkg.export import graphs_by_file
from jpllmkg.graph.namespaces import JPLLM, JPV, bind_prefixes
from jpllmkg.graph.project import MARKER
from jpllmkg.site.html import SAFE_SLUG, Site, fragment, table
from jpllmkg.site.words import word

# What the cleaned pyLODE body may hold: nh3's default tags, these attributes, web links only.
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
LINK_SCHEMES = {"http", "https"}
PAGE = Markup(
    '<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<title>{title}</title>\n<link rel="icon" href="data:,">\n<style>\n{css}</style>\n'
    '</head>\n<body>\n<p style="margin:0.5rem 1rem"><a href="../index.html">{home}</a></p>\n'
    "{documents}{body}\n</body>\n</html>\n"
)


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
    """ontology/index.html (the core ontology), one page per ontology module
    (ontology/module-NAME.html, see :func:`module_page`), both by pyLODE, cleaned; and
    ontology/vocabularies.html."""
    parts, _unassigned = graphs_by_file(site.kg)
    project = site.kg.project
    pages = {str(MARKER): "index.html"}
    pages |= {project.relative(path): module_page(path.stem) for path in project.ontology_modules}
    documents = {
        relative: _document(_one_language(parts.get(relative, Graph()), site.lang), relative)
        for relative in pages
    }
    documented_at: dict[str, str] = {}  # IRI -> the page (and anchor) that documents it
    for relative, (ontology, doc) in documents.items():
        for header in ontology.subjects(RDF.type, OWL.Ontology):
            documented_at[str(header)] = pages[relative]
        for iri, anchor in doc.fids.items():
            if iri.startswith(str(JPLLM)):
                documented_at[iri] = f"{pages[relative]}#{anchor}"
                site.term_links[URIRef(iri)] = f"ontology/{pages[relative]}#{anchor}"
    titles = {
        relative: _title(ontology, site.lang) for relative, (ontology, _) in documents.items()
    }
    css = Markup(files("pylode").joinpath("pylode.css").read_text(encoding="utf-8"))
    for relative, (_ontology, doc) in documents.items():
        _order_set_members(doc.doc.body)
        on_other_pages = {
            iri: target
            for iri, target in documented_at.items()
            if target.split("#")[0] != pages[relative]
        }
        _link_other_documents(doc.doc.body, on_other_pages)
        body = clean_html(doc.doc.body.render())
        page = PAGE.format(
            lang=site.lang,
            title=f"{titles[relative]} · jpllmkg",
            css=css,
            home="jpllmkg · " + word("home", site.lang),
            documents=_documents_list(pages, titles, relative),
            body=Markup(_unlink_missing_anchors(body)),
        )
        site.write(f"ontology/{pages[relative]}", str(page))
    _vocabularies(site)


def module_page(name: str) -> str:
    """The page (in ontology/) of the ontology module ``ontology/NAME.ttl``."""
    if SAFE_SLUG.fullmatch(name):
        return f"module-{name}.html"
    return "module-h-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16] + ".html"


@contextlib.contextmanager
def _one_pylode_at_a_time() -> Iterator[None]:
    """An exclusive lock shared by every jpllmkg process on the machine. On first use pyLODE
    caches its background ontologies as a pickle in its own package folder, written in place:
    a second build reading it half-written fails (EOFError: Ran out of input). Where the lock
    file cannot be opened (another user's), the build goes on unlocked."""
    try:
        handle = open(Path(tempfile.gettempdir()) / "jpllmkg-pylode.lock", "a")  # noqa: SIM115
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _document(ontology: Graph, relative: str):
    """pyLODE's OntPub document of one ontology file, made (an error names the file)."""
    try:
        with _one_pylode_at_a_time(), contextlib.redirect_stdout(io.StringIO()):
            doc = _ontpub()(ontology=ontology, sort_subjects=True)  # stable anchors
            doc.make_html()
    except Exception as error:  # pyLODE raises plain exceptions for ontology problems
        raise OntologyDocsError(
            f"pyLODE could not document {relative} ({type(error).__name__}: {error}). "
            "Check the ontology header (dcterms:title is required) and run the build again."
        ) from error
    return ontology, doc


def _link_other_documents(element, targets: dict[str, str]) -> None:
    """Point pyLODE's links to terms (and ontologies) another page documents (``targets``: IRI
    -> page#anchor) at that page: a module's page links jpllm:LanguageModel to the core's."""
    attributes = getattr(element, "attributes", None) or {}
    href = str(attributes.get("href"))  # pyLODE gives rdflib URIRefs, which are not str keys
    if href in targets:
        attributes["href"] = targets[href]
    for child in getattr(element, "children", None) or ():
        _link_other_documents(child, targets)


def _documents_list(pages: dict[str, str], titles: dict[str, str], current: str) -> Markup:
    """The ontology pages (the core and each module), the current one as plain text; nothing
    when the core is the only one."""
    if len(pages) == 1:
        return Markup("")
    items = [
        Markup("<strong>{}</strong>").format(titles[relative])
        if relative == current
        else Markup('<a href="{}">{}</a>').format(page, titles[relative])
        for relative, page in pages.items()
    ]
    return Markup('<p style="margin:0.5rem 1rem">{}</p>\n').format(Markup(" · ").join(items))


def _title(ontology: Graph, lang: str) -> str:
    """The ontology's dcterms:title (first in text order), else the site's word for it."""
    headers = ontology.subjects(RDF.type, OWL.Ontology)
    titles = sorted(str(title) for s in headers for title in ontology.objects(s, DCTERMS.title))
    return titles[0] if titles else word("ontology", lang)


def clean_html(html: str) -> str:
    """HTML from a generator that copies data into its markup, with only safe markup kept."""
    return nh3.clean(
        html,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _order_set_members(element) -> None:
    """Put the members of every "A or B or C" list pyLODE made from a set in text order.

    pyLODE gives such a list as the children [A, joiner, B, joiner, C] of one element, with one
    and the same joiner (a ``<span class="cardinality">``) between the members.
    """
    children = getattr(element, "children", None)
    if not children:
        return
    joiners = children[1::2]
    if (
        len(children) >= 3
        and len(children) % 2
        and _is_joiner(joiners[0])
        and all(joiner is joiners[0] for joiner in joiners)
    ):
        children[0::2] = sorted(children[0::2], key=_rendered)
    for child in children:
        _order_set_members(child)


def _is_joiner(node) -> bool:
    attributes = getattr(node, "attributes", None) or {}
    return attributes.get("class") == "cardinality"


def _rendered(node) -> str:
    return node.render() if hasattr(node, "render") else str(node)


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
    for scheme in sorted(schemes, key=lambda s: (site.label(s).lower(), str(s))):
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
