"""The saved queries of a project and the checks every query passes, whatever engine runs it.

:class:`QueryLayer` holds what a local graph (:class:`jpllmkg.query.local.Graph`, the embedded
engine) and a remote one (:class:`jpllmkg.query.remote.RemoteGraph`, a SPARQL endpoint) share: the
catalogue, parameter binding, the read gate (:func:`jpllmkg.query.sparql_text.read_query`: SELECT
or ASK only, never an update), the known-IRI check, the timeout and the row cap. Each subclass
says how a checked query runs (:meth:`QueryLayer.select`) and where labels come from
(:meth:`QueryLayer.label`).
"""

from __future__ import annotations

import sys

from jpllmkg.graph.project import Project
from jpllmkg.query.binding import bind_checked
from jpllmkg.query.bounds import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, row_cap, timeout_seconds
from jpllmkg.query.catalogue import QueryCatalogue
from jpllmkg.query.federation import bind_service
from jpllmkg.query.known_iris import check_known_iris
from jpllmkg.query.params import bind_params
from jpllmkg.query.query_files import SavedQuery
from jpllmkg.query.results import QueryResult
from jpllmkg.query.sparql_text import ReadQuery, read_query


class QueryLayer:
    """Saved and ad-hoc queries of ``project``, checked, bounded by ``timeout`` seconds and
    ``max_rows`` rows (0: no cap; a warning on stderr when it cuts). With ``check_iris`` an
    IRI parameter value must occur in the graph (:mod:`jpllmkg.query.known_iris`)."""

    def __init__(
        self,
        project: Project,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        check_iris: bool = True,
    ) -> None:
        self.catalogue = QueryCatalogue(project)
        self.timeout = timeout_seconds(timeout)
        self.max_rows = row_cap(max_rows)
        self.check_iris = check_iris

    def queries(self) -> list[str]:
        """Names of the saved queries."""
        return [q.name for q in self.catalogue]

    def query_text(self, name: str, **params: str) -> str:
        """The saved query's text with its parameters bound (as a VALUES block; a ``service``
        parameter names the endpoint of its SERVICE clause, see :mod:`jpllmkg.query.federation`)."""
        query = self.catalogue.get(name)
        return self.bound_query(query, bind_params(query, _texts(params))).text

    def query(self, name: str, **params: str) -> QueryResult:
        """Run a saved query by name with typed, safely bound parameters; an IRI value the
        graph does not know is refused (:mod:`jpllmkg.query.known_iris`)."""
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

    def bound_query(self, query: SavedQuery, bound: dict) -> ReadQuery:
        """The saved query with its values bound, checked: its text was parsed (cached) and a
        VALUES block keeps what it is (:func:`jpllmkg.query.binding.bind_checked`)."""
        where = f"query {query.name!r}"
        text, values = bind_service(query.text, bound, where)
        return bind_checked(read_query(text, where), values)

    def select(self, query: ReadQuery, where: str, limit: int | None = None) -> QueryResult:
        """At most ``limit`` rows of a checked query, from this layer's engine."""
        raise NotImplementedError

    def label(self, node, lang: str = "en") -> str:
        """The node's label in ``lang``."""
        raise NotImplementedError


def _texts(params: dict) -> dict[str, str]:
    return {name: str(value) for name, value in params.items()}
