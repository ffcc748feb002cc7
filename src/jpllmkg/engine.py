"""The embedded SPARQL engine over the loaded graph (chosen in one place)."""

from __future__ import annotations

from rdflib import Graph

from .errors import QueryFailedError, UsageError
from .results import QueryResult
from .sparql_text import prepare

ENGINES = ("rdflib",)
DEFAULT_ENGINE = "rdflib"


class RdflibEngine:
    """rdflib's own SPARQL engine."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def select(self, text: str, where: str = "query") -> QueryResult:
        """Run a SELECT or ASK query; an ASK gives one row with ?ask."""
        prepared = prepare(text, where)
        try:
            result = self.graph.query(prepared)
        except Exception as error:  # rdflib raises assorted errors while evaluating
            raise QueryFailedError(f"{where} failed on the rdflib engine: {error}.") from None
        if result.type == "ASK":
            from rdflib import Literal

            return QueryResult(["ask"], [{"ask": Literal(bool(result.askAnswer))}])
        if result.type != "SELECT":
            raise UsageError(f"{where}: only SELECT and ASK queries are supported here.")
        variables = [str(v) for v in result.vars]
        rows = [{v: row[i] for i, v in enumerate(variables)} for row in result]
        return QueryResult(variables, rows)


def make_engine(name: str, graph: Graph):
    """The engine called ``name`` over ``graph``."""
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}.")
    return RdflibEngine(graph)
