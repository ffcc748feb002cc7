"""Network statistics (jpllmkg.analysis, `jpllmkg stats`) against the real graph's
answers."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from conftest import REPO

from jpllmkg.analysis import (
    centrality,
    components,
    deployments_per_model,
    lineage,
    lineage_depth,
    organization_relations,
    ranking_graph,
    relation_graph,
    statistics,
)
from jpllmkg.graph.namespaces import JPR
from jpllmkg.query.local import Graph

ROOT = ("--root", str(REPO))


@pytest.fixture(scope="module")
def stats(kg) -> dict:
    return statistics(kg)


def sparql_count(kg, pattern: str) -> int:
    """COUNT over the asserted triples (the statistics count asserted classes, not superclasses
    the ontology entails)."""
    rows = Graph(kg, inferred=False).sparql(
        f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"
    )
    return int(rows[0]["n"])


@pytest.mark.parametrize(
    "cls", ["LanguageModel", "Company", "Deployment", "ModelFamily", "Source", "Discrepancy"]
)
def test_class_counts_match_sparql_count(stats, kg, cls):
    pattern = f'?x a jpllm:{cls} . FILTER(STRSTARTS(STR(?x), "{JPR}"))'
    assert stats["classes"][cls] == sparql_count(kg, pattern)


def test_class_counts_of_the_real_graph(stats):
    # 23 from the report, 36 base models the catalogue names (graph/catalogue-base-models.ttl),
    # 224 catalogue rows and 332 variants they list (graph/imported/ajl/)
    assert stats["classes"]["LanguageModel"] == 23 + 36 + 224 + 332
    assert stats["classes"]["Deployment"] == 9
    assert list(stats["classes"].values()) == sorted(stats["classes"].values(), reverse=True)


def test_lineage_depths(kg):
    assert lineage_depth(kg, JPR.takane) == 1
    assert lineage_depth(kg, JPR["chugoku-electric-power-llm"]) == 2
    assert lineage_depth(kg, JPR["tsuzumi-2"]) == 1
    assert lineage_depth(kg, JPR.tsuzumi) == 0
    assert lineage_depth(kg, JPR["plamo-2-2-prime"]) == 0


def test_lineage_roots_and_the_saved_lineage_query_agree(kg):
    result = lineage(kg)
    roots = {r["iri"]: (r["depth"], r["descendants"]) for r in result["roots"]}
    # the report's two roots, and the catalogue's foreign families (Qwen 2.5 and Llama 2 the
    # widest: 22 Japanese descendants each)
    assert roots["jpr:tsuzumi"] == (2, 3) and roots["jpr:command-r-plus"] == (1, 1)
    assert roots["jpr:qwen-2-5"] == (2, 22) and roots["jpr:llama-2"] == (1, 22)
    assert len(roots) == 39
    assert result["max_depth"] == 2
    derived = {r["iri"]: r["depth"] for r in result["models"]}
    for model, depth in derived.items():
        chain = Graph(kg).query("lineage", model=model)
        edges = nx.DiGraph((str(row["derived"]), str(row["ancestor"])) for row in chain)
        assert nx.dag_longest_path_length(edges) == depth, model  # a merge has two parents


def test_components_cover_the_relation_graph(kg):
    graph = relation_graph(kg)
    result = components(kg, graph)
    assert sum(result["sizes"]) == graph.number_of_nodes()
    assert result["count"] == nx.number_weakly_connected_components(graph)
    assert result["sizes"] == sorted(result["sizes"], reverse=True)
    assert result["isolated"] == sum(1 for n in graph if graph.degree(n) == 0)
    assert str(JPR["ref-20"]) not in graph and str(JPR.takane) in graph


def test_relation_graph_has_one_edge_per_relation_statement(kg):
    graph = relation_graph(kg)
    assert graph.has_edge(str(JPR.takane), str(JPR["command-r-plus"]), key="jpllm:baseModel")
    # asserted only: a co-developer (jpllm:coDeveloper) is a developer by inference, an edge of
    # its own kind in the relation graph
    rows = Graph(kg, inferred=False).sparql("SELECT ?x ?o WHERE { ?x jpllm:developer ?o }")
    developers = [(s, o) for s, o, k in graph.edges(keys=True) if k == "jpllm:developer"]
    assert len(rows) == len(developers) == 284  # 24 in the report's files, the rest imported
    assert {(str(r["x"]), str(r["o"])) for r in rows} == set(developers)


def test_most_deployed_models_count_every_deployment(kg):
    rows = {r["iri"]: r for r in deployments_per_model(kg)}
    # Sagamihara's; Kobe's cotomi is a title-only statement (reference 26's URL), not asserted
    assert rows["jpr:cotomi-family"]["deployments"] == 1
    # QommonsAI's (the report names the PLaMo family), and with its members PLaMo 翻訳's too
    assert rows["jpr:plamo-family"]["deployments"] == 1
    assert rows["jpr:plamo-family"]["including_members"] == 2
    assert "jpr:plamo-prime" not in rows  # named for QommonsAI only in titles (title-only)
    pairs = Graph(kg).sparql("SELECT ?d ?m WHERE { ?d a jpllm:Deployment ; jpllm:model ?m }")
    assert sum(r["deployments"] for r in rows.values()) == len(pairs)


def test_centrality_ranks_organizations_and_models(kg):
    result = centrality(kg, top=10)
    organizations = result["organizations"]["degree"]
    assert len(organizations) == 10
    # the Swallow project (46 catalogue rows) and PFN (report and catalogue)
    assert {r["iri"] for r in organizations[:2]} == {"jpr:ajl-org-swallow-project", "jpr:pfn"}
    degrees = [r["degree"] for r in organizations]
    assert degrees == sorted(degrees, reverse=True)
    graph = nx.Graph(ranking_graph(relation_graph(kg)).to_undirected())
    assert organizations[0]["degree"] == graph.degree(
        str(JPR[organizations[0]["iri"].removeprefix("jpr:")])
    )
    models = result["models"]["degree"]
    # the base of the most catalogue rows
    assert models[0]["iri"] == "jpr:llama-2" and models[0]["label"] == "Llama 2"
    between = [r["betweenness"] for r in result["models"]["betweenness"]]
    assert between == sorted(between, reverse=True) and 0 < between[0] <= 1


def test_organizations_with_most_relations(kg):
    rows = organization_relations(kg, top=3)
    assert len(rows) == 3
    assert rows[0]["relations"] == sum(rows[0]["by_relation"].values())
    pfn = next(r for r in organization_relations(kg, top=50) if r["iri"] == "jpr:pfn")
    developed = sparql_count(kg, "?x jpllm:developer jpr:pfn")
    assert pfn["by_relation"]["^jpllm:developer"] == developed


def test_stats_cli_json_and_table(cli):
    result = cli(*ROOT, "stats", "--format", "json", "--top", "3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["classes"]["LanguageModel"] == 23 + 36 + 224 + 332
    assert len(data["centrality"]["organizations"]["degree"]) == 3
    table = cli(*ROOT, "stats", "--lang", "ja")
    assert table.returncode == 0, table.stderr
    for heading in ("Entities per class", "Lineage roots", "Most-deployed models"):
        assert heading in table.stdout
    assert "PFN (jpr:pfn)" in table.stdout


def test_stats_cli_rejects_a_bad_top(cli):
    result = cli(*ROOT, "stats", "--top", "0")
    assert result.returncode == 2
    assert result.stderr.strip() == "jpllmkg: error: --top must be 1 or more, got 0."
