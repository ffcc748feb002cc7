"""Load the ontology, vocabularies, facts and shapes once, remembering which file said what."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax

from jpllmkg.errors import InputFileError, UsageError
from jpllmkg.graph.labels import LABEL_PROPERTIES, choose_label
from jpllmkg.graph.namespaces import JPR, bind_prefixes, expand
from jpllmkg.graph.project import Project

BATCH = 100_000
FILE_GRAPH_BASE = "https://w3id.org/jpllmkg/file/"


def file_graph_iri(relative_file: str) -> URIRef:
    """The named graph of one project file, e.g. <https://w3id.org/jpllmkg/file/graph/models.ttl>."""
    return URIRef(FILE_GRAPH_BASE + relative_file)


def to_rdflib(term):
    """An rdflib term for a pyoxigraph term (None stays None)."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def _local(iri: str) -> str:
    """The part of an IRI after the last '#' or '/'."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class IllTypedLiteral(NamedTuple):
    """A triple whose object is ill-typed (``"yes"^^xsd:boolean``), and the file it is in."""

    subject: URIRef | BNode
    predicate: URIRef
    value: Literal
    file: str


@dataclass
class KnowledgeGraph:
    """The loaded project: a pyoxigraph store holding every file's triples (for queries), the
    shapes graph, and where nodes come from. ``data`` holds the same triples as an rdflib
    graph, parsed on first use (SHACL, rendering, dumps); queries never need it.

    In the store each file's triples are in the file's own named graph
    (:func:`file_graph_iri`) and, merged, in the default graph (a triple two files state is
    there once: pyoxigraph's union of named graphs would repeat it); the ontology's
    entailments are in the inferred graph (:data:`jpllmkg.graph.inference.INFERRED_GRAPH`, sharing
    no triple with the files; ``inferred_counts`` says how many triples each rule added).
    Queries see the default graph merged with the inferred one; ``engine_for(kg,
    inferred=False)`` (:mod:`jpllmkg.query.engine`) sees the default graph only (what the files
    assert). ``data`` is the same asserted merge.
    """

    project: Project
    store: object
    shapes: Graph
    origins: dict[URIRef, str] = field(default_factory=dict)
    redefinitions: dict[URIRef, list[str]] = field(default_factory=dict)
    file_triples: dict[str, int] = field(default_factory=dict)
    inferred_counts: dict[str, int] = field(default_factory=dict)
    # The query engines over it, by (name, inferred): built once by jpllmkg.query.engine.engine_for.
    engines: dict = field(default_factory=dict)
    # node -> its (property, label) pairs: read once (the store is complete when load returns;
    # a site build asks about 70,000 times).
    label_pairs: dict = field(default_factory=dict, repr=False)

    @property
    def file_graphs(self) -> dict[str, Graph]:
        """Each file's own triples (relative path -> rdflib graph), parsed as ``data`` is."""
        return self._parsed[2]

    @property
    def asserted_graph_names(self) -> list[URIRef]:
        """The store's named graphs of the project's files, in load order."""
        return [file_graph_iri(relative) for relative in self.file_triples]

    @cached_property
    def inferred(self) -> Graph:
        """The inferred triples (the store's inferred graph) as an rdflib graph."""
        import pyoxigraph

        from jpllmkg.graph.inference import INFERRED_GRAPH

        graph = Graph()
        bind_prefixes(graph)
        for quad in self.store.quads_for_pattern(
            None, None, None, pyoxigraph.NamedNode(INFERRED_GRAPH)
        ):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph

    @property
    def data(self) -> Graph:
        """All triples of all files as an rdflib graph, parsed from the files on first use.

        Parsed again rather than copied from the store, because the store keeps literals in
        canonical form (``"9"^^xsd:positiveInteger`` becomes ``xsd:integer``), which SHACL's
        datatype checks and faithful dumps must not see. For the same reason literals keep
        the lexical form written in the file: rdflib's normalisation would turn an ill-typed
        ``"yes"^^xsd:boolean`` into a valid ``"false"``.
        """
        return self._parsed[0]

    @property
    def ill_typed_literals(self) -> list[IllTypedLiteral]:
        """Every literal whose lexical form its datatype does not allow, with its file."""
        return self._parsed[1]

    @cached_property
    def _parsed(self) -> tuple[Graph, list[IllTypedLiteral], dict[str, Graph]]:
        graph = Graph()
        bind_prefixes(graph)
        ill_typed: list[IllTypedLiteral] = []
        parts: dict[str, Graph] = {}
        for path in self.project.ontology_files + self.project.graph_files:
            with _lexical_forms_kept():
                part = parse_turtle(path, self.project)
            relative = self.project.relative(path)
            ill_typed += (
                IllTypedLiteral(s, p, o, relative)
                for s, p, o in part
                if isinstance(o, Literal) and o.ill_typed
            )
            bind_prefixes(part)
            parts[relative] = part
            graph += part
        return graph, ill_typed, parts

    def label(self, node, lang: str = "en") -> str:
        """The rdfs:label (or skos:prefLabel) in ``lang``, else any label, else a CURIE."""
        if isinstance(node, Literal):
            return str(node)
        pairs = self.label_pairs.get(node)
        if pairs is None:
            pairs = self.label_pairs[node] = self._labels_in_store(node)
        return choose_label(node, pairs, lang)

    def resolve(self, text: str) -> URIRef:
        """The IRI of an entity named by a CURIE or IRI; UsageError if the graph has no such
        node (with the closest jpr: names as suggestions)."""
        iri = expand(text)
        node = URIRef(iri) if iri else None
        if node is None or (node, RDF.type, None) not in self.data:
            import difflib

            names = sorted({_local(s) for s in self.data.subjects(RDF.type, None) if s in JPR})
            close = difflib.get_close_matches(_local(iri or text), names, n=3)
            hint = f" Did you mean {', '.join('jpr:' + c for c in close)}?" if close else ""
            raise UsageError(
                f"unknown entity {text!r}: the graph has no node with that IRI or CURIE.{hint} "
                "Find an IRI by name with: jpllmkg query search --param text=NAME"
            )
        return node

    def _labels_in_store(self, node) -> list[tuple[URIRef, Literal]]:
        """(property, label) pairs of ``node`` read from the store (no rdflib parse needed)."""
        import pyoxigraph

        if isinstance(node, URIRef):
            subject = pyoxigraph.NamedNode(str(node))
        elif isinstance(node, BNode):
            subject = pyoxigraph.BlankNode(str(node))
        else:
            return []
        pairs = []
        for prop in LABEL_PROPERTIES:
            for quad in self.store.quads_for_pattern(
                subject, pyoxigraph.NamedNode(str(prop)), None, pyoxigraph.DefaultGraph()
            ):
                value = quad.object
                if isinstance(value, pyoxigraph.Literal):
                    pairs.append((prop, Literal(value.value, lang=value.language)))
        return pairs

    def named_owner(self, node) -> URIRef | None:
        """The nearest IRI-named node that (transitively) points to a blank node, or the node.

        Of several nodes pointing to a blank node, IRIs come first, then in text order: rdflib
        yields them in no fixed order, and the answer must be the same on every load.
        """
        seen: set = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            referrers = self.data.subjects(None, node)
            node = min(referrers, key=lambda s: (isinstance(s, BNode), str(s)), default=None)
        return node if isinstance(node, URIRef) else None

    def origin_of(self, node) -> str | None:
        """The file (relative to the project) where the node is typed."""
        owner = self.named_owner(node)
        return self.origins.get(owner) if owner is not None else None


