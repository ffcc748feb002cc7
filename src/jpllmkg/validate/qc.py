"""Run the quality-check queries (queries/qc/*.rq): each returns the offending rows.

A check may have an allow-list beside it, ``NAME.allow.tsv`` (DESIGN.md section 7,
practice 7): one exception a line, tab-separated ``focus``, ``value`` and ``reason`` under a
header line naming those columns, ``#`` lines being comments. A row of the check whose focus
and value are on the list is no finding. As for the allow-lists of the shapes, a test keeps
the list free of stale entries (tests/test_links.py: the list is exactly what the check finds
on the real graph), so a project that copies the checks without the data gets no findings.
"""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import URIRef

from jpllmkg.errors import InputFileError
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import compact, expand
from jpllmkg.query.engine import engine_for
from jpllmkg.query.query_files import SavedQuery, read_query_dir
from jpllmkg.query.sparql_text import prepare
from jpllmkg.validate.findings import Finding

ALLOW_COLUMNS = ["focus", "value", "reason"]


def _text(node) -> str | None:
    if node is None:
        return None
    return compact(str(node)) if isinstance(node, URIRef) else str(node)


def allow_list_path(query: SavedQuery) -> Path:
    """Where a check's allow-list is kept: ``NAME.allow.tsv`` beside ``NAME.rq``."""
    return query.path.with_name(f"{query.name}.allow.tsv")


def read_allow_list(path: Path, where: str) -> set[tuple[str, str]]:
    """The (focus, value) pairs of an allow-list, as CURIEs."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(
            f"{where}: cannot read the allow-list ({error}). Save it as UTF-8 text."
        ) from None
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    rows = list(csv.reader([line for _, line in lines], delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != ALLOW_COLUMNS:
        raise InputFileError(
            f"{where}: the first line that is not a comment must be the header naming the "
            "columns focus, value and reason, separated by tabs. Add it above the entries."
        )
    entries: set[tuple[str, str]] = set()
    for (number, _), row in zip(lines[1:], rows[1:], strict=True):
        iris = [expand(cell) for cell in row[:2]]
        if len(row) != 3 or None in iris or not row[2].strip():
            raise InputFileError(
                f"{where}:{number}: an entry is three tab-separated cells: the focus and the "
                "value as CURIEs or IRIs (jpr:elyza) and a reason saying why the finding is "
                "expected. Fix the line or remove it."
            )
        entries.add((compact(iris[0]), compact(iris[1])))
    return entries


def run_quality_checks(kg: KnowledgeGraph) -> list[Finding]:
    """Run every QC query on the loaded graph; every row is a finding.

    A QC query selects ``?focus`` and optionally ``?path``, ``?value`` and ``?message``; its
    header gives ``severity`` (Violation by default) and the default ``message``. Rows on the
    check's allow-list are left out.
    """
    findings = []
    for name, query in read_query_dir(kg.project.qc_dir).items():
        severity = query.meta.get("severity", "Violation")
        where = kg.project.relative(query.path)
        prepare(query.text, where, InputFileError)
        allow_path = allow_list_path(query)
        allow_where = kg.project.relative(allow_path)
        allowed = read_allow_list(allow_path, allow_where) if allow_path.is_file() else set()
        for values in engine_for(kg, inferred=False).select(query.text, where=where):
            focus = values.get("focus")
            pair = (_text(focus) or "", _text(values.get("value")) or "")
            if pair in allowed:
                continue
            findings.append(
                Finding(
                    severity=severity,
                    check=f"qc:{name}",
                    focus=pair[0],
                    focus_label=kg.label(focus) if focus is not None else "",
                    message=str(values.get("message") or query.meta.get("message", name)),
                    path=_text(values.get("path")),
                    value=_text(values.get("value")),
                    file=kg.origin_of(focus) if focus is not None else None,
                )
            )
    return findings
