"""The built site in real headless Chromium, opened from file:// with no network.

Each page must load without console errors and request nothing but file:, data: and about:
URLs; the views must draw as many nodes as the view graph has; labels holding HTML must show
as text and never run. Screenshots are kept in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import (
    INSTALL_HINT,
    Browser,
    Built,
    build_once,
    file_of,
    xss_project,
)
from conftest import REPO

from jpllmkg.show.views import build_view

# blob: URLs are made in the page (the engine's worker, downloads): memory, not the network.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:file:", "blob:null")
DONE = "['done', 'failed'].includes(document.body.dataset.state)"
VIEW_READY = "window.jpllmkgView && window.jpllmkgView.ready"
SAMPLE_PAGES = (
    "entities/takane.html",
    "entities/sagamihara.html",
    "entities/ref-20.html",
    "entities/discrepancy-sarashina-developer.html",
    "entities/index.html",
    "queries/index.html",
    "queries/lineage.html",
    "queries/deployments.html",
    "queries/federated-organization-facts.html",
    "sources/index.html",
    "validation.html",
    "ontology/index.html",
    "ontology/module-transcription.html",
    "ontology/vocabularies.html",
)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Built:
    built = build_once("real", REPO, tmp_path_factory.getbasetemp())
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return built


def open_clean(browser: Browser, page: Path, ready: str = "true"):
    """Open a page and check it logged no error and requested nothing off the machine."""
    visit = browser.visit(page, ready)
    assert not visit.errors, f"{page}: console errors {visit.errors}"
    remote = [url for url in visit.requests if not url.startswith(LOCAL_SCHEMES)]
    assert not remote, f"{page}: requested {remote}"
    assert visit.requests, f"{page}: the performance log recorded no request at all"
    return visit


def broken_links(browser: Browser) -> list[str]:
    """The page's file:// links whose file does not exist."""
    hrefs = browser.js("return Array.from(document.links, a => a.href);")
    return [h for h in hrefs if (path := file_of(h)) is not None and not path.is_file()]


def test_index_opens_offline_with_working_links(browser: Browser, site: Built):
    open_clean(browser, site.dist / "index.html")
    browser.screenshot("index")
    text = browser.js("return document.body.innerText;")
    assert "What the graph holds" in text and "language model" in text
    assert browser.js("return document.links.length;") > 40
    assert broken_links(browser) == []


@pytest.mark.parametrize("view", ["ecosystem", "lineage", "adoption"])
def test_view_draws_every_node_of_the_view_graph(browser: Browser, site: Built, kg, view: str):
    expected = build_view(kg, view, lang="en").number_of_nodes()
    assert expected > 5
    open_clean(browser, site.dist / "views" / f"{view}.html", VIEW_READY)
    browser.screenshot(f"view-{view}")
    assert browser.js("return window.jpllmkgView.nodes;") == expected
    drawn = browser.js("return Object.keys(window.network.getPositions()).length;")
    assert drawn == expected


@pytest.mark.parametrize("page", SAMPLE_PAGES)
def test_sample_pages_open_offline_with_working_links(browser: Browser, site: Built, page: str):
    open_clean(browser, site.dist / page)
    assert broken_links(browser) == []
    if page in (
        "entities/takane.html",
        "entities/sagamihara.html",
        "queries/lineage.html",
        "ontology/index.html",
    ):
        browser.screenshot(page.replace("/", "-").removesuffix(".html"))


def test_japanese_site_renders_with_a_cjk_font(browser: Browser, tmp_path_factory):
    built = build_once("ja", REPO, tmp_path_factory.getbasetemp(), "--lang", "ja")
    assert built.returncode == 0, built.stderr[-3000:]
    open_clean(browser, built.dist / "entities" / "sagamihara.html")
    browser.screenshot("ja-entity-sagamihara")
    assert "相模原市" in browser.js("return document.querySelector('h1').innerText;")
    fonts = subprocess.run(
        ["fc-list", ":lang=ja", "family"], capture_output=True, text=True, check=False
    ).stdout
    assert "Noto Sans CJK JP" in fonts, f"no Japanese font for Chromium. {INSTALL_HINT}"
    open_clean(browser, built.dist / "views" / "lineage.html", VIEW_READY)
    browser.screenshot("ja-view-lineage")


