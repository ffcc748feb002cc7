"""Render query results: a table for the terminal, Markdown, and the W3C SPARQL result formats.

``--format`` takes one of :data:`FORMATS`:

- ``table`` (the default) is for people. It fits the terminal's width (``COLUMNS`` when set,
  else the terminal's, else 80), wraps long cells at spaces instead of cutting them, and never
  breaks a word that holds a ``:`` (IRIs, CURIEs, URLs), so every IRI can be copied whole into
  the next command. When even the narrowest such table is too wide, it prints one block per row
  (``variable  value``, like psql's ``\\x``). ``--wide`` turns wrapping off: one line per row at
  the columns' full width, for ``less -S`` or a wide window. Columns line up by display width
  (Japanese characters take two cells). IRIs show as ``Label (curie)``.
- ``md`` is a Markdown table with the same cells, one line per row.
- ``json`` is the W3C SPARQL 1.1 Query Results JSON Format: ``head.vars`` and
  ``results.bindings``, each bound value ``{"type": "uri" | "literal" | "bnode", "value": ...}``
  with ``datatype`` or ``xml:lang`` for literals; an ASK query gives
  ``{"head": {}, "boolean": true|false}``.
- ``csv`` and ``tsv`` are the W3C SPARQL 1.1 Query Results CSV and TSV Formats: a header of the
  variables (``?name`` in TSV), then one line per row; CSV gives each value as plain text (full
  IRIs, literals' lexical forms) with CRLF line ends, TSV each term in Turtle syntax
  (``<IRI>``, ``"text"@ja``, ``"3693000000000"^^<...#decimal>``, bare ``0.1375``). An ASK
  query gives one variable, ``ask``, and one row. These three are exact: a number keeps its
  lexical form, so an ``xsd:decimal`` survives digit for digit.

Labels travel as extra variables: for every variable ``x`` that binds an IRI in some row, the
machine formats (json, csv, tsv) add ``x_label`` right after ``x``, bound to the IRI's
``rdfs:label`` (or ``skos:prefLabel``) in ``--lang`` as a literal tagged with that language, and
unbound where the IRI has no label. (A query that already has a variable ``x_label`` gets none.)
They are ordinary variables, so standard SPARQL result readers (rdflib, Jena, pandas) read the
files; drop the ``_label`` columns to get the query's own result.

Amounts (``table`` and ``md``): a number column ``x`` takes its unit from the column ``xUnit``, or
from a column named ``unit`` when ``x`` is the nearest number column to its left; likewise its
status from ``xStatus`` or ``status``, when that column holds value-status concepts
(``jpv:value-*``) or their names separated by commas. The amount then prints with its unit and
status in one cell, and the unit and status columns are left out: ``3693000000000`` yen prints
as ``JPY 3.693 trillion [official]`` (en) or ``3.693 兆円 [公式]`` (ja); dollars as ``USD``;
en uses million, billion and trillion, ja 万, 億 and 兆, with every digit kept (no rounding);
percentages print as ``40%``; counts as ``150 municipalities`` / ``150 自治体``. Any other whole
or decimal number of 10,000 or more is grouped by thousands (``100,000,000,000``).
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import wcwidth
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from jpllmkg.graph.namespaces import JPLLM, JPV, compact
from jpllmkg.query.results import QueryResult, term_to_csv, term_to_json, term_to_tsv

FORMATS = ("table", "csv", "tsv", "json", "md")
Labeller = Callable[[Node, str], str]

GAP = "  "
MIN_COLUMN = 8
GROUP_FROM = 10_000
NUMERIC = {
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
}
CURRENCIES = {JPV["unit-jpy"]: "JPY", JPV["unit-usd"]: "USD"}
PERCENT = JPV["unit-percent"]
SCALES = {
    "en": ((12, "trillion"), (9, "billion"), (6, "million")),
    "ja": ((12, "兆"), (8, "億"), (4, "万")),
}
VALUE_STATUS = "value-"


def terminal_width() -> int:
    """Columns of the terminal: ``COLUMNS`` if set, else the terminal's, else 80."""
    return shutil.get_terminal_size((80, 24)).columns


def display_width(text: str) -> int:
    """Terminal cells the text takes (two for a wide Japanese character)."""
    return wcwidth.width(text)


def printable(text: str) -> str:
    """One line of text: whitespace runs become one space, control characters U+FFFD (so data
    cannot move the cursor or recolour the terminal)."""
    text = " ".join(text.split())
    if text.isprintable():
        return text
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells, broken at spaces; a word with ':' (an IRI, CURIE or URL)
    is never broken, even if longer than ``width``; other words longer than that are."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        fits = ":" in word or display_width(word) <= width
        for piece in [word] if fits else wcwidth.wrap(word, width):
            joined = f"{line} {piece}" if line else piece
            if line and display_width(joined) > width:
                lines.append(line)
                line = piece
            else:
                line = joined
    return [*lines, line]


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _longest_unbreakable(text: str) -> int:
    return max((display_width(w) for w in text.split(" ") if ":" in w), default=0)


