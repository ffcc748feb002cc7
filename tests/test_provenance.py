"""Statement-level support (docs/provenance.md) on the real graph and through `validate`.

A node's own dcterms:source supports each of its statements with the kind of its
jpllm:evidence; a jpllm:Support names one statement whose sources and kind differ. A
jpllm:TitleOnlyStatement is a Support whose statement is not asserted at all.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from jpllmkg.query.local import Graph as ApiGraph

JPLLM = Namespace("https://w3id.org/jpllmkg/ontology#")
JPR = Namespace("https://w3id.org/jpllmkg/resource/")
JPV = Namespace("https://w3id.org/jpllmkg/vocab/")

PREFIXES = """@prefix jpllm: <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr: <https://w3id.org/jpllmkg/resource/> .
@prefix jpv: <https://w3id.org/jpllmkg/vocab/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def supports_of(kg, subject: URIRef, predicate: URIRef) -> list[URIRef]:
    """The jpllm:Support nodes (title-only statements included) naming subject/predicate."""
    named = set(kg.data.subjects(RDF.subject, subject)) & set(
        kg.data.subjects(RDF.predicate, predicate)
    )
    return sorted(
        s
        for s in named
        if {JPLLM.Support, JPLLM.TitleOnlyStatement} & set(kg.data.objects(s, RDF.type))
    )


def sources_of_statement(kg, subject: URIRef, predicate: URIRef, value) -> tuple[set, URIRef]:
    """The sources and kind supporting one asserted statement, by the rule of docs/provenance.md."""
    for support in supports_of(kg, subject, predicate):
        named = kg.data.value(support, RDF.object)
        if named is None or named == value:
            return set(kg.data.objects(support, DCTERMS.source)), kg.data.value(
                support, JPLLM.evidence
            )
    kind = kg.data.value(subject, JPLLM.evidence) or JPV["evidence-report-body"]
    return set(kg.data.objects(subject, DCTERMS.source)), kind


def test_rakuten_funding_is_a_curator_inference_from_refs_47_and_48(kg):
    rakuten = JPR["rakuten-ai-3"]
    assert (rakuten, JPLLM.fundedBy, JPR["geniac-phase-3"]) in kg.data
    (support,) = supports_of(kg, rakuten, JPLLM.fundedBy)
    assert (support, RDF.type, JPLLM.Support) in kg.data
    sources, kind = sources_of_statement(kg, rakuten, JPLLM.fundedBy, JPR["geniac-phase-3"])
    assert sources == {JPR["ref-47"], JPR["ref-48"]}
    assert kind == JPV["evidence-curator-inference"]
    (reasoning,) = kg.data.objects(support, JPLLM.reasoning)
    assert reasoning.language == "en" and "GENIAC" in reasoning and "phase 3" in reasoning
    assert kg.data.value(support, JPLLM.passage).toPython() == "4"


def test_rakuten_parameters_rest_on_refs_9_and_16_only(kg):
    rakuten = JPR["rakuten-ai-3"]
    (quantity,) = kg.data.objects(rakuten, JPLLM.totalParameters)
    assert kg.data.value(quantity, JPLLM.value).toPython() == 700_000_000_000
    sources, kind = sources_of_statement(kg, rakuten, JPLLM.totalParameters, quantity)
    assert sources == {JPR["ref-9"], JPR["ref-16"]}
    assert kind == JPV["evidence-report-body"]
    # every statement of the node other than the funding rests on refs 9 and 16 only
    for predicate, value in kg.data.predicate_objects(rakuten):
        if predicate in (RDF.type, DCTERMS.source) or predicate == JPLLM.fundedBy:
            continue
        if predicate == JPLLM.huggingFaceRepository:  # read from the catalogue, with its line
            assert sources_of_statement(kg, rakuten, predicate, value)[0] == {
                JPR["ajl-903d9db-ja-l235"],
                JPR["ajl-903d9db-en-l235"],
            }
            continue
        assert sources_of_statement(kg, rakuten, predicate, value)[0] == sources, predicate


def test_title_only_statements_are_reified_and_not_asserted(kg):
    statements = list(kg.data.subjects(RDF.type, JPLLM.TitleOnlyStatement))
    assert len(statements) == 26
    for statement in statements:
        triple = tuple(
            kg.data.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object)
        )
        assert None not in triple and triple not in kg.data, statement
    default = ApiGraph(kg, max_rows=0)  # asserted and inferred triples, as every query sees them
    assert not default.sparql("SELECT ?f WHERE { jpr:geniac jpllm:funder ?f }").rows
    reified = default.sparql(
        "SELECT ?f WHERE { ?st a jpllm:TitleOnlyStatement ; rdf:subject jpr:geniac ;"
        " rdf:predicate jpllm:funder ; rdf:object ?f }"
    )
    assert {row["f"] for row in reified.rows} == {JPR.meti, JPR.nedo}
    # the QommonsAI deployment: the report says PLaMo; PLaMo Prime is in the titles only
    qommons = JPR["deployment-qommons-ai-plamo-prime"]
    assert set(kg.data.objects(qommons, JPLLM.model)) == {JPR["plamo-family"]}


