"""Render a validation report as text for a terminal: short by default, everything with verbose."""

from __future__ import annotations

from collections import Counter

from jpllmkg.query.render import terminal_width, wrap
from jpllmkg.validate.findings import Finding
from jpllmkg.validate.validation import ValidationReport

WARNINGS_EXPLAINED = (
    "These warnings are expected: advisory checks (severity Warning) flag facts the source "
    "report may not give (a model's release date or developer, an organization's country ...) "
    "and entities nothing links to yet. They do not fail validation (exit code 0) and need no "
    "allow-list entry (the allow-lists in ontology/shapes/ are for exceptions to violation "
    "rules); each goes away once the fact is in the graph."
)


def _finding_lines(finding: Finding) -> list[str]:
    where = f"  [{finding.file}]" if finding.file else ""
    lines = [f"{finding.severity.upper()}: {finding.focus_label} ({finding.focus}){where}"]
    if finding.path:
        lines.append(f"    path:    {finding.path}")
    if finding.value:
        lines.append(f"    value:   {finding.value}")
    lines.append(f"    message: {finding.message}")
    lines.append(f"    check:   {finding.check}")
    return lines


def check_name(check: str) -> str:
    """A check as it is named in its file: ``ModelDateAdvisoryShape``, ``qc:orphan-entities``."""
    return check.strip("<>").rsplit("#", 1)[-1]


def _paragraph(text: str, width: int, indent: str = "") -> list[str]:
    return [indent + line for line in wrap(text, max(width - len(indent), 20))]


def _warning_summary(warnings: list[Finding], width: int) -> list[str]:
    """How many warnings each check gave, with its message (one line, to grep), and why they are
    expected."""
    counts = Counter(f.check for f in warnings)
    message = {f.check: f.message for f in warnings}
    lines = [f"{len(warnings)} warning(s), by check:"]
    for check, count in counts.most_common():
        lines.append(f"  {count:>3}  {check_name(check)}")
        lines.append(f"       {message[check]}")
    lines += _paragraph(WARNINGS_EXPLAINED, width)
    lines.append("Run 'jpllmkg validate --verbose' to list each warning.")
    return lines


def render_validation(
    report: ValidationReport, root: str, verbose: bool = False, width: int | None = None
) -> str:
    """A short summary, every violation, and the warnings counted by check; ``verbose`` adds the
    entities per class and lists every warning."""
    width = terminal_width() if width is None else width
    s = report.summary
    lines = [
        f"jpllmkg validate: {root}",
        f"  triples          {s.triples} ({s.fact_triples} facts in graph/, {s.files} files)",
        f"  fact nodes       {s.fact_nodes} (nodes with dcterms:source)",
        f"  references cited {s.references_cited} of {s.references_total}",
        f"  entities         {sum(s.entities_per_class.values())} in "
        f"{len(s.entities_per_class)} classes",
    ]
    if verbose:
        lines.append("  entities per class:")
        name_width = max((len(c) for c in s.entities_per_class), default=0)
        lines += [f"    {c:<{name_width}}  {n:>4}" for c, n in s.entities_per_class.items()]
    if s.references_uncited:
        lines.append(f"  uncited references: {', '.join(s.references_uncited)}")
    lines.append("")
    shown = [f for f in report.findings if verbose or f.severity != "Warning"]
    for finding in shown:
        lines += _finding_lines(finding)
    if report.warnings and not verbose:
        lines += _warning_summary(report.warnings, width)
    elif report.warnings:
        lines += _paragraph(WARNINGS_EXPLAINED, width)
    verdict = "conforms" if not report.violations else "does NOT conform"
    lines.append(
        f"Result: {verdict}: {len(report.violations)} violation(s), "
        f"{len(report.warnings)} warning(s)."
    )
    return "\n".join(lines)
