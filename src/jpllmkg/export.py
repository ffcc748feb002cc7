"""Dumps of the loaded graph (Turtle, N-Triples, JSON-LD, TriG) and CSV of saved query results.

The TriG dump holds one named graph per project file: every statement goes into the graph of the
file that declares (types) its subject, or, for a blank node, the IRI-named node that owns it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .loader import KnowledgeGraph
from .namespaces import bind_prefixes

# format name -> (rdflib serializer, file suffix)
DUMP_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "ttl"),
    "nt": ("nt", "nt"),
    "jsonld": ("json-ld", "jsonld"),
    "trig": ("trig", "trig"),
}
FORMATS = (*DUMP_FORMATS, "csv")
FILE_GRAPH_BASE = "https://w3id.org/jpllmkg/file/"


def file_graph_iri(relative_file: str) -> URIRef:
    """The named graph of one project file, e.g. <https://w3id.org/jpllmkg/file/graph/models.ttl>."""
    return URIRef(FILE_GRAPH_BASE + relative_file)


def graphs_by_file(kg: KnowledgeGraph) -> tuple[dict[str, Graph], Graph]:
    """Split the loaded statements by declaring file; statements with no such file come apart.

    Every statement lands in exactly one graph, so the graphs add up to ``kg.data``.
    """
    parts: dict[str, Graph] = {}
    unassigned = Graph()
    owners: dict = {}
    for triple in kg.data:
        subject = triple[0]
        if subject not in owners:
            owners[subject] = kg.origin_of(subject)
        origin = owners[subject]
        if origin is None:
            unassigned.add(triple)
            continue
        if origin not in parts:
            parts[origin] = Graph()
            bind_prefixes(parts[origin])
        parts[origin].add(triple)
    return dict(sorted(parts.items())), unassigned


def dataset(kg: KnowledgeGraph) -> Dataset:
    """The graph as a dataset: one named graph per file, undeclared statements in the default."""
    result = Dataset()
    bind_prefixes(result)
    result.bind("file", FILE_GRAPH_BASE)
    parts, unassigned = graphs_by_file(kg)
    for relative, part in parts.items():
        named = result.graph(file_graph_iri(relative))
        for triple in part:
            named.add(triple)
    for triple in unassigned:
        result.default_graph.add(triple)
    return result


def dump(kg: KnowledgeGraph, fmt: str) -> str:
    """The whole loaded graph (ontology, vocabularies and facts) serialised as ``fmt``."""
    serializer, _suffix = DUMP_FORMATS[fmt]
    if fmt == "trig":
        return dataset(kg).serialize(format=serializer)
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in kg.data.namespaces() if prefix}
        return kg.data.serialize(format=serializer, context=context, auto_compact=True)
    return kg.data.serialize(format=serializer)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory, then rename."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    """The process's file-creation mask (temporary files start private; results should not)."""
    current = os.umask(0)
    os.umask(current)
    return current
