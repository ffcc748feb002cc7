"""Why do we believe this? Every statement about an entity, its sources and how they support it.

The rule (docs/modelling.md, the ontology's comment on ``jpllm:Support``): a node's own
``dcterms:source`` supports each of its statements, with the kind of support its
``jpllm:evidence`` gives (absent: ``jpv:evidence-report-body``), unless a ``jpllm:Support``
names the statement (``rdf:subject``, ``rdf:predicate``, and ``rdf:object`` when given; without
it the Support covers every value of the predicate, e.g. a ``jpllm:Quantity`` blank node); then
the Support's sources and kind replace the node's. A node with neither a source nor a kind of
its own has its statements shown with no source recorded. Statements a Support names that the
files do not assert (``jpllm:TitleOnlyStatement``) are listed as ``reified``. The loader's
entailments (:mod:`jpllmkg.graph.inference`) are left out unless asked for (``inferred=True``,
``jpllmkg why --inferred``): they are listed as ``inferred``, of kind
``jpv:evidence-computed``, with the rule and the asserted statement they come from.

Each statement carries the ``file:line`` where it is written: the file from the store (one
named graph per file, :func:`jpllmkg.graph.loader.file_graph_iri`), the line from Pygments' Turtle
lexer (subject block, then the predicate inside it, at the block's first line otherwise).
"""

from __future__ import annotations

import html
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.term import Node

from jpllmkg.graph.inference import (
    COMPUTED_PROPERTIES,
    DOMESTIC,
    HAS_FOREIGN_ANCESTOR,
    INFERRED_GRAPH,
    OPEN_WORLD_RULES,
    REUSED_INVERSES,
    RULES,
)
from jpllmkg.graph.loader import FILE_GRAPH_BASE, KnowledgeGraph
from jpllmkg.graph.namespaces import JPLLM, JPV, compact
from jpllmkg.query.binding import bind_checked
from jpllmkg.query.bounds import DEFAULT_TIMEOUT
from jpllmkg.query.engine import engine_for
from jpllmkg.query.render import cell_text, printable, quantity_text, wrap
from jpllmkg.query.sparql_text import read_query

REPORT_BODY = JPV["evidence-report-body"]
COMPUTED = JPV["evidence-computed"]
GRAPH_FILES = FILE_GRAPH_BASE + "graph/"
RECORDED_ORDER = ("asserted", "reified", "inferred")
DETAIL_KEYS = {
    JPLLM.evidence: "kind",
    DCTERMS.source: "source",
    JPLLM.reasoning: "reasoning",
    JPLLM.rule: "rule",
    JPLLM.quote: "quote",
    JPLLM.passage: "passage",
}
NO_RULE = "inferred by the ontology's rules"

_SUPPORT = "a/rdfs:subClassOf* jpllm:Support"
STATEMENTS = """SELECT ?entity ?predicate ?object ?graph WHERE {
  GRAPH ?graph { ?entity ?predicate ?object }
  FILTER(isIRI(?entity))
}"""
SUPPORTS = f"""SELECT DISTINCT ?support ?entity ?predicate ?object ?graph WHERE {{
  ?support rdf:subject ?entity ; rdf:predicate ?predicate ; {_SUPPORT} .
  OPTIONAL {{ ?support rdf:object ?object }}
  GRAPH ?graph {{ ?support rdf:subject ?entity }}
}}"""
_KEYS = " ".join(key.n3() for key in DETAIL_KEYS)
DETAILS = f"""SELECT DISTINCT ?via ?key ?value WHERE {{
  VALUES ?key {{ {_KEYS} }}
  {{ ?entity ?key ?value BIND(?entity AS ?via) }}
  UNION {{ ?via rdf:subject ?entity ; {_SUPPORT} ; ?key ?value }}
}}"""
VALUE_DETAILS = """SELECT DISTINCT ?value ?key ?detail WHERE {
  { ?entity ?predicate ?value } UNION { ?support rdf:subject ?entity ; rdf:object ?value }
  FILTER(isBlank(?value))
  ?value ?key ?detail
}"""
# Which asserted (or earlier inferred) statement an inferred one comes from, by rule.
_INVERSES = " ".join(f"(<{p}> <{q}>) (<{q}> <{p}>)" for p, q in REUSED_INVERSES)
EXPLANATIONS = {
    "type": """SELECT ?predicate ?object ?via WHERE {
  ?entity a ?via . ?via rdfs:subClassOf ?object . FILTER(?via != ?object)
  BIND(rdf:type AS ?predicate)
}""",
    "subPropertyOf": """SELECT ?predicate ?object ?via WHERE {
  ?entity ?via ?object . ?via rdfs:subPropertyOf ?predicate . FILTER(?via != ?predicate)
}""",
    "inverseOf": f"""SELECT ?predicate ?object ?via WHERE {{
  ?object ?via ?entity .
  {{ ?via owl:inverseOf ?predicate }} UNION {{ ?predicate owl:inverseOf ?via }}
  UNION {{ VALUES (?via ?predicate) {{ {_INVERSES} }} }}
}}""",
}


