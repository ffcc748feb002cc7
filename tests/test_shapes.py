"""Tests of the SHACL shapes in ontology/shapes/ (DESIGN.md section 7, practices 4 and 5).

* the shapes graph is itself valid SHACL (meta-SHACL) and uses only real SHACL terms
  (a misspelt term such as ``sh:minCout`` is silently ignored by every processor);
* every shape has an ``sh:message`` that says how to fix the problem, and a severity;
* every valid fixture (tests/fixtures/valid/*.ttl) is clean;
* the base graph of the invalid fixtures (tests/fixtures/base.ttl) is clean;
* every invalid fixture (tests/fixtures/invalid/*.ttl: a change to the base graph, see
  tests/fixture_cases.py and tests/fixtures/README.md) produces the results its header
  announces, and nothing else:

      # expect: <substring of an sh:resultMessage of an sh:Violation>
      # expect-warning: <substring of an sh:resultMessage of an sh:Warning>
      # also: <substring of a further result that is tolerated (a knock-on finding)>
      # remove: <a SPARQL triple pattern deleted from the base graph>

* every shape file has at least one invalid fixture named after it, and every shape and
  SPARQL constraint is fired by at least one invalid fixture;
* every node on a shape's allow-list exists in graph/ (no stale exceptions);
* the broken fixture is refused by the Turtle parser at the line it announces.

Each fixture (an invalid one: the base graph with its change) is validated on its own,
together with ontology/jpllm.ttl, its modules
(ontology/*.ttl, e.g. transcription.ttl) and ontology/vocab/*.ttl (the shapes follow
rdfs:subClassOf and read skos:inScheme there).
The helpers below use rdflib and pySHACL directly (and tests/fixture_cases.py, which applies a
fixture's change to the base graph), with no dependency on the package.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import NamedTuple

import pyshacl
import pyshacl_turbo
import pytest
from fixture_cases import BASE, INVALID, case_graph, read_case
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "jpllm.ttl"
MODULES = sorted(p for p in (ROOT / "ontology").glob("*.ttl") if p != ONTOLOGY)
VOCAB_DIR = ROOT / "ontology" / "vocab"
SHAPES_DIR = ROOT / "ontology" / "shapes"
FIXTURES = ROOT / "tests" / "fixtures"

JPLLM = "https://w3id.org/jpllmkg/ontology#"
JPV = "https://w3id.org/jpllmkg/vocab/"
SHACL_NS = str(SH)
PYSHACL_ASSETS = Path(pyshacl.__file__).resolve().parent / "assets"

SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
BROKEN = FIXTURES / "broken" / "broken.ttl"

# Ill-formed literals in the invalid fixtures (e.g. "2025-13"^^xsd:gYearMonth) make rdflib
# log a conversion traceback; the shapes report them, the log only adds noise.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


@functools.cache
def shapes_graph() -> Graph:
    g = Graph()
    for path in SHAPE_FILES:
        g.parse(path, format="turtle")
    return g


@functools.cache
def ontology_graph() -> Graph:
    """ontology/jpllm.ttl + its modules (ontology/*.ttl) + ontology/vocab/*.ttl."""
    g = Graph()
    g.parse(ONTOLOGY, format="turtle")
    for path in MODULES:
        g.parse(path, format="turtle")
    for path in sorted(VOCAB_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


class Result(NamedTuple):
    severity: str  # "Violation", "Warning" or "Info"
    messages: tuple[str, ...]
    focus: str
    shape: str
    constraint: str  # sh:sourceConstraint (SPARQL constraints), else ""

    def text(self) -> str:
        return " | ".join(self.messages)

    def __str__(self) -> str:
        return f"[{self.severity}] {self.shape} on {self.focus}: {self.text()}"


def _name(node) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "_:" + str(node)[:8]
    text = str(node)
    for prefix, ns in (
        ("jpsh:", "https://w3id.org/jpllmkg/shapes#"),
        ("jpr:", "https://w3id.org/jpllmkg/resource/"),
        ("jpllm:", JPLLM),
    ):
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return text


def fixture_graph(path: Path) -> Graph:
    """A valid fixture or base.ttl as written; an invalid fixture as its change to base.ttl."""
    if path in INVALID:
        return case_graph(path)
    return Graph().parse(path, format="turtle")


@functools.cache
def validate_file(path: Path, engine: str = "pyshacl") -> tuple[Result, ...]:
    """Validate ontology + vocabularies + one fixture with all shapes; top-level results only.

    ``engine`` is ``pyshacl`` (the reference) or ``turbo`` (pyshacl-turbo, the project's
    default validator); results are cached per fixture and engine.
    """
    data = Graph()
    data += ontology_graph()
    data += fixture_graph(path)
    validator = pyshacl_turbo.validate if engine == "turbo" else pyshacl.validate
    _conforms, report, _text = validator(
        data,
        shacl_graph=shapes_graph(),
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    results = []
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for res in report.objects(rep, SH.result):
            results.append(
                Result(
                    severity=str(report.value(res, SH.resultSeverity)).rsplit("#", 1)[-1],
                    messages=tuple(sorted(str(m) for m in report.objects(res, SH.resultMessage))),
                    focus=_name(report.value(res, SH.focusNode)),
                    shape=_name(report.value(res, SH.sourceShape)),
                    constraint=_name(report.value(res, SH.sourceConstraint)),
                )
            )
    return tuple(sorted(results))


def report_lines(results) -> str:
    return "\n".join(f"  {r}" for r in results) or "  (no results)"


# ---------------------------------------------------------------------------
# The shapes graph itself
# ---------------------------------------------------------------------------


def test_shapes_conform_to_shacl_shacl():
    """Validate the shapes graph against the SHACL-SHACL shapes (meta-SHACL)."""
    shacl_shacl = Graph().parse(PYSHACL_ASSETS / "shacl-shacl.ttl", format="turtle")
    conforms, _graph, text = pyshacl.validate(
        shapes_graph(), shacl_graph=shacl_shacl, inference="none"
    )
    assert conforms, text


def test_meta_shacl_flag_accepts_the_shapes():
    """pySHACL's own meta_shacl=True path raises if the shapes graph is not valid SHACL."""
    data = Graph()
    data += ontology_graph()
    conforms, _graph, text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        meta_shacl=True,
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    assert conforms, text


def test_only_real_shacl_terms_are_used():
    """Every sh: IRI in the shapes is defined by the SHACL vocabulary (catches misspellings)."""
    shacl_vocab = Graph().parse(PYSHACL_ASSETS / "shacl.ttl", format="turtle")
    defined = {s for s in shacl_vocab.subjects() if str(s).startswith(SHACL_NS)}
    used = {
        t
        for triple in shapes_graph()
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(SHACL_NS)
    }
    unknown = sorted(_name(t) for t in used - defined)
    assert not unknown, f"unknown SHACL terms (misspelt?): {unknown}"


def test_shapes_use_declared_ontology_and_vocabulary_terms():
    """Every jpllm: and jpv: term in the shapes (also in SPARQL text and messages; `jpv:unit-*`
    wildcards in messages excepted) is declared in ontology/jpllm.ttl, a module of it
    (ontology/*.ttl) or ontology/vocab/."""
    onto = ontology_graph()
    declared = {s for s in onto.subjects(RDF.type, None)}
    used: set[str] = set()
    for triple in shapes_graph():
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith((JPLLM, JPV)):
                used.add(str(term))
            elif isinstance(term, Literal):
                for prefix, local in re.findall(
                    r"\b(jpllm|jpv):([A-Za-z][\w-]*[A-Za-z0-9])(?![\w*-])", str(term)
                ):
                    used.add((JPLLM if prefix == "jpllm" else JPV) + local)
    missing = sorted(u for u in used if URIRef(u) not in declared)
    assert not missing, f"terms used in shapes but not declared in ontology/: {missing}"


def _all_shapes(g: Graph):
    """Node shapes, property shapes, and the targets of sh:property / sh:sparql."""
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    shapes |= set(g.objects(None, SH.property))
    sparql = set(g.objects(None, SH.sparql))
    return shapes, sparql


def _describe(g: Graph, node) -> str:
    if isinstance(node, URIRef):
        return _name(node)
    parent = next(g.subjects(SH.property, node), None) or next(g.subjects(SH.sparql, node), None)
    path = g.value(node, SH.path)
    return f"{_name(node)} (path {_name(path)} in {_name(parent)})"


def test_every_shape_has_a_message_and_a_severity():
    g = shapes_graph()
    shapes, sparql = _all_shapes(g)
    problems = []
    for shape in sorted(shapes | sparql, key=str):
        messages = list(g.objects(shape, SH.message))
        if not messages:
            problems.append(f"{_describe(g, shape)}: no sh:message")
        elif any(len(str(m)) < 20 for m in messages):
            problems.append(f"{_describe(g, shape)}: sh:message too short to say how to fix it")
    for shape in sorted(shapes, key=str):
        severities = list(g.objects(shape, SH.severity))
        if len(severities) != 1 or severities[0] not in (SH.Violation, SH.Warning, SH.Info):
            problems.append(
                f"{_describe(g, shape)}: needs exactly one sh:severity (sh:Violation / sh:Warning)"
            )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


def test_fixture_directories_are_populated():
    assert VALID, "no valid fixtures"
    assert INVALID, "no invalid fixtures"


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture(path: Path):
    results = validate_file(path)
    violations = [r for r in results if r.severity == "Violation"]
    assert not violations, f"{path.name} should conform:\n{report_lines(violations)}"
    # Valid fixtures are clean: the advisory (sh:Warning) shapes must stay quiet on them too.
    assert not results, f"{path.name} should raise no warnings either:\n{report_lines(results)}"


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
def test_base_graph_is_clean(engine: str):
    """The graph every invalid fixture changes raises nothing: each finding is the fixture's."""
    results = validate_file(BASE, engine)
    assert not results, f"{BASE.name} should raise nothing:\n{report_lines(results)}"


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture(path: Path):
    exp = read_case(path)
    assert exp.violations or exp.warnings, (
        f"{path.name} has no '# expect:' / '# expect-warning:' line"
    )
    results = validate_file(path)
    for wanted in exp.violations:
        assert any(r.severity == "Violation" and wanted in r.text() for r in results), (
            f"{path.name}: no sh:Violation with message containing {wanted!r}; "
            f"got:\n{report_lines(results)}"
        )
    for wanted in exp.warnings:
        assert any(r.severity == "Warning" and wanted in r.text() for r in results), (
            f"{path.name}: no sh:Warning with message containing {wanted!r}; "
            f"got:\n{report_lines(results)}"
        )
    # Only the announced kind of finding (plus the knock-on ones listed under `# also:`).
    unexpected = []
    for r in results:
        allowed = exp.also + (exp.violations if r.severity == "Violation" else exp.warnings)
        if not any(a in r.text() for a in allowed):
            unexpected.append(r)
    assert not unexpected, f"{path.name}: unexpected results:\n{report_lines(unexpected)}"


@pytest.mark.parametrize("path", SHAPE_FILES, ids=[p.stem for p in SHAPE_FILES])
def test_shape_file_has_invalid_fixtures(path: Path):
    named = [p for p in INVALID if p.stem.startswith(path.stem + "-")]
    assert named, f"no tests/fixtures/invalid/{path.stem}-*.ttl for ontology/shapes/{path.name}"


def test_every_shape_fires_on_some_invalid_fixture():
    """Each targeted node shape, each of its property shapes and each SPARQL constraint is
    reported by at least one invalid fixture (a shape that never fires may be misspelt)."""
    g = shapes_graph()
    fired_shapes: set[str] = set()
    fired_constraints: set[str] = set()
    for path in INVALID:
        for r in validate_file(path):
            fired_shapes.add(r.shape)
            fired_constraints.add(r.constraint)
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    missing = []
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape)), key=str):
        if not any((shape, t, None) in g for t in targets):
            continue  # reusable helper shapes (used through sh:node / sh:or)
        props = list(g.objects(shape, SH.property))
        sparqls = list(g.objects(shape, SH.sparql))
        own = [
            p
            for p in g.predicates(shape, None)
            if p not in targets
            and p
            not in (
                RDF.type,
                SH.property,
                SH.sparql,
                SH.message,
                SH.severity,
                SH.name,
                SH.description,
            )
        ]
        for prop in props:
            if _name(prop) not in fired_shapes:
                missing.append(f"property shape {_describe(g, prop)}")
        for sparql in sparqls:
            if _name(sparql) not in fired_constraints:
                missing.append(f"SPARQL constraint {_name(sparql)} of {_name(shape)}")
        if own and _name(shape) not in fired_shapes:
            missing.append(f"node shape {_name(shape)}")
    assert not missing, "never fired by any invalid fixture:\n" + "\n".join(missing)


def test_allow_listed_nodes_exist_in_the_graph():
    """Allow-lists (`sh:or ( [ sh:in ( jpr:... ) ] ... )`, DESIGN.md section 7, practice 7)
    name real nodes of graph/*.ttl: a renamed or removed node leaves no stale exception."""
    g = shapes_graph()
    listed = set()
    for alternatives in g.objects(None, SH["or"]):
        for member in g.items(alternatives):
            for values in g.objects(member, SH["in"]):
                listed |= {
                    v
                    for v in g.items(values)
                    if str(v).startswith("https://w3id.org/jpllmkg/resource/")
                }
    if not listed:
        pytest.skip("no allow-listed nodes")
    graph_files = sorted((ROOT / "graph").rglob("*.ttl"))
    subjects = set()
    for path in graph_files:
        subjects |= set(Graph().parse(path, format="turtle").subjects(RDF.type, None))
    stale = sorted(_name(n) for n in listed - subjects)
    assert not stale, f"allow-listed in ontology/shapes/ but not declared in graph/: {stale}"


def test_broken_fixture_is_refused_at_its_line():
    first = BROKEN.read_text(encoding="utf-8").splitlines()[0]
    m = re.match(r"#\s*error-line:\s*(\d+)", first)
    assert m, "broken.ttl must start with '# error-line: N'"
    line = int(m.group(1))
    with pytest.raises(Exception) as info:
        Graph().parse(BROKEN, format="turtle")
    assert re.search(rf"\bline {line}\b", str(info.value)), (
        f"expected a syntax error at line {line}, got: {info.value}"
    )


@pytest.mark.parametrize(
    "path", VALID + INVALID, ids=[f"{p.parent.name}/{p.stem}" for p in VALID + INVALID]
)
def test_turbo_reports_exactly_what_pyshacl_reports(path):
    """The fast validator (pyshacl-turbo) gives the reference validator's findings, all of them."""

    def comparable(results: tuple[Result, ...]) -> list[Result]:
        # Each run parses the fixture afresh, so blank-node labels differ between runs.
        blank = re.compile(r"^_:\w+$")
        return sorted(r._replace(focus=blank.sub("_:blank", r.focus)) for r in results)

    assert comparable(validate_file(path, "turbo")) == comparable(validate_file(path, "pyshacl"))
