"""Query results, and the one conversion of result cells that every output format uses.

A cell is an rdflib term (or None when the variable is unbound). The converters here turn it
into each format's value: :func:`plain` (a Python value, for the API and DataFrames),
:func:`term_to_json` and :func:`term_from_json` (a W3C SPARQL 1.1 JSON results cell, both ways),
:func:`term_to_csv` (the W3C CSV field: the term's string, as SPARQL's STR()) and
:func:`term_to_tsv` (the W3C TSV field: the term in Turtle syntax). Numbers keep their exact
lexical form in every one of them; only :func:`plain` makes Python numbers (``Decimal`` for
``xsd:decimal``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm, termToJSON
from rdflib.term import Node

from jpllmkg.graph.namespaces import compact

# Turtle's abbreviated number and boolean forms; TSV writes a literal bare when its lexical form
# is already one of them (so the value and the lexical form survive exactly), else quoted.
TURTLE_BARE = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}
TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def plain(term: Node | None):
    """A Python value for a term: compact IRI text, or the literal's Python value."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, int | float | bool | Decimal) else str(term)
    return str(term)


def term_to_json(term: Node | None) -> dict | None:
    """The W3C SPARQL 1.1 JSON results cell of a term (None for an unbound variable)."""
    return termToJSON(None, term)


def term_from_json(cell: dict) -> Node:
    """The rdflib term of a W3C SPARQL 1.1 JSON results cell; ``xsd:string`` is a plain literal
    (as the embedded engines give it). ValueError for a cell of unknown type."""
    if cell.get("type") not in ("uri", "bnode", "literal", "typed-literal"):
        raise ValueError(f"unknown term type {cell.get('type')!r}")
    term = parseJsonTerm(cell)
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def term_to_csv(term: Node | None) -> str:
    """The W3C CSV field of a term: its string (IRI, lexical form, ``_:label``), '' if unbound."""
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def term_to_tsv(term: Node | None) -> str:
    """The W3C TSV field of a term in Turtle syntax ('' if unbound): ``<IRI>``, ``_:label``,
    ``"text"@lang``, ``"lexical"^^<datatype>``, or a bare number or boolean."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return "<" + IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04X}", str(term)) + ">"
    if isinstance(term, BNode):
        return f"_:{term}"
    lexical = str(term)
    bare = TURTLE_BARE.get(term.datatype)
    if bare is not None and bare.fullmatch(lexical):
        return lexical
    quoted = '"' + lexical.translate(TSV_ESCAPES) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{quoted}^^{term_to_tsv(URIRef(term.datatype))}"
    return quoted


@dataclass
class QueryResult:
    """The variables and rows of a SELECT query, or the answer of an ASK query.

    An ASK result (made with :meth:`from_ask`) has ``boolean`` set and, for code that reads rows,
    one row holding the answer as ``?ask``.
    """

    variables: list[str]
    rows: list[dict[str, Node | None]] = field(default_factory=list)
    boolean: bool | None = None

    @classmethod
    def from_ask(cls, answer: bool) -> QueryResult:
        """The result of an ASK query."""
        return cls(["ask"], [{"ask": Literal(bool(answer))}], boolean=bool(answer))

    @classmethod
    def from_json(cls, data: object) -> QueryResult:
        """A result from a parsed W3C SPARQL 1.1 JSON results document (SELECT or ASK);
        ValueError naming the part that is missing or ill-formed."""
        if not isinstance(data, dict):
            raise ValueError("not a SPARQL JSON results object")
        if "boolean" in data:
            if not isinstance(data["boolean"], bool):
                raise ValueError(f"'boolean' is {data['boolean']!r}, not true or false")
            return cls.from_ask(data["boolean"])
        try:
            variables = [str(v) for v in data["head"]["vars"]]
            rows = [
                {v: term_from_json(b[v]) if v in b else None for v in variables}
                for b in data["results"]["bindings"]
            ]
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"missing or ill-formed part {error}") from None
        return cls(variables, rows)

    @property
    def is_ask(self) -> bool:
        return self.boolean is not None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        return iter(self.rows)

    def __getitem__(self, index: int) -> dict[str, Node | None]:
        return self.rows[index]

    def column(self, name: str) -> list:
        """One column as plain Python values."""
        return [plain(row.get(name)) for row in self.rows]

    def records(self) -> list[dict]:
        """Rows as plain dicts (compact IRIs, Python literals)."""
        return [{v: plain(row.get(v)) for v in self.variables} for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame of :meth:`records` (requires pandas)."""
        try:
            import pandas
        except ImportError as error:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from error
        return pandas.DataFrame(self.records(), columns=self.variables)
