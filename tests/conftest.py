"""Shared fixtures: the repository, the loaded real graph, throw-away projects, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from servers import graph_server, wikidata_server  # noqa: F401 (oxigraph servers)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def kg():
    """The real graph of this checkout, loaded once."""
    from jpllmkg.loader import load
    from jpllmkg.project import find_project

    return load(find_project(root=REPO))


@pytest.fixture(scope="session")
def validation_report(kg):
    """`jpllmkg validate` on the real graph, computed once."""
    from jpllmkg.validation import validate

    return validate(kg)


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Copy the ontology, shapes and queries into a temp project with the given graph files."""

    def make(*graph_files: Path, with_real_graph: bool = False) -> Path:
        root = tmp_path / "project"
        shutil.copytree(REPO / "ontology", root / "ontology")
        shutil.copytree(REPO / "queries", root / "queries")
        if with_real_graph:
            shutil.copytree(REPO / "graph", root / "graph")
        else:
            (root / "graph").mkdir()
        for path in graph_files:
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
