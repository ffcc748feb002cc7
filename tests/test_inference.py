"""The loader keeps every file's statements in its own named graph and materialises the
ontology's entailments into the inferred graph; queries see both, QC and dumps only the files."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from jpllmkg.export import dump, file_graph_iri
from jpllmkg.graph.inference import (
    COMPUTED_PROPERTIES,
    INFERRED_GRAPH,
    OPEN_WORLD_RULES,
    RULES,
    materialise,
)
from jpllmkg.query.local import Graph as ApiGraph
from jpllmkg.query.query_files import example_params

JPLLM = rdflib.Namespace("https://w3id.org/jpllmkg/ontology#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
ORGANIZATION_KINDS = ("Company", "GovernmentBody", "LocalGovernment", "ResearchInstitute")
ORGANIZATIONS = "SELECT DISTINCT ?x WHERE { ?x a jpllm:Organization }"


def _column(result, name: str = "x") -> set:
    return {row[name] for row in result.rows}


def _asserted_instances(kg, cls: URIRef) -> set:
    """Instances of ``cls`` or any of its subclasses, read from the asserted rdflib graph."""
    classes = set(kg.data.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in kg.data.subjects(RDF.type, c)}


def _same_values(graph: Graph) -> Graph:
    """The graph with each xsd:decimal in one lexical form: rdflib's Turtle and TriG writers
    write ``"100000000000"^^xsd:decimal`` in the short form ``100000000000.0``, the same
    value (every other literal is compared as written)."""
    result = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal and not o.ill_typed:
            o = Literal(str(o.toPython().normalize()), datatype=XSD.decimal)
        result.add((s, p, o))
    return result


def _parse_as_written(path) -> Graph:
    """A file parsed by rdflib on its own, literals as written (as the loader keeps them)."""
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return Graph().parse(path, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_organization_query_finds_every_kind_of_organization(kg, engine):
    found = _column(ApiGraph(kg, engine=engine, max_rows=0).sparql(ORGANIZATIONS))
    expected = _asserted_instances(kg, JPLLM.Organization)
    assert found == expected
    for kind in (*ORGANIZATION_KINDS, "JointVenture"):
        instances = set(kg.data.subjects(RDF.type, JPLLM[kind]))
        assert instances - found == set(), kind
    for kind in ORGANIZATION_KINDS:  # the real graph has at least one of each
        assert set(kg.data.subjects(RDF.type, JPLLM[kind])), kind
    assert {URIRef("https://w3id.org/jpllmkg/resource/ntt")} <= found
    assert len(found) == len(expected) >= 30


def test_asserted_only_sees_what_the_files_state(kg):
    asserted = ApiGraph(kg, max_rows=0, inferred=False)
    found = _column(asserted.sparql(ORGANIZATIONS))
    assert found == set(kg.data.subjects(RDF.type, JPLLM.Organization))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    merged = asserted.sparql(count).rows[0]["n"].toPython()
    assert merged == len(kg.data)  # each statement once, however many files make it
    union = ApiGraph(kg, max_rows=0).sparql(count).rows[0]["n"].toPython()
    assert union == merged + sum(kg.inferred_counts.values())


@pytest.mark.parametrize("inferred", [True, False])
def test_a_statement_two_files_make_is_one_row(kg, inferred):
    # A title-only statement is no longer asserted beside its reification (docs/provenance.md),
    # so the statement two files make is OpenAI's evidence for its external identifiers.
    source = rdflib.namespace.DCTERMS.source
    openai = URIRef("https://w3id.org/jpllmkg/resource/openai")
    evidence = URIRef("https://w3id.org/jpllmkg/resource/ext-wikidata-ids")
    files = [name for name, part in kg.file_graphs.items() if (openai, source, evidence) in part]
    assert files == ["graph/external/countries.ttl", "graph/external/wikidata.ttl"], files
    query = "SELECT ?s WHERE { jpr:openai dcterms:source ?s }"
    rows = ApiGraph(kg, max_rows=0, inferred=inferred).sparql(query).rows
    assert len(rows) == len(set(kg.data.objects(openai, source)))
    assert [row["s"] for row in rows].count(evidence) == 1


def test_declared_inverse_is_materialised(kg):
    pairs = set(kg.data.subject_objects(ORG.subOrganizationOf))
    assert pairs
    elyza, kddi = (URIRef(f"https://w3id.org/jpllmkg/resource/{n}") for n in ("elyza", "kddi"))
    assert (elyza, kddi) in pairs
    inverses = set(kg.inferred.subject_objects(ORG.hasSubOrganization))
    assert inverses == {(parent, child) for child, parent in pairs}


def test_subproperties_and_superclasses_are_materialised(kg):
    developed = set(kg.data.subject_objects(JPLLM.developer))
    attributed = set(kg.inferred.subject_objects(PROV.wasAttributedTo)) | set(
        kg.data.subject_objects(PROV.wasAttributedTo)
    )
    assert developed and developed <= attributed
    # every typed node gets every superclass of its class, transitively
    for node, cls in kg.data.subject_objects(RDF.type):
        for superclass in kg.data.transitive_objects(cls, RDFS.subClassOf):
            if superclass != cls and isinstance(superclass, URIRef):
                triple = (node, RDF.type, superclass)
                assert triple in kg.data or triple in kg.inferred, triple
    assert (JPLLM.LocalGovernment, RDFS.subClassOf, JPLLM.Organization) in kg.inferred


def test_inferred_triples_are_apart_and_counted(kg):
    assert list(kg.inferred_counts) == [*RULES, *OPEN_WORLD_RULES]
    assert sum(kg.inferred_counts.values()) == len(kg.inferred) > 0
    assert kg.inferred_counts["type"] > 0 and kg.inferred_counts["inverseOf"] > 0
    for triple in kg.inferred:
        assert triple not in kg.data, triple  # never a statement a file makes
    graphs = {g.value for g in kg.store.named_graphs()}
    files = {str(file_graph_iri(name)) for name in kg.file_triples}
    assert graphs == files | {INFERRED_GRAPH}
    merged = list(kg.store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    assert len(merged) == len(kg.data)


def test_each_file_has_its_own_named_graph_in_the_store(kg):
    for relative, count in kg.file_triples.items():
        name = pyoxigraph.NamedNode(str(file_graph_iri(relative)))
        assert len(list(kg.store.quads_for_pattern(None, None, None, name))) == count, relative


def test_trig_dump_holds_each_file_exactly(kg):
    dataset = Dataset()
    dataset.parse(data=dump(kg, "trig"), format="trig")
    named = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    files = {str(file_graph_iri(name)): name for name in kg.file_triples}
    assert set(named) == {iri for iri, name in files.items() if kg.file_triples[name]}
    for iri, relative in files.items():
        written = _parse_as_written(kg.project.root / relative)
        dumped = named.get(iri, Graph())
        assert len(dumped) == len(written), relative
        assert to_isomorphic(_same_values(dumped)) == to_isomorphic(_same_values(written)), relative
    countries = named[str(file_graph_iri("graph/external/countries.ttl"))]
    assert len(countries) == 17
    assert not any(str(INFERRED_GRAPH) in iri for iri in named)


def test_saved_query_answers_do_not_depend_on_inference(kg):
    """Every saved query (with its example binding) answers the same on the inferred union
    and on the asserted files, so the inferred graph changes no pinned answer; except the
    queries that read the computed open-world facts (jpllm:domestic ...), which exist only as
    inferred triples (tests/test_open_world.py)."""
    inferred = ApiGraph(kg, max_rows=0)
    asserted = ApiGraph(kg, max_rows=0, inferred=False)
    computed = [local.removeprefix(str(JPLLM)) for local in COMPUTED_PROPERTIES]
    reading_computed: set[str] = set()
    checked = 0
    for query in inferred.catalogue:
        if "service" in {p.name for p in query.params}:
            continue  # federated: goes to the network
        if any(f"jpllm:{name}" in query.text for name in computed):
            reading_computed.add(query.name)
            continue
        params = example_params(query, query.name)
        assert (
            inferred.query(query.name, **params).rows == asserted.query(query.name, **params).rows
        ), query.name
        checked += 1
    assert reading_computed == {
        "benchmark-gap",
        "benchmark-standings",
        "domestic-and-foreign-models",
        "foreign-base-models",
        "models-per-year",
        "public-sector-deployments",
    }
    assert checked == len(inferred.catalogue) - 1 - len(reading_computed) >= 20


def test_rules_reach_a_fixpoint_through_each_other():
    ex = "http://example.org/"
    n = pyoxigraph.NamedNode
    store = pyoxigraph.Store()  # the rules read the default graph (the files' merge)
    triples = [
        (ex + "A", str(RDFS.subClassOf), ex + "B"),
        (ex + "B", "http://www.w3.org/2002/07/owl#equivalentClass", ex + "C"),
        (ex + "C", str(RDFS.subClassOf), ex + "D"),
        (ex + "x", str(RDF.type), ex + "A"),
        (ex + "p", str(RDFS.subPropertyOf), ex + "q"),
        (ex + "q", "http://www.w3.org/2002/07/owl#inverseOf", ex + "r"),
        (ex + "r", str(RDFS.subPropertyOf), ex + "s"),
        (ex + "x", ex + "p", ex + "y"),
        (ex + "x", ex + "p", '"a literal"'),
    ]
    for s, p, o in triples:
        obj = pyoxigraph.Literal(o.strip('"')) if o.startswith('"') else n(o)
        store.add(pyoxigraph.Quad(n(s), n(p), obj))
    counts = materialise(store)
    inferred = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in store.quads_for_pattern(None, None, None, n(INFERRED_GRAPH))
    }
    for cls in ("B", "C", "D"):
        assert (ex + "x", str(RDF.type), ex + cls) in inferred
    assert (ex + "y", ex + "r", ex + "x") in inferred  # p ⊑ q, q inverse of r
    assert (ex + "y", ex + "s", ex + "x") in inferred  # then r ⊑ s
    assert (ex + "C", str(RDFS.subClassOf), ex + "B") in inferred  # equivalence both ways
    assert not any(t[0] == "a literal" for t in inferred)
    assert sum(counts.values()) == len(inferred)
    again = materialise(store)
    assert sum(again.values()) == 0
