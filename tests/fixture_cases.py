"""Invalid fixtures as small changes to one valid base graph (tests/fixtures/README.md).

A fixture (tests/fixtures/invalid/*.ttl, tests/fixtures/qc-invalid/*.ttl) is a header of
comment lines, then the Turtle it adds, written without @prefix lines:

    # expect: <substring of the sh:resultMessage of a Violation (or a QC finding)>
    # expect-warning: <substring of the message of a Warning>
    # also: <substring of a tolerated knock-on finding>
    # remove: <a SPARQL triple pattern, deleted from the base graph before the addition>

The case's graph is tests/fixtures/base.ttl, minus every `# remove:` pattern (each must
match; the blank nodes only a removed triple reached go with it), plus the fixture's
Turtle, parsed with the prefixes that base.ttl declares. rdflib does the parsing and the
deleting (SPARQL Update); the helpers below only read the comment header.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

from rdflib import BNode, Graph

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base.ttl"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
QC_INVALID = sorted((FIXTURES / "qc-invalid").glob("*.ttl"))

HEADER_LINE = re.compile(r"#\s*(expect-warning|expect|also|remove)\s*:\s*(.+?)\s*$")


class Case(NamedTuple):
    """What one fixture expects and what it changes in the base graph."""

    violations: tuple[str, ...]
    warnings: tuple[str, ...]
    also: tuple[str, ...]
    removals: tuple[str, ...]
    turtle: str


def read_case(path: Path) -> Case:
    """Split a fixture into its `# key: value` header and the Turtle it adds."""
    found: dict[str, list[str]] = {"expect": [], "expect-warning": [], "also": [], "remove": []}
    lines = path.read_text(encoding="utf-8").splitlines()
    body_start = len(lines)
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            body_start = number
            break
        match = HEADER_LINE.match(line)
        if match:
            found[match.group(1)].append(match.group(2))
    return Case(
        violations=tuple(found["expect"]),
        warnings=tuple(found["expect-warning"]),
        also=tuple(found["also"]),
        removals=tuple(found["remove"]),
        turtle="\n".join(lines[body_start:]),
    )


@functools.cache
def base_graph() -> Graph:
    """tests/fixtures/base.ttl, parsed once (copy it before changing it)."""
    return Graph().parse(BASE, format="turtle")


def prefix_block() -> str:
    """The @prefix lines of base.ttl, for the Turtle of a fixture."""
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in base_graph().namespaces())


def _drop_orphaned_blank_nodes(graph: Graph, candidates: set[BNode]) -> None:
    """Remove the descriptions of the blank nodes in candidates that nothing refers to now."""
    while candidates:
        node = candidates.pop()
        if (None, None, node) in graph:
            continue
        for _, predicate, obj in list(graph.triples((node, None, None))):
            graph.remove((node, predicate, obj))
            if isinstance(obj, BNode):
                candidates.add(obj)


def case_graph(path: Path) -> Graph:
    """The base graph with the fixture's removals and additions applied."""
    case = read_case(path)
    graph = Graph()
    for prefix, ns in base_graph().namespaces():
        graph.bind(prefix, ns)
    graph += base_graph()
    namespaces = dict(base_graph().namespaces())
    for pattern in case.removals:
        before = set(graph)
        graph.update(f"DELETE WHERE {{ {pattern} }}", initNs=namespaces)
        removed = before - set(graph)
        if not removed:
            raise ValueError(f"{path.name}: '# remove: {pattern}' matches nothing in base.ttl")
        _drop_orphaned_blank_nodes(graph, {o for _, _, o in removed if isinstance(o, BNode)})
    graph.parse(data=prefix_block() + case.turtle, format="turtle")
    return graph


def write_case(path: Path, directory: Path) -> Path:
    """Write the fixture's whole graph as directory/<fixture name>.ttl (for a project's graph/)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / path.name
    case_graph(path).serialize(target, format="turtle", encoding="utf-8")
    return target
