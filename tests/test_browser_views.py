"""The interactive graph views in real headless Chromium: readable labels at the first view,
legend and filter toggles, search, a click that opens the entity page, a narrow window, and
hostile labels kept as text.

The real graph's views are written the way the site writes them (jpllmkg.site.views.write_views
with the planned entity pages) into a temporary folder, without building the rest of the site.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import conftest
import pytest
from browser import Browser
from conftest import FIXTURES

from jpllmkg.graph.loader import load
from jpllmkg.graph.project import find_project

READY = "window.jpllmkgView && window.jpllmkgView.ready"
MIN_LABEL_PX = 11


@pytest.fixture(scope="module")
def dist(kg, tmp_path_factory) -> Path:
    """views/<view>.html of the real graph as the site has them (linking the bundled
    assets/views.js and .css), with links to the entity pages (not written)."""
    from jpllmkg.show.web_assets import copy_bundle
    from jpllmkg.site.entities import plan_entity_pages
    from jpllmkg.site.html import Site
    from jpllmkg.site.views import write_views

    out = tmp_path_factory.mktemp("views-site")
    site = Site(kg=kg, lang="en", out=out)
    plan_entity_pages(site)
    write_views(site, lambda number, total: None)
    copy_bundle(out / "assets")
    return out


def page_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="jpllmkg-data">(.*?)</script>', text)
    return json.loads(match.group(1))


def open_view(browser: Browser, path: Path, width: int = 1400, height: int = 1000):
    browser.driver.set_window_size(width, height)
    visit = browser.visit(path, READY)
    severe = [entry for entry in visit.console if entry.get("level") == "SEVERE"]
    assert not severe, f"{path}: console errors {severe}"
    return visit


def label_px(browser: Browser) -> float:
    """The on-screen size of a node label: the zoom times the label font size."""
    return browser.js(
        "return network.getScale() * JSON.parse("
        "document.getElementById('jpllmkg-data').textContent).options.nodes.font.size;"
    )


def wait_for(browser: Browser, expression: str, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while not browser.js(f"return !!({expression});"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression} did not become true within {timeout} s")
        time.sleep(0.05)


def search(browser: Browser, text: str) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = browser.driver.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text, Keys.ENTER)
    return browser.js("return document.getElementById('search-status').textContent;")


@pytest.mark.parametrize("view", ["ecosystem", "lineage", "adoption"])
def test_labels_are_readable_at_the_first_view(browser: Browser, dist: Path, view: str):
    open_view(browser, dist / "views" / f"{view}.html")
    px = label_px(browser)
    assert px >= MIN_LABEL_PX - 0.01, f"{view}: labels are {px:.1f} px on screen"
    # the first view is not empty: some nodes lie inside the drawing area
    inside = browser.js(
        """const box = document.getElementById('network').getBoundingClientRect();
        const positions = network.getPositions();
        return Object.values(positions).filter(p => { const d = network.canvasToDOM(p);
          return d.x >= 0 && d.y >= 0 && d.x <= box.width && d.y <= box.height; }).length;"""
    )
    assert inside >= 3, view
    if view == "ecosystem":
        browser.screenshot("views-ecosystem-first-view")


def test_a_legend_entry_hides_and_shows_its_nodes(browser: Browser, dist: Path):
    from selenium.webdriver.common.by import By

    path = dist / "views" / "ecosystem.html"
    nodes = page_data(path)["nodes"]
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["group"]] = counts.get(node["group"], 0) + 1
    group = max(counts, key=counts.get)
    open_view(browser, path)
    assert browser.js("return window.jpllmkgView.visible;") == len(nodes)
    button = browser.driver.find_element(By.CSS_SELECTOR, f'#legend button[data-group="{group}"]')
    button.click()
    assert browser.js("return window.jpllmkgView.visible;") == len(nodes) - counts[group]
    assert button.get_attribute("aria-pressed") == "false"
    shown = browser.driver.find_element(By.ID, "shown").text
    assert shown == f"{len(nodes) - counts[group]} of {len(nodes)} nodes shown"
    hidden = browser.js(
        "return window.network.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id);"
    )
    assert sorted(hidden) == sorted(n["id"] for n in nodes if n["group"] == group)
    button.click()
    assert browser.js("return window.jpllmkgView.visible;") == len(nodes)


def test_sector_and_status_filters_keep_the_matching_nodes(browser: Browser, dist: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    path = dist / "views" / "adoption.html"
    nodes = page_data(path)["nodes"]
    sectors = sorted({s for n in nodes for s in n.get("sectors", ())})
    statuses = sorted({n["status"] for n in nodes if "status" in n})
    assert sectors and statuses
    open_view(browser, path)
    sector = max(sectors, key=lambda s: sum(s in n.get("sectors", ()) for n in nodes))
    Select(browser.driver.find_element(By.ID, "filter-sector")).select_by_value(sector)
    keep = [n for n in nodes if "sectors" not in n or sector in n["sectors"]]
    assert 0 < len(keep) < len(nodes)
    assert browser.js("return window.jpllmkgView.visible;") == len(keep)
    status = statuses[0]
    Select(browser.driver.find_element(By.ID, "filter-status")).select_by_value(status)
    keep = [n for n in keep if n.get("status", status) == status]
    assert browser.js("return window.jpllmkgView.visible;") == len(keep)
    browser.screenshot("views-adoption-filtered")
    browser.driver.find_element(By.ID, "reset").click()
    assert browser.js("return window.jpllmkgView.visible;") == len(nodes)


def test_search_finds_a_node_by_label_and_says_when_nothing_matches(browser: Browser, dist: Path):
    path = dist / "views" / "ecosystem.html"
    nodes = page_data(path)["nodes"]
    open_view(browser, path)
    assert "No node matches" in search(browser, "zzzz-nothing")
    takane = next(n for n in nodes if n["name"] == "Takane")
    # case and width do not matter (NFKC): full-width "ＴＡＫＡＮＥ" finds Takane
    status = search(browser, "ＴＡＫＡＮＥ")
    assert status.startswith("Takane")
    assert browser.js("return window.network.getSelectedNodes();") == [takane["id"]]
    assert (
        browser.js("return document.querySelector('#search-status a').getAttribute('href');")
        == (takane["href"])
    )


def test_a_click_on_a_node_opens_its_entity_page(browser: Browser, dist: Path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    path = dist / "views" / "ecosystem.html"
    nodes = {n["id"]: n for n in page_data(path)["nodes"]}
    assert all(n["href"].startswith("../entities/") for n in nodes.values())
    open_view(browser, path)
    # the node drawn at the middle of the drawing area (the first view centres on one)
    hit = browser.js(
        """const box = document.getElementById('network').getBoundingClientRect();
        return network.getNodeAt({x: Math.round(box.width / 2), y: Math.round(box.height / 2)});"""
    )
    assert hit in nodes
    target = (path.parent / nodes[hit]["href"]).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("<!DOCTYPE html><title>entity</title>", encoding="utf-8")
    ActionChains(browser.driver).move_to_element(
        browser.driver.find_element(By.ID, "network")
    ).click().perform()
    wait_for(browser, f"location.href === {json.dumps(target.as_uri())}")


def test_a_narrow_window_has_no_horizontal_scroll(browser: Browser, dist: Path):
    for view in ("ecosystem", "adoption"):
        open_view(browser, dist / "views" / f"{view}.html", width=420, height=900)
        width = browser.js("return window.innerWidth;")
        assert width <= 420
        assert browser.js("return document.documentElement.scrollWidth;") <= width, view
        # the legend and filters are below the network, not beside it
        below = browser.js(
            "return document.getElementById('panel').getBoundingClientRect().top >= "
            "document.getElementById('network').getBoundingClientRect().bottom - 1;"
        )
        assert below, view
        assert label_px(browser) >= MIN_LABEL_PX - 0.01
    browser.screenshot("views-adoption-420px")
    browser.driver.set_window_size(1400, 1000)


def test_japanese_view_says_when_nothing_matches(browser: Browser, kg, tmp_path: Path):
    from jpllmkg.show.views import build_view
    from jpllmkg.show.viz_html import write_html

    graph = build_view(kg, "adoption", lang="ja")
    write_html(graph, tmp_path / "adoption.html", graph.graph["title"], lang="ja")
    open_view(browser, tmp_path / "adoption.html")
    assert "該当するノードはありません" in search(browser, "zzzz-nothing")
    total = graph.number_of_nodes()
    shown = browser.js("return document.getElementById('shown').textContent;")
    assert shown == f"{total} ノード中 {total} を表示"


def test_hostile_labels_stay_text_and_bad_links_are_dropped(browser: Browser, tmp_path: Path):
    from jpllmkg.show.views import build_view
    from jpllmkg.show.viz_html import write_html

    root = tmp_path / "hostile"
    shutil.copytree(conftest.REPO / "ontology", root / "ontology")
    (root / "graph").mkdir()
    shutil.copy(FIXTURES / "viz" / "hostile.ttl", root / "graph")
    kg = load(find_project(root=root))
    graph = build_view(kg, "ego", focus="jpr:hostile-company", depth=1)
    ids = sorted(graph.nodes)
    pages = {
        ids[0]: "javascript:alert(7)",
        ids[1]: "//evil.example/x",
        ids[2]: "https://ok.example/",
    }
    page = tmp_path / "ego.html"
    write_html(graph, page, "<img src=x onerror=alert(0)>", pages=pages)
    hrefs = {n["id"]: n.get("href") for n in page_data(page)["nodes"]}
    assert hrefs == {ids[0]: None, ids[1]: None, ids[2]: "https://ok.example/"}
    open_view(browser, page)
    label = "<img src=x onerror=alert(1)>"
    assert search(browser, label).startswith(label)
    assert browser.js("return document.querySelectorAll('img, svg').length;") == 0
    assert browser.js("return document.querySelector('h1').textContent;") == (
        "<img src=x onerror=alert(0)>"
    )


def test_a_date_range_hides_the_nodes_dated_outside_it(browser: Browser, tmp_path: Path):
    """No view of the real graph dates its nodes yet; a view graph whose nodes carry ``date``
    gets the date filters (undated nodes stay)."""
    import networkx as nx

    from jpllmkg.show.viz_html import write_html

    graph = nx.MultiDiGraph(view="test", legend={"Thing": "thing"}, layout="force")
    dates = {"a": "2023-05-01", "b": "2024-02", "c": "2025", "d": None}
    for name, date in dates.items():
        attrs = {"label": name, "cls": "Thing", "title": name, "group": "Thing"}
        graph.add_node(name, **attrs, **({"date": date} if date else {}))
    graph.add_edge("a", "b", label="next", kind="next")
    page = tmp_path / "dated.html"
    write_html(graph, page, "dated")
    open_view(browser, page)

    def set_date(name: str, value: str) -> int:
        browser.js(
            f"const f = document.getElementById('filter-{name}'); f.value = '{value}';"
            "f.dispatchEvent(new Event('change'));"
        )
        return browser.js("return window.jpllmkgView.visible;")

    assert set_date("from", "2024-01-01") == 3  # a (2023) hidden
    assert set_date("to", "2024-12-31") == 2  # c (2025) hidden too; d has no date
    assert set_date("from", "") == 3
