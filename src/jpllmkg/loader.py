"""Load the ontology, vocabularies, facts and shapes once, remembering which file said what."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import InputFileError
from .namespaces import bind_prefixes, compact
from .project import Project


@dataclass
class KnowledgeGraph:
    """The loaded project: one merged data graph, the shapes graph, and where nodes come from."""

    project: Project
    data: Graph
    shapes: Graph
    origins: dict[URIRef, str] = field(default_factory=dict)
    redefinitions: dict[URIRef, list[str]] = field(default_factory=dict)
    engines: dict = field(default_factory=dict)

    def engine(self, name: str | None = None):
        """The SPARQL engine ``name`` (default: the project's) over the data, built once."""
        from .engine import DEFAULT_ENGINE, make_engine

        name = name or DEFAULT_ENGINE
        if name not in self.engines:
            self.engines[name] = make_engine(name, self.data)
        return self.engines[name]

    file_triples: dict[str, int] = field(default_factory=dict)

    def label(self, node, lang: str = "en") -> str:
        """The rdfs:label (or skos:prefLabel) in ``lang``, else any label, else a CURIE."""
        if isinstance(node, Literal):
            return str(node)
        fallback = None
        for predicate in (RDFS.label, SKOS.prefLabel):
            for value in self.data.objects(node, predicate):
                if isinstance(value, Literal) and value.language == lang:
                    return str(value)
                fallback = fallback or str(value)
        if fallback:
            return fallback
        return compact(str(node)) if isinstance(node, URIRef) else str(node)

    def named_owner(self, node) -> URIRef | None:
        """The nearest IRI-named node that (transitively) points to a blank node, or the node."""
        seen: set = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            node = next(self.data.subjects(None, node), None)
        return node if isinstance(node, URIRef) else None

    def origin_of(self, node) -> str | None:
        """The file (relative to the project) where the node is typed."""
        owner = self.named_owner(node)
        return self.origins.get(owner) if owner is not None else None


def parse_turtle(path: Path, project: Project) -> Graph:
    """Parse one Turtle file; a syntax error names the file and line."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as error:
        line = getattr(error, "lines", 0) + 1
        why = getattr(error, "_why", str(error))
        raise InputFileError(
            f"{project.relative(path)}:{line}: Turtle syntax error: {why}. "
            "Fix the file at that line and run the command again."
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputFileError(
            f"{project.relative(path)}: cannot read this file as Turtle ({error}). "
            "Check that it exists, is UTF-8 text and is valid Turtle."
        ) from None
    return graph


def load(project: Project) -> KnowledgeGraph:
    """Parse every ontology, vocabulary, graph and shape file of the project once."""
    data = Graph()
    shapes = Graph()
    bind_prefixes(data)
    bind_prefixes(shapes)
    kg = KnowledgeGraph(project=project, data=data, shapes=shapes)
    for path in project.ontology_files + project.graph_files:
        part = parse_turtle(path, project)
        relative = project.relative(path)
        kg.file_triples[relative] = len(part)
        for subject in set(part.subjects(RDF.type, None)):
            if not isinstance(subject, URIRef):
                continue
            first = kg.origins.setdefault(subject, relative)
            if first != relative:
                kg.redefinitions.setdefault(subject, [first]).append(relative)
        data += part
    for path in project.shape_files:
        shapes += parse_turtle(path, project)
    return kg