def test_every_support_names_an_asserted_statement(kg):
    supports = set(kg.data.subjects(RDF.type, JPLLM.Support))
    assert len(supports) >= 10
    for support in supports:
        subject, predicate = (
            kg.data.value(support, RDF.subject),
            kg.data.value(support, RDF.predicate),
        )
        value = kg.data.value(support, RDF.object)
        assert (subject, predicate, value) in kg.data, support
        kind = kg.data.value(support, JPLLM.evidence)
        if kind == JPV["evidence-curator-inference"]:
            assert kg.data.value(support, JPLLM.reasoning) is not None, support


def test_corrected_inferences_keep_what_the_report_states(kg):
    # NTT DATA is the PoC partner, not a developer; "5 years" is the training data's span;
    # 10 社以上 is ten or more.
    insurance = JPR["tsuzumi-insurance"]
    assert set(kg.data.objects(insurance, JPLLM.developer)) == {JPR.ntt}
    deployment = JPR["deployment-ntt-tsuzumi-insurance"]
    assert JPR["ntt-data"] in set(kg.data.objects(deployment, JPLLM.partner))
    sagamihara = JPR["deployment-sagamihara-cotomi"]
    assert kg.data.value(sagamihara, JPLLM.scale) is None
    span = kg.data.value(sagamihara, JPLLM.trainingDataSpan)
    assert kg.data.value(span, JPLLM.value).toPython() == 5
    assert str(kg.data.value(span, JPLLM.asWorded)) == "過去 5 年分の答弁データ"
    companies = kg.data.value(JPR["stat-domestic-llm-commercial-companies"], JPLLM.statisticValue)
    assert set(kg.data.objects(companies, JPLLM.valueStatus)) == {JPV["value-at-least"]}


def test_claimants_read_from_publishers_are_marked(kg):
    claimed = set(kg.data.subject_objects(JPLLM.claimant))
    assert claimed
    for claim, claimant in claimed:
        (support,) = supports_of(kg, claim, JPLLM.claimant)
        assert kg.data.value(support, RDF.object) == claimant
        assert kg.data.value(support, JPLLM.evidence) == JPV["evidence-curator-inference"]


BAD_SUPPORTS = """
jpr:support-test-no-evidence a jpllm:Support ;
    rdfs:label "根拠の種類なし"@ja , "No evidence kind"@en ;
    rdf:subject jpr:rakuten-ai-3 ; rdf:predicate jpllm:developer ; rdf:object jpr:rakuten ;
    dcterms:source jpr:ref-9 .

jpr:support-test-no-reasoning a jpllm:Support ;
    rdfs:label "推論の根拠なし"@ja , "Inference without reasoning"@en ;
    rdf:subject jpr:rakuten-ai-3 ; rdf:predicate jpllm:architecture ;
    jpllm:evidence jpv:evidence-curator-inference ;
    dcterms:source jpr:ref-16 .

jpr:support-test-dangling a jpllm:Support ;
    rdfs:label "宙に浮いた根拠"@ja , "Dangling support"@en ;
    rdf:subject jpr:rakuten-ai-3 ; rdf:predicate jpllm:fundedBy ; rdf:object jpr:geniac ;
    jpllm:evidence jpv:evidence-curator-inference ;
    jpllm:reasoning "Made up for the test."@en ;
    dcterms:source jpr:ref-47 .

jpr:title-only-test-asserted a jpllm:TitleOnlyStatement ;
    rdfs:label "主張されている表題のみの記述"@ja , "Title-only statement that is asserted"@en ;
    rdf:subject jpr:rakuten-ai-3 ; rdf:predicate jpllm:developer ; rdf:object jpr:rakuten ;
    jpllm:evidence jpv:evidence-reference-title-only ;
    dcterms:source jpr:ref-9 .
"""


@pytest.fixture(scope="module")
def bad_supports_report(tmp_path_factory) -> dict:
    """`jpllmkg validate --format json` on the real graph plus graph/bad-supports.ttl."""
    import shutil

    from conftest import REPO, run_cli

    root = tmp_path_factory.mktemp("provenance") / "project"
    for part in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / part, root / part)
    (root / "graph" / "bad-supports.ttl").write_text(PREFIXES + BAD_SUPPORTS, encoding="utf-8")
    result = run_cli("--root", str(root), "validate", "--format", "json")
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr
    return json.loads(result.stdout)


def _violations(report: dict, focus: str) -> list[str]:
    return [
        f["message"]
        for f in report["findings"]
        if f["severity"] == "Violation" and f["focus"] == focus
    ]


def test_validate_rejects_a_support_without_evidence(bad_supports_report):
    (message,) = _violations(bad_supports_report, "jpr:support-test-no-evidence")
    assert "Say how the sources support the statement" in message


def test_validate_rejects_a_curator_inference_without_reasoning(bad_supports_report):
    (message,) = _violations(bad_supports_report, "jpr:support-test-no-reasoning")
    assert "A curator inference needs jpllm:reasoning" in message


def test_validate_reports_a_dangling_support(bad_supports_report):
    (message,) = _violations(bad_supports_report, "jpr:support-test-dangling")
    assert "which the graph does not assert" in message and "geniac" in message


def test_validate_reports_an_asserted_title_only_statement(bad_supports_report):
    (message,) = _violations(bad_supports_report, "jpr:title-only-test-asserted")
    assert "is a title-only statement, but the graph also asserts" in message
    others = {f["focus"] for f in bad_supports_report["findings"] if f["severity"] == "Violation"}
    assert others == {
        "jpr:support-test-no-evidence",
        "jpr:support-test-no-reasoning",
        "jpr:support-test-dangling",
        "jpr:title-only-test-asserted",
    }
