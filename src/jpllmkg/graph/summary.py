"""Counts that describe the loaded graph: triples, entities per class, references cited."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from rdflib.namespace import DCTERMS, RDF

from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import JPLLM, JPR


@dataclass
class GraphSummary:
    """What the graph holds, for the validate report and the build's index page."""

    triples: int
    fact_triples: int
    files: int
    entities_per_class: dict[str, int]
    fact_nodes: int
    references_total: int
    references_cited: int
    references_uncited: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


def summarise(kg: KnowledgeGraph) -> GraphSummary:
    """Count the graph's contents (only resources in the jpr: namespace count as entities)."""
    data = kg.data
    per_class: Counter[str] = Counter()
    for subject, cls in data.subject_objects(RDF.type):
        if str(subject).startswith(str(JPR)) and str(cls).startswith(str(JPLLM)):
            per_class[str(cls)[len(str(JPLLM)) :]] += 1
    sources = set(data.subjects(RDF.type, JPLLM.Source))
    # Numbered references: those a report's bibliography lists (numbers are per report).
    references = {s for s in sources if data.value(s, JPLLM.citedIn) is not None}
    cited = {o for o in data.objects(None, DCTERMS.source) if o in references}
    fact_nodes = {s for s in data.subjects(DCTERMS.source, None) if s not in sources}
    fact_files = [f for f in kg.file_triples if f.startswith("graph")]
    return GraphSummary(
        triples=len(data),
        fact_triples=sum(kg.file_triples[f] for f in fact_files),
        files=len(kg.file_triples),
        entities_per_class=dict(sorted(per_class.items())),
        fact_nodes=len(fact_nodes),
        references_total=declared_reference_count(kg),
        references_cited=len(cited),
        references_uncited=sorted(
            (str(r)[len(str(JPR)) :] for r in references - cited), key=_natural
        ),
    )


def declared_reference_count(kg: KnowledgeGraph) -> int:
    """How many numbered references the reports declare (the sum of their jpllm:referenceCount)."""
    data = kg.data
    return sum(
        int(count)
        for report in set(data.subjects(RDF.type, JPLLM.Report))
        for count in data.objects(report, JPLLM.referenceCount)
    )


def _natural(slug: str) -> tuple:
    """Sort key that puts ref-2 before ref-10."""
    head, _, number = slug.rpartition("-")
    return (head, int(number)) if number.isdigit() else (slug, 0)
