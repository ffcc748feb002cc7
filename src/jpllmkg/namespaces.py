"""The namespaces of the project and the standard vocabularies it reuses."""

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
