"""Graph views (jpllmkg.show.views) and their offline HTML pages (jpllmkg.show.viz_html), on the
real graph."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from conftest import FIXTURES, REPO

from jpllmkg.errors import UsageError
from jpllmkg.graph.loader import load
from jpllmkg.graph.namespaces import JPLLM, JPR
from jpllmkg.graph.project import find_project
from jpllmkg.query.local import Graph
from jpllmkg.show.catalogue import VIEWS
from jpllmkg.show.views import BUILDERS, build_view, view_title
from jpllmkg.show.viz_html import render_html, wrap_label, write_html
from jpllmkg.show.web_assets import bundled_text
from jpllmkg.site.views import VIEW_PAGES

ROOT = ("--root", str(REPO))
TAKANE, COMMAND_R = str(JPR.takane), str(JPR["command-r-plus"])
TSUZUMI, TSUZUMI_2 = str(JPR.tsuzumi), str(JPR["tsuzumi-2"])


@pytest.fixture(scope="module")
def views(kg) -> dict:
    return {
        view: build_view(kg, view, focus="jpr:pfn" if view == "ego" else None) for view in VIEWS
    }


def edge_labels(graph, source: str, target: str) -> set[str]:
    return {d["label"] for d in graph.get_edge_data(source, target, default={}).values()}


def test_the_four_views_are_named_and_each_has_its_builder():
    assert list(VIEWS) == ["ecosystem", "lineage", "adoption", "ego"]
    assert set(BUILDERS) == set(VIEWS)
    assert VIEW_PAGES == ("ecosystem", "lineage", "adoption")  # ego needs a focus


def test_viz_help_lists_every_view_with_what_it_shows(cli):
    result = cli("viz", "--help")
    for view in VIEWS.values():
        assert f"  {view.name}" in result.stdout and view.text("about", "en") in result.stdout


def test_every_node_and_edge_carries_the_promised_attributes(views):
    for view, graph in views.items():
        assert graph.number_of_nodes() > 5, view
        for node, attrs in graph.nodes(data=True):
            assert {"label", "cls", "title", "group", "color", "shape"} <= attrs.keys(), node
            assert attrs["label"] and attrs["title"].startswith(attrs["title"].split("\n")[0])
        for _, _, attrs in graph.edges(data=True):
            assert attrs["label"] and attrs["kind"]


def test_lineage_edges_are_labelled_by_derivation_kind(views, kg):
    lineage = views["lineage"]
    assert edge_labels(lineage, TAKANE, COMMAND_R) == {"joint development"}
    assert edge_labels(lineage, TSUZUMI_2, TSUZUMI) == {"next version"}
    chugoku = str(JPR["chugoku-electric-power-llm"])
    assert edge_labels(lineage, chugoku, TSUZUMI_2) == {"domain specialisation"}
    assert edge_labels(lineage, TSUZUMI_2, str(JPR["tsuzumi-family"])) == {"belongs to family"}
    ja = build_view(kg, "lineage", lang="ja")
    assert edge_labels(ja, TAKANE, COMMAND_R) == {"共同開発"}
    assert edge_labels(ja, TSUZUMI_2, TSUZUMI) == {"次バージョン"}


def test_lineage_has_every_model_and_positions_for_a_tree(views, kg):
    lineage = views["lineage"]
    # every model but the variants a catalogue row lists (they are on the row's page)
    models = Graph(kg).sparql(
        "SELECT ?m WHERE { ?m a jpllm:LanguageModel FILTER NOT EXISTS { ?m jpllm:variantOf ?r } }"
    )
    assert len(models) == 23 - 1 + 36 + 224  # qwq-bakeneko-32b is a variant of a catalogue row
    assert {str(row["m"]) for row in models} <= set(lineage)
    assert str(JPR["qwq-bakeneko-32b"]) in lineage  # a report model listed as a variant stays
    assert lineage.graph["layout"] == "fixed"
    y = {n: a["y"] for n, a in lineage.nodes(data=True)}
    assert y[str(JPR["tsuzumi-family"])] < y[TSUZUMI] < y[TSUZUMI_2]
    assert y[COMMAND_R] < y[TAKANE]


def test_domestic_and_foreign_are_computed_like_the_saved_query(views, kg):
    lineage = views["lineage"]
    assert lineage.nodes[TAKANE]["group"] == "domestic"
    assert lineage.nodes[COMMAND_R]["group"] == "foreign"
    assert lineage.nodes[str(JPR["gpt-5-2"])]["group"] == "unknown-origin"
    rows = Graph(kg).query("domestic-and-foreign-models").records()
    groups = {True: "domestic", False: "foreign", "unknown": "unknown-origin"}
    for row in rows:
        iri = JPR[row["model"].removeprefix("jpr:")]
        if str(iri) not in lineage:  # a variant a catalogue row lists: on the row's page
            assert (iri, JPLLM.variantOf, None) in kg.data, row
            continue
        node = lineage.nodes[str(iri)]
        assert node["group"] == groups[row["domestic"]], row
    assert {row["domestic"] for row in rows} == set(groups)


def test_tooltip_has_both_labels_key_attributes_and_sources(views, kg):
    title = views["lineage"].nodes[TAKANE]["title"]
    for text in (
        "Takane",
        "jpr:takane",
        "developer: Fujitsu",
        "100 billion parameters",
        "estimated",
        "domestic",
    ):
        assert text in title
    assert "[20] 世界一の日本語性能を持つ企業向け大規模言語モデル「Takane」を提供開始" in title
    fujitsu = build_view(kg, "ego", focus="jpr:fujitsu", depth=0, lang="ja").nodes[str(JPR.fujitsu)]
    assert fujitsu["title"].startswith("富士通 / Fujitsu")
    assert "出典:" in fujitsu["title"]


def test_ego_of_pfn_reaches_its_models_in_both_directions(kg):
    one = build_view(kg, "ego", focus="jpr:pfn", depth=1)
    assert str(JPR["plamo-2-2-prime"]) in one
    assert str(JPR["geniac-phase-3"]) in one  # the programme points to PFN (participant)
    assert one.graph["focus"] == str(JPR.pfn)
    assert set(build_view(kg, "ego", focus="jpr:pfn", depth=0)) == {str(JPR.pfn)}
    two = build_view(kg, "ego", focus="https://w3id.org/jpllmkg/resource/pfn", depth=2)
    assert set(one) < set(two)
    assert not any(a["cls"] == "Source" for _, a in two.nodes(data=True))


def test_ego_of_a_source_shows_what_cites_it(kg):
    graph = build_view(kg, "ego", focus="jpr:ref-20", depth=1)
    assert {TAKANE, str(JPR["derivation-takane-command-r-plus"])} <= set(graph)


def test_ecosystem_holds_the_ecosystem_classes_and_no_provenance(views):
    classes = {a["cls"] for _, a in views["ecosystem"].nodes(data=True)}
    expected = {
        "Company", "GovernmentBody", "LocalGovernment", "JointVenture", "LanguageModel",
        "ModelFamily", "Platform", "Deployment", "FundingProgramme", "Law", "GovernmentPlan",
        "Initiative", "PublicCall", "Budget", "SupportPlan",
    }  # fmt: skip
    assert expected <= classes
    assert not classes & {"Source", "Discrepancy", "TitleOnlyStatement", "Claim", "Concept"}
    ecosystem = views["ecosystem"]
    assert all(ecosystem.degree(n) > 0 for n in ecosystem)


def test_adoption_has_every_deployment_with_adopter_model_and_sector(views, kg):
    adoption = views["adoption"]
    deployments = Graph(kg).sparql("SELECT ?d WHERE { ?d a jpllm:Deployment }")
    assert len(deployments) == 9
    assert {str(row["d"]) for row in deployments} <= set(adoption)
    sagamihara = str(JPR["deployment-sagamihara-cotomi"])
    assert adoption.nodes[sagamihara]["group"] == "status-production"
    assert edge_labels(adoption, sagamihara, str(JPR.sagamihara)) == {"adopter"}
    assert edge_labels(adoption, sagamihara, str(JPR["cotomi-family"])) == {"model used"}
    sector = "https://w3id.org/jpllmkg/vocab/sector-local-government"
    assert adoption.nodes[sector]["group"] == "sector"
    assert adoption.graph["legend"]["status-poc"] == "deployment: proof of concept"


def test_focus_cuts_a_view_to_the_neighbourhood(kg):
    graph = build_view(kg, "lineage", focus="jpr:tsuzumi", depth=2)
    assert {TSUZUMI, TSUZUMI_2, str(JPR["chugoku-electric-power-llm"])} <= set(graph)
    assert TAKANE not in graph
    assert graph.graph["title"].endswith("tsuzumi (first generation)")


@pytest.mark.parametrize(
    ("view", "focus", "depth", "message"),
    [
        ("nope", None, 2, "unknown view 'nope'; choose one of: ecosystem, lineage"),
        ("ego", None, 2, "the ego view needs --focus"),
        ("ego", "jpr:pfnn", 2, "Did you mean jpr:pfn?"),
        ("ego", "not an iri", 2, "unknown entity 'not an iri'"),
        ("ego", "jpr:pfn", -1, "--depth must be 0 or more"),
        ("lineage", "jpr:pfn", 2, "jpr:pfn is not part of the lineage view"),
    ],
)
def test_bad_views_and_focus_are_usage_errors(kg, view, focus, depth, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        build_view(kg, view, focus=focus, depth=depth)


def test_view_titles_in_both_languages(kg):
    assert view_title(kg, "lineage", lang="ja") == "モデルの系譜（ベース・版・系列）"
    assert view_title(kg, "ego", JPR.pfn, lang="en") == "Neighbourhood of Preferred Networks"


def test_wrap_label_breaks_latin_at_spaces_and_japanese_anywhere():
    assert wrap_label("Chugoku Electric Power business-specific LLM", 22) == (
        "Chugoku Electric Power\nbusiness-specific LLM"
    )
    assert wrap_label("中国電力の業務特化型 LLM", 10) == "中国電力の\n業務特化型\nLLM"
    assert wrap_label("a " * 40, 10, max_lines=2).endswith("…")


class Links(HTMLParser):
    """Every src and href attribute, and each script element's text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name in ("src", "href")]


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="jpllmkg-data">(.*?)</script>', page)
    return json.loads(match.group(1))


