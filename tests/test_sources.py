"""Sources scoped to their report: no check counts a fixed number of references.

Each test copies the project with its real graph, changes the bibliography (a 55th reference,
a second report with its own ref 1, a bad number), and runs the real `jpllmkg validate`.
The report-level checks read the report's own jpllm:referenceCount.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

PREFIXES = """\
@prefix jpllm:   <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr:     <https://w3id.org/jpllmkg/resource/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
"""

COUNT_54 = 'jpllm:referenceCount "54"^^xsd:positiveInteger ;'


def reference(iri: str, number: int, report: str = "jpr:report") -> str:
    """A numbered reference of report, written as graph/sources.ttl writes one."""
    return f"""
{iri} a jpllm:Source ;
    rdfs:label "[{number}] 試験用の参考文献"@ja , "[{number}] A test reference"@en ;
    jpllm:referenceNumber "{number}"^^xsd:positiveInteger ;
    dcterms:title "試験用の参考文献 {number}" ;
    schema:url "https://example.org/{iri.replace(":", "/")}"^^xsd:anyURI ;
    jpllm:citedIn {report} ;
    dcterms:source {report} .
"""


OTHER_REPORT = """
jpr:other-report a jpllm:Report ;
    rdfs:label "試験用の第二のレポート"@ja , "A second test report"@en ;
    dcterms:title "試験用の第二のレポート" ;
    dcterms:issued "2026-03"^^xsd:gYearMonth ;
    jpllm:referenceCount "{count}"^^xsd:positiveInteger ;
    dcterms:source jpr:other-report .
