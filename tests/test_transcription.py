"""The transcription module (ontology/transcription.ttl, ontology/shapes/transcription.ttl): how
the report lays out and words a fact (its Table 1 rows and cells) is declared and checked apart
from the core, which never depends on it; the module loads, validates, dumps, pushes and is
documented wherever the core is, and a project without it still loads."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from jpllmkg.export import dataset, dump
from jpllmkg.graph.loader import file_graph_iri, load
from jpllmkg.graph.namespaces import JPLLM
from jpllmkg.graph.project import find_project
from jpllmkg.publish import push
from jpllmkg.query.sparql_client import SparqlClient
from jpllmkg.validate.validation import validate

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "ontology" / "jpllm.ttl"
MODULE = REPO / "ontology" / "transcription.ttl"
MODULE_SHAPES = REPO / "ontology" / "shapes" / "transcription.ttl"
MODULE_IRI = URIRef("https://w3id.org/jpllmkg/ontology/transcription")
CORE_IRI = URIRef("https://w3id.org/jpllmkg/ontology")
MOVED = {JPLLM.inTable1, JPLLM.parametersAsWorded, JPLLM.approachAsWorded, JPLLM.licenceAsWorded}
# Wording that carries a value's vagueness for any source: stays in the core.
KEPT_IN_CORE = {JPLLM.asWorded, JPLLM.plannedReleaseText, JPLLM.fiscalYearAsWorded}

TABLE1_ROW = """\
@prefix jpllm:   <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr:     <https://w3id.org/jpllmkg/resource/> .
@prefix jpv:     <https://w3id.org/jpllmkg/vocab/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

jpr:test-model a jpllm:LanguageModel ;
    rdfs:label "テストモデル"@ja , "Test model"@en ;
    jpllm:developer jpr:kddi ;
    jpllm:developmentApproach jpv:approach-from-scratch ;
    jpllm:licence jpv:licence-proprietary ;
    jpllm:inTable1 true ;
    jpllm:parametersAsWorded "非公開"@ja ;
    jpllm:approachAsWorded "フルスクラッチ"@ja ;
    jpllm:licenceAsWorded "プロプライエタリ"@ja ;
    dcterms:source jpr:report .
"""


def mentions(graph: Graph, term: URIRef) -> list[tuple]:
    """Triples of ``graph`` that use ``term``, as a node or by name in a text (SPARQL, messages)."""
    local = str(term).rsplit("#", 1)[1]
    pattern = re.compile(rf"\b(jpllm:|{re.escape(str(JPLLM))}){local}\b")
    return [
        triple
        for triple in graph
        if term in triple or any(isinstance(t, Literal) and pattern.search(str(t)) for t in triple)
    ]


def core_only_project(make_project, *graph_files: Path) -> Path:
    """A project of the given graph files with the transcription module (and its shapes) gone."""
    root = make_project(*graph_files)
    (root / "ontology" / "transcription.ttl").unlink()
    (root / "ontology" / "shapes" / "transcription.ttl").unlink()
    return root


def violations(report) -> set[tuple[str, str, str | None]]:
    """(check, focus, path) of each violation; a shape's check is given by its local name."""
    return {(f.check.strip("<>").rsplit("#", 1)[-1], f.focus, f.path) for f in report.violations}


# --------------------------------------------------------------------------- the split


def test_the_core_declares_and_uses_none_of_the_module_terms():
    core = Graph().parse(CORE)
    for term in MOVED:
        assert not mentions(core, term), term
    assert (CORE_IRI, OWL.imports, MODULE_IRI) not in core
    core_shapes = Graph()
    for path in sorted((REPO / "ontology" / "shapes").glob("*.ttl")):
        if path != MODULE_SHAPES:
            core_shapes.parse(path)
    for term in MOVED:
        assert not mentions(core_shapes, term), f"a core shape refers to {term}"


