"""Python API for notebooks: kg = jpllmkg.load(); kg.query("lineage", model="jpr:takane")."""

from __future__ import annotations

from pathlib import Path

from jpllmkg.graph.loader import load as load_project
from jpllmkg.graph.project import find_project
from jpllmkg.query.bounds import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from jpllmkg.query.local import Graph
from jpllmkg.query.query_layer import QueryLayer


def load(
    root: str | Path | None = None,
    engine: str | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    inferred: bool = True,
) -> QueryLayer:
    """Load the project at ``root`` (default: found from the current directory); with
    ``endpoint``, run its saved queries on that SPARQL endpoint instead
    (:mod:`jpllmkg.query.remote`).
    Each query stops after ``timeout`` seconds and gives at most ``max_rows`` rows (0: all).
    With ``inferred=False`` the embedded engine sees only what the files assert (an endpoint
    holds what ``push`` sent it: the asserted triples and the computed open-world facts)."""
    if endpoint is not None:
        from jpllmkg.query.remote import RemoteGraph

        return RemoteGraph(find_project(root=root), endpoint, timeout=timeout, max_rows=max_rows)
    return Graph(
        load_project(find_project(root=root)), engine, timeout, max_rows, inferred=inferred
    )