@contextmanager
def _lexical_forms_kept() -> Iterator[None]:
    """Parse literals as written: rdflib's switch is global, so it is restored afterwards."""
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


def blank_node_prefix(path: Path, project: Project) -> str:
    """The start of every blank node label of one file: the same on every load of the file.

    Parsers name blank nodes at random; renamed ``<prefix>n1``, ``<prefix>n2`` ... in the order
    the parser meets them, the same input gives the same labels (and so the same dumps, result
    order and pages), and labels of different files never collide.
    """
    return "b" + hashlib.sha256(project.relative(path).encode("utf-8")).hexdigest()[:8]


def parse_turtle(path: Path, project: Project) -> Graph:
    """Parse one (small) Turtle file with rdflib; a syntax error names the file and line."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as error:
        line = getattr(error, "lines", 0) + 1
        raise _syntax_error(path, project, line, getattr(error, "_why", str(error))) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise _unreadable(path, project, error) from None
    # rdflib's Turtle parser labels blank nodes "n<random>b<count>", counting in parse order
    with_blanks = [triple for triple in graph if any(isinstance(t, BNode) for t in triple)]
    made = sorted(
        {t for triple in with_blanks for t in triple if isinstance(t, BNode)}, key=_made_order
    )
    prefix = blank_node_prefix(path, project)
    renamed = {node: BNode(f"{prefix}n{number}") for number, node in enumerate(made, start=1)}
    for triple in with_blanks:
        graph.remove(triple)
        graph.add(tuple(renamed[t] if isinstance(t, BNode) else t for t in triple))
    return graph


def _made_order(node: BNode) -> tuple[int, str]:
    """Sorts rdflib's parse-order labels ("...b9" before "...b10") by their count."""
    return (len(node), str(node))


