"""The interface of an external Linked Data dataset, :class:`ExternalDataset`: what the generic
link steps (:mod:`jpllmkg.link.mappings`, :mod:`jpllmkg.link.reconcile`,
:mod:`jpllmkg.link.facts`) need to know about one dataset; what they do alike stays in them.
:mod:`jpllmkg.link.wikidata` is one implementation; :mod:`jpllmkg.link` registers them by name.

An implementation declares its name, its items (namespace, CURIE prefix, IRI pattern), its
default SPARQL endpoint and batch bounds, its files, the class hint of ours that says which of
our classes it proposes links for, the facts it fetches and why a fetched value is rejected,
the texts of its generated files and the two SPARQL queries it is asked.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path

from rdflib import Literal, Namespace, URIRef
from rdflib.term import Node

from jpllmkg.graph.classes import hint, reconciled_class
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.query.results import QueryResult
from jpllmkg.query.sparql_client import EndpointError, SparqlClient, shown, user_agent
from jpllmkg.shared import Progress

AGENT = "Linked Data links for a knowledge graph of Japan's LLM ecosystem"


def retry_reporter(url: str, progress: Progress):
    """An ``on_retry`` for a SparqlClient: a note on ``progress`` before each retry."""

    def on_retry(error: BaseException, delay: float) -> None:
        progress.note(f"jpllmkg: {url} did not answer ({error}); retrying in {delay:g} s")

    return on_retry


class ExternalDataset(ABC):
    """One external dataset we link our (jpr:) nodes to. Subclasses set every annotated class
    attribute below and implement the abstract methods; the others have defaults."""

    name: str  # the target of `jpllmkg link NAME`, e.g. "wikidata"
    title: str  # as messages and labels name it, e.g. "Wikidata"
    namespace: Namespace  # of its items, one of the project's (jpllmkg.graph.namespaces)
    prefix: str  # the CURIE prefix of that namespace, e.g. "wd"
    item: re.Pattern[str]  # the full IRI of one of its items
    item_text: str  # an item, for messages: "a Wikidata item (wd:Q…)"
    endpoint: str  # the default SPARQL endpoint
    batch: int  # values asked per query
    max_rows_per_value: int  # rows one asked value may bring; an answer with more is refused
    mappings_file: Path  # the hand-edited mapping table (project-relative)
    links_file: Path  # generated from the table, loaded with the graph
    links_comment: str  # the comment lines of the links file after its first one
    candidates_file: Path  # where --propose writes by default
    facts_file: Path  # the generated facts file
    facts_comment: str  # the comment lines of the facts file after its first one
    facts_source: URIRef  # the jpllm:ExternalSource node of the fetched facts
    facts_text: str  # the fetched facts in words, for the source's note
    fact_properties: tuple[URIRef, ...]  # the properties --fetch asks for and keeps
    class_hint: URIRef  # the annotation on our classes naming the agreeing external classes
    # Where an earlier version wrote the facts, among the curated files (removed by a fetch).
    old_facts_file: Path | None = None

    def __init__(self) -> None:
        missing = [name for name in ExternalDataset.__annotations__ if not hasattr(self, name)]
        if missing:
            raise TypeError(f"{type(self).__name__} does not set {', '.join(missing)}")

    # ----------------------------------------------------------------------- what it is asked

    @abstractmethod
    def label_query(self, texts: Sequence[Literal]) -> str:
        """SPARQL for the items whose label or alias is exactly one of ``texts``: rows of
        ?text, ?item, and optionally ?class (a class of the item), ?ja and ?en (its labels)."""

    @abstractmethod
    def facts_query(self, items: Sequence[URIRef]) -> str:
        """SPARQL for the declared facts of ``items``: rows of ?item, ?property, ?value."""

    @abstractmethod
    def rejection(self, prop: URIRef, value: Node) -> str | None:
        """Why ``value`` of the declared property ``prop`` is not kept, or None when it is."""

    # ----------------------------------------------------------------------- defaults

    def is_item(self, node: Node | None) -> bool:
        """Whether ``node`` is one of the dataset's items."""
        return isinstance(node, URIRef) and self.item.fullmatch(node) is not None

    def class_name(self, cls: Node) -> str:
        """A class of the dataset as the candidates TSV writes it (``wd:Q5``)."""
        return f"{self.prefix}:{str(cls).removeprefix(str(self.namespace))}"

    def reconciled_class(self, kg: KnowledgeGraph, node: Node) -> URIRef | None:
        """The class of ours ``node`` is reconciled as (see classes.reconciled_class), or None
        when none of its types has the dataset's class hint."""
        return reconciled_class(kg, node, self.class_hint)

    def agreeing_classes(self, kg: KnowledgeGraph, cls: URIRef) -> frozenset[str]:
        """The dataset's classes that agree with our ``cls`` (its class hint), as class_name."""
        return frozenset(self.class_name(c) for c in hint(kg, cls, self.class_hint))

    def client(self, endpoint: str, timeout: float, retries: int) -> SparqlClient:
        """A SPARQL client for ``endpoint``, with the linking User-Agent."""
        return SparqlClient(endpoint, timeout=timeout, retries=retries, agent=user_agent(AGENT))

    def batches(self, values: Sequence) -> Iterator[Sequence]:
        """Consecutive slices of ``values`` of at most ``batch``."""
        for start in range(0, len(values), self.batch):
            yield values[start : start + self.batch]

    def label_matches(self, sparql: SparqlClient, texts: Sequence[Literal]) -> QueryResult:
        """The answer to label_query, bounded."""
        return self._ask(sparql, self.label_query(texts), len(texts), "reconciliation query")

    def item_facts(self, sparql: SparqlClient, items: Sequence[URIRef]) -> QueryResult:
        """The answer to facts_query, bounded."""
        return self._ask(sparql, self.facts_query(items), len(items), "fact query")

    def _ask(self, sparql: SparqlClient, query: str, asked: int, where: str) -> QueryResult:
        """The answer to ``query`` if it has at most max_rows_per_value rows per asked value,
        else an EndpointError: an endpoint's answer is not trusted."""
        result = sparql.select(query, where=where)
        limit = asked * self.max_rows_per_value
        if len(result) > limit:
            raise EndpointError(
                f"{shown(sparql.url)} answered the {where} with {len(result)} rows for {asked} "
                f"values asked, more than the {limit} ({self.max_rows_per_value} per value) a "
                f"{self.title} query service gives; nothing was written. Check that --endpoint "
                f"is a {self.title}-style SPARQL endpoint you trust."
            )
        return result

    @property
    def links_mark(self) -> str:
        """The start of the links file's first line."""
        return f"# Generated by 'jpllmkg link {self.name} --write-links'"

    @property
    def facts_mark(self) -> str:
        """The start of the facts file's first line (how a fetch knows a file is its own)."""
        return f"# Generated by 'jpllmkg link {self.name} --fetch'"

    def facts_labels(self) -> dict[str, str]:
        """The ja and en labels of the facts' source node."""
        return {"ja": f"{self.title} から取得した事実", "en": f"Facts fetched from {self.title}"}

    def facts_note(self, endpoint: str, items: int, summary: str) -> str:
        """The note of the facts' source node: how they were fetched and checked."""
        return (
            f"Written by 'jpllmkg link {self.name} --fetch' from {endpoint} for the {items} "
            f"{self.title} items linked in {self.links_file.as_posix()}: {self.facts_text}, "
            f"each checked for its form ({summary}). Regenerate it rather than editing it."
        )
