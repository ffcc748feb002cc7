"""Python API for notebooks: kg = jpllmkg.load(); kg.query("lineage", model="jpr:takane")."""

from __future__ import annotations

import sys
from pathlib import Path

from .binding import bind_checked
from .bounds import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, row_cap, timeout_seconds
from .catalogue import QueryCatalogue
from .federation import bind_service
from .known_iris import check_known_iris
from .loader import KnowledgeGraph
from .loader import load as load_project
from .params import bind_params
from .project import find_project
from .query_files import SavedQuery
from .results import QueryResult
from .sparql_text import ReadQuery, read_query


class Graph:
    """A loaded knowledge graph with its saved queries.

    Every query is checked before it runs (:func:`jpllmkg.sparql_text.read_query`: SELECT or
    ASK only, never an update, never federated on the embedded engines), stops after
    ``timeout`` seconds, and gives at most ``max_rows`` rows (0: no cap) with a warning on
    stderr when it cuts. With ``check_iris`` (the default) an IRI parameter value must occur
    in the graph (:mod:`jpllmkg.known_iris`). Queries see the ontology's entailments (the
    inferred graph, :mod:`jpllmkg.inference`) unless ``inferred=False``: then only what the
    project's files assert.
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
        self.kg = kg
        self.catalogue = QueryCatalogue(kg.project)
        self.engine = kg.engine(engine, inferred=inferred)
        self.timeout = timeout_seconds(timeout)
        self.max_rows = row_cap(max_rows)
        self.check_iris = check_iris

    def queries(self) -> list[str]:
        """Names of the saved queries."""
        return [q.name for q in self.catalogue]

    def query_text(self, name: str, **params: str) -> str:
        """The saved query's text with its parameters bound (as a VALUES block; a ``service``
        parameter names the endpoint of its SERVICE clause, see :mod:`jpllmkg.federation`)."""
        query = self.catalogue.get(name)
        return self.bound_query(query, bind_params(query, _texts(params))).text

    def query(self, name: str, **params: str) -> QueryResult:
        """Run a saved query by name with typed, safely bound parameters; an IRI value the
        graph does not know is refused (:mod:`jpllmkg.known_iris`)."""
        query = self.catalogue.get(name)
        bound = bind_params(query, _texts(params))
        if self.check_iris:
            check_known_iris(self, query, bound)
        return self.run_checked(self.bound_query(query, bound), where=f"query {name!r}")

    def sparql(self, text: str) -> QueryResult:
        """Run an ad-hoc SELECT or ASK query (the project's prefixes are predeclared)."""
        return self.run(text, where="ad-hoc query")

    def run(self, text: str, where: str) -> QueryResult:
        """Check query text (before anything runs or is sent), run it, and cap its rows."""
        return self.run_checked(read_query(text, where), where)

    def run_checked(self, query: ReadQuery, where: str) -> QueryResult:
        """Run a checked query and cap its rows (with a warning on stderr when it cuts)."""
        limit = self.max_rows + 1 if self.max_rows else None
        result = self.select(query, where, limit)
        if self.max_rows and len(result) > self.max_rows:
            del result.rows[self.max_rows :]
            print(
                f"jpllmkg: warning: {where} has more than {self.max_rows:,} rows; only the "
                f"first {self.max_rows:,} are shown. Use --max-rows N (max_rows=N in Python; "
                "0: no cap) for more.",
                file=sys.stderr,
            )
        return result

    def select(self, query: ReadQuery, where: str, limit: int | None = None) -> QueryResult:
        """At most ``limit`` rows of a checked query, from the embedded engine (which never goes
        to the network)."""
        return self.engine.select(query, where=where, timeout=self.timeout, limit=limit)

    def label(self, node, lang: str = "en") -> str:
        """The node's label in ``lang``."""
        return self.kg.label(node, lang)

    def bound_query(self, query: SavedQuery, bound: dict) -> ReadQuery:
        """The saved query with its values bound, checked: its text was parsed (cached) and a
        VALUES block keeps what it is (:func:`jpllmkg.binding.bind_checked`)."""
        where = f"query {query.name!r}"
        text, values = bind_service(query.text, bound, where)
        return bind_checked(read_query(text, where), values)


def _texts(params: dict) -> dict[str, str]:
    return {name: str(value) for name, value in params.items()}


def load(
    root: str | Path | None = None,
    engine: str | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    inferred: bool = True,
) -> Graph:
    """Load the project at ``root`` (default: found from the current directory); with
    ``endpoint``, run its saved queries on that SPARQL endpoint instead (:mod:`jpllmkg.remote`).
    Each query stops after ``timeout`` seconds and gives at most ``max_rows`` rows (0: all).
    With ``inferred=False`` the embedded engine sees only what the files assert (an endpoint
    holds what ``push`` sent it, the asserted triples)."""
    if endpoint is not None:
        from .remote import RemoteGraph

        return RemoteGraph(find_project(root=root), endpoint, timeout=timeout, max_rows=max_rows)
    return Graph(
        load_project(find_project(root=root)), engine, timeout, max_rows, inferred=inferred
    )
