"""Talking to Wikidata's SPARQL endpoint (or a copy shaped like it): batched VALUES queries
through :class:`jpllmkg.sparql_client.SparqlClient`, a descriptive User-Agent and a progress bar.

The default endpoint is Wikidata's public one; tests point ``--endpoint`` at a local oxigraph
server holding a small fixture, so Wikidata itself is never contacted by them. An endpoint's
answer is not trusted: an answer with more rows than a batch can honestly have is refused here,
and :mod:`jpllmkg.linking` checks every row it keeps.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from .namespaces import WDT
from .results import QueryResult
from .sparql_client import EndpointError, SparqlClient, shown, user_agent

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
ENTITY = "http://www.wikidata.org/entity/"
BATCH = 50
# The properties `--fetch` asks for and keeps (labels only in ja and en).
FACT_PROPERTIES = (WDT.P856, WDT.P571, WDT.P17, RDFS.label)
# Rows one asked value (an item, a label) may bring: a few websites, dates, countries, classes
# and labels each. An answer with more is not a Wikidata answer to these queries.
MAX_ROWS_PER_VALUE = 100
PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


class Progress:
    """A one-line progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, total: int, what: str, stream: TextIO | None = None) -> None:
        self.total, self.what, self.done = total, what, 0
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()

    def step(self) -> None:
        """One unit done: redraw the bar."""
        self.done += 1
        if self.live:
            filled = int(30 * self.done / max(self.total, 1))
            self.stream.write(
                f"\r{self.what} [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
            )
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()

    def note(self, text: str) -> None:
        """A message (e.g. a retry) on its own line."""
        self.stream.write(("\n" if self.live else "") + text + "\n")
        self.stream.flush()


def batches(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    """Consecutive slices of ``items`` of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def client(endpoint: str, timeout: float, retries: int) -> SparqlClient:
    """A SPARQL client for a Wikidata-style endpoint, with the linking User-Agent."""
    return SparqlClient(
        endpoint,
        timeout=timeout,
        retries=retries,
        agent=user_agent("Linked Data links for a knowledge graph of Japan's LLM ecosystem"),
    )


def bounded(result: QueryResult, asked: int, url: str, where: str) -> QueryResult:
    """``result`` if it has at most MAX_ROWS_PER_VALUE rows per asked value, else an error."""
    limit = asked * MAX_ROWS_PER_VALUE
    if len(result) > limit:
        raise EndpointError(
            f"{shown(url)} answered the {where} with {len(result)} rows for {asked} values asked, "
            f"more than the {limit} ({MAX_ROWS_PER_VALUE} per value) a Wikidata query service "
            "gives; nothing was written. Check that --endpoint is a Wikidata-style SPARQL "
            "endpoint you trust."
        )
    return result


def label_matches(sparql: SparqlClient, texts: Sequence[Literal]) -> QueryResult:
    """Items whose label or alias is exactly one of ``texts``, with P31 classes and ja/en labels."""
    values = " ".join(text.n3() for text in texts)
    answer = sparql.select(
        PREFIXES
        + f"""SELECT ?text ?item ?class ?ja ?en WHERE {{
  VALUES ?text {{ {values} }}
  ?item rdfs:label|skos:altLabel ?text .
  FILTER(STRSTARTS(STR(?item), "{ENTITY}Q"))
  OPTIONAL {{ ?item wdt:P31 ?class }}
  OPTIONAL {{ ?item rdfs:label ?ja FILTER(LANG(?ja) = "ja") }}
  OPTIONAL {{ ?item rdfs:label ?en FILTER(LANG(?en) = "en") }}
}}""",
        where="reconciliation query",
    )
    return bounded(answer, len(texts), sparql.url, "reconciliation query")


def item_facts(sparql: SparqlClient, items: Sequence[URIRef]) -> QueryResult:
    """Official website (P856), inception (P571), country (P17) and ja/en labels of ``items``."""
    values = " ".join(item.n3() for item in items)
    properties = " ".join(prop.n3() for prop in FACT_PROPERTIES)
    answer = sparql.select(
        PREFIXES
        + f"""SELECT ?item ?property ?value WHERE {{
  VALUES ?item {{ {values} }}
  VALUES ?property {{ {properties} }}
  ?item ?property ?value .
  FILTER(?property != rdfs:label || LANG(?value) IN ("ja", "en"))
}}""",
        where="fact query",
    )
    return bounded(answer, len(items), sparql.url, "fact query")
