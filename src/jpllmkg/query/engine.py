"""The embedded SPARQL engines over the loaded graph; the default is chosen here, once.

``oxigraph`` (pyoxigraph) answers queries; ``rdflib`` stays available for comparison
(``--engine rdflib``). Both return the same :class:`QueryResult` of rdflib terms, run only
checked read queries (:func:`jpllmkg.query.sparql_text.read_query`), never a federated one, and run
them in a worker process that is killed at the timeout (:mod:`jpllmkg.query.query_worker`).
"""

from __future__ import annotations

import re
from itertools import islice

from rdflib import Dataset, Graph, URIRef

from jpllmkg.errors import QueryFailedError, UsageError
from jpllmkg.graph.inference import INFERRED_GRAPH
from jpllmkg.graph.loader import KnowledgeGraph, to_rdflib
from jpllmkg.graph.namespaces import PREFIX_IRIS, bind_prefixes
from jpllmkg.query.bounds import DEFAULT_TIMEOUT
from jpllmkg.query.federation import refuse_service
from jpllmkg.query.query_worker import QueryTimeout, QueryWorker, WorkerLost
from jpllmkg.query.results import QueryResult
from jpllmkg.query.sparql_text import ReadQuery, prepare, read_query

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"


class EmbeddedEngine:
    """What both embedded engines share: the read-query gate, the offline guard, the timeout
    and the row limit. :meth:`evaluate` runs in a :class:`QueryWorker` process."""

    name = ""

    def __init__(self) -> None:
        self.worker = QueryWorker(self.evaluate)

    def select(
        self,
        query: ReadQuery | str,
        where: str = "query",
        timeout: float = DEFAULT_TIMEOUT,
        limit: int | None = None,
    ) -> QueryResult:
        """Run a SELECT or ASK query (an ASK gives one row with ?ask), at most ``limit`` rows,
        stopped after ``timeout`` seconds; the text is checked first (:func:`read_query`)."""
        if isinstance(query, str):
            query = read_query(query, where)
        refuse_service(query, where)
        try:
            return self.worker.run((query.text, where, limit), timeout)
        except QueryTimeout:
            raise QueryFailedError(
                f"{where} did not finish within {timeout:g} s on the {self.name} engine, so it "
                "was stopped. Make it more selective (fewer unconnected patterns, a LIMIT), or "
                "give it more time with --timeout SECONDS."
            ) from None
        except WorkerLost:
            raise QueryFailedError(
                f"{where} ended the {self.name} engine's worker process without an answer "
                "(it was killed, perhaps for running out of memory). Make the query more "
                "selective (fewer unconnected patterns, a LIMIT)."
            ) from None

    def evaluate(self, text: str, where: str, limit: int | None) -> QueryResult:
        """At most ``limit`` rows of a checked query; each engine implements it."""
        raise NotImplementedError


class RdflibEngine(EmbeddedEngine):
    """rdflib's own SPARQL engine."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        super().__init__()
        self.graph = graph

    def evaluate(self, text: str, where: str, limit: int | None) -> QueryResult:
        """The rows of a checked query (in the worker); rdflib's errors become one paragraph."""
        prepared = prepare(text, where)
        try:
            result = self.graph.query(prepared)
            if result.type == "ASK":
                return QueryResult.from_ask(bool(result.askAnswer))
            variables = [str(v) for v in result.vars]
            rows = [{v: row[i] for i, v in enumerate(variables)} for row in islice(result, limit)]
        except Exception as error:  # rdflib raises assorted errors while evaluating
            raise QueryFailedError(
                f"{where} failed on the rdflib engine: {type(error).__name__}: {error}. rdflib "
                "stops on some type errors that SPARQL treats as unbound values (e.g. SUM over "
                "text); the default engine (--engine oxigraph) follows the standard."
            ) from None
        return QueryResult(variables, rows)


class OxigraphEngine(EmbeddedEngine):
    """pyoxigraph's store: the loaded project's store, or a new in-memory one filled from an
    rdflib graph.

    A query's default graph is the store's default graph (a loaded project keeps there the
    merge of its files' triples, see :mod:`jpllmkg.graph.loader`), merged with the named graphs
    ``with_graphs`` (the inferred graph): graphs that share no triple, since pyoxigraph's
    union of graphs repeats a solution for every graph that holds the triple. ``FROM`` in a
    query still wins.
    """

    name = "oxigraph"

    def __init__(self, graph: Graph | None = None, store=None, with_graphs=()) -> None:
        import pyoxigraph

        super().__init__()
        if store is None:
            store = pyoxigraph.Store()
            data = graph.serialize(format="nt", encoding="utf-8") if graph is not None else b""
            store.bulk_load(data, pyoxigraph.RdfFormat.N_TRIPLES)
        self.store = store
        self.dataset = {}
        if with_graphs:
            names = [pyoxigraph.NamedNode(str(name)) for name in with_graphs]
            self.dataset = {"default_graph": [pyoxigraph.DefaultGraph(), *names]}

    def evaluate(self, text: str, where: str, limit: int | None) -> QueryResult:
        """The rows of a checked query (in the worker)."""
        import pyoxigraph

        try:
            result = self.store.query(text, prefixes=PREFIX_IRIS, **self.dataset)
            if isinstance(result, pyoxigraph.QueryBoolean):
                return QueryResult.from_ask(bool(result))
            variables = [v.value for v in result.variables]
            rows = [
                {v: to_rdflib(solution[v]) for v in variables} for solution in islice(result, limit)
            ]
        except SyntaxError as error:  # rdflib's parser took it; oxigraph's stricter one did not
            raise UsageError(f"{where}: {_syntax_message(str(error))}") from None
        except Exception as error:  # OSError reading the store, or an evaluation error
            raise QueryFailedError(f"{where} failed on the oxigraph engine: {error}.") from None
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


def engine_for(kg: KnowledgeGraph, name: str | None = None, inferred: bool = True):
    """The SPARQL engine ``name`` (default: the project's) over ``kg``, built once per graph;
    with ``inferred=False`` it sees what the files assert and none of the inferred triples."""
    name = DEFAULT_ENGINE if name is None else name
    if (name, inferred) not in kg.engines:
        if name == "oxigraph":
            graphs = [INFERRED_GRAPH] if inferred else []
            engine = OxigraphEngine(store=kg.store, with_graphs=graphs)
        else:
            engine = make_engine(name, _with_inferred(kg) if inferred else kg.data)
        kg.engines[name, inferred] = engine
    return kg.engines[name, inferred]


def _with_inferred(kg: KnowledgeGraph) -> Dataset:
    """The asserted triples (default graph) and the inferred graph, queried as a union."""
    union = Dataset(default_union=True)
    bind_prefixes(union)
    union.default_graph += kg.data
    union.graph(URIRef(INFERRED_GRAPH)).__iadd__(kg.inferred)
    return union