@pytest.mark.parametrize("view", VIEWS)
def test_page_is_self_contained_with_vis_network_inline(views, view):
    graph = views[view]
    page = render_html(graph, graph.graph["title"])
    parser = Links()
    parser.feed(page)
    assert not [link for link in parser.links if re.match(r"\s*(https?:)?//", link)]
    assert "link" not in parser.tags
    assert (
        "vis-network" in page and bundled_text("views.js").replace("</script", "<\\/script") in page
    )
    assert "window.jpllmkgView" in page and "window.network" in page
    data = page_data(page)
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
    assert page.count('<li data-group="') == len({a["group"] for _, a in graph.nodes(data=True)})


def test_japanese_page_has_japanese_chrome(kg):
    graph = build_view(kg, "adoption", lang="ja")
    page = render_html(graph, graph.graph["title"], lang="ja")
    assert '<html lang="ja">' in page and "凡例" in page and "相模原市" in page


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "graph").mkdir()
    shutil.copy(FIXTURES / "viz" / "hostile.ttl", root / "graph")
    return load(find_project(root=root))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_hostile_labels_are_carried_as_text_never_markup(hostile, lang):
    graph = build_view(hostile, "ego", focus="jpr:hostile-company", depth=1, lang=lang)
    title = "<img src=x onerror=alert(0)></title></script>"
    page = render_html(graph, title, lang=lang)
    for raw in ("<img src=", "<svg onload", "<script>alert", "</script><script>", "<i>title"):
        assert raw not in page
    parser = Links()
    parser.feed(page)
    assert parser.tags.count("script") == 2 and "img" not in parser.tags
    assert "<title>&lt;img src=x onerror=alert(0)&gt;&lt;/title&gt;" in page
    data = page_data(page)
    names = {n["name"] for n in data["nodes"]}
    if lang == "en":
        hostile_names = {"<img src=x onerror=alert(1)>", 'Model "quoted" & <svg onload=alert(4)>'}
        assert names == hostile_names | {"Japan"}
    else:
        assert "</script><script>alert(2)</script>" in names
    tooltips = " ".join(n["title"] for n in data["nodes"])
    assert "[1] <i>title</i> </script><script>alert(3)</script>" in tooltips
    assert "textContent" in page and "innerHTML" not in page.split("jpllmkg-data")[-1]