@dataclass(frozen=True)
class SourceRef:
    """A source of a statement: its IRI and label."""

    iri: URIRef
    label: str


@dataclass(frozen=True)
class Support:
    """How one statement is supported: the kind (a ``jpv:evidence-*`` concept, None when the
    node records no source), the sources, the node that says so (``via``: the entity itself,
    or its ``jpllm:Support``), and the reasoning, rule, quote and passage where given."""

    kind: URIRef | None
    kind_label: str
    sources: tuple[SourceRef, ...]
    via: URIRef | None
    reasoning: str | None = None
    rule: str | None = None
    quote: str | None = None
    passage: str | None = None


@dataclass(frozen=True)
class Statement:
    """One statement about the entity: ``recorded`` is ``asserted`` (a file states it),
    ``reified`` (only a Support names it, e.g. a title-only statement) or ``inferred``.
    ``details`` are the properties of a blank-node value (a quantity's value, status ...)."""

    subject: URIRef
    predicate: URIRef
    predicate_label: str
    value: Node
    value_text: str
    recorded: str
    supports: tuple[Support, ...]
    locations: tuple[str, ...]
    details: tuple[tuple[str, str], ...] = ()


@dataclass
class _Facts:
    """The rows the rule needs, for one entity or for the whole graph."""

    asserted: dict[tuple, set[str]] = field(default_factory=dict)  # (s, p, o) -> files
    inferred: set[tuple] = field(default_factory=set)
    supports: dict[URIRef, tuple] = field(default_factory=dict)  # support -> (s, p, o|None, file)
    details: dict[URIRef, dict[str, list]] = field(default_factory=dict)  # via -> key -> values


