"""Links to Wikidata: propose candidates for unlinked entities; fetch facts for linked ones.

Published links live in graph/external/wikidata.ttl with their evidence in
graph/external/mappings.tsv (DESIGN.md section 7, practice 8). This module never writes links:
``propose`` writes candidates for review to a TSV outside graph/, and ``fetch`` caches a small
declared set of facts about already-linked items in graph/external/wikidata-facts.ttl.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .errors import UsageError
from .loader import KnowledgeGraph
from .namespaces import JPLLM, JPR, SCHEMA, WDT, bind_prefixes, compact
from .sparql_client import SparqlClient
from .wikidata_client import ENTITY, Progress, batches, item_facts, label_matches

LINK_PREDICATES = (OWL.sameAs, SKOS.exactMatch)
FACTS_FILE = Path("graph") / "external" / "wikidata-facts.ttl"
FACTS_SOURCE = JPR["ext-wikidata-facts"]
WD = "http://www.wikidata.org/entity/Q"

# Direct P31 classes that agree with each of our classes, most specific first. They are used
# only to score candidates for review, never published.
TYPE_CLASSES: dict[URIRef, frozenset[str]] = {
    JPLLM.LocalGovernment: frozenset(
        {"Q494721", "Q1749269", "Q1137833", "Q515"}  # city of Japan, designated, core; city
    ),
    JPLLM.ResearchInstitute: frozenset({"Q31855", "Q43229"}),  # research institute; organization
    JPLLM.GovernmentBody: frozenset({"Q327333", "Q43229"}),  # government agency; organization
    JPLLM.Company: frozenset(  # business, company, public company, enterprise
        {"Q4830453", "Q783794", "Q891723", "Q6881511"}
    ),
    JPLLM.Organization: frozenset({"Q43229", "Q4830453", "Q783794", "Q327333"}),
    JPLLM.LanguageModel: frozenset({"Q115305900"}),  # large language model
    JPLLM.ModelFamily: frozenset({"Q115305900"}),
    JPLLM.Law: frozenset({"Q7748", "Q820655"}),  # law, statute
}
CANDIDATE_COLUMNS = (
    "subject_id",
    "subject_label",
    "subject_category",
    "predicate_id",
    "object_id",
    "object_label",
    "object_category",
    "mapping_justification",
    "match_string",
    "similarity_score",
    "type_agreement",
    "confidence",
)
_SUFFIXES = re.compile(r"株式会社|\b(inc|ltd|co|corp|corporation|llc)\b\.?", re.I)


@dataclass
class Entity:
    """One of our nodes to reconcile: its class and its names."""

    iri: URIRef
    cls: URIRef
    labels: dict[str, str]
    names: list[str] = field(default_factory=list)


@dataclass
class Candidate:
    """A Wikidata item proposed for one of our entities, with its scores."""

    entity: Entity
    item: URIRef
    labels: dict[str, str]
    classes: set[str]
    matched: set[str]
    similarity: float = 0.0
    type_agreement: float = 0.0

    @property
    def confidence(self) -> float:
        return round(0.6 * self.similarity + 0.4 * self.type_agreement, 3)


def links(kg: KnowledgeGraph) -> dict[URIRef, tuple[URIRef, URIRef]]:
    """Our nodes linked to a Wikidata item: node -> (predicate, item)."""
    found = {}
    for predicate in LINK_PREDICATES:
        for node, item in kg.data.subject_objects(predicate):
            if isinstance(node, URIRef) and str(item).startswith(WD):
                found[node] = (predicate, item)
    return found


def _class_of(kg: KnowledgeGraph, node: URIRef) -> URIRef | None:
    """The most specific of our reconciled classes that ``node`` is an instance of."""
    types = set(kg.data.objects(node, RDF.type))
    for cls in TYPE_CLASSES:  # most specific first
        if cls in types or any(
            cls in kg.data.transitive_objects(t, RDFS.subClassOf) for t in types
        ):
            return cls
    return None


def unlinked_entities(kg: KnowledgeGraph) -> list[Entity]:
    """Organizations, models, families, laws and local governments with no Wikidata link."""
    linked = links(kg)
    entities = []
    for node in sorted(set(kg.data.subjects(RDF.type, None))):
        if not isinstance(node, URIRef) or not str(node).startswith(str(JPR)) or node in linked:
            continue
        cls = _class_of(kg, node)
        if cls is None:
            continue
        labels = {
            value.language: str(value)
            for value in kg.data.objects(node, RDFS.label)
            if isinstance(value, Literal) and value.language in ("ja", "en")
        }
        names = sorted(
            set(labels.values()) | {str(v) for v in kg.data.objects(node, SKOS.altLabel)}
        )
        entities.append(Entity(node, cls, labels, names))
    return entities


def normalise(text: str) -> str:
    """A label for comparison: NFKC, case-folded, without company suffixes, spaces, punctuation."""
    text = _SUFFIXES.sub("", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in text if c.isalnum())


def similarity(ours: dict[str, str], theirs: dict[str, str]) -> float:
    """The best similarity of our label and the item's label in the same language (ja, en)."""
    scores = [
        difflib.SequenceMatcher(None, normalise(ours[lang]), normalise(theirs[lang])).ratio()
        for lang in ("ja", "en")
        if ours.get(lang) and theirs.get(lang)
    ]
    return round(max(scores, default=0.0), 3)