def test_hostile_labels_show_as_text_and_never_run(browser: Browser, tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    built = build_once("xss", xss_project(base), base)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    company = built.dist / "entities" / "hostile-company.html"
    pages = [company, built.dist / "index.html"]
    pages += [built.dist / "entities" / f"{n}.html" for n in ("hostile-model", "ref-1", "index")]
    pages += [built.dist / "queries" / "model-catalogue.html", built.dist / "sources/index.html"]
    for page in pages:
        open_clean(browser, page)
        assert browser.js("return typeof window.__xss;") == "undefined", page
        if page == company:
            browser.screenshot("xss-entity")
            text = browser.js("return document.body.innerText;")
            assert '<img src=x onerror="window.__xss=1">' in text
            assert "</script><script>window.__xss=2</script>" in text
    shown = {
        "ecosystem": '<img src=x onerror="window.__xss=1">',
        "lineage": """Model '"><svg onload="window.__xss=6">""",
    }
    for view, label in shown.items():
        open_clean(browser, built.dist / "views" / f"{view}.html", VIEW_READY)
        browser.screenshot(f"xss-view-{view}")
        assert browser.js("return typeof window.__xss;") == "undefined", view
        names = browser.js("return Array.from(document.querySelectorAll('option'), o => o.value);")
        assert label in names, view
    open_clean_tail(browser, built.dist / "search.html", "?q=" + quote("<img"), "true")
    hits = browser.js("return document.getElementById('search-results').innerText;")
    assert '<img src=x onerror="window.__xss=1">' in hits
    query = "SELECT ?label WHERE { ?x rdfs:label ?label } ORDER BY ?label"
    open_clean_tail(browser, built.dist / "sparql.html", "#query=" + quote(query))
    assert "</script><script>window.__xss=2</script>" in browser.js(
        "return document.getElementById('results').innerText;"
    )
    open_clean_tail(browser, built.dist / "queries" / "model-catalogue.html", "", "true")
    assert browser.js("return typeof window.__xss;") == "undefined"


def result_rows(browser: Browser, target: str) -> list[list[str]]:
    """The texts of the cells of the result table in the element with id ``target``."""
    return browser.js(
        f"return Array.from(document.querySelectorAll('#{target} tbody tr'), "
        "r => Array.from(r.cells, c => c.innerText));"
    )


def test_sparql_page_runs_the_query_of_its_link_offline(browser: Browser, site: Built):
    query = "SELECT ?model ?base WHERE { ?model jpllm:baseModel ?base . FILTER(?base = jpr:command-r-plus) }"  # noqa: E501
    visit = open_clean_tail(browser, site.dist / "sparql.html", "#query=" + quote(query))
    assert browser.js("return document.body.dataset.state;") == "done"
    assert result_rows(browser, "results") == [["Takane", "Command R+"]]
    link = browser.js("return document.querySelector('#results td a').getAttribute('href');")
    assert link == "entities/takane.html"
    assert browser.js("return window.jpllmkgReady.triples;") > 20000
    browser.screenshot("sparql-result")
    assert visit.requests


def open_clean_tail(browser: Browser, page: Path, tail: str, ready: str = DONE):
    browser.driver.get("about:blank")  # a new fragment alone would not load the page again
    visit = browser.visit(page, ready, tail=tail)
    assert not visit.errors, f"{page}: console errors {visit.errors}"
    remote = [url for url in visit.requests if not url.startswith(LOCAL_SCHEMES)]
    assert not remote, f"{page}: requested {remote}"
    return visit


def test_sparql_page_refuses_an_update_and_stops_a_long_query(browser: Browser, site: Built):
    update = "INSERT DATA { jpr:x rdfs:label 'x' }"
    open_clean_tail(browser, site.dist / "sparql.html", "#query=" + quote(update))
    assert browser.js("return document.body.dataset.state;") == "failed"
    assert "The query failed" in browser.js("return document.getElementById('results').innerText;")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    run_in_editor(browser, slow)
    assert browser.js("return document.body.dataset.state;") == "running"
    browser.js("document.getElementById('stop').click();")
    wait_for(browser, DONE)
    assert "stopped" in browser.js("return document.getElementById('results').innerText;")
    again = "SELECT ?x WHERE { VALUES ?x { jpr:takane } }"
    run_in_editor(browser, again)
    wait_for(browser, DONE)
    assert result_rows(browser, "results") == [["Takane"]]


def run_in_editor(browser: Browser, text: str) -> None:
    """Replace the editor's text and press Run."""
    browser.js(
        "const e = window.jpllmkgEditor;"
        "e.dispatch({changes: {from: 0, to: e.state.doc.length, insert: arguments[0]}});"
        "document.getElementById('run').click();",
        text,
    )


def wait_for(browser: Browser, ready: str, timeout: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout
    time.sleep(0.2)
    while not browser.js(f"return !!({ready});"):
        assert time.monotonic() < deadline, f"{ready} did not become true"
        time.sleep(0.1)


def test_saved_query_form_runs_in_the_page(browser: Browser, site: Built, kg):
    from jpllmkg.query.local import Graph

    graph = Graph(kg)
    open_clean_tail(
        browser,
        site.dist / "queries" / "deployments.html",
        "",
        "document.body.dataset.state === 'ready'",
    )
    options = browser.js(
        "return Array.from(document.querySelectorAll('#param-sector option'), o => o.value);"
    )
    assert "https://w3id.org/jpllmkg/vocab/sector-public-sector" in options
    browser.js(
        "document.getElementById('param-sector').value = 'https://w3id.org/jpllmkg/vocab/sector-public-sector';"
        "document.querySelector('#query-form button').click();"
    )
    wait_for(browser, DONE)
    expected = graph.query("deployments", sector="jpv:sector-public-sector")
    rows = result_rows(browser, "form-results")
    assert len(rows) == len(expected) > 3
    ran = browser.js("return document.getElementById('form-sparql').textContent;")
    assert "VALUES (?sector) { (<https://w3id.org/jpllmkg/vocab/sector-public-sector>) }" in ran
    browser.screenshot("query-form")
    open_clean_tail(
        browser,
        site.dist / "queries" / "lineage.html",
        "",
        "document.body.dataset.state === 'ready'",
    )
    assert browser.js("return document.getElementById('param-model').value;") == "Takane"
    browser.js("document.querySelector('#query-form button').click();")
    wait_for(browser, DONE)
    rows = result_rows(browser, "form-results")
    assert rows[0][:2] == ["Takane", "Command R+"]
    assert len(rows) == len(graph.query("lineage", model="jpr:takane"))
    browser.js(
        "document.getElementById('param-model').value = 'no such thing';"
        "document.querySelector('#query-form button').click();"
    )
    assert "model: not an entity" in browser.js(
        "return document.getElementById('form-results').innerText;"
    )


@pytest.mark.parametrize(
    ("text", "first"),
    [("相模原", "Sagamihara City"), ("sagamihara", "Sagamihara City"), ("ＰＬａＭｏ", "PLaMo")],
)
def test_search_finds_across_languages_and_widths(browser: Browser, site: Built, text, first):
    open_clean_tail(browser, site.dist / "search.html", "?q=" + quote(text), "true")
    hits = browser.js(
        "return Array.from(document.querySelectorAll('#search-results li a'), a => a.innerText);"
    )
    assert hits and hits[0].startswith(first.split()[0]), hits[:5]
    assert len(hits) == len(
        set(
            browser.js(
                "return Array.from(document.querySelectorAll('#search-results li a'), a => a.href);"
            )
        )
    )
    if text == "相模原":
        browser.screenshot("search-results")


def test_search_says_when_nothing_matches(browser: Browser, site: Built):
    open_clean_tail(browser, site.dist / "search.html", "?q=zzzq-nothing", "true")
    assert "Nothing matches" in browser.js(
        "return document.getElementById('search-status').innerText;"
    )
    assert browser.js("return document.querySelectorAll('#search-results li').length;") == 0


BIGGEST_TABLE = (
    "const t = Array.from(document.querySelectorAll('main table'))"
    ".sort((a, b) => b.rows.length - a.rows.length)[0];"
)
COLUMN = "Array.from(t.tBodies[0].rows).filter(r => !r.hidden).map(r => r.cells[0].innerText)"
COLLATOR = "new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'})"


def test_tables_sort_and_filter(browser: Browser, site: Built, kg):
    from jpllmkg.query.local import Graph

    open_clean(browser, site.dist / "queries" / "model-catalogue.html")
    total = browser.js(BIGGEST_TABLE + "return t.tBodies[0].rows.length;")
    assert total == len(Graph(kg).query("model-catalogue"))
    browser.js(BIGGEST_TABLE + "t.tHead.rows[0].cells[0].click();")
    ascending, expected = browser.js(
        BIGGEST_TABLE + f"const c = {COLUMN}; return [c, [...c].sort({COLLATOR}.compare)];"
    )
    assert ascending == expected and ascending != sorted(ascending, reverse=True)
    browser.js(BIGGEST_TABLE + "t.tHead.rows[0].cells[0].click();")
    assert browser.js(BIGGEST_TABLE + f"return {COLUMN};") == ascending[::-1]
    shown = browser.js(
        BIGGEST_TABLE + "const f = t.previousElementSibling.querySelector('input');"
        "f.value = 'Takane'; f.dispatchEvent(new Event('input'));"
        f"return {COLUMN};"
    )
    assert shown == ["Takane"]