class Explainer:
    """Runs the queries of :func:`why` on a loaded graph's embedded oxigraph store."""

    def __init__(self, kg: KnowledgeGraph, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.kg = kg
        self.timeout = timeout

    def rows(self, template: str, entity: URIRef | None, inferred: bool = False) -> list[dict]:
        """The rows of one of this module's queries, with ``?entity`` bound when given."""
        where = "why"
        query = read_query(template, where)
        if entity is not None:
            query = bind_checked(query, {"entity": entity})
        engine = engine_for(self.kg, "oxigraph", inferred=inferred)
        return engine.select(query, where=where, timeout=self.timeout).rows

    def facts(self, entity: URIRef | None) -> _Facts:
        """Statements, Supports and the sources and kinds of nodes (of ``entity``, or all)."""
        facts = _Facts()
        for row in self.rows(STATEMENTS, entity):
            triple = (row["entity"], row["predicate"], row["object"])
            graph = str(row["graph"])
            if graph == INFERRED_GRAPH:
                facts.inferred.add(triple)
            elif graph.startswith(FILE_GRAPH_BASE):
                facts.asserted.setdefault(triple, set()).add(graph[len(FILE_GRAPH_BASE) :])
        for row in self.rows(SUPPORTS, entity):
            file = str(row["graph"])[len(FILE_GRAPH_BASE) :]
            facts.supports[row["support"]] = (
                row["entity"],
                row["predicate"],
                row["object"],
                file,
            )
        for row in self.rows(DETAILS, entity):
            values = facts.details.setdefault(row["via"], {})
            values.setdefault(DETAIL_KEYS[row["key"]], []).append(row["value"])
        return facts


def _naming(facts: _Facts) -> dict[tuple, list[URIRef]]:
    """(subject, predicate) -> the Supports naming a statement with them."""
    naming: dict[tuple, list[URIRef]] = {}
    for support, (subject, predicate, _, _) in sorted(facts.supports.items()):
        naming.setdefault((subject, predicate), []).append(support)
    return naming


def _supports_of(facts: _Facts, naming: dict, triple: tuple) -> list[URIRef]:
    """The Supports naming one statement (object given and equal, or not given)."""
    subject, predicate, value = triple
    return [
        support
        for support in naming.get((subject, predicate), [])
        if facts.supports[support][2] in (None, value)
    ]


def _kind(details: dict[str, list], is_support: bool) -> URIRef | None:
    """The kind of support a node gives: its jpllm:evidence, else the report body (for a
    node with no source and no kind of its own: None)."""
    kinds = details.get("kind", [])
    if kinds:
        return min(kinds)
    return REPORT_BODY if is_support or details.get("source") else None


def statement_kind_counts(kg: KnowledgeGraph, timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
    """How many statements of the graph's files (graph/) each kind of support backs, by the
    rule of this module: asserted ones with an IRI subject that is no Support, the statements
    only a Support names, and the inferred ones about those subjects (as
    ``jpv:evidence-computed``). A statement with two kinds counts under each; ``none`` counts
    statements with no source recorded. Keys are CURIEs, sorted."""
    explainer = Explainer(kg, timeout)
    facts = explainer.facts(None)
    naming = _naming(facts)
    counts: Counter[str] = Counter()
    subjects = set()
    for triple, files in facts.asserted.items():
        if triple[0] in facts.supports or not any(f.startswith("graph/") for f in files):
            continue
        subjects.add(triple[0])
        supports = _supports_of(facts, naming, triple)
        vias = supports or [triple[0]]
        kinds = {_kind(facts.details.get(via, {}), via in facts.supports) for via in vias}
        counts.update("none" if kind is None else compact(str(kind)) for kind in kinds)
    for support, (subject, predicate, value, file) in facts.supports.items():
        unasserted = value is not None and (subject, predicate, value) not in facts.asserted
        if unasserted and file.startswith("graph/"):
            counts[compact(str(_kind(facts.details.get(support, {}), True)))] += 1
    computed = sum(1 for triple in facts.inferred if triple[0] in subjects)
    if computed:
        counts[compact(str(COMPUTED))] += computed
    return dict(sorted(counts.items()))


def why(
    kg: KnowledgeGraph,
    entity: URIRef,
    lang: str = "en",
    inferred: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Statement]:
    """Every statement about ``entity`` with its supports and where it is written (see the
    module doc); the inferred ones too with ``inferred``. The entity must be known
    (:meth:`jpllmkg.graph.loader.KnowledgeGraph.resolve` refuses one the graph has no node for)."""
    explainer = Explainer(kg, timeout)
    facts = explainer.facts(entity)
    naming = _naming(facts)
    label = kg.label
    values = _value_details(explainer, entity)
    lines = _Locator(kg.project.root)
    statements = []
    for triple, files in facts.asserted.items():
        supports = _supports_of(facts, naming, triple)
        vias = supports or [entity]
        statements.append(
            _statement(
                kg,
                facts,
                triple,
                "asserted",
                [_support(kg, facts, via, lang) for via in vias],
                tuple(lines.statement(file, triple) for file in sorted(files)),
                values,
                lang,
            )
        )
    for support, (subject, predicate, value, file) in sorted(facts.supports.items()):
        triple = (subject, predicate, value)
        if value is None or triple in facts.asserted:
            continue
        statements.append(
            _statement(
                kg,
                facts,
                triple,
                "reified",
                [_support(kg, facts, support, lang)],
                (lines.block(file, support),),
                values,
                lang,
            )
        )
    rules = _explanations(explainer, entity) if inferred else {}
    for triple in sorted(facts.inferred - set(facts.asserted)):
        computed = _computed_rule(triple)
        if computed or inferred:
            rule = computed or rules.get(triple[1:], NO_RULE)
            kind = Support(COMPUTED, label(COMPUTED, lang), (), None, rule=rule)
            statements.append(_statement(kg, facts, triple, "inferred", [kind], (), values, lang))
    return sorted(statements, key=_order)


def _order(statement: Statement) -> tuple:
    file, _, line = (statement.locations or ("",))[0].rpartition(":")
    return (
        RECORDED_ORDER.index(statement.recorded),
        file,
        int(line) if line.isdigit() else 0,
        compact(str(statement.predicate)),
        statement.value_text,
    )


def _statement(
    kg: KnowledgeGraph,
    facts: _Facts,
    triple: tuple,
    recorded: str,
    supports: list[Support],
    locations: tuple[str, ...],
    values: dict,
    lang: str,
) -> Statement:
    subject, predicate, value = triple
    details = values.get(value, []) if isinstance(value, BNode) else []
    return Statement(
        subject=subject,
        predicate=predicate,
        predicate_label=kg.label(predicate, lang),
        value=value,
        value_text=value_text(kg, value, details, lang),
        recorded=recorded,
        supports=tuple(supports),
        locations=locations,
        details=tuple(
            (compact(str(key)), term_text(kg, detail, lang)) for key, detail in sorted(details)
        ),
    )


def _support(kg: KnowledgeGraph, facts: _Facts, via: URIRef, lang: str) -> Support:
    details = facts.details.get(via, {})
    kind = _kind(details, via in facts.supports)
    sources = sorted(set(details.get("source", [])), key=_source_order)
    return Support(
        kind=kind,
        kind_label=kg.label(kind, lang) if kind is not None else "no source recorded",
        sources=tuple(SourceRef(s, kg.label(s, lang)) for s in sources),
        via=via,
        reasoning=_in_language(details.get("reasoning"), lang),
        rule=_in_language(details.get("rule"), lang),
        quote=_in_language(details.get("quote"), lang),
        passage=_in_language(details.get("passage"), lang),
    )


def _source_order(source: URIRef) -> tuple:
    """Numbered references by number (jpr:ref-9 before jpr:ref-16), then by IRI."""
    head, _, number = str(source).rpartition("-")
    return (head, int(number) if number.isdigit() else 0, str(source))


def _in_language(values: list | None, lang: str) -> str | None:
    """The value in ``lang``, else the first (in a fixed order)."""
    if not values:
        return None
    tagged = [v for v in values if isinstance(v, Literal) and v.language == lang]
    return str(tagged[0] if tagged else sorted(values)[0])


def _value_details(explainer: Explainer, entity: URIRef) -> dict[BNode, list[tuple]]:
    found: dict[BNode, list[tuple]] = {}
    for row in explainer.rows(VALUE_DETAILS, entity):
        found.setdefault(row["value"], []).append((row["key"], row["detail"]))
    return found


def _computed_rule(triple: tuple) -> str | None:
    """The open-world rule (:data:`jpllmkg.graph.inference.OPEN_WORLD_RULES`) that computed an
    inferred statement, with its definition; None for an entailment of the ontology."""
    _, predicate, value = triple
    if str(predicate) not in COMPUTED_PROPERTIES:
        return None
    if str(predicate) == DOMESTIC:
        name = "domestic-true" if value.toPython() is True else "domestic-false"
    elif str(predicate) == HAS_FOREIGN_ANCESTOR:
        name = "foreign-ancestor-true" if value.toPython() is True else "foreign-ancestor-false"
    else:
        name = "foreign-ancestor-path"
    return f"{name}: {OPEN_WORLD_RULES[name]}"


def _explanations(explainer: Explainer, entity: URIRef) -> dict[tuple, str]:
    """(predicate, object) of an inferred statement -> its rule and what it comes from."""
    found: dict[tuple, str] = {}
    for name, template in EXPLANATIONS.items():
        if name not in RULES:
            continue
        for row in explainer.rows(template, entity, inferred=True):
            found.setdefault(
                (row["predicate"], row["object"]), f"{name} (from {compact(str(row['via']))})"
            )
    return found


def term_text(kg: KnowledgeGraph, term: Node, lang: str) -> str:
    """A term for people: 'Label (curie)', a number grouped, text with its language tag."""
    if isinstance(term, Literal) and term.language:
        return f"{term} @{term.language}"
    return cell_text(term, kg.label, lang)


def value_text(kg: KnowledgeGraph, value: Node, details: Iterable[tuple], lang: str) -> str:
    """A statement's value for people; a blank node as its quantity text
    (:func:`jpllmkg.query.render.quantity_text`), or else as its label or its properties."""
    if not isinstance(value, BNode):
        return term_text(kg, value, lang)
    details = sorted(details)
    quantity = quantity_text(details, kg.label, lang)
    if quantity is not None:
        return quantity
    labels = [d for k, d in details if k == RDFS.label]
    if labels:
        return str(([d for d in labels if getattr(d, "language", None) == lang] or labels)[0])
    shown = [(k, d) for k, d in details if k != RDF.type]
    return "[ " + " ; ".join(f"{compact(str(k))} {term_text(kg, d, lang)}" for k, d in shown) + " ]"


# --- formats ----------------------------------------------------------------------------

FORMATS = ("text", "json", "md")
INDENT = "    "
MIN_VALUE_WIDTH = 24


def _node(term: URIRef | None, label: str | None = None) -> dict | None:
    if term is None:
        return None
    shown = {"iri": str(term), "curie": compact(str(term))}
    return {**shown, "label": label} if label is not None else shown


def _support_json(support: Support) -> dict:
    return {
        "kind": _node(support.kind, support.kind_label),
        "kind_label": support.kind_label,
        "sources": [_node(s.iri, s.label) for s in support.sources],
        "via": _node(support.via),
        "reasoning": support.reasoning,
        "rule": support.rule,
        "quote": support.quote,
        "passage": support.passage,
    }


def as_json(kg: KnowledgeGraph, entity: URIRef, statements: list[Statement], lang: str) -> str:
    """The statements as one JSON document with stable keys (the value's term as a W3C
    SPARQL JSON results cell)."""
    import json

    from jpllmkg.query.results import term_to_json

    document = {
        "entity": _node(entity, kg.label(entity, lang)),
        "statements": [
            {
                "predicate": _node(s.predicate, s.predicate_label),
                "value": {
                    "text": s.value_text,
                    "term": term_to_json(s.value),
                    "details": [{"property": k, "value": v} for k, v in s.details],
                },
                "recorded": s.recorded,
                "locations": list(s.locations),
                "supports": [_support_json(support) for support in s.supports],
            }
            for s in statements
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _support_lines(support: Support) -> list[tuple[str, str]]:
    """(field, text) lines of one support, for the text format."""
    lines = [("kind", support.kind_label)]
    lines += [("source", f"{s.label} ({compact(str(s.iri))})") for s in support.sources]
    for name in ("reasoning", "rule", "quote", "passage"):
        value = getattr(support, name)
        if value:
            lines.append((name, value))
    return lines


def _heading(kg: KnowledgeGraph, entity: URIRef, statements: list[Statement], lang: str) -> str:
    counts = Counter(s.recorded for s in statements)
    parts = ", ".join(f"{counts[r]} {r}" for r in RECORDED_ORDER if counts[r])
    label = kg.label(entity, lang)
    name = compact(str(entity))
    shown = name if label == name else f"{label} ({name})"
    return f"{shown}: {len(statements)} statement{'s' if len(statements) != 1 else ''}" + (
        f" ({parts})" if parts else ""
    )


def as_text(
    kg: KnowledgeGraph,
    entity: URIRef,
    statements: list[Statement],
    lang: str,
    width: int | None = None,
) -> str:
    """The statements grouped by their support: for each kind and set of sources (and the
    reasoning, rule, quote and passage, and the Support node, where given), a table of the
    statements it supports with their ``file:line``. A statement with several supports is in
    each of their groups. Aligned by display width and wrapped to ``width`` (default: the
    terminal's); data's control characters cannot reach the terminal."""
    from jpllmkg.query.render import terminal_width

    width = terminal_width() if width is None else width
    groups: dict[Support, list[Statement]] = {}
    for statement in statements:
        for support in statement.supports:
            groups.setdefault(support, []).append(statement)
    out = wrap(printable(_heading(kg, entity, statements, lang)), width)
    for support, members in groups.items():
        out.append("")
        rows = _support_lines(support)
        if support.via is not None and support.via != entity:
            rows.append(("support", compact(str(support.via))))
        name_width = max(len(name) for name, _ in rows)
        room = max(width - name_width - 2, 20)
        for name, value in rows:
            first, *rest = wrap(printable(value), room)
            out.append(f"{name:<{name_width}}  {first}".rstrip())
            out += [f"{' ' * name_width}  {line}" for line in rest]
        out += _statement_lines(members, width)
    return "\n".join(out) + "\n"


def _statement_lines(statements: list[Statement], width: int) -> list[str]:
    """``file:line  predicate  value`` lines, in aligned columns; a value that does not fit
    beside them wraps under its column, or starts on the next line when the room is small."""
    from jpllmkg.query.render import display_width

    rows = [
        (
            printable(", ".join(s.locations) or "-"),
            printable(
                compact(str(s.predicate)) + ("" if s.recorded == "asserted" else f" [{s.recorded}]")
            ),
            printable(s.value_text),
        )
        for s in statements
    ]
    where = max(display_width(r[0]) for r in rows)
    what = max(display_width(r[1]) for r in rows)
    left = len(INDENT) + where + 2 + what + 2
    out = []
    for place, predicate, value in rows:
        head = f"{INDENT}{place}{' ' * (where - display_width(place))}  {predicate}"
        if width - left >= MIN_VALUE_WIDTH:
            first, *rest = wrap(value, width - left)
            out.append(f"{head}{' ' * (what - display_width(predicate))}  {first}".rstrip())
            out += [" " * left + line for line in rest]
        else:
            out.append(head)
            out += [INDENT * 2 + line for line in wrap(value, max(width - 2 * len(INDENT), 1))]
    return out


def as_markdown(kg: KnowledgeGraph, entity: URIRef, statements: list[Statement], lang: str) -> str:
    """A heading line and a Markdown table, one row per statement and support, its cells
    escaped as every Markdown table of jpllmkg is (:func:`jpllmkg.query.render.as_markdown`)."""
    from jpllmkg.query.render import as_markdown as markdown_table
    from jpllmkg.query.results import QueryResult

    columns = ["property", "value", "recorded", "kind", "sources", "reasoning", "quote", "at"]
    rows = []
    for statement in statements:
        for support in statement.supports:
            cells = {
                "property": f"{statement.predicate_label} ({compact(str(statement.predicate))})",
                "value": statement.value_text,
                "recorded": statement.recorded,
                "kind": support.kind_label,
                "sources": "; ".join(f"{s.label} ({compact(str(s.iri))})" for s in support.sources),
                "reasoning": support.reasoning or support.rule or "",
                "quote": support.quote or "",
                "at": ", ".join(statement.locations),
            }
            rows.append({name: Literal(text) for name, text in cells.items()})
    heading = html.escape(printable(_heading(kg, entity, statements, lang)), quote=False)
    return f"**{heading}**\n\n" + markdown_table(QueryResult(columns, rows), kg.label, lang)


# --- file:line ----------------------------------------------------------------------------


class _Locator:
    """Lines of statements in the project's Turtle files (each file tokenized once)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def statement(self, file: str, triple: tuple) -> str:
        """``file:line`` of the predicate of (subject, predicate, object) in the subject's block
        (the one stating that object, when it is an IRI), else of the block; else ``file``."""
        subject, predicate, value = triple
        index = self._index(file)
        places = index.predicates.get((str(subject), str(predicate)), [])
        exact = [line for line, objects in places if str(value) in objects]
        line = (exact or [line for line, _ in places] or index.blocks.get(str(subject), [None]))[0]
        return f"{file}:{line}" if line else file

    def block(self, file: str, subject: URIRef) -> str:
        """``file:line`` of the first block about ``subject``."""
        line = self._index(file).blocks.get(str(subject), [None])[0]
        return f"{file}:{line}" if line else file

    def _index(self, file: str) -> _FileIndex:
        path = self.root / file
        try:
            stat = path.stat()
        except OSError:
            return _FileIndex()
        return _file_index(str(path), stat.st_mtime_ns, stat.st_size)


@dataclass
class _FileIndex:
    """Subject IRI -> lines of its blocks; (subject, predicate) -> (line, object IRIs) of each
    place the subject's blocks give the predicate."""

    blocks: dict[str, list[int]] = field(default_factory=dict)
    predicates: dict[tuple[str, str], list[tuple[int, list[str]]]] = field(default_factory=dict)


@lru_cache(maxsize=256)
def _file_index(path: str, mtime_ns: int, size: int) -> _FileIndex:
    """Where each subject's blocks and predicates stand in one Turtle file, read with
    Pygments' Turtle lexer (the file's time and size are in the cache key, so a file edited
    since is read again). Only the top level of each block counts: what stands inside
    ``[ ]`` or ``( )`` belongs to a blank node or a list."""
    from pygments.lexers import TurtleLexer
    from pygments.token import Comment, Keyword, Text

    index = _FileIndex()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return index
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    tokens = [
        (start, kind, value)
        for start, kind, value in TurtleLexer().get_tokens_unprocessed(text)
        if value.strip() and kind not in Comment and kind not in Text
    ]
    prefixes: dict[str, str] = {}
    state, depth, subject, objects = "subject", 0, None, None
    position = 0
    while position < len(tokens):
        start, kind, value = tokens[position]
        if (
            kind in Keyword
            and value.lower() in ("@prefix", "prefix")
            and position + 2 < len(tokens)
        ):
            prefixes[tokens[position + 1][2].rstrip(":")] = tokens[position + 2][2].strip("<>")
            position += 3
            continue
        is_term, iri, position = _term(tokens, position, prefixes)
        if not is_term:
            if value in "[(":
                if depth == 0 and state == "subject":
                    subject, state = None, "predicate"
                depth += 1
            elif value in "])":
                depth -= 1
            elif depth == 0 and value == ".":
                state = "subject"
            elif depth == 0 and value == ";":
                state = "predicate"
            elif value == "^" and position < len(tokens) and tokens[position][2] == "^":
                _, _, position = _term(tokens, position + 1, prefixes)  # a datatype IRI
            continue
        if depth:
            continue
        line = bisect_right(newlines, start - 1) + 1
        if state == "subject":
            subject, state = iri, "predicate"
            if iri is not None:
                index.blocks.setdefault(iri, []).append(line)
        elif state == "predicate":
            state, objects = "object", []
            if subject is not None and iri is not None:
                index.predicates.setdefault((subject, iri), []).append((line, objects))
        elif objects is not None and iri is not None:
            objects.append(iri)
    return index


def _term(tokens: list, position: int, prefixes: dict[str, str]) -> tuple[bool, str | None, int]:
    """Whether an IRI or blank node starts at ``position`` (a prefixed name, ``_:label``, an
    ``<IRI>`` or ``a``), its IRI (None for a blank node or an unknown prefix), and the position
    after it."""
    from pygments.token import Keyword, Name

    _, kind, value = tokens[position]
    if kind in Keyword.Type and value == "a":
        return True, str(RDF.type), position + 1
    if kind in Name.Variable and value.startswith("<"):
        return True, value[1:-1], position + 1
    if kind not in Name.Namespace:
        return False, None, position + 1
    after = position + 1
    if not value.endswith(":") and after < len(tokens) and tokens[after][2] == ":":
        after += 1
    local = ""
    if after < len(tokens) and tokens[after][1] in Name.Tag:
        local, after = tokens[after][2], after + 1
    base = prefixes.get(value.rstrip(":"))
    return True, (base + local if base is not None else None), after
