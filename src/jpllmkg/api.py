"""Python API for notebooks: kg = jpllmkg.load(); kg.query("lineage", model="jpr:takane")."""

from __future__ import annotations

from pathlib import Path

from .binding import bind_values
from .catalogue import QueryCatalogue
from .federation import bind_service, refuse_service
from .loader import KnowledgeGraph
from .loader import load as load_project
from .params import bind_params
from .project import find_project
from .results import QueryResult


class Graph:
    """A loaded knowledge graph with its saved queries."""

    def __init__(self, kg: KnowledgeGraph, engine: str | None = None) -> None:
        self.kg = kg
        self.catalogue = QueryCatalogue(kg.project)
        self.engine = kg.engine(engine)

    def queries(self) -> list[str]:
        """Names of the saved queries."""
        return [q.name for q in self.catalogue]

    def query_text(self, name: str, **params: str) -> str:
        """The saved query's text with its parameters bound (as a VALUES block; a ``service``
        parameter names the endpoint of its SERVICE clause, see :mod:`jpllmkg.federation`)."""
        query = self.catalogue.get(name)
        bound = bind_params(query, {k: str(v) for k, v in params.items()})
        text, bound = bind_service(query.text, bound)
        return bind_values(text, bound)

    def query(self, name: str, **params: str) -> QueryResult:
        """Run a saved query by name with typed, safely bound parameters."""
        return self.run(self.query_text(name, **params), where=f"query {name!r}")

    def sparql(self, text: str) -> QueryResult:
        """Run an ad-hoc SELECT or ASK query (the project's prefixes are predeclared)."""
        return self.run(text, where="ad-hoc query")

    def run(self, text: str, where: str) -> QueryResult:
        """Run query text on the embedded engine, which never goes to the network."""
        refuse_service(text, where)
        return self.engine.select(text, where=where)

    def label(self, node, lang: str = "en") -> str:
        """The node's label in ``lang``."""
        return self.kg.label(node, lang)


def load(
    root: str | Path | None = None,
    engine: str | None = None,
    endpoint: str | None = None,
    timeout: float = 60.0,
) -> Graph:
    """Load the project at ``root`` (default: found from the current directory); with
    ``endpoint``, run its saved queries on that SPARQL endpoint instead (:mod:`jpllmkg.remote`),
    waiting at most ``timeout`` seconds per request."""
    if endpoint:
        from .remote import RemoteGraph

        return RemoteGraph(find_project(root=root), endpoint, timeout=timeout)
    return Graph(load_project(find_project(root=root)), engine=engine)