"""


def project(make_project, *, count: int = 54, extra: str = "", cited: tuple[str, ...] = ()) -> Path:
    """The real project with jpr:report declaring count references, extra Turtle in
    graph/test-sources.ttl, and each IRI in cited given as a further source of jpr:ntt."""
    root = make_project(with_real_graph=True)
    sources = root / "graph" / "sources.ttl"
    text = sources.read_text(encoding="utf-8")
    assert text.count(COUNT_54) == 1
    sources.write_text(
        text.replace(COUNT_54, f'jpllm:referenceCount "{count}"^^xsd:positiveInteger ;'),
        encoding="utf-8",
    )
    citing = "".join(f"jpr:ntt dcterms:source {iri} .\n" for iri in cited)
    (root / "graph" / "test-sources.ttl").write_text(
        PREFIXES + extra + "\n" + citing, encoding="utf-8"
    )
    return root


def validate(cli, root: Path) -> tuple[int, dict]:
    result = cli("--root", str(root), "validate", "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def violations(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["severity"] == "Violation"]


def test_a_55th_reference_validates_clean(cli, make_project):
    root = project(make_project, count=55, extra=reference("jpr:ref-55", 55), cited=("jpr:ref-55",))
    code, report = validate(cli, root)
    assert (code, violations(report)) == (0, [])
    summary = report["summary"]
    assert (summary["references_cited"], summary["references_total"]) == (55, 55)


def test_a_second_report_with_its_own_ref_1_validates_clean(cli, make_project):
    extra = OTHER_REPORT.format(count=1) + reference(
        "jpr:other-report-ref-1", 1, report="jpr:other-report"
    )
    root = project(make_project, extra=extra, cited=("jpr:other-report-ref-1",))
    code, report = validate(cli, root)
    assert (code, violations(report)) == (0, [])
    # 54 references of jpr:report and 1 of jpr:other-report, both numbered 1.
    summary = report["summary"]
    assert (summary["references_cited"], summary["references_total"]) == (55, 55)


def test_a_number_above_the_report_count_names_the_reference(cli, make_project):
    extra = reference("jpr:ref-55", 55) + reference("jpr:ref-56", 56)
    root = project(make_project, count=55, extra=extra, cited=("jpr:ref-55", "jpr:ref-56"))
    code, report = validate(cli, root)
    assert code == 1
    found = violations(report)
    assert [(f["focus"], f["value"]) for f in found] == [("jpr:ref-56", "56")], found
    assert "above the jpllm:referenceCount of the report it is cited in" in found[0]["message"]


def test_two_references_with_one_number_in_a_report_are_named(cli, make_project):
    root = project(make_project, extra=reference("jpr:ref-3-again", 3), cited=("jpr:ref-3-again",))
    code, report = validate(cli, root)
    assert code == 1
    unique = [
        f for f in violations(report) if "as another reference of the same report" in f["message"]
    ]
    assert sorted(f["focus"] for f in unique) == ["jpr:ref-3", "jpr:ref-3-again"]
    # Its IRI does not say "reference 3 of jpr:report" either.
    named = [f for f in violations(report) if f["check"] == "qc:reference-numbers"]
    assert [f["focus"] for f in named] == ["jpr:ref-3-again"]
    assert "<https://w3id.org/jpllmkg/resource/ref-3>" in named[0]["message"]


def test_the_same_number_in_two_reports_is_no_duplicate(cli, make_project):
    extra = OTHER_REPORT.format(count=3) + "".join(
        reference(f"jpr:other-report-ref-{n}", n, report="jpr:other-report") for n in (1, 2, 3)
    )
    cited = tuple(f"jpr:other-report-ref-{n}" for n in (1, 2, 3))
    code, report = validate(cli, project(make_project, extra=extra, cited=cited))
    assert (code, violations(report)) == (0, [])


@pytest.mark.parametrize(
    ("count", "extra", "missing"),
    [
        # jpr:report declares 55 but its bibliography stops at 54.
        (55, "", "none is numbered 55 (expected <https://w3id.org/jpllmkg/resource/ref-55>)"),
        # jpr:other-report declares 4 and has only ref 1: 2 to 4 are missing.
        (
            54,
            OTHER_REPORT.format(count=4)
            + reference("jpr:other-report-ref-1", 1, report="jpr:other-report"),
            "none is numbered 2 to 4 (expected <https://w3id.org/jpllmkg/resource/"
            "other-report-ref-2> ... <https://w3id.org/jpllmkg/resource/other-report-ref-4>)",
        ),
    ],
    ids=["report-55-of-54", "other-report-2-to-4"],
)
def test_a_missing_number_names_the_report_and_the_reference(
    cli, make_project, count, extra, missing
):
    cited = ("jpr:other-report-ref-1",) if extra else ()
    code, report = validate(cli, project(make_project, count=count, extra=extra, cited=cited))
    assert code == 1
    found = violations(report)
    assert len(found) == 1, found
    assert found[0]["check"] == "qc:reference-count"
    assert missing in found[0]["message"]


def test_references_cited_in_a_report_without_a_count_are_flagged(cli, make_project):
    extra = OTHER_REPORT.format(count=1).replace(
        '    jpllm:referenceCount "1"^^xsd:positiveInteger ;\n', ""
    ) + reference("jpr:other-report-ref-1", 1, report="jpr:other-report")
    root = project(make_project, extra=extra, cited=("jpr:other-report-ref-1",))
    code, report = validate(cli, root)
    assert code == 1
    found = violations(report)
    assert [(f["check"], f["focus"]) for f in found] == [
        ("qc:reference-count", "jpr:other-report")
    ], found
    assert "has numbered references but no jpllm:referenceCount" in found[0]["message"]


def test_every_reference_has_an_english_label_in_english():
    """An @en label is English (no kana or kanji left); an English title given wins as is."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, RDFS

    graph = Graph().parse(Path(__file__).parents[1] / "graph" / "sources.ttl")
    japanese = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
    jpllm = "https://w3id.org/jpllmkg/ontology#"
    references = set(graph.subjects(URIRef(jpllm + "citedIn"), None))
    declared = graph.value(
        URIRef("https://w3id.org/jpllmkg/resource/report"), URIRef(jpllm + "referenceCount")
    )
    assert len(references) == int(declared)
    for reference in references:
        english = [o for o in graph.objects(reference, RDFS.label) if o.language == "en"]
        assert len(english) == 1 and not japanese.search(english[0]), (reference, english)
    ref_37 = URIRef("https://w3id.org/jpllmkg/resource/ref-37")
    title = graph.value(ref_37, DCTERMS.title)
    assert Literal(f"[37] HPCwire: {title}", lang="en") in set(graph.objects(ref_37, RDFS.label))
    ref_1 = URIRef("https://w3id.org/jpllmkg/resource/ref-1")
    assert Literal(
        "[1] NTT News Release: Launch of tsuzumi 2, the further-evolved NTT LLM", lang="en"
    ) in set(graph.objects(ref_1, RDFS.label))