def type_agreement(entity: Entity, classes: set[str]) -> float:
    """1 when a P31 class fits our class, 0 when none does, 0.5 when the item has no P31."""
    if not classes:
        return 0.5
    return 1.0 if classes & TYPE_CLASSES[entity.cls] else 0.0


def propose(
    kg: KnowledgeGraph, sparql: SparqlClient, progress_stream=None
) -> tuple[list[Entity], list[Candidate]]:
    """Reconcile unlinked entities by exact ja/en label or alias, batched; score candidates."""
    entities = unlinked_entities(kg)
    by_text: dict[Literal, list[Entity]] = {}
    for entity in entities:
        for name in entity.names:
            for lang in ("ja", "en"):
                by_text.setdefault(Literal(name, lang=lang), []).append(entity)
    texts = sorted(by_text, key=lambda t: (str(t), t.language))
    chunks = list(batches(texts))
    progress = Progress(len(chunks), "reconciling", progress_stream)
    sparql.on_retry = _retry_reporter(sparql.url, progress)
    found: dict[tuple[URIRef, URIRef], Candidate] = {}
    for chunk in chunks:
        for row in label_matches(sparql, chunk):
            item, text = row["item"], row["text"]
            for entity in by_text.get(text, []):
                candidate = found.setdefault(
                    (entity.iri, item), Candidate(entity, item, {}, set(), set())
                )
                candidate.matched.add(str(text))
                if row.get("class") is not None:
                    candidate.classes.add(str(row["class"]).removeprefix(ENTITY))
                for lang in ("ja", "en"):
                    if row.get(lang) is not None:
                        candidate.labels[lang] = str(row[lang])
        progress.step()
    for candidate in found.values():
        candidate.similarity = similarity(candidate.entity.labels, candidate.labels)
        candidate.type_agreement = type_agreement(candidate.entity, candidate.classes)
    ranked = sorted(found.values(), key=lambda c: (str(c.entity.iri), -c.confidence, c.item))
    return entities, ranked


def _retry_reporter(url: str, progress: Progress):
    def on_retry(error: BaseException, delay: float) -> None:
        progress.note(f"jpllmkg: {url} did not answer ({error}); retrying in {delay:g} s")

    return on_retry


