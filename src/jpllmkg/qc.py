"""Run the quality-check queries (queries/qc/*.rq): each returns the offending rows."""

from __future__ import annotations

from rdflib import URIRef

from .errors import InputFileError
from .findings import Finding
from .loader import KnowledgeGraph
from .namespaces import compact
from .query_files import read_query_dir
from .sparql_text import prepare


def _text(node) -> str | None:
    if node is None:
        return None
    return compact(str(node)) if isinstance(node, URIRef) else str(node)


def run_quality_checks(kg: KnowledgeGraph) -> list[Finding]:
    """Run every QC query on the loaded graph; every row is a finding.

    A QC query selects ``?focus`` and optionally ``?path``, ``?value`` and ``?message``; its
    header gives ``severity`` (Violation by default) and the default ``message``.
    """
    findings = []
    for name, query in read_query_dir(kg.project.qc_dir).items():
        severity = query.meta.get("severity", "Violation")
        where = kg.project.relative(query.path)
        prepare(query.text, where, InputFileError)
        for values in kg.engine(inferred=False).select(query.text, where=where):
            focus = values.get("focus")
            findings.append(
                Finding(
                    severity=severity,
                    check=f"qc:{name}",
                    focus=_text(focus) or "",
                    focus_label=kg.label(focus) if focus is not None else "",
                    message=str(values.get("message") or query.meta.get("message", name)),
                    path=_text(values.get("path")),
                    value=_text(values.get("value")),
                    file=kg.origin_of(focus) if focus is not None else None,
                )
            )
    return findings
