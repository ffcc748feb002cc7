"""Shared fixtures: the repository, the loaded real graph, throw-away projects, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser import browser_session
from fixture_cases import write_case
from servers import graph_server, wikidata_server  # noqa: F401 (oxigraph servers)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The steps of the flow (DESIGN.md section 1), one pytest marker each: `python -m pytest -m
# query` runs the query step's tests alone. Two more group the tests that cut across steps.
STEPS = {
    "graph": "the graph: project discovery, loading, ontology, sources, provenance, inference, "
    "the facts themselves",
    "validate": "validation: SHACL shapes, QC queries, `jpllmkg validate`",
    "query": "the query step: catalogue, parameters, engines, results, rendering, `why`",
    "analysis": "network statistics (`jpllmkg stats`)",
    "show": "views and pictures (`jpllmkg viz`)",
    "site": "the explorer site (`jpllmkg build`)",
    "export": "dumps and CSV (`jpllmkg export`)",
    "publish": "SPARQL endpoints: `serve`, `push`, remote queries",
    "link": "external Linked Data (`jpllmkg link`)",
    "import": "catalogue snapshots imported into graph/imported/ (`jpllmkg import`)",
    "cli": "the command line across every step: entry points, exit codes, terminal, fuzzing",
    "repo": "the repository itself: code quality, README, docs/recipes.md",
}
# The step of each test module. A new module must be added here (collection stops otherwise).
TEST_STEPS = {
    "test_analytics": "analysis",
    "test_browser": "site",
    "test_browser_views": "site",
    "test_build": "site",
    "test_class_hints": "graph",
    "test_cli_entry": "cli",
    "test_cli_validate": "validate",
    "test_code_quality": "repo",
    "test_data": "graph",
    "test_endpoints": "publish",
    "test_engines": "query",
    "test_formats": "query",
    "test_fuzz": "cli",
    "test_import_ajl": "import",
    "test_inference": "graph",
    "test_layers": "repo",
    "test_link_fetch_trust": "link",
    "test_linking": "link",
    "test_one_home": "repo",
    "test_links": "graph",
    "test_ontology": "graph",
    "test_open_world": "graph",
    "test_pictures": "show",
    "test_prefixes": "query",
    "test_provenance": "graph",
    "test_queries": "query",
    "test_query_layer": "query",
    "test_read_path": "query",
    "test_readme": "repo",
    "test_recipes": "repo",
    "test_report_coverage": "graph",
    "test_robustness": "cli",
    "test_shapes": "validate",
    "test_site_security": "site",
    "test_sources": "validate",
    "test_terminal_output": "cli",
    "test_transcription": "graph",
    "test_views": "show",
    "test_virtuoso": "publish",
    "test_why": "query",
}
# Tests of a module that belong to another step than the module's: (module, name prefix).
TEST_STEP_EXCEPTIONS = {("test_build", "test_export"): "export"}


def pytest_configure(config: pytest.Config) -> None:
    for step, description in STEPS.items():
        config.addinivalue_line("markers", f"{step}: {description}")


def step_of(module: str, test_name: str) -> str:
    """The step a test belongs to (TEST_STEPS, then TEST_STEP_EXCEPTIONS)."""
    if module not in TEST_STEPS:
        raise pytest.UsageError(
            f"tests/{module}.py is assigned no step of the flow: add it to TEST_STEPS in "
            f"tests/conftest.py with one of {', '.join(STEPS)}, so that `pytest -m STEP` runs it."
        )
    for (owner, prefix), step in TEST_STEP_EXCEPTIONS.items():
        if owner == module and test_name.startswith(prefix):
            return step
    return TEST_STEPS[module]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its step."""
    for item in items:
        item.add_marker(getattr(pytest.mark, step_of(item.path.stem, item.name)))


@pytest.fixture(scope="session", autouse=True)
def sparql_text_parsed_once() -> Iterator[None]:
    """A speed measure for the reference validator: pySHACL hands rdflib each SPARQL-based
    constraint as text, which rdflib parses again on every evaluation (half of a pySHACL run on
    a fixture). Parsing is pure, and rdflib's prepared queries are made to be evaluated again, so
    the prepared query is kept per (text, base, prefixes); no result changes."""
    from rdflib.plugins.sparql import processor

    query = processor.SPARQLProcessor.query
    prepared: dict = {}

    def query_parsed_once(self, text, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(text, str):
            key = (text, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.translateQuery(processor.parseQuery(text), base, initNs)
            text = prepared[key]
        return query(self, text, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query_parsed_once
    yield
    processor.SPARQLProcessor.query = query


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def kg():
    """The real graph of this checkout, loaded once."""
    from jpllmkg.graph.loader import load
    from jpllmkg.graph.project import find_project

    return load(find_project(root=REPO))


@pytest.fixture(scope="session")
def validation_report(kg):
    """`jpllmkg validate` on the real graph, computed once."""
    from jpllmkg.validate.validation import validate

    return validate(kg)


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Copy the ontology, shapes and queries into a temp project with the given graph files; an
    invalid fixture (a change to tests/fixtures/base.ttl) is written as its whole graph."""

    def make(*graph_files: Path, with_real_graph: bool = False) -> Path:
        root = tmp_path / "project"
        shutil.copytree(REPO / "ontology", root / "ontology")
        shutil.copytree(REPO / "queries", root / "queries")
        if with_real_graph:
            shutil.copytree(REPO / "graph", root / "graph")
        else:
            (root / "graph").mkdir()
        for path in graph_files:
            if path.parent.name in ("invalid", "qc-invalid"):
                write_case(path, root / "graph")
            else:
                shutil.copy(path, root / "graph" / path.name)
        return root

    return make


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run the real console entry point in a subprocess (extra environment variables in env)."""
    return subprocess.run(
        [sys.executable, "-m", "jpllmkg.cli", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess]:
    return run_cli


def run_cli_in_process(*args: str) -> subprocess.CompletedProcess:
    """`jpllmkg.cli.main` called in this process on this checkout (unless ``--root`` is given),
    its output captured: the same code as the console script without an interpreter start per
    call (for tests that run many queries)."""
    import contextlib
    import io

    from jpllmkg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args) if "--root" in args else ["--root", str(REPO), *args])
        except SystemExit as stop:  # argparse's own exit
            code = stop.code if isinstance(stop.code, int) else 2
    return subprocess.CompletedProcess(["jpllmkg", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli_in_process() -> Callable[..., subprocess.CompletedProcess]:
    return run_cli_in_process


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (tests/browser.py), one per test session."""
    yield from browser_session()