def test_the_module_declares_the_terms_with_labels_in_ja_and_en():
    module = Graph().parse(MODULE)
    declared = set(module.subjects(RDF.type, OWL.DatatypeProperty))
    assert declared == MOVED
    assert set(module.subjects(RDF.type, OWL.Ontology)) == {MODULE_IRI}
    assert (MODULE_IRI, OWL.imports, CORE_IRI) in module
    for term in MOVED:
        languages = sorted(label.language for label in module.objects(term, RDFS.label))
        assert languages == ["en", "ja"], term
        assert module.value(term, RDFS.comment) is not None, term
        assert module.value(term, RDFS.domain) == JPLLM.LanguageModel, term
        assert module.value(term, RDFS.isDefinedBy) == MODULE_IRI, term
    assert module.value(JPLLM.inTable1, RDFS.range) == XSD.boolean
    # The wording of vague values for any source is a core term, not a transcription term.
    core = Graph().parse(CORE)
    for term in KEPT_IN_CORE:
        assert (term, RDF.type, OWL.DatatypeProperty) in core, term
        assert not set(module.predicate_objects(term)), term


def test_the_project_loads_the_module_after_the_core(kg):
    files = [kg.project.relative(path) for path in kg.project.ontology_files]
    assert files[:2] == ["ontology/jpllm.ttl", "ontology/transcription.ttl"]
    assert [kg.project.relative(p) for p in kg.project.ontology_modules] == [
        "ontology/transcription.ttl"
    ]
    assert kg.file_triples["ontology/transcription.ttl"] == len(Graph().parse(MODULE))
    assert kg.origins[JPLLM.inTable1] == "ontology/transcription.ttl"
    graph = file_graph_iri("ontology/transcription.ttl").n3()
    asked = kg.store.query(
        f"ASK {{ GRAPH {graph} {{ <{JPLLM.inTable1}> a <{OWL.DatatypeProperty}> }} }}"
    )
    assert bool(asked)
    # the report's Table 1 has 7 rows, each recorded with the module's terms
    rows = set(kg.data.subjects(JPLLM.inTable1, Literal(True)))
    assert len(rows) == 7
    assert all((row, JPLLM.licenceAsWorded, None) in kg.data for row in rows)


def test_the_real_graph_validates(validation_report):
    assert validation_report.violations == []


def test_dumps_and_the_trig_file_graph_hold_the_module(kg):
    module = Graph().parse(MODULE)
    declaration = (JPLLM.inTable1, RDF.type, OWL.DatatypeProperty)
    assert f"<{JPLLM.inTable1}> <{RDF.type}> <{OWL.DatatypeProperty}> .\n" in dump(kg, "nt")
    named = dataset(kg).graph(file_graph_iri("ontology/transcription.ttl"))
    assert declaration in named
    assert len(named) == len(module)
    core = dataset(kg).graph(file_graph_iri("ontology/jpllm.ttl"))
    assert declaration not in core


def test_push_sends_the_module(kg, graph_server):
    graph = "https://example.org/jpllmkg-test/transcription"
    report = push(kg, graph_server.store, graph=graph)
    assert report.ok
    rows = SparqlClient(graph_server.query).select(
        f"SELECT ?label WHERE {{ GRAPH <{graph}> {{ <{JPLLM.approachAsWorded}> a "
        f"<{OWL.DatatypeProperty}> ; <{RDFS.label}> ?label . FILTER(LANG(?label) = 'ja') }} }}"
    )
    assert [str(row["label"]) for row in rows] == ["開発方式（原文）"]


