"""Render a validation report as text for a terminal."""

from __future__ import annotations

from .validation import ValidationReport


def render_validation(report: ValidationReport, root: str) -> str:
    """Summary (triples, entities per class, references cited), then every finding."""
    s = report.summary
    lines = [
        f"jpllmkg validate: {root}",
        f"  triples          {s.triples} ({s.fact_triples} facts in graph/, {s.files} files)",
        f"  fact nodes       {s.fact_nodes} (nodes with dcterms:source)",
        f"  references cited {s.references_cited} of {s.references_total}",
        "  entities per class:",
    ]
    width = max((len(c) for c in s.entities_per_class), default=0)
    lines += [f"    {c:<{width}}  {n:>4}" for c, n in s.entities_per_class.items()]
    if s.references_uncited:
        lines.append(f"  uncited references: {', '.join(s.references_uncited)}")
    lines.append("")
    for finding in report.findings:
        where = f"  [{finding.file}]" if finding.file else ""
        lines.append(f"{finding.severity.upper()}: {finding.focus_label} ({finding.focus}){where}")
        if finding.path:
            lines.append(f"    path:    {finding.path}")
        if finding.value:
            lines.append(f"    value:   {finding.value}")
        lines.append(f"    message: {finding.message}")
        lines.append(f"    check:   {finding.check}")
    verdict = "conforms" if not report.violations else "does NOT conform"
    lines.append(
        f"Result: {verdict}: {len(report.violations)} violation(s), "
        f"{len(report.warnings)} warning(s)."
    )
    return "\n".join(lines)
