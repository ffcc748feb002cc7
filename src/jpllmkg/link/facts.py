"""Facts about linked items: ``fetch`` caches a small declared set of facts about the items of an
external dataset that our nodes are linked to, in the dataset's generated facts file.

The endpoint is not trusted: a fetched value is kept only for an item that was asked for,
under a declared property, in the form that property takes (the dataset's check, built from
the value checks here); everything else is counted by kind and dropped. The facts' subjects
are the dataset's items only.
"""

from __future__ import annotations

import datetime
import unicodedata
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from jpllmkg.errors import UsageError
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import JPLLM, SCHEMA, bind_prefixes
from jpllmkg.link.dataset import ExternalDataset, retry_reporter
from jpllmkg.link.mappings import links
from jpllmkg.query.sparql_client import EndpointError, SparqlClient, shown
from jpllmkg.shared import Progress, atomic_write

# Characters Turtle's IRIREF production excludes (besides controls and space).
IRI_EXCLUDED = frozenset('<>"{}|^`\\')
MAX_URL_LENGTH = 2048
DATE_TYPES = {XSD.dateTime: "dateTime", XSD.date: "date", XSD.gYear: "gYear"}


@dataclass
class FetchReport:
    """What a fetch kept and what it dropped: the facts graph, the items asked for, the number
    of values accepted and the rejected ones counted by reason."""

    facts: Graph
    items: int
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """One line: accepted N, rejected M (reason: count, ...)."""
        reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(self.rejected.items()))
        rejected = sum(self.rejected.values())
        return f"accepted {self.accepted}, rejected {rejected}" + (
            f" ({reasons})" if reasons else ""
        )


def fetch(
    dataset: ExternalDataset,
    kg: KnowledgeGraph,
    sparql: SparqlClient,
    progress_stream=None,
    today=None,
) -> FetchReport:
    """The declared facts (``dataset.fact_properties``) of every linked item, checked, with
    provenance; nothing the checks reject is kept."""
    items = sorted({item for _, item in links(dataset, kg).values()})
    chunks = list(dataset.batches(items))
    progress = Progress(1, progress_stream)
    progress.step("fetching")
    sparql.on_retry = retry_reporter(sparql.url, progress)
    report = FetchReport(Graph(), len(items))
    bind_prefixes(report.facts)
    labelled: set[tuple[Node, str]] = set()
    for done, chunk in enumerate(chunks, 1):
        asked = set(chunk)
        rows = dataset.item_facts(sparql, chunk).rows
        for row in sorted(rows, key=_row_order):
            item, prop, value = row.get("item"), row.get("property"), row.get("value")
            reason = rejection(dataset, item, prop, value, asked)
            if reason is None and prop == RDFS.label:
                if (item, value.language) in labelled:
                    reason = "second label in one language"
                labelled.add((item, value.language))
            if reason:
                report.rejected[reason] += 1
                continue
            report.accepted += 1
            report.facts.add((item, prop, value))
            report.facts.add((item, DCTERMS.source, dataset.facts_source))
        progress.count(done, len(chunks))
    progress.finish()
    if items and not report.accepted:
        raise EndpointError(
            f"{shown(sparql.url)} answered the fact query for {len(items)} linked items with no "
            f"value that passes the checks ({report.summary()}); nothing was written, and "
            f"{dataset.facts_file} (if any) is kept as it was. Check that --endpoint is a "
            f"{dataset.title}-style SPARQL endpoint."
        )
    when = today or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    _describe_source(dataset, report, shown(sparql.url), when)  # never a user:password part
    return report


def _row_order(row: dict) -> tuple[str, ...]:
    """A fixed order of answer rows, so the same answer keeps the same label whatever its order."""
    return tuple(str(row.get(name)) for name in ("item", "property", "value"))


def rejection(dataset: ExternalDataset, item, prop, value, asked: set[URIRef]) -> str | None:
    """Why a row of the fact query's answer is not kept, or None when it is."""
    if item is None or prop is None or value is None:
        return "incomplete row"
    if item not in asked:
        return "unrequested item"
    if prop not in dataset.fact_properties:
        return "undeclared property"
    return dataset.rejection(prop, value)