def test_write_html_is_atomic_and_leaves_no_temp_file(views, tmp_path):
    target = tmp_path / "out" / "lineage.html"
    write_html(views["lineage"], target, "lineage")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["lineage.html"]


def test_cli_writes_the_view_and_prints_its_path(cli, tmp_path):
    result = cli(*ROOT, "viz", "ego", "--focus", "jpr:pfn", "--depth", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ego.html"
    page = (tmp_path / "ego.html").read_text(encoding="utf-8")
    assert "PLaMo 2.2 Prime" in page
    out = tmp_path / "views" / "lineage-ja.html"
    result = cli(*ROOT, "viz", "lineage", "--lang", "ja", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == str(out)
    assert "次バージョン" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["viz", "galaxy"], "unknown view 'galaxy'"),
        (["viz", "ego"], "the ego view needs --focus"),
        (["viz", "ego", "--focus", "jpr:nobody"], "unknown entity 'jpr:nobody'"),
        (["viz", "lineage", "--format", "png", "--out", "x.svg"], "does not match"),
        (["viz", "lineage", "--depth", "x"], "invalid int value"),
    ],
)
def test_cli_errors_exit_2_with_one_clear_message(cli, tmp_path, args, message):
    result = cli(*ROOT, *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("folder", ["graph", "ontology", "queries"])
def test_viz_never_writes_into_a_source_folder(cli, make_project, folder):
    root = make_project(with_real_graph=True)
    before = sorted(p.name for p in (root / folder).iterdir())
    result = cli("--root", str(root), "viz", "lineage", "--out", str(root / folder / "x.ttl"))
    assert result.returncode == 2, result.stderr
    assert f"inside the project's {folder}/ folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (root / folder).iterdir()) == before


def test_missing_npm_packages_are_a_clear_error(monkeypatch, tmp_path):
    from jpllmkg.errors import UsageError
    from jpllmkg.show import web_assets

    monkeypatch.setattr(web_assets, "WEB", tmp_path)
    web_assets.bundle_folder.cache_clear()
    try:
        with pytest.raises(UsageError, match=r"npm ci --prefix .*node >= 18"):
            web_assets.bundle_folder()
    finally:
        web_assets.bundle_folder.cache_clear()
