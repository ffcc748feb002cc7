"""`jpllmkg build` and `jpllmkg export` without a browser: contents, dumps, atomicity, refusals.

The real site is built once per session by the real command line (tests/browser.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import Built, build_once, xss_project
from conftest import FIXTURES, REPO
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from jpllmkg.graph.namespaces import JPLLM, JPR
from jpllmkg.graph.project import find_project
from jpllmkg.query.catalogue import QueryCatalogue
from jpllmkg.query.federation import uses_service
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
    assert "[1/12] load" in site.stderr and "[12/12] swap in" in site.stderr
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
    from jpllmkg.graph.summary import summarise

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
    # exactly each file's own statements (a statement two files make is in both graphs)
    assert named == {
        f"https://w3id.org/jpllmkg/file/{name}": len(part)
        for name, part in kg.file_graphs.items()
        if len(part)
    }
    assert len(dataset.default_graph) == 0
    union = Graph()
    for graph in dataset.graphs():
        union += graph
    assert len(union) == len(kg.data)
    assert named["https://w3id.org/jpllmkg/file/graph/models.ttl"] > 100
    assert named["https://w3id.org/jpllmkg/file/graph/external/countries.ttl"] == 17


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
    from jpllmkg.site import build as build_module

    dist = tmp_path / "dist"
    shutil.copytree(site.dist, dist)
    before = snapshot(dist)

    def failing_index(*args, **kwargs):
        raise RuntimeError("the index step failed")

    monkeypatch.setattr(build_module, "write_index", failing_index)
    with pytest.raises(RuntimeError, match="index step failed"):
        build_module.build(find_project(root=REPO), dist)
    assert snapshot(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist-builds", "dist"]
    assert [p.name for p in (tmp_path / ".dist-builds").iterdir()] == ["lock"], "a build was left"


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
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out-builds", "out", "project"]
    assert [p.name for p in (tmp_path / ".out-builds").iterdir()] == ["lock"]


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
    assert f"{JPR}command-r-plus,Command R+" in result.stdout


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
    from jpllmkg.shared import Progress

    stream = io.StringIO()
    progress = Progress(2, stream=stream)
    progress.step("load")
    progress.count(5, 10)
    progress.step("write")
    progress.finish()
    assert stream.getvalue() == "[1/2] load\n[2/2] write\n"


# --- reproducible builds -------------------------------------------------------------------------


def manifest_of(dist: Path) -> dict:
    return json.loads((dist / "build.json").read_text(encoding="utf-8"))


def test_two_builds_of_the_same_input_are_byte_identical_but_the_timestamp(site: Built, tmp_path):
    again = tmp_path / "again" / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "jpllmkg.cli", "--root", str(REPO), "build", "--out", str(again)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONHASHSEED": "12345"},  # other set and dict orders
    )
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = snapshot(site.dist), snapshot(again)
    assert set(first) == set(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing in ([], ["build.json"]), differing
    one, two = manifest_of(site.dist), manifest_of(again)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", two["built"])
    assert {**one, "built": ""} == {**two, "built": ""}


def test_source_date_epoch_sets_the_one_timestamp(monkeypatch):
    from jpllmkg.site.build import build_time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_time() == "2026-01-01T00:00:00Z"


def test_manifest_lists_every_file_and_site_entries_match_a_real_build(site: Built):
    from jpllmkg.site.build import SITE_ENTRIES

    listed = manifest_of(site.dist)["files"]
    files = [p for p in site.dist.rglob("*") if p.is_file()]
    assert listed == sorted(p.relative_to(site.dist).as_posix() for p in files)
    assert {p.name for p in site.dist.iterdir()} == SITE_ENTRIES


def test_group_concat_parts_come_in_order_on_both_engines(kg):
    from jpllmkg.query.local import Graph

    answers = {}
    for engine in ("oxigraph", "rdflib"):
        graph = Graph(kg, engine=engine)
        for name in ("claims", "discrepancies", "policy-timeline", "budgets-and-plans"):
            for row in graph.query(name).records():
                refs = [int(n) for n in (row["refs"] or "").split(", ") if n]
                assert refs == sorted(refs), (engine, name, row)
        answers[engine] = graph.query("model-catalogue").records()
    assert answers["oxigraph"] == answers["rdflib"]
    takane = next(r for r in answers["rdflib"] if r["model"] == "jpr:takane")
    assert takane["parameterStatus"].startswith("estimated")


# --- the atomic switch, the lock and foreign files ----------------------------------------------


@pytest.fixture
def small_project(tmp_path) -> Path:
    """The hostile fixture project (small, so a build is short), with a note to vary."""
    return xss_project(tmp_path)


def set_version(root: Path, version: str) -> None:
    """Make the project's hostile-company note say ``Version A`` or ``Version B``."""
    facts = root / "graph" / "hostile.ttl"
    text = facts.read_text(encoding="utf-8")
    text, found = re.subn(
        r"A note( \(Version [AB]\))? with", f"A note (Version {version}) with", text
    )
    assert found == 1
    facts.write_text(text, encoding="utf-8")


def build_command(root: Path, dist: Path) -> list[str]:
    return [sys.executable, "-m", "jpllmkg.cli", "--root", str(root), "build", "--out", str(dist)]


