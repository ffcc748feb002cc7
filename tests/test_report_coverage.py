"""The report's own analysis and its inner disagreements, as the graph records them.

Every assessment is pinned to its kind, section and sources; its @ja text must be the report's
own words; the saved query ``discrepancies`` lists the disagreements found on a sentence-by-
sentence reading, each with both readings and their references.
"""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

import jpllmkg
from jpllmkg.graph.namespaces import JPLLM, JPR, JPV

REPORT = REPO / "docs" / "report" / "2026-03-01-jp-domestic-llm-report.txt"

# assessment slug -> (kind, passage, sources: "report" or "ref-N")
ASSESSMENTS = {
    "assessment-domestic-llm-position": ("competitive-structure", "Executive summary", {"report"}),
    "assessment-national-policy": (
        "policy-evaluation",
        "Executive summary",
        {"ref-5", "ref-6", "ref-7"},
    ),
    "assessment-performance-catch-up": ("competitive-structure", "Executive summary", {"ref-8"}),
    "assessment-2026-make-or-break": ("outlook", "Executive summary", {"ref-9", "ref-10"}),
    "assessment-two-development-tracks": ("development-track", "§1.1", {"report"}),
    "assessment-lightweight-track": (
        "development-track",
        "§1.1",
        {"ref-1", "ref-11", "ref-12", "ref-14"},
    ),
    "assessment-scale-up-track": (
        "development-track",
        "§1.1",
        {"ref-4", "ref-9", "ref-16", "ref-17", "ref-18"},
    ),
    "assessment-development-approach-split": ("development-track", "§1.1", {"ref-19"}),
    "assessment-adoption-accelerating": ("adoption-trend", "§2 (heading)", {"report"}),
    "assessment-finance-leads-adoption": ("adoption-trend", "§2.1", {"report"}),
    "assessment-cotomi-leads-local-government": ("adoption-trend", "§2.2", {"report"}),
    "assessment-not-performance-alone": ("adoption-reason", "§3", {"report"}),
    "assessment-data-sovereignty": ("adoption-reason", "§3", {"ref-36"}),
    "assessment-cost-efficiency": ("adoption-reason", "§3", {"ref-11", "ref-12"}),
    "assessment-customisability": ("adoption-reason", "§3", {"ref-13"}),
    "assessment-legal-transparency": ("adoption-reason", "§3", {"ref-36"}),
    "assessment-foreign-llm-strengths": ("competitive-structure", "§3", {"report"}),
    "assessment-foreign-push-into-japan": ("competitive-structure", "§3", {"ref-39", "ref-40"}),
    "assessment-ai-law-biggest-milestone": ("policy-evaluation", "§4", {"report"}),
    "assessment-compute-build-out": ("policy-evaluation", "§4", {"ref-10", "ref-49"}),
    "assessment-genai-market-boom": ("market-trend", "§5", {"report"}),
    "assessment-growth-driven-by-foreign-llms": ("competitive-structure", "§5", {"report"}),
    "assessment-ntt-orders-still-limited": ("competitive-structure", "§5", {"ref-53", "report"}),
    "assessment-investment-gap": ("structural-challenge", "§5", {"ref-19", "ref-54"}),
    "assessment-training-data-constraints": ("structural-challenge", "§5", {"ref-19", "ref-54"}),
    "assessment-talent-shortage": ("structural-challenge", "§5", {"ref-19", "ref-54"}),
    "assessment-coexistence-key-2026": ("strategic-conclusion", "§6 (heading)", {"report"}),
    "assessment-optimism-and-crisis": ("strategic-conclusion", "§6", {"report"}),
    "assessment-adoption-record-building-up": (
        "adoption-trend",
        "§6",
        {"ref-27", "ref-28", "ref-53"},
    ),
    "assessment-institutional-tailwind": ("policy-evaluation", "§6", {"ref-6", "ref-41"}),
    "assessment-performance-gap-may-widen": ("competitive-structure", "§6", {"report"}),
    "assessment-foreign-entry-home-ground": ("competitive-structure", "§6", {"ref-39", "ref-40"}),
    "assessment-hybrid-coexistence": ("strategic-conclusion", "§6", {"report"}),
    "assessment-main-point-to-watch": ("outlook", "§6", {"ref-9", "ref-10"}),
}