def _syntax_error(path: Path, project: Project, line, why: str) -> InputFileError:
    return InputFileError(
        f"{project.relative(path)}:{line}: Turtle syntax error: {why}. "
        "Fix the file at that line and run the command again."
    )


def _unreadable(path: Path, project: Project, error: Exception) -> InputFileError:
    return InputFileError(
        f"{project.relative(path)}: cannot read this file as Turtle ({error}). "
        "Check that it exists, is UTF-8 text and is valid Turtle."
    )


def stream_into_store(store, path: Path, project: Project) -> tuple[int, set[str]]:
    """Stream one Turtle file into the store, in batches: into the file's named graph, and
    into the default graph, which merges every file's triples.

    Returns how many triples the file holds and the IRIs it types (its declarations).
    A syntax error names the file and line.
    """
    import pyoxigraph

    rdf_type = pyoxigraph.NamedNode(str(RDF.type))
    blank = pyoxigraph.BlankNode
    prefix = blank_node_prefix(path, project)
    graph = pyoxigraph.NamedNode(str(file_graph_iri(project.relative(path))))
    renamed: dict = {}

    def stable(term):
        if not isinstance(term, blank):
            return term
        if term not in renamed:
            renamed[term] = blank(f"{prefix}n{len(renamed) + 1}")
        return renamed[term]

    declared: set[str] = set()
    batch: list = []
    count = 0
    try:
        for triple in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE):
            if triple.predicate == rdf_type and isinstance(triple.subject, pyoxigraph.NamedNode):
                declared.add(triple.subject.value)
            subject, value = stable(triple.subject), stable(triple.object)
            batch.append(pyoxigraph.Quad(subject, triple.predicate, value, graph))
            batch.append(pyoxigraph.Quad(subject, triple.predicate, value))
            count += 1
            if len(batch) >= BATCH:
                store.extend(batch)
                batch = []
    except SyntaxError as error:
        line = error.args[1][1] if len(error.args) > 1 and error.args[1] else "?"
        why = str(error.args[0]) if error.args else str(error)
        raise _syntax_error(path, project, line, why) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise _unreadable(path, project, error) from None
    store.extend(batch)
    return count, declared


def load(project: Project) -> KnowledgeGraph:
    """Load every ontology, vocabulary and graph file once into a store (one named graph per
    file), materialise the ontology's entailments (:mod:`jpllmkg.graph.inference`); parse the
    shapes."""
    import pyoxigraph

    from jpllmkg.graph.inference import materialise

    store = pyoxigraph.Store()
    kg = KnowledgeGraph(project=project, store=store, shapes=Graph())
    for path in project.ontology_files + project.graph_files:
        relative = project.relative(path)
        kg.file_triples[relative], declared = stream_into_store(store, path, project)
        for iri in sorted(declared):
            first = kg.origins.setdefault(URIRef(iri), relative)
            if first != relative:
                kg.redefinitions.setdefault(URIRef(iri), [first]).append(relative)
    kg.inferred_counts = materialise(store)
    bind_prefixes(kg.shapes)
    for path in project.shape_files:
        kg.shapes += parse_turtle(path, project)
    return kg
