"""Validate the loaded graph: SHACL shapes, the shapes graph itself, and the QC queries."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rdflib.namespace import XSD

from jpllmkg.errors import EXIT_FINDINGS, EXIT_OK
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import compact
from jpllmkg.graph.summary import GraphSummary, summarise
from jpllmkg.validate.findings import Finding
from jpllmkg.validate.qc import run_quality_checks
from jpllmkg.validate.shacl import DEFAULT_SHACL_ENGINE, check_shapes_graph, run_shapes


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


# What a well-typed value of the common datatypes looks like, for the ill-typed message.
TYPE_EXAMPLES = {
    XSD.boolean: "true or false",
    XSD.date: '"2025-04-01"^^xsd:date',
    XSD.dateTime: '"2025-04-01T09:30:00+09:00"^^xsd:dateTime',
    XSD.integer: "a whole number such as 42",
    XSD.positiveInteger: "a whole number of 1 or more",
    XSD.nonNegativeInteger: "a whole number of 0 or more",
    XSD.decimal: "a number such as 3.5",
    XSD.double: "a number such as 3.5 or 1.2E9",
}


def ill_typed_findings(kg: KnowledgeGraph) -> list[Finding]:
    """A literal its datatype does not allow ("yes"^^xsd:boolean, "2025-13-45"^^xsd:date).

    Decided by rdflib on every literal of every file (one linear pass), so the finding is the
    same whichever SHACL engine runs (the engines disagree on ill-typed literals).
    """
    findings = []
    for literal in kg.ill_typed_literals:
        owner = kg.named_owner(literal.subject)
        datatype = compact(str(literal.value.datatype))
        example = TYPE_EXAMPLES.get(literal.value.datatype)
        findings.append(
            Finding(
                severity="Violation",
                check="ill-typed-literal",
                focus=compact(str(owner)) if owner is not None else str(literal.subject),
                focus_label=kg.label(owner) if owner is not None else "",
                message=(
                    f'{compact(str(literal.predicate))} "{literal.value}" is not a valid '
                    f"{datatype}: write {example or f'a value {datatype} allows'}, or give the "
                    "value the datatype it really has."
                ),
                path=compact(str(literal.predicate)),
                value=str(literal.value),
                file=literal.file,
            )
        )
    return findings


def merge_ill_typed(shape_findings: list[Finding], ill_typed: list[Finding]) -> list[Finding]:
    """Report a value once: a shape that already reports an ill-typed value (a bad date) keeps
    its message and takes the file the value is written in (a shape only knows where the node
    is declared); the other ill-typed values are reported on their own."""
    by_value = {(f.focus, f.path, f.value): f for f in ill_typed}
    merged = []
    for finding in shape_findings:
        literal = by_value.pop((finding.focus, finding.path, finding.value), None)
        merged.append(replace(finding, file=literal.file) if literal else finding)
    return merged + list(by_value.values())


def validate(kg: KnowledgeGraph, shacl_engine: str = DEFAULT_SHACL_ENGINE) -> ValidationReport:
    """Check the project is complete, the shapes graph, the data against it (and its literal
    types), then run every QC query."""
    kg.project.require()
    findings = check_shapes_graph(kg.shapes, shacl_engine)
    findings += merge_ill_typed(run_shapes(kg, shacl_engine), ill_typed_findings(kg))
    findings += run_quality_checks(kg)
    findings += redefinition_findings(kg)
    findings.sort(key=Finding.sort_key)
    return ValidationReport(summary=summarise(kg), findings=findings)
