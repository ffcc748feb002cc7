"""Render query results as a terminal table, CSV, JSON or Markdown, with labels beside IRIs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from rdflib import Literal, URIRef
from rdflib.term import Node

from .namespaces import compact
from .results import QueryResult, plain

FORMATS = ("table", "csv", "json", "md")
Labeller = Callable[[Node, str], str]


def cell_text(term: Node | None, label: Labeller, lang: str) -> str:
    """'Label (curie)' for an IRI with a label, the CURIE otherwise, the literal's text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        curie = compact(str(term))
        text = label(term, lang)
        return curie if text in (curie, str(term)) else f"{text} ({curie})"
    return str(term)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _expanded(header: list[str], body: list[list[str]], width: int) -> str:
    """One block per row, 'variable  value' per line: for results too wide for a table."""
    name_width = max(len(h) for h in header)
    out = []
    for number, row in enumerate(body, start=1):
        out.append(f"-[ row {number} ]".ljust(min(width, 40), "-"))
        out += [
            f"{h:<{name_width}}  {_clip(c, width - name_width - 2)}".rstrip()
            for h, c in zip(header, row, strict=True)
        ]
    return "\n".join(out)


def as_table(result: QueryResult, label: Labeller, lang: str, width: int = 80) -> str:
    """A table if it fits ``width`` columns, else one block per row (like psql's \\x)."""
    header = result.variables
    body = [[" ".join(cell_text(r.get(v), label, lang).split()) for v in header] for r in result]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    count = f"({len(body)} row{'s' if len(body) != 1 else ''})"
    if body and sum(widths) + 2 * (len(widths) - 1) > width:
        return f"{_expanded(header, body, width)}\n{count}"
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    out = [line(header).rstrip(), "  ".join("-" * w for w in widths)]
    out += [line(r).rstrip() for r in body]
    out.append(count)
    return "\n".join(out)


def as_csv(result: QueryResult, label: Labeller, lang: str) -> str:
    """CSV with one column per variable and a ``_label`` column beside each IRI column."""
    iri_vars = [v for v in result.variables if any(isinstance(r.get(v), URIRef) for r in result)]
    columns = []
    for v in result.variables:
        columns += [v, f"{v}_label"] if v in iri_vars else [v]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in result.rows:
        cells = []
        for v in result.variables:
            term = row.get(v)
            cells.append("" if term is None else plain(term))
            if v in iri_vars:
                cells.append(label(term, lang) if isinstance(term, URIRef) else "")
        writer.writerow(cells)
    return buffer.getvalue().rstrip("\n")


def json_value(term: Node | None, label: Labeller, lang: str):
    """A JSON-ready cell: {'iri', 'curie', 'label'} for IRIs, the value for literals."""
    if isinstance(term, URIRef):
        return {"iri": str(term), "curie": compact(str(term)), "label": label(term, lang)}
    if isinstance(term, Literal):
        return plain(term)
    return None if term is None else str(term)


def as_json(result: QueryResult, label: Labeller, lang: str) -> str:
    rows = [{v: json_value(row.get(v), label, lang) for v in result.variables} for row in result]
    return json.dumps({"variables": result.variables, "rows": rows}, ensure_ascii=False, indent=2)


def as_markdown(result: QueryResult, label: Labeller, lang: str) -> str:
    escape = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
    out = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    for row in result.rows:
        out.append(
            "| "
            + " | ".join(escape(cell_text(row.get(v), label, lang)) for v in result.variables)
            + " |"
        )
    return "\n".join(out)


def render(result: QueryResult, fmt: str, label: Labeller, lang: str) -> str:
    """Render in one of :data:`FORMATS`."""
    return {"table": as_table, "csv": as_csv, "json": as_json, "md": as_markdown}[fmt](
        result, label, lang
    )
