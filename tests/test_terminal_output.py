"""Terminal output a person can read: tables that fit the terminal, whole IRIs, Japanese aligned
by display width, amounts with units and statuses, a short `validate`, `stats` without
publishers. All on the real graph through the real CLI."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import wcwidth
from conftest import REPO
from rdflib import URIRef

from jpllmkg.analysis import (
    centrality,
    organization_relations,
    ranking_graph,
    relation_graph,
)
from jpllmkg.graph.classes import subclasses
from jpllmkg.graph.namespaces import JPV, compact
from jpllmkg.query.local import Graph
from jpllmkg.query.render import amount_text, text_table

ROOT = ("--root", str(REPO))
PUBLISHERS = {"jpr:idc-japan", "jpr:menlo-ventures"}


@pytest.fixture(scope="module")
def graph(kg) -> Graph:
    return Graph(kg)


def table(cli, *args: str, columns: int) -> list[str]:
    result = cli(*args, env={"COLUMNS": str(columns)})
    assert result.returncode == 0, result.stderr
    return result.stdout.rstrip("\n").split("\n")


def column_starts(rule: str) -> list[int]:
    """Where each column starts, in terminal cells, from the '----  ----' line under the header."""
    return [m.start() for m in re.finditer(r"-+", rule)]


def cell_starts(line: str) -> list[int]:
    """Where the cells of a table line start, in terminal cells (after a gap of 2+ spaces)."""
    starts, position, spaces = [], 0, 2
    for char in line:
        if char != " " and spaces >= 2:
            starts.append(position)
        spaces = spaces + 1 if char == " " else 0
        position += wcwidth.width(char)
    return starts


def test_japanese_columns_line_up_by_display_width(cli):
    lines = table(cli, "query", "deployments", "--lang", "ja", "--wide", columns=300)
    starts = column_starts(lines[1])
    assert len(starts) == 7
    body = lines[2:-1]
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", line) for line in body)
    for line in body:
        assert set(cell_starts(line)) <= set(starts), line
    assert max(len(cell_starts(line)) for line in body) == 7


def test_table_uses_the_terminal_width_not_80(cli):
    wide = table(cli, "query", "budgets-and-plans", columns=200)
    assert wide[0].split() == ["item", "class", "amount", "fiscalYear", "years", "funder", "refs"]
    assert all(wcwidth.width(line) <= 200 for line in wide)
    narrow = table(cli, "query", "budgets-and-plans", columns=80)
    assert narrow[0].startswith("-[ row 1 ]")
    assert all(wcwidth.width(line) <= 80 for line in narrow)


@pytest.mark.parametrize("columns", [60, 100, 140])
def test_wrapped_tables_fit_and_keep_every_iri_whole(cli, graph, columns):
    lines = table(cli, "query", "deployments", columns=columns)
    for line in lines:  # only an IRI longer than the room left may stick out, on its own
        if wcwidth.width(line) > columns:
            *name, iri = line.split()
            assert len(name) <= 1 and ":" in iri, line
            assert wcwidth.width(line) - len(iri) <= columns, line
    text = "\n".join(lines)
    assert "…" not in text
    words = set(text.split())
    for row in graph.query("deployments"):
        for term in row.values():
            if isinstance(term, URIRef):  # the label may wrap, the CURIE may not
                assert f"({compact(str(term))})" in words, (term, columns)


def test_an_iri_longer_than_the_terminal_appears_whole(cli, graph):
    rows = graph.query("sources-of-entity", entity="jpr:takane")
    urls = [str(r["url"]) for r in rows if r["url"] is not None]
    assert urls and max(len(u) for u in urls) > 40
    lines = table(cli, "query", "sources-of-entity", "--param", "entity=jpr:takane", columns=40)
    for url in urls:
        assert any(url in line for line in lines), url


def test_wide_prints_one_line_per_row(cli, graph):
    rows = len(graph.query("deployments"))
    lines = table(cli, "query", "deployments", "--wide", columns=60)
    assert len(lines) == rows + 3 and not lines[0].startswith("-[ row")
    assert max(wcwidth.width(line) for line in lines) > 60


def test_control_characters_from_data_never_reach_the_terminal(cli):
    lines = table(
        cli, "sparql", r'SELECT ?t WHERE { BIND("red\u001b[31m alert\u0007" AS ?t) }', columns=80
    )
    assert "\x1b" not in "".join(lines) and "\x07" not in "".join(lines)
    assert "red\ufffd[31m alert\ufffd" in lines[2]


def test_amounts_print_with_units_grouping_and_status(cli):
    english = "\n".join(table(cli, "query", "budgets-and-plans", "--wide", columns=80))
    assert "JPY 3.693 trillion [official]" in english
    assert "JPY 1 trillion [approximate (約), planned (予定)]" in english
    japanese = "\n".join(
        table(cli, "query", "budgets-and-plans", "--lang", "ja", "--wide", columns=80)
    )
    assert "3.693 兆円 [公式]" in japanese and "1 兆円 [約, 予定]" in japanese
    assert "unit" not in english.split("\n")[0]  # the unit and status travel in the amount cell
    market = "\n".join(table(cli, "query", "market-statistics", "--wide", columns=80))
    assert "USD 8.4 billion [official]" in market and "40% [official]" in market
    assert "JPY 4.1873 trillion [forecast (予測)]" in market
    vague = "\n".join(table(cli, "query", "vague-figures", "--lang", "ja", "--wide", columns=80))
    assert "8,000 億円 [約]" in vague and "10 万人 [予定]" in vague
    assert "400 億パラメータ [約]" in vague and "パラメータ [非公開]" in vague
    compute = "\n".join(table(cli, "query", "compute-infrastructure", "--wide", columns=80))
    assert "100,000,000,000" in compute and "6128" in compute  # no unit: grouping only
    raw = cli("query", "budgets-and-plans", "--format", "csv").stdout
    assert ",3693000000000," in raw  # the machine formats keep the exact value


@pytest.mark.parametrize(
    ("value", "unit", "lang", "text"),
    [
        ("3693000000000", "unit-jpy", "en", "JPY 3.693 trillion"),
        ("3693000000000", "unit-jpy", "ja", "3.693 兆円"),
        ("800000000000", "unit-jpy", "ja", "8,000 億円"),
        ("800000000000", "unit-jpy", "en", "JPY 800 billion"),
        ("5000000", "unit-jpy", "ja", "500 万円"),
        ("950", "unit-jpy", "en", "JPY 950"),
        ("4187300000000.5", "unit-jpy", "en", "JPY 4.1873000000005 trillion"),
        ("100000", "unit-people", "en", "100,000 people"),
        ("25.6", "unit-percent", "ja", "25.6%"),
    ],
)
def test_amount_text_keeps_every_digit(graph, value, unit, lang, text):
    assert amount_text(Decimal(value), JPV[unit], graph.label, lang) == text


def test_text_table_aligns_by_display_width():
    lines = text_table(["name", "n"], [["富士通", "1"], ["NTT", "22"]], width=80)
    assert lines == ["name    n", "------  --", "富士通  1", "NTT     22"]


def test_validate_on_a_clean_graph_is_short_and_explains_the_warnings(cli, validation_report):
    assert validation_report.warnings and not validation_report.violations
    short = cli(*ROOT, "validate")
    assert short.returncode == 0, short.stderr
    assert "WARNING:" not in short.stdout
    assert f"{len(validation_report.warnings)} warning(s), by check:" in short.stdout
    assert "These warnings are expected" in short.stdout
    for finding in validation_report.warnings:
        assert finding.message in short.stdout
    assert len(short.stdout.splitlines()) < 40
    verbose = cli(*ROOT, "validate", "--verbose")
    assert verbose.returncode == 0
    assert verbose.stdout.count("WARNING:") == len(validation_report.warnings)
    assert "entities per class:" in verbose.stdout


def test_validate_always_lists_violations_and_counts_warnings(make_project, capsys):
    from conftest import FIXTURES
    from fixture_cases import case_graph

    from jpllmkg.cli import main
    from jpllmkg.graph.namespaces import JPLLM, JPR

    # One violation (a base model, no qualified derivation), one warning (a result, no date).
    graph = case_graph(FIXTURES / "invalid" / "models-base-model-derivation.ttl")
    graph.remove((JPR["result-nejumi4-qwq-bakeneko-32b"], JPLLM.resultDate, None))
    root = make_project()
    graph.serialize(root / "graph" / "case.ttl", format="turtle", encoding="utf-8")
    assert main(["--root", str(root), "validate"]) == 1
    out = capsys.readouterr().out
    assert out.count("VIOLATION:") == 1 and "WARNING:" not in out
    assert "1 warning(s), by check:" in out
    assert main(["--root", str(root), "validate", "--verbose"]) == 1
    out = capsys.readouterr().out
    assert out.count("VIOLATION:") == 1 and out.count("WARNING:") == 1


def test_sources_and_publishers_are_not_ranked(kg):
    result = centrality(kg, top=50)
    for measure in ("degree", "betweenness"):
        ranked = {r["iri"] for r in result["organizations"][measure]}
        assert ranked and not ranked & PUBLISHERS, measure
        assert {"jpr:ntt", "jpr:pfn"} <= ranked
    assert not {r["iri"] for r in organization_relations(kg, top=50)} & PUBLISHERS
    graph = relation_graph(kg)
    sources = subclasses(kg, "Source")
    for node in ranking_graph(graph):
        assert not any(t in sources for t in kg.data.objects(URIRef(node), None)), node


def test_stats_table_leaves_idc_japan_and_menlo_ventures_out(cli):
    result = cli(*ROOT, "stats", env={"COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    rankings = result.stdout.split("Most central organizations by degree", 1)[1]
    rankings = rankings.split("Lineage roots", 1)[0]
    assert "NTT (jpr:ntt)" in rankings
    assert "IDC Japan" not in rankings and "Menlo Ventures" not in rankings
    assert all(wcwidth.width(line) <= 120 for line in result.stdout.splitlines())
