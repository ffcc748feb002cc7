"""Run the SHACL shapes (and check the shapes graph itself): pyshacl-turbo, or pySHACL."""

from __future__ import annotations

from functools import cache as memoize
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from jpllmkg.errors import InputFileError, UsageError
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import SH, compact
from jpllmkg.validate.findings import Finding

SHACL_ENGINES = ("turbo", "pyshacl")
DEFAULT_SHACL_ENGINE = "turbo"


@memoize
def shacl_vocabulary() -> frozenset[str]:
    """Every term the SHACL vocabulary defines (from the copy pySHACL ships)."""
    import pyshacl

    vocab = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl.ttl", format="turtle")
    return frozenset(str(s) for s in vocab.subjects() if str(s).startswith(str(SH)))


def _term(node) -> str | None:
    if node is None:
        return None
    return compact(str(node)) if isinstance(node, URIRef) else str(node)


def misspelt_shacl_terms(shapes: Graph) -> list[Finding]:
    """sh: terms the SHACL vocabulary does not define (processors silently ignore them)."""
    known = shacl_vocabulary()
    used = {str(n) for triple in shapes for n in triple if isinstance(n, URIRef)}
    return [
        Finding(
            severity="Violation",
            check="shapes-graph",
            focus=iri,
            focus_label=compact(iri),
            message=(
                f"{compact(iri)} is not a SHACL term, so validators ignore it silently. "
                "Correct the spelling in ontology/shapes/."
            ),
        )
        for iri in sorted(used)
        if iri.startswith(str(SH)) and iri not in known
    ]


def check_shapes_graph(shapes: Graph, engine: str = DEFAULT_SHACL_ENGINE) -> list[Finding]:
    """Validate the shapes graph against SHACL-SHACL and look for misspelt sh: terms."""
    findings = misspelt_shacl_terms(shapes)
    conforms, report, _ = _module(engine).meta_validate(shapes, inference="none")
    if not conforms:
        findings.extend(_results(report, None, check_prefix="shapes-graph"))
    return findings


def _results(report: Graph, kg: KnowledgeGraph | None, check_prefix: str = "") -> list[Finding]:
    """The report's results as findings: top-level ones only (nested sh:detail results of
    sh:node / sh:or explain a top-level one and would repeat it, focused on the value)."""
    findings = []
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        source_shape = report.value(result, SH.sourceShape)
        value = report.value(result, SH.value)
        owner = kg.named_owner(focus) if kg is not None else None
        findings.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                check=check_prefix or _term(source_shape) or "shacl",
                focus=_term(owner or focus) or "",
                focus_label=kg.label(owner or focus) if kg is not None else (_term(focus) or ""),
                message=" ".join(messages) or "SHACL constraint not met.",
                path=_term(_property(report.value(result, SH.resultPath), focus, value, kg)),
                value=_term(value),
                file=kg.origin_of(focus) if kg is not None else None,
            )
        )
    return findings


def _property(path, focus, value, kg: KnowledgeGraph | None):
    """The result path, or for a complex path (``sh:alternativePath`` ...) the one property
    that links the focus node to the value, which is what a person fixes."""
    if not isinstance(path, BNode) or kg is None or focus is None or value is None:
        return path
    return min(kg.data.predicates(focus, value), default=path)


def _module(engine: str):
    """The validator module: pyshacl-turbo (fast, the default) or pySHACL (the reference)."""
    if engine not in SHACL_ENGINES:
        raise UsageError(
            f"unknown SHACL engine {engine!r}; choose one of: {', '.join(SHACL_ENGINES)}."
        )
    if engine == "turbo":
        import pyshacl_turbo

        return pyshacl_turbo
    from pyshacl import entrypoints

    return entrypoints


def run_shapes(kg: KnowledgeGraph, engine: str = DEFAULT_SHACL_ENGINE) -> list[Finding]:
    """Validate the merged data graph against the project's shapes."""
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    try:
        conforms, report, text = _module(engine).validate(
            kg.data,
            shacl_graph=kg.shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    except (ConstraintLoadError, ReportableRuntimeError, ShapeLoadError, ValueError) as error:
        raise InputFileError(
            f"ontology/shapes: the SHACL engine cannot run the shapes: {error}. "
            "Fix the shape it names."
        ) from None
    if not isinstance(report, Graph):
        raise InputFileError(
            f"ontology/shapes: the SHACL engine cannot run the shapes: {str(text).strip()}. "
            "Fix the shape it names."
        )
    if conforms and not any(True for _ in report.subjects(RDF.type, SH.ValidationResult)):
        return []
    return _results(report, kg)
