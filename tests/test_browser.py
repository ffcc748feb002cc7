"""The built site in real headless Chromium, opened from file:// with no network.

Each page must load without console errors and request nothing but file:, data: and about:
URLs; the views must draw as many nodes as the view graph has; labels holding HTML must show
as text and never run. Screenshots are kept in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from browser import (
    INSTALL_HINT,
    Browser,
    BrowserMissingError,
    Built,
    build_once,
    file_of,
    xss_project,
)
from conftest import REPO

from jpllmkg.show.views import build_view

LOCAL_SCHEMES = ("file:", "data:", "about:")
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
def browser():
    try:
        session = Browser()
    except BrowserMissingError as error:
        pytest.fail(str(error), pytrace=False)
    yield session
    session.close()


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
    if page in ("entities/takane.html", "queries/lineage.html", "ontology/index.html"):
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
