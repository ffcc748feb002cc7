"""The namespaces of the project and the standard vocabularies it reuses.

:data:`PREFIXES` is the one declaration of the project's prefixes: the Turtle prefixes of
loaded graphs and dumps (:func:`bind_prefixes`), CURIEs (:func:`compact`, :func:`expand`) and
the prefixes every SPARQL query may use without declaring them (saved queries, quality checks
and ad-hoc queries; :func:`prefix_declarations` writes them out for a text that leaves the
project, see :attr:`jpllmkg.query.sparql_text.ReadQuery.full_text`).
"""

from collections.abc import Iterable

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

JPLLM = Namespace("https://w3id.org/jpllmkg/ontology#")
JPR = Namespace("https://w3id.org/jpllmkg/resource/")
JPV = Namespace("https://w3id.org/jpllmkg/vocab/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace] = {
    "jpllm": JPLLM,
    "jpr": JPR,
    "jpv": JPV,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "org": ORG,
    "dcterms": Namespace(str(DCTERMS)),
    "schema": SCHEMA,
    "wd": WD,
    "wdt": WDT,
    "sh": SH,
}


PREFIX_IRIS: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def prefix_declarations(prefixes: Iterable[str]) -> str:
    """SPARQL ``PREFIX p: <IRI>`` lines, one a line, for the named project prefixes (in the
    order of :data:`PREFIXES`): what a query text needs to run where ours are not predeclared."""
    wanted = set(prefixes)
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIX_IRIS.items() if p in wanted)


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph (for compact serialisation)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def compact(iri: str) -> str:
    """Return a CURIE for an IRI in a known namespace, else the IRI in angle brackets."""
    for prefix, namespace in PREFIXES.items():
        base = str(namespace)
        if iri.startswith(base) and iri != base:
            return f"{prefix}:{iri[len(base) :]}"
    return f"<{iri}>"


def expand(curie_or_iri: str) -> str | None:
    """Expand a CURIE (jpr:takane) or <IRI>/IRI to a full IRI; None if it is neither."""
    text = curie_or_iri.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES:
        return str(PREFIXES[prefix]) + local
    return None