def candidates_tsv(candidates: list[Candidate]) -> str:
    """The candidates as an SSSOM-style TSV for review (lexical matches, not curated links)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(CANDIDATE_COLUMNS)
    for c in candidates:
        writer.writerow(
            [
                compact(str(c.entity.iri)),
                c.entity.labels.get("en") or c.entity.labels.get("ja", ""),
                compact(str(c.entity.cls)),
                "skos:exactMatch",
                compact(str(c.item)),
                " / ".join(c.labels[lang] for lang in ("ja", "en") if lang in c.labels),
                "|".join(f"wd:{q}" for q in sorted(c.classes)),
                "semapv:LexicalMatching",
                "|".join(sorted(c.matched)),
                f"{c.similarity:.3f}",
                f"{c.type_agreement:.1f}",
                f"{c.confidence:.3f}",
            ]
        )
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def candidates_path(kg: KnowledgeGraph, out: str | None) -> Path:
    """Where to write candidates: ``out`` or dist/wikidata-candidates.tsv, never under graph/."""
    root = kg.project.root.resolve()
    path = Path(out).expanduser().resolve() if out else root / "dist" / "wikidata-candidates.tsv"
    if path.is_relative_to(root / "graph"):
        raise UsageError(
            f"{path}: candidates are for review and never go into graph/; write them elsewhere "
            "(default dist/wikidata-candidates.tsv) and publish a link only with its evidence."
        )
    return path


def fetch(
    kg: KnowledgeGraph, sparql: SparqlClient, progress_stream=None, today=None
) -> tuple[Graph, int]:
    """The declared facts (P856, P571, P17, ja/en labels) of every linked item, with provenance."""
    items = sorted({item for _, item in links(kg).values()})
    chunks = list(batches(items))
    progress = Progress(len(chunks), "fetching", progress_stream)
    sparql.on_retry = _retry_reporter(sparql.url, progress)
    facts = Graph()
    bind_prefixes(facts)
    facts.bind("wdt", WDT)
    for chunk in chunks:
        for row in item_facts(sparql, chunk):
            value = _checked(row["property"], row["value"])
            if value is not None:
                facts.add((row["item"], row["property"], value))
                facts.add((row["item"], DCTERMS.source, FACTS_SOURCE))
        progress.step()
    when = today or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    _describe_source(facts, sparql.url, when, len(items))
    return facts, len(items)


def _checked(prop: URIRef, value):
    """The value if it has the form the property takes here, else None (skipped)."""
    if prop == WDT.P856:
        ok = isinstance(value, URIRef) and str(value).startswith(("http://", "https://"))
    elif prop == WDT.P17:
        ok = isinstance(value, URIRef) and str(value).startswith(WD)
    elif prop == WDT.P571:
        ok = isinstance(value, Literal) and value.language is None
    else:
        ok = isinstance(value, Literal) and value.language in ("ja", "en")
    return value if ok else None


def _describe_source(facts: Graph, endpoint: str, when: datetime.datetime, items: int) -> None:
    source = FACTS_SOURCE
    facts.add((source, RDF.type, JPLLM.ExternalSource))
    facts.add((source, RDFS.label, Literal("Wikidata から取得した事実", lang="ja")))
    facts.add((source, RDFS.label, Literal("Facts fetched from Wikidata", lang="en")))
    facts.add((source, DCTERMS.title, Literal(f"SPARQL results from {endpoint}")))
    facts.add((source, SCHEMA.url, Literal(endpoint, datatype=XSD.anyURI)))
    facts.add((source, PROV.generatedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
    facts.add((source, DCTERMS.source, source))  # the endpoint's answer is its own evidence
    facts.add(
        (
            source,
            JPLLM.note,
            Literal(
                f"Written by 'jpllmkg link wikidata --fetch' from {endpoint} for the {items} "
                "Wikidata items linked in graph/external/wikidata.ttl: official website (P856), "
                "inception (P571), country (P17) and the ja/en labels. Regenerate it rather than "
                "editing it.",
                lang="en",
            ),
        )
    )


def facts_turtle(facts: Graph) -> str:
    """The facts file's text: a header comment, then sorted Turtle."""
    header = (
        "# Generated by 'jpllmkg link wikidata --fetch': facts cached from a Wikidata SPARQL\n"
        "# endpoint about the items linked in wikidata.ttl, with their provenance\n"
        "# (jpr:ext-wikidata-facts). Do not edit by hand: fetch again.\n\n"
    )
    return header + facts.serialize(format="turtle")


def write_facts(kg: KnowledgeGraph, facts: Graph) -> Path:
    """Write graph/external/wikidata-facts.ttl atomically; return its path."""
    path = kg.project.root / FACTS_FILE
    write_atomically(path, facts_turtle(facts))
    return path
