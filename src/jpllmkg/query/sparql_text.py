"""Parse SPARQL text up front, with rdflib's SPARQL parser, before anything runs or is sent.

:func:`read_query` is the one gate of every read path (``Graph.query``, ``Graph.sparql``, the
remote graph, the embedded engines, the saved-query catalogue): the text must parse as a
SELECT or ASK query. The decision is made on the parse, never on the text's first word: an
update (``INSERT DATA``, ``DROP GRAPH`` ...) is refused as an update (only ``jpllmkg push``
writes), CONSTRUCT and DESCRIBE are refused because the read verbs print solution tables, and
a syntax error names the line and column. Whether the query is federated is read off the
translated algebra (its ``ServiceGraphPattern`` nodes), so a SERVICE hidden from a text scan,
e.g. between two ``# \"\"\"`` comment lines or written ``\\u0053ERVICE`` (rdflib decodes SPARQL
``\\u`` escapes before parsing, as SPARQL 1.1 says; pyoxigraph rejects such a keyword as a
syntax error), is still found.

The project's prefixes (:data:`jpllmkg.graph.namespaces.PREFIXES`) are predeclared: a query uses
``jpllm:`` or ``rdfs:`` without a PREFIX line, and a PREFIX line of its own adds a prefix or
wins over ours. The parse records which of ours a text uses undeclared, so
:attr:`ReadQuery.full_text` declares exactly those for an engine that does not know them (an
endpoint, or a user pasting the text elsewhere).

Parsing costs a few milliseconds (rdflib's parser is pure Python), so the analysis of a text
is cached; a failure is not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib.term import Node

from jpllmkg.errors import JpllmkgError, UsageError
from jpllmkg.graph.namespaces import PREFIX_IRIS, prefix_declarations

MAX_QUERY_CHARS = 100_000
READ_FORMS = ("SELECT", "ASK")
UPDATE_KEYWORDS = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT ... WHERE",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}
# Comments, strings and IRIs of SPARQL text, matched left to right, so a quote inside a
# comment or a '#' inside a string or IRI is read as SPARQL reads it.
SKIPPED = (
    r"(?P<comment>#[^\n]*)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<iri><(?![=<\s])[^<>\s]*>)"
)
_BRACE = re.compile(SKIPPED + r"|(?P<brace>\{)")
# The leading comment lines (a saved query's header), each ended as SPARQL ends a comment.
_LEADING_COMMENTS = re.compile(r"(?:#[^\r\n]*(?:\r\n|\r|\n))*")


class _Refused(Exception):
    """Why a text is not a runnable read query (the caller adds where it comes from)."""


@dataclass(frozen=True)
class ReadQuery:
    """A SPARQL text that parsed as a SELECT or ASK query, with what its algebra calls."""

    text: str
    form: str
    services: tuple[Node, ...]
    undeclared: tuple[str, ...] = ()  # the project's prefixes it uses without a PREFIX line

    @property
    def federated(self) -> bool:
        """True when the algebra has a SERVICE pattern (a call to another endpoint)."""
        return bool(self.services)

    @property
    def full_text(self) -> str:
        """The text as it runs anywhere: PREFIX lines for the project's prefixes it uses
        undeclared, after its leading comment lines (a saved query's header stays on top)."""
        if not self.undeclared:
            return self.text
        start = _LEADING_COMMENTS.match(self.text).end()
        declarations = prefix_declarations(self.undeclared)
        return self.text[:start] + declarations + self.text[start:]


def read_query(text: str, where: str, error: type[JpllmkgError] = UsageError) -> ReadQuery:
    """The parsed read query of ``text``, or ``error`` naming ``where`` and what is wrong."""
    if len(text) > MAX_QUERY_CHARS:
        raise error(
            f"{where} is {len(text):,} characters long; queries are limited to "
            f"{MAX_QUERY_CHARS:,}. Shorten it (move long value lists into the graph)."
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as problem:
        raise error(
            f"{where} holds a byte that is not UTF-8 text at character {problem.start}; "
            "write the query in UTF-8."
        ) from None
    try:
        return _analyse(text)[0]
    except _Refused as problem:
        raise error(f"{where}{problem}") from None


def prepare(text: str, where: str, error: type[JpllmkgError] = UsageError):
    """rdflib's prepared (translated) query of a read query (see :func:`read_query`)."""
    read_query(text, where, error)
    return _analyse(text)[1]


@functools.lru_cache(maxsize=512)
def _analyse(text: str) -> tuple[ReadQuery, object]:
    """The read query of ``text`` and rdflib's translation of it; _Refused if it is none."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except ParseException as problem:
        _refuse_non_query(text, problem)
    except Exception as problem:  # pyparsing gives up on some input (deep nesting ...)
        raise _Refused(f": the SPARQL query cannot be parsed ({problem}).") from None
    form = parsed[1].name.removesuffix("Query").upper()
    if form not in READ_FORMS:
        raise _Refused(
            f" is a {form} query, which builds RDF triples instead of a table; the read verbs "
            "print solution tables, so they run SELECT and ASK queries only. Ask for the "
            "triples as rows instead: SELECT ?s ?p ?o WHERE { ... }."
        )
    undeclared = _undeclared_prefixes(parsed)  # read before translateQuery rewrites the tree
    try:
        prepared = translateQuery(parsed, initNs=PREFIX_IRIS)
    except Exception as problem:  # rdflib raises plain exceptions for unknown prefixes etc.
        raise _Refused(f": the SPARQL query cannot be prepared: {problem}.") from None
    services = tuple(part["term"] for part in _parts(prepared.algebra, "ServiceGraphPattern"))
    return ReadQuery(text, form, services, undeclared), prepared


def _undeclared_prefixes(parsed) -> tuple[str, ...]:
    """The project's prefixes that the parsed query's names use and its prologue does not
    declare, in the order of :data:`jpllmkg.graph.namespaces.PREFIXES`."""
    declared = {decl.get("prefix") for decl in parsed[0] if decl.name == "PrefixDecl"}
    used = {name.get("prefix") for name in _parts(parsed[1], "pname")}
    return tuple(prefix for prefix in PREFIX_IRIS if prefix in used - declared)


def _refuse_non_query(text: str, problem) -> None:
    """Raise why ``text`` is no query: an update says so; anything else is a syntax error."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        request = parseUpdate(text).request
    except (ParseException, RecursionError):
        request = False
    if request is None or not text.strip():
        raise _Refused(" is empty: write a SELECT or ASK query.") from None
    if request:
        kinds = ", ".join(dict.fromkeys(UPDATE_KEYWORDS.get(op.name, op.name) for op in request))
        raise _Refused(
            f" is a SPARQL Update ({kinds}), not a query: it would change the data. The read "
            "verbs (query, sparql, build, export) only run SELECT and ASK queries, locally or "
            "on an endpoint, and never send an update; only 'jpllmkg push' writes, to the "
            "store it is told to."
        ) from None
    raise _Refused(
        f": SPARQL syntax error at line {problem.lineno}, column {problem.col}: "
        f"{problem.msg}. The line reads: {problem.line.strip()!r}."
    ) from None


def _parts(tree, name: str) -> Iterator:
    """Every node called ``name`` (a ``CompValue``) of a parse or algebra tree, depth first."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == name:
                yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | ParseResults):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def first_code_brace(text: str) -> int:
    """Index of the first '{' outside comments, strings and IRIs; ValueError if there is none."""
    for match in _BRACE.finditer(text):
        if match.lastgroup == "brace":
            return match.start()
    raise ValueError("the query has no '{' to bind parameters into")
