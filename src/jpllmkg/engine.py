"""The embedded SPARQL engines over the loaded graph; the default is chosen here, once.

``oxigraph`` (pyoxigraph) answers queries; ``rdflib`` stays available for comparison
(``--engine rdflib``). Both return the same :class:`QueryResult` of rdflib terms.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import QueryFailedError, UsageError
from .namespaces import PREFIXES
from .results import QueryResult
from .sparql_text import prepare

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"
PREFIX_MAP = {name: str(namespace) for name, namespace in PREFIXES.items()}


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
            return QueryResult(["ask"], [{"ask": Literal(bool(result.askAnswer))}])
        if result.type != "SELECT":
            raise UsageError(f"{where}: only SELECT and ASK queries are supported here.")
        variables = [str(v) for v in result.vars]
        rows = [{v: row[i] for i, v in enumerate(variables)} for row in result]
        return QueryResult(variables, rows)


def _to_rdflib(term):
    """An rdflib term for a pyoxigraph term (None stays None)."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


class OxigraphEngine:
    """pyoxigraph's store: the loaded project's store, or a new in-memory one filled from an
    rdflib graph."""

    name = "oxigraph"

    def __init__(self, graph: Graph | None = None, store=None) -> None:
        import pyoxigraph

        if store is None:
            store = pyoxigraph.Store()
            data = graph.serialize(format="nt", encoding="utf-8") if graph is not None else b""
            store.bulk_load(data, pyoxigraph.RdfFormat.N_TRIPLES)
        self.store = store

    def select(self, text: str, where: str = "query") -> QueryResult:
        """Run a SELECT or ASK query; an ASK gives one row with ?ask."""
        import pyoxigraph

        try:
            result = self.store.query(text, prefixes=PREFIX_MAP)
        except SyntaxError as error:
            prepare(text, where)  # rdflib words most syntax errors better
            raise UsageError(f"{where}: {_syntax_message(str(error))}") from None
        except OSError as error:
            raise QueryFailedError(f"{where} failed on the oxigraph engine: {error}.") from None
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult(["ask"], [{"ask": Literal(bool(result))}])
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise UsageError(f"{where}: only SELECT and ASK queries are supported here.")
        variables = [v.value for v in result.variables]
        rows = [{v: _to_rdflib(solution[v]) for v in variables} for solution in result]
        return QueryResult(variables, rows)


def _syntax_message(message: str) -> str:
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if not match:
        return f"SPARQL syntax error: {message}"
    line, column, detail = match.groups()
    detail = "unknown prefix" if "Prefix not found" in detail else " ".join(detail.split())[:200]
    return f"SPARQL syntax error at line {line}, column {column}: {detail}."


def make_engine(name: str, graph: Graph):
    """The engine called ``name`` over ``graph``."""
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}.")
    return OxigraphEngine(graph) if name == "oxigraph" else RdflibEngine(graph)
