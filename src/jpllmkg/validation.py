"""Validate the loaded graph: SHACL shapes, the shapes graph itself, and the QC queries."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import EXIT_FINDINGS, EXIT_OK
from .findings import Finding
from .loader import KnowledgeGraph
from .namespaces import compact
from .qc import run_quality_checks
from .shacl import DEFAULT_SHACL_ENGINE, check_shapes_graph, run_shapes
from .summary import GraphSummary, summarise


@dataclass
class ValidationReport:
    """Everything `jpllmkg validate` prints."""

    summary: GraphSummary
    findings: list[Finding]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.violations else EXIT_OK

    def to_dict(self) -> dict:
        return {
            "conforms": not self.violations,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "summary": self.summary.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }


def redefinition_findings(kg: KnowledgeGraph) -> list[Finding]:
    """A node declared (given an rdf:type) in more than one file: each node has one home."""
    return [
        Finding(
            severity="Violation",
            check="one-file-per-node",
            focus=compact(str(node)),
            focus_label=kg.label(node),
            message=(
                f"declared in {' and '.join(files)}; keep the declaration in one file and "
                "merge the statements there."
            ),
            file=files[0],
        )
        for node, files in sorted(kg.redefinitions.items())
    ]


def validate(kg: KnowledgeGraph, shacl_engine: str = DEFAULT_SHACL_ENGINE) -> ValidationReport:
    """Check the shapes graph, then the data against it, then run every QC query."""
    findings = check_shapes_graph(kg.shapes, shacl_engine)
    findings += run_shapes(kg, shacl_engine)
    findings += run_quality_checks(kg)
    findings += redefinition_findings(kg)
    findings.sort(key=Finding.sort_key)
    return ValidationReport(summary=summarise(kg), findings=findings)
