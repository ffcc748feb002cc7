"""The saved queries of a project, run on a remote SPARQL endpoint instead of the embedded engine.

The query text is bound exactly as locally (a VALUES block; the ``service`` parameter names
the SERVICE endpoint), and labels of result IRIs are fetched from the same endpoint in one
batched query, so ``jpllmkg query NAME --endpoint URL`` prints the same table as locally when
the endpoint holds the same graph.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from .api import Graph
from .catalogue import QueryCatalogue
from .labels import choose_label
from .project import Project
from .results import QueryResult
from .sparql_client import Credentials, SparqlClient

LABEL_BATCH = 200


class RemoteGraph(Graph):
    """A :class:`jpllmkg.api.Graph` whose queries run on a SPARQL endpoint."""

    def __init__(self, project: Project, endpoint: str, timeout: float = 60.0) -> None:
        self.kg = None  # nothing is loaded locally: the endpoint holds the graph
        self.catalogue = QueryCatalogue(project)
        self.engine = SparqlClient(endpoint, timeout=timeout, credentials=Credentials.from_env())
        self.labels: dict[URIRef, list[tuple[URIRef, Literal]]] = {}

    def run(self, text: str, where: str) -> QueryResult:
        """Run query text on the endpoint, then fetch the labels of the IRIs in the result."""
        result = self.engine.select(text, where=where)
        self.fetch_labels({t for row in result for t in row.values() if isinstance(t, URIRef)})
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
        """As :meth:`jpllmkg.loader.KnowledgeGraph.label`, from the labels fetched remotely."""
        return choose_label(node, self.labels.get(node, []), lang)
