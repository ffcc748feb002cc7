"""`jpllmkg build` and `jpllmkg export` without a browser: contents, dumps, atomicity, refusals.

The real site is built once per session by the real command line (tests/browser.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import Built, build_once, xss_project
from conftest import FIXTURES, REPO
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from jpllmkg.catalogue import QueryCatalogue
from jpllmkg.federation import uses_service
from jpllmkg.namespaces import JPLLM, JPR
from jpllmkg.project import find_project
from jpllmkg.site.html import entity_slug

INVALID_FIXTURE = FIXTURES / "invalid" / "common-date-datatype.ttl"
LOADING_TAGS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "embed": "src"}


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Built:
    built = build_once("real", REPO, tmp_path_factory.getbasetemp())
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return built


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory) -> Built:
    base = tmp_path_factory.getbasetemp()
    built = build_once("xss", xss_project(base), base)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return built


class PageParser(HTMLParser):
    """The links, element ids and loaded resources (scripts, styles, images) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "link" and values.get("href"):
            self.loads.append(values["href"])
        if tag in LOADING_TAGS and values.get(LOADING_TAGS[tag]):
            self.loads.append(values[LOADING_TAGS[tag]])


@pytest.fixture(scope="session")
def parsed(site: Built) -> dict[Path, PageParser]:
    pages = {}
    for path in sorted(site.dist.rglob("*.html")):
        parser = PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path] = parser
    return pages


def jpr_entities(kg) -> set[URIRef]:
    return {
        s
        for s in kg.data.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(str(JPR))
    }


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_reports_steps_path_time_and_size(site: Built):
    assert f"built {site.dist}" in site.stdout
    assert re.search(r"\d+\.\d s, \d+ files, [\d.]+ [KM]B: \d+ HTML pages", site.stdout)
    assert "[1/11] load" in site.stderr and "[11/11] swap in" in site.stderr
    assert "Traceback" not in site.stderr


def test_one_entity_page_per_entity(site: Built, kg):
    expected = {f"{entity_slug(e)}.html" for e in jpr_entities(kg)}
    written = {p.name for p in (site.dist / "entities").glob("*.html")} - {"index.html"}
    assert written == expected
    takane = (site.dist / "entities" / "takane.html").read_text(encoding="utf-8")
    for text in ("Takane", "jpr:takane", "command-r-plus.html", "fujitsu.html", "ref-20.html"):
        assert text in takane


def test_entity_page_shows_quantities_with_unit_and_status(site: Built):
    page = (site.dist / "entities" / "takane.html").read_text(encoding="utf-8")
    assert "100,000,000,000" in page
    assert "estimated" in page and "推定 1,000 億級" in page


def test_entity_page_shows_incoming_relations(site: Built):
    page = (site.dist / "entities" / "command-r-plus.html").read_text(encoding="utf-8")
    incoming = page[page.index("Referred to by") :]
    assert 'href="../entities/takane.html"' in incoming


def test_one_query_page_per_saved_query_with_results(site: Built):
    catalogue = QueryCatalogue(find_project(root=REPO))
    written = {p.stem for p in (site.dist / "queries").glob("*.html")} - {"index"}
    assert written == {q.name for q in catalogue}
    csvs = {p.stem for p in (site.dist / "dumps" / "csv").glob("*.csv")}
    assert csvs == {q.name for q in catalogue if not uses_service(q.text)}
    lineage = (site.dist / "queries" / "lineage.html").read_text(encoding="utf-8")
    assert "command-r-plus.html" in lineage and "jpllmkg query lineage --param" in lineage
    header = (site.dist / "dumps" / "csv" / "lineage.csv").read_text(encoding="utf-8")
    assert header.startswith("derived,derived_label,ancestor,ancestor_label")


def test_views_and_index_are_written(site: Built, kg):
    for view in ("ecosystem", "lineage", "adoption"):
        assert (site.dist / "views" / f"{view}.html").is_file()
    index = (site.dist / "index.html").read_text(encoding="utf-8")
    from jpllmkg.summary import summarise

    for name, count in summarise(kg).entities_per_class.items():
        label = kg.label(JPLLM[name], "en")
        assert re.search(rf">{re.escape(label)}</a></td><td class=\"num\">{count}<", index), name
    for target in ("views/ecosystem.html", "queries/lineage.html", "dumps/graph.trig"):
        assert f'href="{target}"' in index


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_dump_reparses_to_the_loaded_triple_count(site: Built, kg, fmt: str):
    parsed = Graph().parse(
        site.dist / "dumps" / f"graph.{fmt}", format={"jsonld": "json-ld"}.get(fmt, fmt)
    )
    assert len(parsed) == len(kg.data)


def test_trig_has_one_named_graph_per_file(site: Built, kg):
    dataset = Dataset()
    dataset.parse(site.dist / "dumps" / "graph.trig", format="trig")
    named = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert sum(named.values()) == len(kg.data)
    files = {f"https://w3id.org/jpllmkg/file/{name}" for name in kg.file_triples}
    assert set(named) <= files | {str(dataset.default_graph.identifier)}
    assert named["https://w3id.org/jpllmkg/file/graph/models.ttl"] > 100


