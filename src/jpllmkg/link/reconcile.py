"""Candidates for review: our unlinked entities matched with an external dataset's items by
exact ja/en label or alias, scored by label similarity and class agreement. ``propose`` never
writes links: its candidates go to a TSV outside the curated folders.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from jpllmkg.errors import UsageError
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import JPR, compact
from jpllmkg.link.dataset import ExternalDataset, retry_reporter
from jpllmkg.link.mappings import links
from jpllmkg.query.sparql_client import SparqlClient
from jpllmkg.shared import Progress

# The folders of curated input: candidates for review never go there.
CURATED_FOLDERS = ("graph", "ontology", "queries")
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
    """One of our nodes to reconcile: its class, its names and the dataset's classes (as
    ExternalDataset.class_name) that agree with its class (the dataset's class hint)."""

    iri: URIRef
    cls: URIRef
    labels: dict[str, str]
    names: list[str] = field(default_factory=list)
    agreeing: frozenset[str] = frozenset()


@dataclass
class Candidate:
    """An item of the dataset proposed for one of our entities, with its scores."""

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


def unlinked_entities(dataset: ExternalDataset, kg: KnowledgeGraph) -> list[Entity]:
    """Our nodes with no link to ``dataset`` whose class has agreeing classes of the dataset
    (its class hint in ontology/jpllm.ttl, e.g. jpllm:wikidataClass)."""
    linked = links(dataset, kg)
    entities = []
    for node in sorted(set(kg.data.subjects(RDF.type, None))):
        if not isinstance(node, URIRef) or not str(node).startswith(str(JPR)) or node in linked:
            continue
        cls = dataset.reconciled_class(kg, node)
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
        entities.append(Entity(node, cls, labels, names, dataset.agreeing_classes(kg, cls)))
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
    """1 when a class of the item fits our class, 0 when none does, 0.5 when it has none."""
    if not classes:
        return 0.5
    return 1.0 if classes & entity.agreeing else 0.0


def propose(
    dataset: ExternalDataset, kg: KnowledgeGraph, sparql: SparqlClient, progress_stream=None
) -> tuple[list[Entity], list[Candidate]]:
    """Reconcile unlinked entities by exact ja/en label or alias, batched; score candidates."""
    entities = unlinked_entities(dataset, kg)
    by_text: dict[Literal, list[Entity]] = {}
    for entity in entities:
        for name in entity.names:
            for lang in ("ja", "en"):
                by_text.setdefault(Literal(name, lang=lang), []).append(entity)
    texts = sorted(by_text, key=lambda t: (str(t), t.language))
    chunks = list(dataset.batches(texts))
    progress = Progress(1, progress_stream)
    progress.step("reconciling")
    sparql.on_retry = retry_reporter(sparql.url, progress)
    found: dict[tuple[URIRef, URIRef], Candidate] = {}
    for done, chunk in enumerate(chunks, 1):
        for row in dataset.label_matches(sparql, chunk):
            item, text = row.get("item"), row.get("text")
            if not dataset.is_item(item):
                continue  # not an item: nothing to propose
            for entity in by_text.get(text, []):
                candidate = found.setdefault(
                    (entity.iri, item), Candidate(entity, item, {}, set(), set())
                )
                candidate.matched.add(str(text))
                if row.get("class") is not None:
                    candidate.classes.add(dataset.class_name(row["class"]))
                for lang in ("ja", "en"):
                    if row.get(lang) is not None:
                        candidate.labels[lang] = str(row[lang])
        progress.count(done, len(chunks))
    progress.finish()
    for candidate in found.values():
        candidate.similarity = similarity(candidate.entity.labels, candidate.labels)
        candidate.type_agreement = type_agreement(candidate.entity, candidate.classes)
    ranked = sorted(found.values(), key=lambda c: (str(c.entity.iri), -c.confidence, c.item))
    return entities, ranked


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
                "|".join(sorted(c.classes)),
                "semapv:LexicalMatching",
                "|".join(sorted(c.matched)),
                f"{c.similarity:.3f}",
                f"{c.type_agreement:.1f}",
                f"{c.confidence:.3f}",
            ]
        )
    return buffer.getvalue()


def candidates_path(dataset: ExternalDataset, kg: KnowledgeGraph, out: str | None) -> Path:
    """Where to write candidates: ``out`` or the dataset's candidates_file, never into the
    curated folders (graph/, ontology/, queries/)."""
    root = kg.project.root.resolve()
    default = dataset.candidates_file
    path = Path(out).expanduser().resolve() if out else root / default
    for folder in CURATED_FOLDERS:
        if path.is_relative_to(root / folder):
            raise UsageError(
                f"--out {path} is inside {folder}/: candidates are for review and never go "
                "into graph/, ontology/ or queries/; write them elsewhere (default "
                f"{default.as_posix()}) and publish a link only with its evidence."
            )
    if path.is_dir():
        raise UsageError(f"--out {path} is a directory; give the name of the TSV file to write.")
    return path
