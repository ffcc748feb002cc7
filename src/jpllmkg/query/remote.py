"""The saved queries of a project, run on a remote SPARQL endpoint instead of the embedded engine.

The query text is bound exactly as locally (a VALUES block; the ``service`` parameter names
the SERVICE endpoint), and labels of result IRIs are fetched from the same endpoint in one
batched query, so ``jpllmkg query NAME --endpoint URL`` prints the same table as locally when
the endpoint holds the same graph.

The endpoint does not know the project's prefixes, so every text is sent in full, with a
PREFIX line for each of them it uses (:attr:`jpllmkg.query.sparql_text.ReadQuery.full_text`).

Every text is checked exactly as locally before any request
(:class:`jpllmkg.query.query_layer.QueryLayer`): only a SELECT or ASK query is ever sent, so an
update (which some stores, e.g. Virtuoso, would run when posted as a query) never reaches the
endpoint. Federated queries are allowed here (the
endpoint makes the SERVICE call). IRI parameters are checked with an ASK on the endpoint
(:mod:`jpllmkg.query.known_iris`). The timeout bounds each request; the row cap is applied to the
answer once received.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from jpllmkg.graph.labels import choose_label
from jpllmkg.graph.project import Project
from jpllmkg.query.bounds import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from jpllmkg.query.query_files import SavedQuery
from jpllmkg.query.query_layer import QueryLayer
from jpllmkg.query.results import QueryResult
from jpllmkg.query.sparql_client import Credentials, SparqlClient
from jpllmkg.query.sparql_text import ReadQuery, read_query

LABEL_BATCH = 200


class RemoteGraph(QueryLayer):
    """The project's queries, checked as locally, run on a SPARQL endpoint."""

    def __init__(
        self,
        project: Project,
        endpoint: str,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
    ) -> None:
        super().__init__(project, timeout, max_rows, check_iris=True)
        self.engine = SparqlClient(
            endpoint, timeout=self.timeout, credentials=Credentials.from_env()
        )
        self.labels: dict[URIRef, list[tuple[URIRef, Literal]]] = {}

    def bound_query(self, query: SavedQuery, bound: dict) -> ReadQuery:
        """As locally, then parsed again: the endpoint's parser, not ours, reads what is sent."""
        where = f"query {query.name!r}"
        return read_query(super().bound_query(query, bound).text, where)

    def run_checked(self, query: ReadQuery, where: str) -> QueryResult:
        """Run a checked query on the endpoint, then fetch the labels of its IRIs."""
        result = super().run_checked(query, where)
        self.fetch_labels({t for row in result for t in row.values() if isinstance(t, URIRef)})
        return result

    def select(self, query: ReadQuery, where: str, limit: int | None = None) -> QueryResult:
        """At most ``limit`` rows of a checked query, from the endpoint (its full text)."""
        result = self.engine.select(query.full_text, where=where)
        if limit is not None:
            del result.rows[limit:]
        return result

    def fetch_labels(self, nodes: set[URIRef]) -> None:
        """Fetch rdfs:label and skos:prefLabel of ``nodes`` not seen yet, in batches."""
        todo = sorted(n for n in nodes if n not in self.labels)
        for start in range(0, len(todo), LABEL_BATCH):
            batch = todo[start : start + LABEL_BATCH]
            for node in batch:
                self.labels[node] = []
            values = " ".join(node.n3() for node in batch)
            result = self.engine.select(
                f"SELECT ?node ?property ?label WHERE {{ VALUES ?node {{ {values} }} "
                f"VALUES ?property {{ {RDFS.label.n3()} {SKOS.prefLabel.n3()} }} "
                "?node ?property ?label }",
                where="label query",
            )
            for row in result:
                self.labels[row["node"]].append((row["property"], row["label"]))

    def label(self, node, lang: str = "en") -> str:
        """As :meth:`jpllmkg.graph.loader.KnowledgeGraph.label`, from the labels fetched
        remotely."""
        return choose_label(node, self.labels.get(node, []), lang)
