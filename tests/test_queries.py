"""Every saved query, pinned to its answer on the real graph."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import jpllmkg


@pytest.fixture(scope="module")
def g():
    return jpllmkg.load()


def col(result, name: str) -> set:
    return set(result.column(name))


def test_every_saved_query_is_pinned_by_a_test(g):
    """Each saved query NAME has a test function test_NAME (dashes as underscores) somewhere."""
    source = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    pinned = {m.replace("_", "-") for m in re.findall(r"^def test_(\w+)\(", source, re.M)}
    missing = sorted(set(g.queries()) - pinned)
    assert not missing, f"saved queries without a test pinning their answer: {missing}"


def test_model_catalogue(g):
    result = g.query("model-catalogue")
    rows = {r["model"]: r for r in result.records()}
    table1 = {
        "jpr:tsuzumi-2": ("jpr:ntt", "jpv:approach-from-scratch", "jpv:licence-proprietary"),
        "jpr:plamo-2-2-prime": (
            "jpr:pfn",
            "jpv:approach-from-scratch",
            "jpv:licence-conditional-commercial",
        ),
        "jpr:cotomi-v3": ("jpr:nec", "jpv:approach-in-house", "jpv:licence-proprietary"),
        "jpr:takane": ("jpr:fujitsu", "jpv:approach-joint-development", "jpv:licence-proprietary"),
        "jpr:sarashina": (
            "jpr:sb-intuitions",
            "jpv:approach-from-scratch",
            "jpv:licence-api-access",
        ),
        "jpr:rakuten-ai-3": (
            "jpr:rakuten",
            "jpv:approach-publicly-funded",
            "jpv:licence-planned-open-release",
        ),
        "jpr:stockmark-2-100b": ("jpr:stockmark", "jpv:approach-from-scratch", "jpv:licence-mit"),
    }
    for model, (developer, approach, licence) in table1.items():
        assert (rows[model]["developer"], rows[model]["approach"], rows[model]["licence"]) == (
            developer,
            approach,
            licence,
        ), model
    assert rows["jpr:tsuzumi-2"]["parameters"] == "30000000000"
    assert rows["jpr:cotomi-v3"]["parameters"] == "undisclosed"
    assert "estimated" in rows["jpr:takane"]["parameterStatus"]
    assert rows["jpr:rakuten-ai-3"]["active"] == 40000000000
    only_pfn = g.query("model-catalogue", developer="jpr:pfn")
    assert col(only_pfn, "developer") == {"jpr:pfn"}
    assert "jpr:plamo-2-2-prime" in col(only_pfn, "model")


def test_lineage(g):
    result = g.query("lineage", model="jpr:takane").records()
    assert [(r["derived"], r["ancestor"], r["kind"], r["ancestorDeveloper"]) for r in result] == [
        ("jpr:takane", "jpr:command-r-plus", "jpv:derivation-joint-development", "jpr:cohere")
    ]
    assert result[0]["refs"] == "20"
    chain = g.query("lineage", model="jpr:chugoku-electric-power-llm")
    assert {(r["derived"], r["ancestor"]) for r in chain.records()} == {
        ("jpr:chugoku-electric-power-llm", "jpr:tsuzumi-2"),
        ("jpr:tsuzumi-2", "jpr:tsuzumi"),
    }


def test_descendants(g):
    result = g.query("descendants", model="jpr:tsuzumi")
    assert col(result, "descendant") == {
        "jpr:tsuzumi-2",
        "jpr:tsuzumi-insurance",
        "jpr:chugoku-electric-power-llm",
    }


def test_foreign_base_models(g):
    # the report's Takane, and the catalogue rows of developers known to be Japanese (ABEJA,
    # CyberAgent, ELYZA, rinna ... from the report) on bases of known foreign developers
    rows = g.query("foreign-base-models").records()
    found = {(r["model"], r["foreignBase"], r["baseDeveloper"], r["baseCountry"]) for r in rows}
    assert ("jpr:takane", "jpr:command-r-plus", "jpr:cohere", "wd:Q16") in found
    assert ("jpr:ajl-cat-thinking", "jpr:qwen-3", "jpr:alibaba", "wd:Q148") in found
    assert len(rows) == 29
    assert {r["baseCountry"] for r in rows} == {"wd:Q16", "wd:Q30", "wd:Q148"}
    (takane,) = g.query("foreign-base-models", model="jpr:takane").records()
    assert takane["developer"] == "jpr:fujitsu"
    assert len(g.query("foreign-base-models", model="jpr:tsuzumi-2")) == 0


def test_from_scratch_models(g):
    result = g.query("from-scratch-models")
    report = {"jpr:ntt", "jpr:pfn", "jpr:stockmark", "jpr:sb-intuitions"}
    assert report < col(result, "developer")  # the catalogue adds its from-scratch sections
    assert len(col(result, "developer")) == 36 and len(col(result, "model")) == 71


def test_deployments(g):
    everything = g.query("deployments")
    assert len(col(everything, "deployment")) == 9
    public = g.query("deployments", sector="jpv:sector-public-sector")
    assert "jpr:deployment-sagamihara-cotomi" in col(public, "deployment")
    assert "jpr:deployment-mizuho-fg-takane" not in col(public, "deployment")
    production = g.query("deployments", status="jpv:status-production")
    assert col(production, "status") == {"jpv:status-production"}
    sagamihara = g.query("deployments", adopter="jpr:sagamihara")
    assert col(sagamihara, "deployment") == {"jpr:deployment-sagamihara-cotomi"}
    takane = g.query("deployments", model="jpr:takane")
    assert col(takane, "adopter") == {"jpr:mizuho-fg"}


def test_public_sector_deployments(g):
    rows = {r["deployment"]: r for r in g.query("public-sector-deployments").records()}
    assert "jpr:deployment-sagamihara-cotomi" in rows
    assert rows["jpr:deployment-sagamihara-cotomi"]["start"] == "2024-06"
    # No public-sector model's lineage is known to its end, and one deployment names no model:
    # unknown, never false (docs/modelling.md, Computed facts).
    assert {r["foreignAncestor"] for r in rows.values()} == {"unknown"}
    assert rows["jpr:deployment-digital-agency-gennai-rollout"]["model"] is None


def test_platform_reach(g):
    rows = g.query("platform-reach", platform="jpr:qommons-ai").records()
    assert len(rows) == 1
    row = rows[0]
    assert (row["scale"], row["scaleStatus"]) == (150, "jpv:value-approximate")
    assert (row["targetScale"], row["targetStatus"]) == (800, "jpv:value-target")
    assert row["targetDate"] == "2025"


def test_corporate_structure(g):
    pairs = {(r["organization"], r["related"]) for r in g.query("corporate-structure").records()}
    assert ("jpr:elyza", "jpr:kddi") in pairs
    assert ("jpr:sb-oai-japan", "jpr:openai") in pairs


def test_funding_programmes(g):
    phase3 = g.query("funding-programmes", programme="jpr:geniac-phase-3").records()
    assert {r["participant"] for r in phase3} >= {"jpr:abeja", "jpr:pfn", "jpr:rakuten"}
    assert {r["start"] for r in phase3} == {"2025-08"} and {r["end"] for r in phase3} == {"2026-02"}
    assert {r["selected"] for r in phase3} == {24}
    assert {r["fundedModel"] for r in phase3 if r["participant"] == "jpr:rakuten"} == {
        "jpr:rakuten-ai-3"
    }


def test_budgets_and_plans(g):
    rows = {r["item"]: r for r in g.query("budgets-and-plans").records()}
    assert rows["jpr:budget-r8-ai-semiconductor"]["amount"] == 1239000000000
    plan = rows["jpr:meti-ai-support-plan"]
    assert set(plan["amountStatus"].split(", ")) == {"approximate", "planned"}
    assert plan["years"] == 5


def test_policy_timeline(g):
    rows = g.query("policy-timeline").records()
    law = [(r["date"], r["what"]) for r in rows if r["item"] == "jpr:ai-promotion-act"]
    assert law == [("2025-05", "enacted"), ("2025-09", "fully in force")]
    assert ("2025-12", "cabinet decision") in {
        (r["date"], r["what"]) for r in rows if r["item"] == "jpr:ai-basic-plan"
    }
    dates = [str(r["date"]) for r in rows]
    assert dates == sorted(dates)


def test_events_between(g):
    rows = g.query("events-between", **{"from": "2025-12-01", "to": "2026-01-31"}).records()
    items = {r["item"] for r in rows}
    assert "jpr:domestic-llm-call" in items  # deadline 2026-01-30
    assert "jpr:plamo-2-2-prime" in items  # released 2026-01
    assert all(
        "2025-12" <= str(r["date"])[:7] <= "2026-01" or len(str(r["date"])) == 4 for r in rows
    )
    none = g.query("events-between", **{"from": "1999", "to": "2000"})
    assert len(none) == 0


def test_benchmark_standings(g):
    rows = g.query("benchmark-standings", benchmark="jpr:nejumi-leaderboard-4").records()
    assert [(r["rank"], r["model"]) for r in rows] == [
        (1, "jpr:gpt-5-2"),
        (2, "jpr:gemini-3-pro"),
        (3, "jpr:claude-opus-4-5"),
        (50, "jpr:qwq-bakeneko-32b"),
    ]
    # No developer is recorded for the three leaders: unknown, not foreign.
    assert [r["domestic"] for r in rows] == ["unknown", "unknown", "unknown", True]


def test_benchmark_gap(g):
    (row,) = g.query("benchmark-gap").records()
    assert (row["bestOther"], row["bestDomestic"]) == ("jpr:gpt-5-2", "jpr:qwq-bakeneko-32b")
    assert row["otherDomestic"] == "unknown"
    assert row["otherScore"] == Decimal("0.8285")
    assert row["domesticScore"] == Decimal("0.6910")
    assert row["gap"] == Decimal("0.1375")


def test_claims(g):
    tsuzumi = g.query("claims", about="jpr:tsuzumi-2").records()
    baselines = {r["baseline"] for r in tsuzumi}
    assert {"jpr:gpt-oss-120b", "jpr:llama-3-3-70b", "jpr:gemma"} <= baselines
    assert {r["claimant"] for r in tsuzumi if r["baseline"] == "jpr:gpt-oss-120b"} == {"jpr:ntt"}
    plamo = g.query("claims", about="jpr:plamo-2-2-prime").records()
    assert {(r["baseline"], r["benchmark"]) for r in plamo} == {("jpr:gpt-5-1", "jpr:jfbench")}


def test_compute_infrastructure(g):
    rows = {r["infrastructure"]: r for r in g.query("compute-infrastructure").records()}
    abci = rows["jpr:abci-3"]
    assert (abci["operator"], abci["gpuModel"], abci["gpus"], abci["start"]) == (
        "jpr:aist",
        "H200",
        6128,
        "2025-01",
    )


def test_market_statistics(g):
    rows = g.query("market-statistics", measure="jpv:measure-market-size").records()
    values = {(r["year"], r["value"], r["forecast"]) for r in rows}
    assert ("2024", 1341200000000, False) in values
    assert ("2029", 4187300000000, True) in values
    shares = g.query("market-statistics", measure="jpv:measure-api-usage-share").column("value")
    assert sorted(shares) == [21, 27, 40]


def test_sources_of_entity(g):
    rows = g.query("sources-of-entity", entity="jpr:takane").records()
    numbers = {r["number"] for r in rows}
    assert {20, 21} <= numbers
    ref20 = next(r for r in rows if r["number"] == 20)
    assert ref20["url"] == "https://pr.fujitsu.com/jp/news/2024/09/30.html"


def test_facts_citing_reference(g):
    facts = col(g.query("facts-citing-reference", reference="jpr:ref-20"), "fact")
    assert {"jpr:takane", "jpr:derivation-takane-command-r-plus"} <= facts


def test_discrepancies(g):
    rows = g.query("discrepancies").records()
    by_node: dict[str, list] = {}
    for row in rows:
        by_node.setdefault(row["discrepancy"], []).append(row)
    assert len(by_node) >= 8
    assert all(len(readings) >= 2 for readings in by_node.values())
    sarashina = [d for d in by_node if "sarashina" in d and "developer" in d]
    assert sarashina, "the Sarashina developer discrepancy is recorded"


def test_title_only_facts(g):
    rows = g.query("title-only-facts").records()
    assert "jpr:deployment-kobe-cotomi" in {r["fact"] for r in rows}
    assert {r["evidence"] for r in rows} <= {
        "jpv:evidence-reference-title-only",
        "jpv:evidence-reference-metadata",
    }
    # The 26 title-only statements come in through the query's reification pattern only:
    # none is asserted, so a default query does not see them (docs/provenance.md).
    statements = [r for r in rows if r["class"] == "jpllm:TitleOnlyStatement"]
    assert len(statements) == 26 and all(r["subject"] and r["predicate"] for r in statements)
    kobe_rows = [r for r in statements if r["subject"] == "jpr:deployment-kobe-cotomi"]
    kobe = {r["predicate"]: r["object"] for r in kobe_rows}
    assert kobe == {"jpllm:model": "jpr:cotomi-family", "jpllm:startDate": "2025-03"}
    asked = "ASK { jpr:deployment-kobe-cotomi jpllm:model jpr:cotomi-family }"
    assert g.sparql(asked)[0]["ask"].toPython() is False
    assert not g.sparql("SELECT ?o WHERE { jpr:geniac jpllm:funder ?o }").rows


def test_vague_figures(g):
    rows = g.query("vague-figures").records()
    statuses = {(r["entity"], r["status"]) for r in rows}
    assert ("jpr:cotomi-v3", "jpv:value-undisclosed") in statuses
    assert ("jpr:takane", "jpv:value-estimated") in statuses
    assert "jpv:value-official" not in {r["status"] for r in rows}


def test_organization_relations(g):
    rows = g.query("organization-relations", organization="jpr:pfn").records()
    incoming = {(r["property"], r["other"]) for r in rows if r["direction"] == "incoming"}
    assert ("jpllm:developer", "jpr:plamo-2-2-prime") in incoming
    assert ("jpllm:participant", "jpr:geniac-phase-3") in incoming


def test_domestic_and_foreign_models(g):
    rows = {r["model"]: r for r in g.query("domestic-and-foreign-models").records()}
    assert rows["jpr:takane"]["domestic"] is True and rows["jpr:takane"]["foreignAncestor"] is True
    assert (rows["jpr:tsuzumi-2"]["domestic"], rows["jpr:tsuzumi-2"]["foreignAncestor"]) == (
        True,
        False,
    )
    assert rows["jpr:command-r-plus"]["domestic"] is False
    assert rows["jpr:command-r-plus"]["foreignAncestor"] == "unknown"
    assert rows["jpr:gpt-5-2"]["domestic"] == rows["jpr:gpt-5-2"]["foreignAncestor"] == "unknown"


def test_search(g):
    found = col(g.query("search", text="相模原"), "entity")
    assert "jpr:sagamihara" in found
    assert "jpr:plamo-2-2-prime" in col(g.query("search", text="plamo 2.2"), "entity")


def test_catalogue_discrepancies(g):
    """The conflicts the import found: Rakuten AI 3.0's base model and licence, each with the
    report's reading (refs 9, 16) and the catalogue's (README.md line 235)."""
    rows = g.query("catalogue-discrepancies").records()
    assert {r["discrepancy"] for r in rows} == {
        "jpr:discrepancy-ajl-rakuten-ai-3-base-model",
        "jpr:discrepancy-ajl-rakuten-ai-3-licence",
    }
    assert {r["entity"] for r in rows} == {"jpr:rakuten-ai-3"}
    lines = {(r["file"], r["line"]) for r in rows if r["file"]}
    assert lines == {("README.md", 235), ("en/README.md", 235)}
    assert {"jpr:ref-9", "jpr:ref-16"} <= {r["source"] for r in rows}
    # the hand-recorded discrepancies stay apart
    assert not {r["discrepancy"] for r in g.query("discrepancies").records()} & {
        r["discrepancy"] for r in rows
    }


def test_models_per_year(g):
    """Counts per release year and approach: the catalogue's 2024 rows on foreign bases."""
    rows = {(r["year"], r["approach"]): r for r in g.query("models-per-year").records()}
    assert rows[("2024", "continued pre-training")]["models"] == 32
    assert rows[("2024", "continued pre-training")]["foreignBase"] == 20
    assert rows[("2024", "from scratch")]["foreignBase"] == 0
    assert all(r["foreignBase"] <= r["models"] for r in rows.values())
    assert sum(r["models"] for r in rows.values()) == 229
