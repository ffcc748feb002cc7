"""No text from data runs as script on any page of the site, generated ontology docs included.

A temporary project holds HTML, script and ``javascript:``/``data:`` URLs in its ontology header
(dcterms:title, dcterms:description, rdfs:comment, dcterms:creator, rdfs:seeAlso) and in entity
data (labels, notes, schema:url, rdfs:seeAlso). Every payload that runs sets ``window.__xss``.
The real command line builds the site; real headless Chromium opens every HTML page of it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser import REPO, Browser, Built, build_once

FLAG = "typeof window.__xss"
HEADER_START = "<https://w3id.org/jpllmkg/ontology> a owl:Ontology ;"
HEADER_END = 'dcterms:created "2026-11-29"^^xsd:date .'
TITLE = r"Ontology <img src=x onerror=\"window.__xss=1\"> </script><script>window.__xss=2</script>"
DESCRIPTION = (
    r"<script>window.__xss=4</script> [click](javascript:window.__xss=5) "
    r"<a href=\"data:text/html,x\">data</a>"
)
COMMENT = r"<img src=x onerror=\"window.__xss=6\"><a href=\"javascript:window.__xss=7\">js</a>"
NOTE = r"[click](javascript:window.__xss=15) <a href=\"javascript:window.__xss=16\">x</a>"
HOSTILE_HEADER = f"""<https://w3id.org/jpllmkg/ontology> a owl:Ontology ;
    rdfs:label "jpllmkg ontology"@en , "jpllmkg オントロジー"@ja ;
    dcterms:title "{TITLE}"@en , "日本 <script>window.__xss=3</script>"@ja ;
    dcterms:description "{DESCRIPTION}"@en ;
    rdfs:comment "{COMMENT}"@en ;
    owl:versionInfo "0.1.0" ;
    owl:versionIRI <https://w3id.org/jpllmkg/ontology/0.1.0> ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    dcterms:creator "<svg onload=\\"window.__xss=8\\">" , <javascript:window.__xss=9> ;
    rdfs:seeAlso <data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTA8L3NjcmlwdD4=> ;
    """
HOSTILE_LINKS = f"""@prefix jpllm:   <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr:     <https://w3id.org/jpllmkg/resource/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
@prefix wd:      <http://www.wikidata.org/entity/> .

jpr:ref-2 a jpllm:Source ;
    rdfs:label "[2] link test"@en , "[2] リンク"@ja ;
    jpllm:referenceNumber "2"^^xsd:positiveInteger ;
    dcterms:title "javascript:window.__xss=11" ;
    schema:url "https://example.org/ref-2"^^xsd:anyURI ;
    jpllm:citedIn jpr:report ;
    dcterms:source jpr:report .

jpr:linked-company a jpllm:Company ;
    rdfs:label "Linked company"@en , "リンク社"@ja ;
    jpllm:country wd:Q17 ;
    schema:url "javascript:window.__xss=12"^^xsd:anyURI ,
        "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTM8L3NjcmlwdD4="^^xsd:anyURI ;
    rdfs:seeAlso <javascript:window.__xss=14> , <data:text/html,hello> ;
    jpllm:note "{NOTE}"@en ;
    dcterms:source jpr:ref-2 .
"""
# Elements whose URL would run or show a document when followed or loaded.
LIVE_URLS = """return Array.from(
  document.querySelectorAll("a[href], area[href], iframe, frame, object, embed, form, base"),
  e => e.href || e.src || e.data || e.action || "<" + e.tagName + ">");"""


def hostile_project(base: Path) -> Path:
    """The real ontology (with a hostile header) and queries, and hostile facts."""
    root = base / "hostile-project"
    if root.exists():
        return root
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "queries", root / "queries")
    shutil.copytree(REPO / "tests" / "fixtures" / "xss", root / "graph")
    (root / "graph" / "links.ttl").write_text(HOSTILE_LINKS, encoding="utf-8")
    facts = root / "graph" / "hostile.ttl"  # links.ttl adds reference 2 of jpr:report
    counted = facts.read_text(encoding="utf-8").replace(
        'jpllm:referenceCount "1"', 'jpllm:referenceCount "2"'
    )
    facts.write_text(counted, encoding="utf-8")
    ontology = root / "ontology" / "jpllm.ttl"
    text = ontology.read_text(encoding="utf-8")
    start, end = text.index(HEADER_START), text.index(HEADER_END)
    ontology.write_text(text[:start] + HOSTILE_HEADER + text[end:], encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Built:
    base = tmp_path_factory.getbasetemp()
    built = build_once("hostile", hostile_project(base), base)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return built


def test_no_script_from_data_runs_on_any_page(browser: Browser, hostile_site: Built):
    pages = sorted(hostile_site.dist.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        browser.visit(page)
        assert browser.js(f"return {FLAG};") == "undefined", f"a script ran on {page}"
        live = [
            url
            for url in browser.js(LIVE_URLS)
            if url.startswith("<") or url.lower().startswith(("javascript:", "data:"))
        ]
        assert not live, f"{page}: live links or frames {live}"


def test_ontology_page_shows_the_hostile_header_as_text(browser: Browser, hostile_site: Built):
    browser.visit(hostile_site.dist / "ontology" / "index.html")
    browser.screenshot("xss-ontology")
    text = browser.js("return document.body.innerText;")
    assert "</script><script>window.__xss=2</script>" in text
    assert "javascript:window.__xss=9" in text  # the creator IRI, as text
    assert browser.js("return document.querySelectorAll('script, img[src], svg').length;") == 0
    assert "__xss" in browser.js("return document.title;")  # the title, escaped, not run


def test_no_page_file_holds_a_live_hostile_url(hostile_site: Built):
    for page in hostile_site.dist.rglob("*.html"):
        html = page.read_text(encoding="utf-8").lower()
        for raw in ('href="javascript:', 'href="data:text', "<script>window.__xss", "<img src=x"):
            assert raw not in html, f"{page}: {raw}"
