"""Dumps of the loaded graph (Turtle, N-Triples, JSON-LD, TriG) and CSV of saved query results.

The TriG dump holds one named graph per project file, holding exactly the statements of that file
(the loader keeps them apart, :attr:`jpllmkg.graph.loader.KnowledgeGraph.file_graphs`): a
statement two files make is in both graphs. Inferred triples are never dumped.
Every dump of the same input is the same bytes: rdflib keeps statements and named graphs in sets,
so lines, graphs and JSON-LD nodes are put in order here (blank node labels are stable already,
see :func:`jpllmkg.graph.loader.blank_node_prefix`).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.plugins.serializers.trig import TrigSerializer

from jpllmkg.errors import UsageError
from jpllmkg.graph.loader import FILE_GRAPH_BASE, KnowledgeGraph, file_graph_iri
from jpllmkg.graph.namespaces import bind_prefixes
from jpllmkg.graph.project import Project

# format name -> (rdflib serializer, file suffix)
DUMP_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "ttl"),
    "nt": ("nt", "nt"),
    "jsonld": ("json-ld", "jsonld"),
    "trig": ("trig", "trig"),
}
FORMATS = (*DUMP_FORMATS, "csv")
# The project's curated input: the next load reads them, so output never goes there.
SOURCE_FOLDERS = ("ontology", "graph", "queries")


def source_folder_of(path: Path, project: Project) -> str | None:
    """The source folder (``graph`` ...) of the project that holds ``path``, if any.

    Both sides are resolved, so a link or ``..`` into a source folder counts as inside.
    """
    target = Path(os.path.abspath(path.expanduser()))
    target = target.parent.resolve() / target.name
    candidates = {target, target.resolve()}
    root = project.root.resolve()
    for name in SOURCE_FOLDERS:
        folder = root / name
        if any(c == folder or folder in c.parents for c in candidates):
            return name
    return None


def refuse_source_folder(out: Path, project: Project, example: str) -> None:
    """Raise a UsageError when the output path ``out`` lies in a source folder of the project."""
    folder = source_folder_of(out, project)
    if folder is not None:
        raise UsageError(
            f"--out {out} is inside the project's {folder}/ folder, whose files the next load "
            "reads as curated input: output there would become part of the graph. Write it "
            f"outside {', '.join(f'{name}/' for name in SOURCE_FOLDERS)} (for example --out "
            f"{example})."
        )


def graphs_by_file(kg: KnowledgeGraph) -> tuple[dict[str, Graph], Graph]:
    """Each file's own statements, by relative path, and the statements of no file (none: the
    loader knows the file of every statement; kept for callers that split the pair)."""
    return dict(sorted(kg.file_graphs.items())), Graph()


def dataset(kg: KnowledgeGraph) -> Dataset:
    """The graph as a dataset: one named graph per file, holding exactly that file's triples."""
    result = Dataset()
    bind_prefixes(result)
    result.bind("file", FILE_GRAPH_BASE)
    for relative, part in sorted(kg.file_graphs.items()):
        named = result.graph(file_graph_iri(relative))
        for triple in part:
            named.add(triple)
    return result


class _OrderedTrigSerializer(TrigSerializer):
    """rdflib's TriG writer with the named graphs in IRI order (rdflib keeps them in a set)."""

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda graph: str(graph.identifier))


def _ordered_json(value, keep_order: bool = False):
    """JSON-LD with every object's keys, and every array but an ``@list``, in a fixed order."""
    if isinstance(value, dict):
        return {key: _ordered_json(item, key == "@list") for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [_ordered_json(item) for item in value]
        if keep_order:
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def dump(kg: KnowledgeGraph, fmt: str) -> str:
    """The whole loaded graph (ontology, vocabularies and facts) serialised as ``fmt``."""
    serializer, _suffix = DUMP_FORMATS[fmt]
    if fmt == "trig":
        buffer = io.BytesIO()
        _OrderedTrigSerializer(dataset(kg)).serialize(buffer, encoding="utf-8")
        return buffer.getvalue().decode("utf-8")
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in kg.data.namespaces() if prefix}
        text = kg.data.serialize(format=serializer, context=context, auto_compact=True)
        return json.dumps(_ordered_json(json.loads(text)), indent=2, ensure_ascii=False) + "\n"
    text = kg.data.serialize(format=serializer)
    if fmt == "nt":  # one statement a line, in no order: sorted
        return "".join(sorted(text.splitlines(keepends=True)))
    return text