def run_build(root: Path, dist: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(build_command(root, dist), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def site_version(dist: Path) -> str:
    """'A' or 'B' for a complete site (every listed file there, nothing else); fails otherwise."""
    assert dist.is_symlink() and dist.is_dir(), f"{dist} is not a link to a site"
    listed = set(manifest_of(dist)["files"])
    present = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    assert present - {"CNAME"} == listed, sorted(present ^ listed)[:10]
    page = (dist / "entities" / "hostile-company.html").read_text(encoding="utf-8")
    versions = [v for v in "AB" if f"Version {v}" in page]
    assert len(versions) == 1, versions
    return versions[0]


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGINT])
def test_a_build_stopped_at_any_moment_leaves_the_old_or_the_new_site(
    small_project: Path, tmp_path: Path, signal_number: int
):
    dist = tmp_path / "out" / "dist"
    set_version(small_project, "A")
    started = time.monotonic()
    run_build(small_project, dist)
    duration = time.monotonic() - started
    current = site_version(dist)
    randomness = random.Random(int(signal_number))
    for attempt in range(5):
        target = "B" if current == "A" else "A"
        set_version(small_project, target)
        process = subprocess.Popen(
            build_command(small_project, dist), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(randomness.uniform(0.2, 1.1) * duration)
        process.send_signal(signal_number)
        _, stderr = process.communicate(timeout=600)
        assert b"Traceback" not in stderr, stderr[-2000:]
        found = site_version(dist)
        assert found in (current, target), attempt
        current = found
    run_build(small_project, dist)  # a later build cleans up what stopped builds left
    builds = dist.parent / ".dist-builds"
    assert sorted(p.name for p in builds.iterdir()) == sorted(
        ["lock", os.readlink(dist).split("/")[1]]
    )
    assert sorted(p.name for p in dist.parent.iterdir()) == [".dist-builds", "dist"]


def test_concurrent_builds_both_finish_cleanly(small_project: Path, tmp_path: Path):
    dist = tmp_path / "dist"
    first, second = (
        subprocess.Popen(
            build_command(small_project, dist),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    )
    results = [process.communicate(timeout=600) for process in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    assert any("waiting for it to finish" in stderr for _, stderr in results)
    assert manifest_of(dist)["tool"] == "jpllmkg"
    builds = dist.parent / ".dist-builds"
    assert len([p for p in builds.iterdir() if p.name != "lock"]) == 1


def test_carried_files_survive_a_rebuild_and_foreign_files_stop_it(
    small_project: Path, tmp_path: Path
):
    dist = tmp_path / "dist"
    run_build(small_project, dist)
    (dist / "CNAME").write_text("kg.example.org\n", encoding="utf-8")
    (dist / ".git").mkdir()
    (dist / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    first_target = os.readlink(dist)
    run_build(small_project, dist)
    assert os.readlink(dist) != first_target
    assert (dist / "CNAME").read_text(encoding="utf-8") == "kg.example.org\n"
    assert (dist / ".git" / "HEAD").read_text(encoding="utf-8").startswith("ref: ")
    (dist / "entities" / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(dist)
    done = subprocess.run(build_command(small_project, dist), capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "entities/notes.txt" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(dist) == before


def test_a_real_dist_folder_of_an_older_build_is_migrated(small_project: Path, tmp_path: Path):
    set_version(small_project, "A")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "build.json").write_text('{"tool": "jpllmkg"}\n', encoding="utf-8")
    (dist / "index.html").write_text("old site", encoding="utf-8")
    (dist / "CNAME").write_text("kg.example.org\n", encoding="utf-8")
    run_build(small_project, dist)
    assert site_version(dist) == "A"
    assert (dist / "CNAME").is_file() and "old site" not in (dist / "index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "xss-project") == [
        ".dist-builds",
        "dist",
    ]


def test_a_mount_point_or_a_foreign_link_is_refused(small_project: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "linked"
    link.symlink_to(elsewhere)
    done = subprocess.run(build_command(small_project, link), capture_output=True, text=True)
    assert done.returncode == 2 and "which no build made" in done.stderr, done.stderr
    mount = tmp_path / "mounted"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)])
    if mounted.returncode != 0:
        pytest.skip("this machine does not let the tests mount a tmpfs")
    try:
        done = subprocess.run(build_command(small_project, mount), capture_output=True, text=True)
        assert done.returncode == 2, done.stderr
        assert "is a mount point" in done.stderr and "Traceback" not in done.stderr
        assert list(mount.iterdir()) == []
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("target", ["graph/x.ttl", "ontology/vocab/x.ttl", "queries/x.rq"])
def test_export_never_writes_into_a_source_folder(cli, make_project, target: str):
    root = make_project()
    for out in (root / target, root / "graph" / ".." / target):
        result = cli("--root", str(root), "export", "--format", "ttl", "--out", str(out))
        assert result.returncode == 2, result.stderr
        assert "curated input" in result.stderr and "Traceback" not in result.stderr
        assert not (root / target).exists()


def test_pylode_runs_one_process_at_a_time():
    """pyLODE writes its cache in place on first use, so two builds take turns with it: while
    one holds the lock, another process cannot take it."""
    from jpllmkg.site.ontology import _one_pylode_at_a_time

    probe = (
        "import fcntl, sys, tempfile, pathlib\n"
        "handle = open(pathlib.Path(tempfile.gettempdir()) / 'jpllmkg-pylode.lock', 'a')\n"
        "try:\n    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
        "except BlockingIOError:\n    sys.exit(3)\n"
    )
    with _one_pylode_at_a_time():
        held = subprocess.run([sys.executable, "-c", probe], timeout=30)
    free = subprocess.run([sys.executable, "-c", probe], timeout=30)
    assert (held.returncode, free.returncode) == (3, 0)