def _natural_widths(header: list[str], body: list[list[str]]) -> list[int]:
    return [max(display_width(c) for c in [h, *(r[i] for r in body)]) for i, h in enumerate(header)]


def _column_widths(header: list[str], body: list[list[str]], room: int) -> list[int] | None:
    """Widths that fit ``room`` cells (gaps excluded), or None when the narrowest do not."""
    natural = _natural_widths(header, body)
    narrowest = [
        max(display_width(h), min(n, MIN_COLUMN), *(_longest_unbreakable(r[i]) for r in body))
        for i, (h, n) in enumerate(zip(header, natural, strict=True))
    ]
    if sum(narrowest) > room:
        return None
    widths = narrowest[:]
    spare = room - sum(widths)
    while spare > 0:
        wanting = [i for i, w in enumerate(widths) if w < natural[i]]
        if not wanting:
            break
        share = max(1, spare // len(wanting))
        for i in wanting:
            give = min(share, natural[i] - widths[i], spare)
            widths[i] += give
            spare -= give
    return widths


def _expanded(header: list[str], body: list[list[str]], width: int) -> list[str]:
    """One block per row, ``variable  value`` per line (values wrapped): for wide results."""
    name_width = max(display_width(h) for h in header)
    room = max(width - name_width - len(GAP), MIN_COLUMN)
    out = []
    for number, row in enumerate(body, start=1):
        out.append(f"-[ row {number} ]".ljust(min(width, 40), "-"))
        for name, cell in zip(header, row, strict=True):
            first, *rest = wrap(cell, room)
            out.append(f"{_pad(name, name_width)}{GAP}{first}".rstrip())
            out += [f"{' ' * name_width}{GAP}{line}" for line in rest]
    return out


def text_table(
    header: list[str], body: list[list[str]], width: int | None = None, wide: bool = False
) -> list[str]:
    """Lines of a table with columns aligned by display width.

    It fits ``width`` cells (default: the terminal's) by wrapping cells at spaces, with a blank
    line between rows once a row takes more than one line; when even the narrowest columns do
    not fit, one block per row. ``wide``: never wrap.
    """
    header = [printable(h) for h in header]
    body = [[printable(c) for c in row] for row in body]
    width = terminal_width() if width is None else width
    room = width - len(GAP) * (len(header) - 1)
    widths = _natural_widths(header, body) if wide else _column_widths(header, body, room)
    if widths is None:
        return _expanded(header, body, width)
    out = [GAP.join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    out.append(GAP.join("-" * w for w in widths))
    wrapped = [
        [[c] if wide else wrap(c, w) for c, w in zip(row, widths, strict=True)] for row in body
    ]
    spaced = any(len(cell) > 1 for row in wrapped for cell in row)
    for number, cells in enumerate(wrapped):
        if spaced and number:
            out.append("")
        for line in range(max(len(c) for c in cells)):
            parts = [c[line] if line < len(c) else "" for c in cells]
            out.append(GAP.join(_pad(p, w) for p, w in zip(parts, widths, strict=True)).rstrip())
    return out


# --- cells for people (table and md) ---------------------------------------------------------


def is_number(term: Node | None) -> bool:
    return isinstance(term, Literal) and term.datatype in NUMERIC


def _decimal(term: Literal) -> Decimal | None:
    try:
        value = Decimal(str(term).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _digits(value: Decimal) -> str:
    """Every digit of the value, grouped by thousands (no exponent, no rounding)."""
    return format(value, ",f")


def number_text(term: Literal) -> str:
    """A number as written, grouped by thousands from 10,000 (the lexical form otherwise)."""
    value = _decimal(term)
    if value is None or abs(value) < GROUP_FROM:
        return str(term)
    return _digits(value)


def scaled(value: Decimal, lang: str) -> tuple[str, str]:
    """The digits and scale word of an amount (``3.693``, ``trillion`` / ``兆``): the largest
    scale not above the value, every digit kept; no word below a million (en) or 万 (ja)."""
    for exponent, word in SCALES[lang]:
        if abs(value) >= Decimal(10) ** exponent:
            return _digits(value.scaleb(-exponent).normalize()), word
    return _digits(value), ""


def amount_text(value: Decimal, unit: URIRef, label: Labeller, lang: str) -> str:
    """An amount with its unit: ``JPY 3.693 trillion`` / ``3.693 兆円``, ``USD 8.4 billion`` /
    ``84 億米ドル``, ``40%``, ``100,000 people`` / ``10 万人``."""
    if unit == PERCENT:
        return f"{format(value, 'f')}%"
    digits, word = scaled(value, lang)
    if lang == "ja":
        return f"{digits} {word}{label(unit, lang)}"
    number = f"{digits} {word}" if word else digits
    if unit in CURRENCIES:
        return f"{CURRENCIES[unit]} {number}"
    return f"{number} {label(unit, lang)}"


def _status_names(term: Node | None) -> list[str] | None:
    """The value-status concept names of a cell (``approximate``), None if it holds none."""
    if isinstance(term, URIRef):
        iri = str(term)
        return (
            [iri[len(str(JPV)) + len(VALUE_STATUS) :]]
            if iri.startswith(str(JPV[VALUE_STATUS]))
            else None
        )
    if isinstance(term, Literal) and term.datatype is None:
        names = [n.strip() for n in str(term).split(",")]
        return names if all(n and " " not in n for n in names) else None
    return None


@dataclass(frozen=True)
class Amount:
    """A number column with the columns that hold its unit and its status."""

    unit: str | None
    status: str | None


def amount_columns(result: QueryResult, label: Labeller) -> dict[str, Amount]:
    """Number columns with their unit and status columns, by the rule in the module docstring."""

    def bound(name: str) -> list[Node]:
        return [r[name] for r in result if r.get(name) is not None]

    def is_value_status(name: str) -> bool:
        concept = JPV[VALUE_STATUS + name]
        return label(concept, "en") != compact(str(concept))

    def holds_statuses(column: str) -> bool:
        names = [_status_names(c) for c in bound(column)]
        return bool(names) and all(n is not None and all(map(is_value_status, n)) for n in names)

    numbers = [v for v in result.variables if bound(v) and all(is_number(c) for c in bound(v))]

    def owner(column: str, suffix: str) -> str | None:
        if column != suffix.lower():
            name = column[: -len(suffix)]
            return name if name in numbers else None
        left = [v for v in result.variables[: result.variables.index(column)] if v in numbers]
        return left[-1] if left else None

    units = {
        owner(v, "Unit"): v
        for v in result.variables
        if (v == "unit" or v.endswith("Unit"))
        and bound(v)
        and all(isinstance(c, URIRef) for c in bound(v))
    }
    statuses = {
        owner(v, "Status"): v
        for v in result.variables
        if (v == "status" or v.endswith("Status")) and holds_statuses(v)
    }
    owners = (units.keys() | statuses.keys()) - {None}
    return {n: Amount(units.get(n), statuses.get(n)) for n in owners}


def cell_text(term: Node | None, label: Labeller, lang: str) -> str:
    """'Label (curie)' for an IRI with a label, the CURIE otherwise; a number grouped by
    thousands from 10,000; a literal's text; ``_:id`` for a blank node."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        curie = compact(str(term))
        text = label(term, lang)
        return curie if text in (curie, str(term)) else f"{text} ({curie})"
    if isinstance(term, BNode):
        return f"_:{term}"
    return number_text(term) if is_number(term) else str(term)


def quantity_text(details: Iterable[tuple[Node, Node]], label: Labeller, lang: str) -> str | None:
    """The one text of a jpllm:Quantity, from its (property, value) pairs: the amount with its
    unit, how firm it is and the source's wording, after its variant (``700 billion parameters
    [official] 「7,000 億」``); None for a node with neither a value nor a wording."""
    values: dict[Node, list[Node]] = {}
    for key, value in sorted(details):
        values.setdefault(key, []).append(value)

    def first(key: URIRef) -> Node | None:
        return values.get(key, [None])[0]

    number, unit, worded = first(JPLLM.value), first(JPLLM.unit), first(JPLLM.asWorded)
    if number is None and worded is None:
        return None
    parts = []
    amount = _decimal(number) if isinstance(number, Literal) else None
    if amount is not None and isinstance(unit, URIRef):
        parts.append(amount_text(amount, unit, label, lang))
    elif number is not None:
        parts.append(cell_text(number, label, lang))
    statuses = sorted(label(status, lang) for status in values.get(JPLLM.valueStatus, []))
    if statuses:
        parts.append(f"[{', '.join(statuses)}]")
    if worded is not None:
        parts.append(f"「{worded}」")
    variant = first(JPLLM.variant)
    text = " ".join(parts)
    return f"{variant}: {text}" if variant is not None else text


def _amount_cell(row: dict, number: str, parts: Amount, label: Labeller, lang: str) -> str:
    value = row.get(number)
    unit = row.get(parts.unit) if parts.unit else None
    unit = unit if isinstance(unit, URIRef) else None
    amount = _decimal(value) if is_number(value) else None
    if amount is not None and unit is not None:
        text = amount_text(amount, unit, label, lang)
    elif value is not None:
        text = cell_text(value, label, lang)
    else:
        text = label(unit, lang) if unit is not None else ""
    names = _status_names(row.get(parts.status)) if parts.status else None
    if not names:
        return text
    status = ", ".join(label(JPV[VALUE_STATUS + n], lang) for n in names)
    return f"{text} [{status}]" if text else f"[{status}]"


def human_rows(
    result: QueryResult, label: Labeller, lang: str
) -> tuple[list[str], list[list[str]]]:
    """The header and cells of the table and md formats: labels, amounts with units."""
    amounts = amount_columns(result, label)
    folded = {c for parts in amounts.values() for c in (parts.unit, parts.status) if c}
    header = [v for v in result.variables if v not in folded]
    body = [
        [
            _amount_cell(row, v, amounts[v], label, lang)
            if v in amounts
            else cell_text(row.get(v), label, lang)
            for v in header
        ]
        for row in result
    ]
    return header, body


def _count(result: QueryResult) -> str:
    return f"({len(result)} row{'s' if len(result) != 1 else ''})"


def as_table(
    result: QueryResult,
    label: Labeller,
    lang: str,
    width: int | None = None,
    wide: bool = False,
) -> str:
    """A table that fits ``width`` columns (default: the terminal's), then the row count."""
    header, body = human_rows(result, label, lang)
    lines = text_table(header, body, width, wide=wide or not body)
    return "\n".join([*lines, _count(result)]) + "\n"


def as_markdown(result: QueryResult, label: Labeller, lang: str) -> str:
    """A Markdown table, one line per row (``|``, ``<``, ``>`` and ``&`` of data escaped)."""
    header, body = human_rows(result, label, lang)
    escape = lambda s: html.escape(printable(s), quote=False).replace("|", "\\|")  # noqa: E731
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(escape(c) for c in row) + " |" for row in body]
    return "\n".join(out) + "\n"


# --- the W3C formats -------------------------------------------------------------------------


def labelled_variables(result: QueryResult) -> list[tuple[str, str | None]]:
    """(variable, its label variable or None) for each variable, in order."""
    names = set(result.variables)
    return [
        (v, f"{v}_label")
        if f"{v}_label" not in names and any(isinstance(r.get(v), URIRef) for r in result)
        else (v, None)
        for v in result.variables
    ]


def _label_term(term: Node | None, label: Labeller, lang: str) -> Literal | None:
    if not isinstance(term, URIRef):
        return None
    text = label(term, lang)
    return None if text in (compact(str(term)), str(term)) else Literal(text, lang=lang)


def w3c_rows(
    result: QueryResult, label: Labeller, lang: str
) -> tuple[list[str], list[list[Node | None]]]:
    """The variables (label variables included) and the terms of each row, for json/csv/tsv."""
    pairs = labelled_variables(result)
    variables = [name for pair in pairs for name in pair if name]
    rows = []
    for row in result:
        cells: list[Node | None] = []
        for variable, label_variable in pairs:
            cells.append(row.get(variable))
            if label_variable:
                cells.append(_label_term(row.get(variable), label, lang))
        rows.append(cells)
    return variables, rows


def as_json(result: QueryResult, label: Labeller, lang: str) -> str:
    """W3C SPARQL 1.1 Query Results JSON, with the label variables."""
    if result.is_ask:
        document: dict = {"head": {}, "boolean": result.boolean}
    else:
        variables, rows = w3c_rows(result, label, lang)
        bindings = [
            {v: term_to_json(t) for v, t in zip(variables, cells, strict=True) if t is not None}
            for cells in rows
        ]
        document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_csv(result: QueryResult, label: Labeller, lang: str) -> str:
    """W3C SPARQL 1.1 Query Results CSV (CRLF line ends), with the label variables."""
    variables, rows = w3c_rows(result, label, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([term_to_csv(t) for t in cells] for cells in rows)
    return buffer.getvalue()


def as_tsv(result: QueryResult, label: Labeller, lang: str) -> str:
    """W3C SPARQL 1.1 Query Results TSV, with the label variables."""
    variables, rows = w3c_rows(result, label, lang)
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(term_to_tsv(t) for t in cells) for cells in rows]
    return "\n".join(lines) + "\n"


def render(
    result: QueryResult,
    fmt: str,
    label: Labeller,
    lang: str,
    *,
    width: int | None = None,
    wide: bool = False,
) -> str:
    """The result in one of :data:`FORMATS`, as complete text ending with its line end.

    ``width`` and ``wide`` are for the table (default: the terminal's width, wrapping).
    """
    if fmt == "table":
        return as_table(result, label, lang, width=width, wide=wide)
    writers = {"csv": as_csv, "tsv": as_tsv, "json": as_json, "md": as_markdown}
    return writers[fmt](result, label, lang)