# §5's one sentence on three structural challenges is recorded as three points, each worded
# on its own, so their @ja texts are not a verbatim cut of the report.
SPLIT_SENTENCE = {
    "assessment-investment-gap",
    "assessment-training-data-constraints",
    "assessment-talent-shortage",
}

# discrepancy slug -> (kind, {(passage, references of that reading or None for the report)})
NEW_DISCREPANCIES = {
    "discrepancy-ntt-orders-tsuzumi": (
        "internal",
        {("§5", None), ("§6", None), ("ref 53 title", "53")},
    ),
    "discrepancy-healthcare-adoption-examples": (
        "internal",
        {("Executive summary; §2 (heading)", None), ("§2.1; §2.2; §2.3", "34")},
    ),
    "discrepancy-development-tracks-period": (
        "date-mismatch",
        {("§1.1", None), ("ref 17 date; ref 18 title and date", "17, 18")},
    ),
    "discrepancy-conclusion-government-ai-citation": (
        "unsupported",
        {
            ("§6", None),
            ("ref 27 title; ref 28 title; ref 53 title", "27, 28, 53"),
            ("§2.2; ref 30 title", "30"),
        },
    ),
    "discrepancy-government-staff-rollout-citation": (
        "unsupported",
        {("§2.2", None), ("ref 5 title; ref 31 title; ref 32 title", "5, 31, 32")},
    ),
    "discrepancy-ai-basic-plan-goal-wording": (
        "wording-mismatch",
        {("§4", None), ("ref 43 title", "43"), ("ref 44 title", "44")},
    ),
    "discrepancy-mm-research-vendors-or-llms": (
        "wording-mismatch",
        {("§2.3", None), ("ref 35 title", "35")},
    ),
    "discrepancy-idc-ai-market-scope": (
        "wording-mismatch",
        {("§5", None), ("ref 50 title; ref 51 title", "50, 51")},
    ),
}


@pytest.fixture(scope="module")
def g():
    return jpllmkg.load()


def slug(node: URIRef) -> str:
    return str(node).removeprefix(str(JPR))


def sources(kg, node: URIRef) -> set[str]:
    return {slug(s) for s in kg.data.objects(node, DCTERMS.source)}


def test_every_assessment_is_pinned_to_its_kind_section_and_sources(kg):
    found = {slug(a) for a in kg.data.subjects(RDF.type, JPLLM.Assessment)}
    assert found == set(ASSESSMENTS)
    for name, (kind, passage, cited) in ASSESSMENTS.items():
        node = JPR[name]
        kinds = list(kg.data.objects(node, JPLLM.assessmentKind))
        assert kinds == [JPV[f"assessment-{kind}"]], name
        assert [str(p) for p in kg.data.objects(node, JPLLM.passage)] == [passage], name
        assert sources(kg, node) == cited, name


def test_assessment_kinds_per_kind(kg):
    counts: dict[str, int] = {}
    for kind, _, _ in ASSESSMENTS.values():
        counts[kind] = counts.get(kind, 0) + 1
    assert counts == {
        "competitive-structure": 8,
        "development-track": 4,
        "adoption-trend": 4,
        "policy-evaluation": 4,
        "adoption-reason": 5,
        "structural-challenge": 3,
        "strategic-conclusion": 3,
        "outlook": 2,
        "market-trend": 1,
    }
    for kind in counts:
        concept = JPV[f"assessment-{kind}"]
        assert (concept, SKOS.inScheme, JPV["assessment-scheme"]) in kg.data, kind
        labels = {label.language for label in kg.data.objects(concept, RDFS.label)}
        assert labels == {"ja", "en"}, kind
        assert kg.data.value(concept, SKOS.definition) is not None, kind


def test_assessment_texts_are_the_reports_own_words(kg):
    """Each @ja text, cut at '…', stands in the report (spacing and citation marks aside)."""
    report = re.sub(r"\^\[[\d,]+\]", "", re.sub(r"\s+", "", REPORT.read_text(encoding="utf-8")))
    for name in set(ASSESSMENTS) - SPLIT_SENTENCE:
        texts = [t for t in kg.data.objects(JPR[name], JPLLM.assessmentText) if t.language == "ja"]
        assert len(texts) == 1, name
        for part in str(texts[0]).split("…"):
            assert re.sub(r"\s+", "", part) in report, (name, part)


