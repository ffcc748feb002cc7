"""Python API for notebooks: kg = jpllmkg.load(); kg.query("lineage", model="jpr:takane")."""

from __future__ import annotations

from pathlib import Path

from .binding import bind_values
from .catalogue import QueryCatalogue
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
        """The saved query's text with its parameters bound (as a VALUES block)."""
        query = self.catalogue.get(name)
        return bind_values(query.text, bind_params(query, {k: str(v) for k, v in params.items()}))

    def query(self, name: str, **params: str) -> QueryResult:
        """Run a saved query by name with typed, safely bound parameters."""
        return self.engine.select(self.query_text(name, **params), where=f"query {name!r}")

    def sparql(self, text: str) -> QueryResult:
        """Run an ad-hoc SELECT or ASK query (the project's prefixes are predeclared)."""
        return self.engine.select(text, where="ad-hoc query")

    def label(self, node, lang: str = "en") -> str:
        """The node's label in ``lang``."""
        return self.kg.label(node, lang)


def load(root: str | Path | None = None, engine: str | None = None) -> Graph:
    """Load the project at ``root`` (default: found from the current directory)."""
    return Graph(load_project(find_project(root=root)), engine=engine)