# --------------------------------------------------------------------------- the shapes


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_table1_rules_fire_from_the_module_shapes(make_project, engine):
    root = make_project(with_real_graph=True)
    # The report's part of the graph is what Table 1 is about; pySHACL on the imported catalogue
    # as well takes minutes (benchmarks/), so the copy leaves graph/imported/ out.
    shutil.rmtree(root / "graph" / "imported")
    (root / "graph" / "extra.ttl").write_text(
        "@prefix jpllm: <https://w3id.org/jpllmkg/ontology#> .\n"
        "@prefix jpr: <https://w3id.org/jpllmkg/resource/> .\n"
        'jpr:tsuzumi-2 jpllm:parametersAsWorded "30 billion"@en .\n'
        "jpr:gpt-5-2 jpllm:inTable1 true .\n",
        encoding="utf-8",
    )
    found = violations(validate(load(find_project(root=root)), shacl_engine=engine))
    assert ("Table1-cells", "jpr:tsuzumi-2", "jpllm:parametersAsWorded") in found
    # GPT-5.2 is no Table 1 row of the report: marked as one, it lacks every cell and the
    # mapped values (its developer too, which the graph does not record).
    row = ("Table1RowShape", "jpr:gpt-5-2")
    lacking = {path for check, focus, path in found if (check, focus) == row}
    assert lacking >= {
        "jpllm:parametersAsWorded",
        "jpllm:approachAsWorded",
        "jpllm:licenceAsWorded",
        "jpllm:developmentApproach",
        "jpllm:licence",
    }
    # The rules live in ontology/shapes/transcription.ttl and nowhere else.
    (root / "ontology" / "shapes" / "transcription.ttl").unlink()
    without = violations(validate(load(find_project(root=root)), shacl_engine=engine))
    assert not {v for v in without if v[0].startswith("Table1")}


# --------------------------------------------------------------------------- the site


def test_the_site_documents_the_module_on_its_own_page(kg, tmp_path):
    from jpllmkg.site.html import Site
    from jpllmkg.site.ontology import write_ontology_docs

    site = Site(kg=kg, lang="en", out=tmp_path)
    write_ontology_docs(site)
    core_page = (tmp_path / "ontology" / "index.html").read_text(encoding="utf-8")
    module_page = (tmp_path / "ontology" / "module-transcription.html").read_text(encoding="utf-8")
    assert "Module: transcribing a source" in module_page
    assert 'href="module-transcription.html"' in core_page
    labels = Graph().parse(MODULE)
    for term in MOVED:
        assert f"<code>{term}</code>" in module_page, term
        assert f"<code>{term}</code>" not in core_page, term
        (english,) = (label for label in labels.objects(term, RDFS.label) if label.language == "en")
        assert f"{english}\n" in module_page, term
        page, anchor = site.term_links[term].split("#")
        assert page == "ontology/module-transcription.html"
        assert f'id="{anchor}"' in module_page, term
    # the module's domain links to the core page's anchor, which exists
    assert 'href="index.html#LanguageModel"' in module_page
    assert 'id="LanguageModel"' in core_page
    assert site.term_links[JPLLM.asWorded].startswith("ontology/index.html#")


# --------------------------------------------------------------------------- without the module


def test_a_core_only_project_loads_and_validates(make_project):
    root = core_only_project(
        make_project, REPO / "tests" / "fixtures" / "valid" / "organizations.ttl"
    )
    kg = load(find_project(root=root))
    assert kg.project.ontology_modules == []
    assert "ontology/transcription.ttl" not in kg.file_triples
    assert (JPLLM.inTable1, RDF.type, OWL.DatatypeProperty) not in kg.data
    assert (JPLLM.LanguageModel, RDF.type, OWL.Class) in kg.data
    assert validate(kg).violations == []


def test_module_terms_without_the_module_are_reported(make_project, tmp_path, cli):
    organizations = REPO / "tests" / "fixtures" / "valid" / "organizations.ttl"
    row = tmp_path / "table1.ttl"
    row.write_text(TABLE1_ROW, encoding="utf-8")
    with_module = make_project(organizations, row)
    assert validate(load(find_project(root=with_module))).violations == []
    shutil.rmtree(with_module)

    root = core_only_project(make_project, organizations, row)
    found = violations(validate(load(find_project(root=root))))
    assert found == {
        ("qc:undeclared-properties", "jpr:test-model", compact)
        for compact in (
            "jpllm:inTable1",
            "jpllm:parametersAsWorded",
            "jpllm:approachAsWorded",
            "jpllm:licenceAsWorded",
        )
    }
    result = cli("--root", str(root), "validate", "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert {f["check"] for f in report["findings"] if f["severity"] == "Violation"} == {
        "qc:undeclared-properties"
    }
