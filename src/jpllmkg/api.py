"""Python API for notebooks: kg = jpllmkg.load(); kg.query("lineage", model="jpr:takane")."""

from __future__ import annotations

from pathlib import Path

from .bounds import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .loader import KnowledgeGraph
from .loader import load as load_project
from .project import find_project
from .query_layer import QueryLayer
from .results import QueryResult
from .sparql_text import ReadQuery


class Graph(QueryLayer):
    """A loaded knowledge graph with its saved queries, run on the embedded engine.

    Every query passes the checks of :class:`jpllmkg.query_layer.QueryLayer` (read gate,
    known IRIs, timeout, row cap; the embedded engines never go to the network). Queries see
    the ontology's entailments (the inferred graph, :mod:`jpllmkg.inference`) unless
    ``inferred=False``: then only what the project's files assert.
    """

    def __init__(
        self,
        kg: KnowledgeGraph,
        engine: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        check_iris: bool = True,
        inferred: bool = True,
    ) -> None:
        super().__init__(kg.project, timeout, max_rows, check_iris)
        self.kg = kg
        self.engine = kg.engine(engine, inferred=inferred)

    def select(self, query: ReadQuery, where: str, limit: int | None = None) -> QueryResult:
        """At most ``limit`` rows of a checked query, from the embedded engine."""
        return self.engine.select(query, where=where, timeout=self.timeout, limit=limit)

    def label(self, node, lang: str = "en") -> str:
        """The node's label in ``lang``."""
        return self.kg.label(node, lang)

    def why(self, entity: str, lang: str = "en", inferred: bool = False) -> list:
        """Every statement about ``entity`` (a CURIE or IRI) with its sources, kind of support
        and ``file:line``: a list of :class:`jpllmkg.why.Statement`, what ``jpllmkg why``
        prints (the ontology's entailments too with ``inferred``)."""
        from .views import resolve
        from .why import why

        node = resolve(self.kg, entity)
        return why(self.kg, node, lang=lang, inferred=inferred, timeout=self.timeout)


def load(
    root: str | Path | None = None,
    engine: str | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    inferred: bool = True,
) -> QueryLayer:
    """Load the project at ``root`` (default: found from the current directory); with
    ``endpoint``, run its saved queries on that SPARQL endpoint instead (:mod:`jpllmkg.remote`).
    Each query stops after ``timeout`` seconds and gives at most ``max_rows`` rows (0: all).
    With ``inferred=False`` the embedded engine sees only what the files assert (an endpoint
    holds what ``push`` sent it: the asserted triples and the computed open-world facts)."""
    if endpoint is not None:
        from .remote import RemoteGraph

        return RemoteGraph(find_project(root=root), endpoint, timeout=timeout, max_rows=max_rows)
    return Graph(
        load_project(find_project(root=root)), engine, timeout, max_rows, inferred=inferred
    )
