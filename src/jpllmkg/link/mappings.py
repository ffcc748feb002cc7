"""The published links to an external dataset: written once, by hand, as rows of its mapping
table (an SSSOM-style TSV with each link's justification, evidence, curator and date;
DESIGN.md section 7, practice 8), and generated from it into the links file the loader reads,
each link with the ``dcterms:source`` of its evidence.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from jpllmkg.errors import UsageError
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import JPR, bind_prefixes, compact, expand
from jpllmkg.link.dataset import ExternalDataset
from jpllmkg.shared import atomic_write

LINK_PREDICATES = (OWL.sameAs, SKOS.exactMatch)
MAPPING_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "see_also")
CURATED = "semapv:ManualMappingCuration"


@dataclass(frozen=True)
class Mapping:
    """One published link, a row of the mapping table: our node, the link predicate, the
    dataset's item and the sources of the evidence (the row's see_also)."""

    subject: URIRef
    predicate: URIRef
    item: URIRef
    sources: tuple[URIRef, ...]


def links(dataset: ExternalDataset, kg: KnowledgeGraph) -> dict[URIRef, tuple[URIRef, URIRef]]:
    """Our (jpr:) nodes linked to an item of ``dataset``: node -> (predicate, item)."""
    found = {}
    for predicate in LINK_PREDICATES:
        for node, item in kg.data.subject_objects(predicate):
            if isinstance(node, URIRef) and node.startswith(str(JPR)) and dataset.is_item(item):
                found[node] = (predicate, item)
    return found


def read_mappings(dataset: ExternalDataset, path: Path) -> list[Mapping]:
    """The links of an SSSOM-style TSV (its ``#`` metadata lines skipped), each row checked;
    a UsageError naming the file, the line and what is wrong with it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the mapping table {path}: {error}.") from None
    numbered = [(n, line) for n, line in enumerate(lines, 1) if not line.startswith("#")]
    rows = list(csv.reader([line for _, line in numbered], delimiter="\t", quoting=csv.QUOTE_NONE))
    header = rows[0] if rows else []
    missing = [column for column in MAPPING_COLUMNS if column not in header]
    if missing:
        raise UsageError(
            f"{path}: the header row lacks the column(s) {', '.join(missing)}; a mapping table "
            f"has at least {', '.join(MAPPING_COLUMNS)} (SSSOM names), tab-separated."
        )
    mappings, linked = [], {}
    for (number, _), cells in zip(numbered[1:], rows[1:], strict=True):
        where = f"{path}, line {number}"
        if len(cells) != len(header):
            raise UsageError(
                f"{where} has {len(cells)} tab-separated fields where the header has "
                f"{len(header)}; give every column a value (an empty one is allowed)."
            )
        mapping = _mapping(dataset, dict(zip(header, cells, strict=True)), where)
        if mapping.subject in linked:
            raise UsageError(
                f"{where} links {compact(str(mapping.subject))} again (line "
                f"{linked[mapping.subject]} links it already); one row per linked node."
            )
        linked[mapping.subject] = number
        mappings.append(mapping)
    return mappings


def _mapping(dataset: ExternalDataset, row: dict[str, str], where: str) -> Mapping:
    """The link of one table row, or a UsageError saying which cell is wrong."""

    def iri(column: str, value: str, fits, expected: str) -> URIRef:
        full = expand(value)
        if full is None or not fits(full):
            raise UsageError(
                f"{where}: {column} {value!r} is not {expected}; write it as a CURIE with the "
                f"project's prefixes (jpr:, {dataset.prefix}:, owl:, skos:)."
            )
        return URIRef(full)

    def ours(full: str) -> bool:
        return full.startswith(str(JPR)) and full != str(JPR)

    if row["mapping_justification"] != CURATED:
        raise UsageError(
            f"{where}: mapping_justification is {row['mapping_justification']!r}; a published "
            f"link is {CURATED} (a candidate from --propose is published only once its "
            "evidence is checked and recorded)."
        )
    subject = iri("subject_id", row["subject_id"], ours, "one of our nodes (jpr:)")
    predicate = iri(
        "predicate_id",
        row["predicate_id"],
        lambda full: URIRef(full) in LINK_PREDICATES,
        "owl:sameAs or skos:exactMatch",
    )
    item = iri("object_id", row["object_id"], dataset.item.fullmatch, dataset.item_text)
    cited = [value for value in row["see_also"].split("|") if value]
    if not cited:
        raise UsageError(
            f"{where}: see_also is empty; name the jpllm:ExternalSource node(s) of the evidence "
            "(jpr:ext-…), separated by |."
        )
    sources = tuple(iri("see_also", value, ours, "a source node (jpr:)") for value in cited)
    return Mapping(subject, predicate, item, sources)


def links_turtle(dataset: ExternalDataset, mappings: list[Mapping]) -> str:
    """The links file: a header comment (the dataset's links_comment), then sorted Turtle of
    each link with the ``dcterms:source`` of its evidence."""
    graph = Graph()
    bind_prefixes(graph)
    for mapping in mappings:
        graph.add((mapping.subject, mapping.predicate, mapping.item))
        for source in mapping.sources:
            graph.add((mapping.subject, DCTERMS.source, source))
    header = (
        f"{dataset.links_mark} from {dataset.mappings_file.as_posix()}.\n{dataset.links_comment}\n"
    )
    return header + graph.serialize(format="turtle")


def write_links(dataset: ExternalDataset, root: Path) -> tuple[Path, int]:
    """Generate the dataset's links file from its mapping table (atomically), under the project
    ``root``; return its path and the number of links."""
    mappings = read_mappings(dataset, root / dataset.mappings_file)
    path = root / dataset.links_file
    atomic_write(path, links_turtle(dataset, mappings))
    return path, len(mappings)
