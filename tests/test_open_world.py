"""Open-world answers (issue 10 item 5): "domestic" and "has a foreign ancestor" are computed
once at load (jpllmkg.graph.inference) as true, false or unknown, and unknown is shown as unknown
everywhere: saved queries in every format, the API, the site, the views and the pictures."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph
import pytest
from browser import build_once
from conftest import REPO
from rdflib import Literal, URIRef

import jpllmkg
from jpllmkg.graph.inference import (
    COMPUTED_PROPERTIES,
    DOMESTIC,
    FOREIGN_ANCESTOR,
    FOREIGN_ANCESTOR_VIA,
    HAS_FOREIGN_ANCESTOR,
    INFERRED_GRAPH,
    answer,
    computed_facts,
    foreign_ancestry_paths,
    materialise,
)
from jpllmkg.graph.namespaces import JPR
from jpllmkg.publish import published
from jpllmkg.query.local import Graph
from jpllmkg.show.pictures import render_picture
from jpllmkg.show.views import build_view
from jpllmkg.site.html import entity_slug

GPT_5_2, TAKANE, COMMAND_R = str(JPR["gpt-5-2"]), str(JPR.takane), str(JPR["command-r-plus"])
NO_DEVELOPER = ("gpt-5-2", "gemini-3-pro", "claude-opus-4-5")
FROM_SCRATCH = ("tsuzumi-2", "plamo-2-2-prime", "sarashina", "stockmark-2-100b")
NO_MODEL = "jpr:deployment-digital-agency-gennai-rollout"


@pytest.fixture(scope="module")
def g(kg) -> Graph:
    return Graph(kg, max_rows=0)


# --------------------------------------------------------------------------- the computation


def test_no_developer_recorded_is_unknown_not_false(kg):
    for name in NO_DEVELOPER:
        model = kg.data.value(JPR[name], URIRef("https://w3id.org/jpllmkg/ontology#developer"))
        assert model is None, f"{name} now has a developer: update this test"
        assert answer(kg, JPR[name], DOMESTIC) is None
        assert answer(kg, JPR[name], HAS_FOREIGN_ANCESTOR) is None
    assert answer(kg, JPR.takane, DOMESTIC) is True
    assert answer(kg, JPR["command-r-plus"], DOMESTIC) is False  # Cohere, Canada


def test_takane_has_a_foreign_ancestor_through_command_r_plus(kg):
    assert answer(kg, JPR.takane, HAS_FOREIGN_ANCESTOR) is True
    assert foreign_ancestry_paths(kg, JPR.takane) == [[TAKANE, COMMAND_R]]
    inferred = kg.inferred
    assert set(inferred.objects(JPR.takane, URIRef(FOREIGN_ANCESTOR))) == {URIRef(COMMAND_R)}
    assert set(inferred.objects(JPR.takane, URIRef(FOREIGN_ANCESTOR_VIA))) == {URIRef(COMMAND_R)}


def test_from_scratch_domestic_models_have_no_foreign_ancestor(kg):
    for name in FROM_SCRATCH:
        assert answer(kg, JPR[name], DOMESTIC) is True, name
        assert answer(kg, JPR[name], HAS_FOREIGN_ANCESTOR) is False, name
    # built on tsuzumi 2 (from scratch, domestic) and recorded with that base: known to its end
    assert answer(kg, JPR["chugoku-electric-power-llm"], HAS_FOREIGN_ANCESTOR) is False
    # the first tsuzumi's approach is not recorded, so neither is what it may be built on
    assert answer(kg, JPR.tsuzumi, HAS_FOREIGN_ANCESTOR) is None
    assert answer(kg, JPR["tsuzumi-insurance"], HAS_FOREIGN_ANCESTOR) is None


def test_the_computed_facts_are_inferred_only_and_counted(kg):
    counted = sum(
        kg.inferred_counts[name]
        for name in (
            "domestic-true",
            "domestic-false",
            "foreign-ancestor-true",
            "foreign-ancestor-false",
            "foreign-ancestor-path",
        )
    )
    facts = list(computed_facts(kg))
    assert counted == len(facts) > 20
    for prop in COMPUTED_PROPERTIES:
        assert not list(kg.data.triples((None, URIRef(prop), None))), prop


def _store(triples: list[tuple[str, str, str]]) -> pyoxigraph.Store:
    """A store whose default graph holds the triples ('jpllm:x' / 'jpr:x' / 'wd:x' names)."""
    expand = {
        "jpllm:": "https://w3id.org/jpllmkg/ontology#",
        "jpr:": "https://w3id.org/jpllmkg/resource/",
        "wd:": "http://www.wikidata.org/entity/",
        "jpv:": "https://w3id.org/jpllmkg/vocab/",
        "a": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    }

    def node(name: str) -> pyoxigraph.NamedNode:
        if name == "a":
            return pyoxigraph.NamedNode(expand["a"])
        prefix, _, local = name.partition(":")
        return pyoxigraph.NamedNode(expand[prefix + ":"] + local)

    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(node(s), node(p), node(o)) for s, p, o in triples)
    return store


def _answers(store: pyoxigraph.Store, prop: str) -> dict[str, str]:
    graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
    return {
        q.subject.value.rsplit("/", 1)[-1]: q.object.value.rsplit("/", 1)[-1]
        for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(prop), None, graph)
    }


def test_the_definitions_on_a_small_lineage():
    models = ("m", "scratch", "tuned", "chain", "mixed", "half", "old", "orphan")
    store = _store(
        [(f"jpr:{m}", "a", "jpllm:LanguageModel") for m in (*models, "foreign")]
        + [
            ("jpr:jp", "jpllm:country", "wd:Q17"),
            ("jpr:us", "jpllm:country", "wd:Q30"),
            ("jpr:foreign", "jpllm:developer", "jpr:us"),
            ("jpr:scratch", "jpllm:developer", "jpr:jp"),
            ("jpr:scratch", "jpllm:developmentApproach", "jpv:approach-from-scratch"),
            # a from-scratch model is built on nothing, not even its previous version
            ("jpr:scratch", "jpllm:previousVersion", "jpr:foreign"),
            ("jpr:tuned", "jpllm:developer", "jpr:jp"),
            ("jpr:tuned", "jpllm:baseModel", "jpr:scratch"),
            # a foreign model two steps up, through a model whose origin is unknown
            ("jpr:chain", "jpllm:developer", "jpr:jp"),
            ("jpr:chain", "jpllm:baseModel", "jpr:orphan"),
            ("jpr:orphan", "jpllm:baseModel", "jpr:foreign"),
            # one developer in Japan is enough; a developer without a country decides nothing
            ("jpr:mixed", "jpllm:developer", "jpr:jp"),
            ("jpr:mixed", "jpllm:developer", "jpr:nowhere"),
            ("jpr:half", "jpllm:developer", "jpr:us"),
            ("jpr:half", "jpllm:developer", "jpr:nowhere"),
            # a next version of a model whose own lineage is not recorded
            ("jpr:old", "jpllm:developer", "jpr:jp"),
            ("jpr:m", "jpllm:developer", "jpr:jp"),
            ("jpr:m", "jpllm:previousVersion", "jpr:old"),
        ]
    )
    counts = materialise(store)
    domestic = _answers(store, DOMESTIC)
    assert domestic == {
        "foreign": "false",
        "scratch": "true",
        "tuned": "true",
        "chain": "true",
        "mixed": "true",
        "old": "true",
        "m": "true",
    }  # half (US + a developer of no recorded country) and orphan (no developer): unknown
    assert _answers(store, HAS_FOREIGN_ANCESTOR) == {
        "scratch": "false",
        "tuned": "false",
        "chain": "true",
        "orphan": "true",
    }  # m: its previous version's lineage is unknown; mixed, half, old: nothing recorded
    via = [
        (q.subject.value.rsplit("/", 1)[-1], q.object.value.rsplit("/", 1)[-1])
        for q in store.quads_for_pattern(
            None, pyoxigraph.NamedNode(FOREIGN_ANCESTOR_VIA), None, None
        )
    ]
    assert sorted(via) == [("chain", "orphan"), ("orphan", "foreign")]
    assert counts["domestic-false"] == 1 and counts["foreign-ancestor-false"] == 2
    assert sum(materialise(store).values()) == 0  # a second run adds nothing


# --------------------------------------------------------------------------- saved queries


def test_gpt_5_2_is_unknown_in_every_format(cli):
    table = cli("query", "domestic-and-foreign-models").stdout
    block = table[table.index("(jpr:gpt-5-2)") :].split("-[ row")[0]
    assert "domestic         unknown" in block and "foreignAncestor  unknown" in block

    rows = list(
        csv.DictReader(
            io.StringIO(cli("query", "domestic-and-foreign-models", "--format", "csv").stdout)
        )
    )
    (gpt,) = [r for r in rows if r["model"] == GPT_5_2]
    assert (gpt["domestic"], gpt["foreignAncestor"], gpt["developer"]) == ("unknown", "unknown", "")
    takane = {r["domestic"] for r in rows if r["model"] == TAKANE}
    assert takane == {"true"}

    document = json.loads(cli("query", "domestic-and-foreign-models", "--format", "json").stdout)
    (cell,) = [b for b in document["results"]["bindings"] if b["model"]["value"] == GPT_5_2]
    assert cell["domestic"] == {"type": "literal", "value": "unknown"}
    assert cell["foreignAncestor"] == {"type": "literal", "value": "unknown"}
    booleans = {
        (b["domestic"]["value"], b["domestic"].get("datatype"))
        for b in document["results"]["bindings"]
        if b["model"]["value"] != GPT_5_2 and b["domestic"]["value"] != "unknown"
    }
    xsd_boolean = "http://www.w3.org/2001/XMLSchema#boolean"
    assert booleans == {("true", xsd_boolean), ("false", xsd_boolean)}

    markdown = cli("query", "domestic-and-foreign-models", "--format", "md").stdout
    (line,) = [ln for ln in markdown.splitlines() if "(jpr:gpt-5-2)" in ln]
    assert line.rstrip().endswith("| unknown | unknown |")


def test_gpt_5_2_is_unknown_through_the_api():
    api = jpllmkg.load(REPO)
    rows = {r["model"]: r for r in api.query("domestic-and-foreign-models").records()}
    assert rows["jpr:gpt-5-2"]["domestic"] == "unknown"
    assert rows["jpr:gpt-5-2"]["foreignAncestor"] == "unknown"
    assert rows["jpr:takane"]["domestic"] is True and rows["jpr:takane"]["foreignAncestor"] is True
    standings = {r["model"]: r["domestic"] for r in api.query("benchmark-standings").records()}
    assert {standings[f"jpr:{name}"] for name in NO_DEVELOPER} == {"unknown"}
    (gap,) = api.query("benchmark-gap").records()
    assert (gap["bestOther"], gap["otherDomestic"]) == ("jpr:gpt-5-2", "unknown")


def test_a_deployment_with_no_model_has_an_unknown_foreign_ancestor(g, cli):
    rows = {r["deployment"]: r for r in g.query("public-sector-deployments").records()}
    assert rows[NO_MODEL]["model"] is None
    assert rows[NO_MODEL]["foreignAncestor"] == "unknown"
    csv_rows = csv.DictReader(
        io.StringIO(cli("query", "public-sector-deployments", "--format", "csv").stdout)
    )
    (row,) = [r for r in csv_rows if r["deployment"].endswith("gennai-rollout")]
    assert (row["model"], row["foreignAncestor"]) == ("", "unknown")


def test_asserted_only_has_no_computed_answer(kg):
    asserted = Graph(kg, max_rows=0, inferred=False)
    rows = {r["model"]: r for r in asserted.query("domestic-and-foreign-models").records()}
    assert rows["jpr:takane"]["domestic"] == rows["jpr:takane"]["foreignAncestor"] == "unknown"


def test_push_and_serve_publish_the_computed_facts(kg):
    data, count = published(kg)
    facts = set(computed_facts(kg))
    assert count == len(kg.data) + len(facts)
    assert (JPR.takane, URIRef(DOMESTIC), Literal(True)) in facts
    assert f"<{TAKANE}> <{HAS_FOREIGN_ANCESTOR}> ".encode() in data
    assert f"<{GPT_5_2}> <{DOMESTIC}>".encode() not in data  # unknown: no statement at all


# --------------------------------------------------------------------------- views, pictures


def test_views_and_pictures_show_unknown(kg):
    lineage = build_view(kg, "lineage")
    node = lineage.nodes[GPT_5_2]
    assert node["group"] == "unknown-origin"
    assert "origin: unknown" in node["title"] and "foreign ancestor: unknown" in node["title"]
    assert "foreign ancestor: yes (Takane → Command R+)" in lineage.nodes[TAKANE]["title"]
    assert "foreign ancestor: no" in lineage.nodes[str(JPR["tsuzumi-2"])]["title"]
    legend = lineage.graph["legend"]["unknown-origin"]
    assert legend.startswith("model of unknown origin")
    svg = render_picture(lineage, lineage.graph["title"], "svg").decode()
    assert f"<!-- {legend} -->" in svg
    ja = build_view(kg, "lineage", lang="ja")
    assert "区分: 不明" in ja.nodes[GPT_5_2]["title"]
    assert "海外由来の祖先: 不明" in ja.nodes[GPT_5_2]["title"]
    svg_ja = render_picture(ja, ja.graph["title"], "svg", lang="ja").decode()
    assert f"<!-- {ja.graph['legend']['unknown-origin']} -->" in svg_ja
    assert ja.graph["legend"]["unknown-origin"].startswith("開発国不明")


# --------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict:
    base = tmp_path_factory.getbasetemp()
    built = {
        "en": build_once("real", REPO, base),
        "ja": build_once("real-ja", REPO, base, "--lang", "ja"),
    }
    for lang, site in built.items():
        assert site.returncode == 0, lang + site.stdout[-3000:] + site.stderr[-3000:]
    return built


def _page(sites, lang: str, name: str) -> str:
    path = sites[lang].dist / "entities" / f"{entity_slug(JPR[name])}.html"
    return path.read_text(encoding="utf-8")


def test_entity_pages_show_unknown(sites):
    gpt = _page(sites, "en", "gpt-5-2")
    section = gpt[gpt.index("<h2>Computed facts</h2>") :]
    assert '<span class="answer unknown">unknown</span>' in section.split("</table>")[0]
    assert section.split("</table>")[0].count("answer unknown") == 2
    takane = _page(sites, "en", "takane")
    computed = takane[takane.index("<h2>Computed facts</h2>") :].split("</table>")[0]
    assert computed.count('<span class="answer yes">yes</span>') == 2
    assert 'href="../entities/command-r-plus.html"' in computed
    tsuzumi = _page(sites, "en", "tsuzumi-2")
    assert '<span class="answer no">no</span>' in tsuzumi
    gpt_ja = _page(sites, "ja", "gpt-5-2")
    section_ja = gpt_ja[gpt_ja.index("<h2>算出された事実</h2>") :].split("</table>")[0]
    assert section_ja.count('<span class="answer unknown">不明</span>') == 2
    family = _page(sites, "en", "gpt-family")
    assert (
        family[family.index("<h2>Computed facts</h2>") :]
        .split("</table>")[0]
        .count("answer unknown")
        == 1
    )  # a family has an origin, not an ancestry
    assert "Computed facts" not in _page(sites, "en", "fujitsu")
