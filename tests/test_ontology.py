"""The ontology (the core and its modules) and vocabularies: every term labelled in ja and en,
commented, typed."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from jpllmkg.graph.namespaces import JPLLM, JPV


def ontology_files(repo_root) -> list:
    """The core ontology/jpllm.ttl and its modules (every other ontology/*.ttl)."""
    return sorted((repo_root / "ontology").glob("*.ttl"))


def ontology(repo_root) -> Graph:
    graph = Graph()
    for path in ontology_files(repo_root):
        graph.parse(path)
    return graph


def terms(graph: Graph, kind) -> list:
    return sorted(s for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(JPLLM)))


def test_header_has_version_licence_and_creator(repo_root):
    assert len(ontology_files(repo_root)) >= 2, "the core and the transcription module"
    for path in ontology_files(repo_root):
        graph = Graph().parse(path)
        (header,) = graph.subjects(RDF.type, OWL.Ontology)
        for prop in (OWL.versionInfo, OWL.versionIRI, DCTERMS.license, DCTERMS.creator):
            assert graph.value(header, prop) is not None, (path.name, prop)


def test_every_term_has_labels_in_ja_and_en_and_a_comment(repo_root):
    graph = ontology(repo_root)
    problems = []
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in terms(graph, kind):
            languages = sorted(lbl.language for lbl in graph.objects(term, RDFS.label))
            if languages != ["en", "ja"]:
                problems.append(f"{term}: labels {languages}")
            if graph.value(term, RDFS.comment) is None:
                problems.append(f"{term}: no rdfs:comment")
    assert not problems, "\n".join(problems)


def test_every_property_has_domain_and_range(repo_root):
    graph = ontology(repo_root)
    problems = [
        f"{p}: no {side}"
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in terms(graph, kind)
        for side in (RDFS.domain, RDFS.range)
        if graph.value(p, side) is None
    ]
    assert not problems, "\n".join(problems)


def test_terms_are_aligned_to_standard_vocabularies(repo_root):
    graph = ontology(repo_root)
    parents = {str(o) for o in graph.objects(None, RDFS.subClassOf)}
    parents |= {str(o) for o in graph.objects(None, RDFS.subPropertyOf)}
    for namespace in (
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/ns/org#",
        "https://schema.org/",
        "http://purl.org/dc/terms/",
    ):
        assert any(p.startswith(namespace) for p in parents), namespace


def test_vocabulary_concepts_are_in_a_scheme_with_both_labels(kg):
    problems = []
    for concept in kg.data.subjects(RDF.type, SKOS.Concept):
        if not str(concept).startswith(str(JPV)):
            continue
        if kg.data.value(concept, SKOS.inScheme) is None:
            problems.append(f"{concept}: no skos:inScheme")
        languages = sorted(lbl.language for lbl in kg.data.objects(concept, SKOS.prefLabel))
        if languages != ["en", "ja"]:
            problems.append(f"{concept}: prefLabels {languages}")
    assert not problems, "\n".join(problems)