def test_validation_report_is_written(site: Built, validation_report):
    report = json.loads((site.dist / "validation.json").read_text(encoding="utf-8"))
    assert report["conforms"] is True
    assert report["warnings"] == len(validation_report.warnings)
    page = (site.dist / "validation.html").read_text(encoding="utf-8")
    assert page.count('<span class="Warning">') == len(validation_report.warnings)


def test_ontology_docs_are_generated_offline(site: Built):
    page = (site.dist / "ontology" / "index.html").read_text(encoding="utf-8")
    assert "pyLODE" in page and 'id="LanguageModel"' in page
    vocab = (site.dist / "ontology" / "vocabularies.html").read_text(encoding="utf-8")
    assert 'id="value-estimated"' in vocab


def test_no_page_loads_anything_from_the_network(parsed: dict[Path, PageParser]):
    for path, page in parsed.items():
        remote = [u for u in page.loads if urlsplit(u).scheme not in ("", "data")]
        assert not remote, f"{path} loads {remote}"
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), f"{path} has a remote url()"
        assert "@import" not in text, path


def test_every_relative_link_resolves(parsed: dict[Path, PageParser]):
    problems = []
    for path, page in parsed.items():
        for link in page.links + page.loads:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                problems.append(f"{path.name}: {link} (no such file)")
            elif parts.fragment and target in parsed and parts.fragment not in parsed[target].ids:
                problems.append(f"{path.name}: {link} (no such anchor)")
    assert not problems, "\n".join(problems[:20])


def test_hostile_labels_are_escaped_in_every_file(xss_site: Built):
    pages = list(xss_site.dist.rglob("*.html"))
    assert (xss_site.dist / "entities" / "hostile-company.html").is_file()
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for raw in ("<img src=x", "<script>window.__xss", "<svg onload", "<b>bold</b>"):
            assert raw not in text, f"{path}: {raw} is not escaped"
    company = (xss_site.dist / "entities" / "hostile-company.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in company


def test_failed_build_leaves_the_previous_site_as_it_was(site: Built, tmp_path, monkeypatch):
    from jpllmkg import build as build_module

    dist = tmp_path / "dist"
    shutil.copytree(site.dist, dist)
    before = snapshot(dist)

    def failing_index(*args, **kwargs):
        raise RuntimeError("the index step failed")

    monkeypatch.setattr(build_module, "write_index", failing_index)
    with pytest.raises(RuntimeError, match="index step failed"):
        build_module.build(find_project(root=REPO), dist)
    assert snapshot(dist) == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"], "a temporary folder was left behind"


def test_invalid_graph_stops_the_build_writing_nothing(cli, make_project, tmp_path):
    root = make_project(INVALID_FIXTURE)
    out = tmp_path / "out"
    out.mkdir()
    (out / "build.json").write_text("{}", encoding="utf-8")
    (out / "index.html").write_text("previous site", encoding="utf-8")
    before = snapshot(out)
    result = cli("--root", str(root), "build", "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "does NOT conform" in result.stdout and "VIOLATION" in result.stdout
    assert "build stopped" in result.stderr and "nothing was written" in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]


def test_bad_out_is_refused_with_one_paragraph(cli, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "keep.jpg").write_text("x", encoding="utf-8")
    cases = {
        str(a_file): "is a file, not a folder",
        str(foreign): "will not delete it",
        str(REPO): "is the project or a folder above it",
        str(REPO / "graph" / "dist"): "inside the project's graph/ folder",
    }
    for out, message in cases.items():
        result = cli("build", "--out", out)
        assert result.returncode == 2, (out, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    assert (foreign / "keep.jpg").is_file()
    assert not (REPO / "graph" / "dist").exists()


def test_export_writes_each_format(cli, tmp_path, kg):
    out = tmp_path / "graph.nt"
    result = cli("export", "--format", "nt", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(Graph().parse(out, format="nt")) == len(kg.data)
    result = cli("export", "--format", "csv", "--query", "lineage", "--param", "model=jpr:takane")
    assert result.returncode == 0, result.stderr
    assert "jpr:command-r-plus,Command R+" in result.stdout


def test_export_refuses_csv_without_a_query(cli, tmp_path):
    result = cli("export", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 2
    assert "add --query NAME" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_export_formats_match_the_cli_choices():
    from jpllmkg.commands.export import FORMATS as CLI_FORMATS
    from jpllmkg.export import FORMATS

    assert CLI_FORMATS == FORMATS


def test_progress_prints_one_line_per_step_when_not_a_terminal():
    from jpllmkg.progress import Progress

    stream = io.StringIO()
    progress = Progress(2, stream=stream)
    progress.step("load")
    progress.count(5, 10)
    progress.step("write")
    progress.finish()
    assert stream.getvalue() == "[1/2] load\n[2/2] write\n"