def is_web_iri(value: Node) -> bool:
    """An http(s) IRI with a host, that Turtle can write as it is."""
    if not isinstance(value, URIRef) or len(value) > MAX_URL_LENGTH:
        return False
    if any(c in IRI_EXCLUDED or c <= " " or unicodedata.category(c)[0] == "C" for c in value):
        return False
    try:
        parts = urllib.parse.urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed host or port
        return False


_DATE_STORE = pyoxigraph.Store()


def is_date(value: Node) -> bool:
    """An xsd:dateTime, xsd:date or xsd:gYear literal whose text is a valid value of its type
    (checked by oxigraph's XSD parser through a SPARQL cast)."""
    if not isinstance(value, Literal) or value.datatype not in DATE_TYPES:
        return False
    query = f"SELECT ?text (<{XSD}{DATE_TYPES[value.datatype]}>(?text) AS ?cast) {{}}"
    try:
        text = pyoxigraph.Literal(str(value))
        solutions = _DATE_STORE.query(query, substitutions={pyoxigraph.Variable("text"): text})
    except (ValueError, UnicodeError):
        return False
    return next(iter(solutions))["cast"] is not None


def label_problem(value: Node, longest: int) -> str | None:
    """Why ``value`` is not a label we keep (a ja/en string of at most ``longest`` characters,
    not blank, no controls), or None."""
    if not isinstance(value, Literal) or value.language not in ("ja", "en"):
        return "label not a ja/en string"
    if not value.strip() or len(value) > longest:
        return f"label empty or over {longest} characters"
    if any(unicodedata.category(c)[0] == "C" for c in value):
        return "label with control characters"
    return None


def _describe_source(
    dataset: ExternalDataset, report: FetchReport, endpoint: str, when: datetime.datetime
) -> None:
    """The provenance of the fetched facts: the endpoint, the time and what was kept."""
    facts, source = report.facts, dataset.facts_source
    facts.add((source, RDF.type, JPLLM.ExternalSource))
    for lang, label in dataset.facts_labels().items():
        facts.add((source, RDFS.label, Literal(label, lang=lang)))
    facts.add((source, DCTERMS.title, Literal(f"SPARQL results from {endpoint}")))
    facts.add((source, SCHEMA.url, Literal(endpoint, datatype=XSD.anyURI)))
    facts.add((source, PROV.generatedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
    facts.add((source, DCTERMS.source, source))  # the endpoint's answer is its own evidence
    note = dataset.facts_note(endpoint, report.items, report.summary())
    facts.add((source, JPLLM.note, Literal(note, lang="en")))


def facts_turtle(dataset: ExternalDataset, facts: Graph) -> str:
    """The facts file's text: a header comment (the dataset's facts_comment), then sorted
    Turtle."""
    header = f"{dataset.facts_mark}, do not edit: fetch again instead.\n{dataset.facts_comment}\n"
    return header + facts.serialize(format="turtle")


def write_facts(
    dataset: ExternalDataset, kg: KnowledgeGraph, facts: Graph
) -> tuple[Path, str | None]:
    """Write the dataset's facts file atomically, then remove the facts file an earlier version
    wrote among the curated files (if the dataset had one); return the path and a note on that
    old file."""
    root = kg.project.root
    path = root / dataset.facts_file
    atomic_write(path, facts_turtle(dataset, facts))
    if dataset.old_facts_file is None:
        return path, None
    old_file = dataset.old_facts_file
    old = root / old_file
    if not old.is_file():
        return path, None
    with old.open(encoding="utf-8", errors="replace") as stream:
        ours = stream.readline().startswith(dataset.facts_mark)
    if not ours:
        return path, (
            f"{old_file} was not written by this command, so it was left alone; it is "
            "still loaded with the graph."
        )
    try:
        old.unlink()
    except OSError as error:
        raise UsageError(
            f"the facts were written to {dataset.facts_file}, but the old {old_file} cannot be "
            f"removed ({error.strerror or error}); delete it by hand, it is no longer used."
        ) from None
    return path, f"removed {old_file}, written by an earlier version (the facts moved)."