def test_the_two_development_tracks(kg):
    split = JPR["assessment-two-development-tracks"]
    tracks = set(kg.data.subjects(DCTERMS.isPartOf, split))
    assert tracks == {JPR["assessment-lightweight-track"], JPR["assessment-scale-up-track"]}
    applies = {slug(t): {slug(e) for e in kg.data.objects(t, JPLLM.appliesTo)} for t in tracks}
    assert applies == {
        "assessment-lightweight-track": {"tsuzumi-2", "plamo-2-2-prime", "ntt", "pfn"},
        "assessment-scale-up-track": {
            "rakuten-ai-3",
            "sarashina",
            "stockmark-2-100b",
            "rakuten",
            "sb-intuitions",
            "stockmark",
        },
    }
    # cotomi v3 sits in the same paragraph but the report puts it on neither track
    assert not set(kg.data.subjects(JPLLM.appliesTo, JPR["cotomi-v3"])) & tracks


def test_the_closing_assessment_of_the_competitive_structure(kg):
    closing = {
        slug(a)
        for a in kg.data.subjects(JPLLM.assessmentKind, JPV["assessment-competitive-structure"])
        if str(kg.data.value(a, JPLLM.passage)) == "§6"
    }
    assert closing == {
        "assessment-performance-gap-may-widen",
        "assessment-foreign-entry-home-ground",
    }
    entry = JPR["assessment-foreign-entry-home-ground"]
    assert {slug(e) for e in kg.data.objects(entry, JPLLM.appliesTo)} == {
        "event-sb-oai-japan-founded",
        "event-anthropic-tokyo-office",
    }
    # the four §3 reasons belong to "adoption is not decided by performance alone"
    framing = JPR["assessment-not-performance-alone"]
    assert {slug(r) for r in kg.data.subjects(DCTERMS.isPartOf, framing)} == {
        "assessment-data-sovereignty",
        "assessment-cost-efficiency",
        "assessment-customisability",
        "assessment-legal-transparency",
    }


def test_discrepancies_query_lists_the_new_disagreements(g):
    rows = g.query("discrepancies").records()
    by_node: dict[str, list[dict]] = {}
    for row in rows:
        by_node.setdefault(row["discrepancy"].removeprefix("jpr:"), []).append(row)
    assert len(by_node) == 35
    for name, (kind, readings) in NEW_DISCREPANCIES.items():
        found = by_node[name]
        assert {r["kind"] for r in found} == {f"jpv:discrepancy-{kind}"}, name
        assert {(r["passage"], r["refs"]) for r in found} == readings, name
        assert all(r["recordedAs"] for r in found), name


def test_assessments(g):
    """The saved query gives each assessment with its section and sources."""
    rows = g.query("assessments").records()
    assert {r["assessment"].removeprefix("jpr:") for r in rows} == set(ASSESSMENTS)
    for row in rows:
        kind, passage, cited = ASSESSMENTS[row["assessment"].removeprefix("jpr:")]
        assert row["kind"] == f"jpv:assessment-{kind}" and row["passage"] == passage
        numbers = {f"ref-{n}" for n in (row["refs"] or "").split(", ") if n}
        assert numbers | ({"report"} if row["reportOnly"] else set()) == cited
    closing = g.query("assessments", kind="jpv:assessment-competitive-structure").records()
    assert {r["kind"] for r in closing} == {"jpv:assessment-competitive-structure"}
    assert "jpr:assessment-domestic-llm-position" in {r["assessment"] for r in closing}


def test_new_discrepancy_kinds_are_in_the_vocabulary(kg):
    for kind in ("wording-mismatch", "date-mismatch"):
        concept = JPV[f"discrepancy-{kind}"]
        assert (concept, SKOS.inScheme, JPV["discrepancy-scheme"]) in kg.data, kind
        labels = {label.language for label in kg.data.objects(concept, RDFS.label)}
        assert labels == {"ja", "en"}, kind


def test_the_reports_analysis_validates_clean(validation_report):
    ours = {f"jpr:{name}" for name in (*ASSESSMENTS, *NEW_DISCREPANCIES)}
    findings = [*validation_report.violations, *validation_report.warnings]
    assert not [f for f in findings if f.focus in ours]
