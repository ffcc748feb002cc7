"""The saved queries of a loaded project, run on the embedded engine (the local counterpart of
:mod:`jpllmkg.query.remote`)."""

from __future__ import annotations

from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.query.bounds import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from jpllmkg.query.engine import engine_for
from jpllmkg.query.query_layer import QueryLayer
from jpllmkg.query.results import QueryResult
from jpllmkg.query.sparql_text import ReadQuery


class Graph(QueryLayer):
    """A loaded knowledge graph with its saved queries, run on the embedded engine.

    Every query passes the checks of :class:`jpllmkg.query.query_layer.QueryLayer` (read gate,
    known IRIs, timeout, row cap; the embedded engines never go to the network). Queries see
    the ontology's entailments (the inferred graph, :mod:`jpllmkg.graph.inference`) unless
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
        self.engine = engine_for(kg, engine, inferred=inferred)

    def select(self, query: ReadQuery, where: str, limit: int | None = None) -> QueryResult:
        """At most ``limit`` rows of a checked query, from the embedded engine."""
        return self.engine.select(query, where=where, timeout=self.timeout, limit=limit)

    def label(self, node, lang: str = "en") -> str:
        """The node's label in ``lang``."""
        return self.kg.label(node, lang)

    def why(self, entity: str, lang: str = "en", inferred: bool = False) -> list:
        """Every statement about ``entity`` (a CURIE or IRI) with its sources, kind of support
        and ``file:line``: a list of :class:`jpllmkg.query.why.Statement`, what ``jpllmkg why``
        prints (the ontology's entailments too with ``inferred``)."""
        from jpllmkg.query.why import why

        node = self.kg.resolve(entity)
        return why(self.kg, node, lang=lang, inferred=inferred, timeout=self.timeout)
