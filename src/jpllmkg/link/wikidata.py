"""Wikidata as an external dataset: its items (wd:Q…), its SPARQL endpoint (or a copy shaped like
it), the batched VALUES queries it is asked, and the facts `--fetch` keeps: official website
(P856), inception (P571), country (P17) and ja/en labels, each in the form it takes.

The default endpoint is Wikidata's public one; tests point ``--endpoint`` at a local oxigraph
server holding a small fixture, so Wikidata itself is never contacted by them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from jpllmkg.graph.namespaces import JPLLM, JPR, WD, WDT, prefix_declarations
from jpllmkg.link.dataset import ExternalDataset
from jpllmkg.link.facts import is_date, is_web_iri, label_problem

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
MAX_LABEL_LENGTH = 250  # Wikidata's own limit for a label
# The prefixes the queries below use, from the project's one declaration (jpllmkg.graph.namespaces).
QUERY_PREFIXES = prefix_declarations(("wdt", "rdfs", "skos"))


class Wikidata(ExternalDataset):
    """Wikidata: links by hand in graph/external/mappings.tsv, classes from P31."""

    name = "wikidata"
    title = "Wikidata"
    namespace = WD
    prefix = "wd"
    item = re.compile(re.escape(str(WD)) + "Q[1-9][0-9]*")
    item_text = "a Wikidata item (wd:Q…)"
    endpoint = WIKIDATA_SPARQL
    batch = 50
    # A few websites, dates, countries, classes and labels each: an answer with more is not a
    # Wikidata answer to these queries.
    max_rows_per_value = 100
    mappings_file = Path("graph") / "external" / "mappings.tsv"
    links_file = Path("graph") / "external" / "wikidata.ttl"
    links_comment = (
        "# Do not edit: edit the table (one row per link, with its justification, evidence,\n"
        "# curator and date) and run the command again. Each link cites the jpllm:ExternalSource\n"
        "# nodes of its see_also column (graph/external/wikidata-evidence.ttl describes them).\n"
        "#   owl:sameAs       the Wikidata item is the same thing as our node;\n"
        "#   skos:exactMatch  the identity is looser; the table's comment column says why.\n"
    )
    candidates_file = Path("dist") / "wikidata-candidates.tsv"
    facts_file = Path("graph") / "generated" / "wikidata-facts.ttl"
    old_facts_file = Path("graph") / "external" / "wikidata-facts.ttl"
    facts_comment = (
        "# Facts cached from a Wikidata SPARQL endpoint about the items linked in\n"
        "# graph/external/wikidata.ttl (the links themselves stay there), with their provenance\n"
        "# (jpr:ext-wikidata-facts: endpoint and retrieval time). Only checked values of\n"
        "# P856, P571, P17 and ja/en labels, and only about those Wikidata items.\n"
    )
    facts_source = JPR["ext-wikidata-facts"]
    facts_text = "official website (P856), inception (P571), country (P17) and the ja/en labels"
    fact_properties = (WDT.P856, WDT.P571, WDT.P17, RDFS.label)
    class_hint = JPLLM.wikidataClass

    def label_query(self, texts: Sequence[Literal]) -> str:
        """Items whose label or alias is exactly one of ``texts``, with P31 classes and ja/en
        labels."""
        values = " ".join(text.n3() for text in texts)
        return (
            QUERY_PREFIXES
            + f"""SELECT ?text ?item ?class ?ja ?en WHERE {{
  VALUES ?text {{ {values} }}
  ?item rdfs:label|skos:altLabel ?text .
  FILTER(STRSTARTS(STR(?item), "{WD}Q"))
  OPTIONAL {{ ?item wdt:P31 ?class }}
  OPTIONAL {{ ?item rdfs:label ?ja FILTER(LANG(?ja) = "ja") }}
  OPTIONAL {{ ?item rdfs:label ?en FILTER(LANG(?en) = "en") }}
}}"""
        )

    def facts_query(self, items: Sequence[URIRef]) -> str:
        """Official website (P856), inception (P571), country (P17) and ja/en labels of
        ``items``."""
        values = " ".join(item.n3() for item in items)
        properties = " ".join(prop.n3() for prop in self.fact_properties)
        return (
            QUERY_PREFIXES
            + f"""SELECT ?item ?property ?value WHERE {{
  VALUES ?item {{ {values} }}
  VALUES ?property {{ {properties} }}
  ?item ?property ?value .
  FILTER(?property != rdfs:label || LANG(?value) IN ("ja", "en"))
}}"""
        )

    def rejection(self, prop: URIRef, value: Node) -> str | None:
        """A website is an http(s) IRI, a country a Wikidata item, an inception a valid date
        and a label a sane ja/en string."""
        if prop == WDT.P856:
            return None if is_web_iri(value) else "website not an http/https IRI"
        if prop == WDT.P17:
            return None if self.is_item(value) else "country not a Wikidata item"
        if prop == WDT.P571:
            return None if is_date(value) else "inception not a valid date"
        return label_problem(value, MAX_LABEL_LENGTH)


DATASET = Wikidata()
