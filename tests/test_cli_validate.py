"""`jpllmkg validate` end to end: exit codes, messages, project discovery.

Each invalid fixture (tests/fixtures/invalid/, qc-invalid/) is a change to the base graph
tests/fixtures/base.ttl (tests/fixture_cases.py): the project under test holds the changed
graph, written out as one Turtle file named after the fixture.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES
from fixture_cases import INVALID, QC_INVALID, read_case, write_case


def first_and_last_of_each_shapes_file(paths: list[Path]) -> list[Path]:
    """Two SHACL fixtures per shapes file (named ``FILE-...``): the CLI renders every shape's
    findings with the same code, and tests/test_shapes.py proves each of the fixtures fires with
    the validator the CLI uses (pyshacl-turbo, compared with pySHACL on every fixture)."""
    groups: dict[str, list[Path]] = {}
    for path in sorted(paths):
        groups.setdefault(path.stem.split("-")[0], []).append(path)
    return sorted({p for group in groups.values() for p in (group[0], group[-1])})


# Every QC fixture (the CLI is where QC queries run), and a sample of the SHACL ones.
CASES = first_and_last_of_each_shapes_file(INVALID) + QC_INVALID


def declared_reference_count(root: Path) -> int:
    """The reference counts the reports in root/graph declare (jpllm:referenceCount), summed."""
    from rdflib import Graph

    from jpllmkg.graph.namespaces import JPLLM

    graph = Graph()
    for path in sorted((root / "graph").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return sum(int(n) for n in graph.objects(None, JPLLM.referenceCount))


def test_repository_graph_validates(cli, repo_root):
    result = cli("validate")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert "Result: conforms" in result.stdout
    declared = declared_reference_count(repo_root)
    assert declared > 0
    assert f"references cited {declared} of {declared}" in result.stdout


def test_json_report_is_machine_readable(cli, repo_root):
    result = cli("validate", "--format", "json")
    report = json.loads(result.stdout)
    assert report["conforms"] is True
    assert report["summary"]["references_total"] == declared_reference_count(repo_root)
    assert report["summary"]["entities_per_class"]["LanguageModel"] >= 7


def test_found_from_a_subdirectory(cli, repo_root):
    result = cli("validate", "--format", "json", cwd=repo_root / "graph" / "external")
    assert result.returncode == 0
    total = json.loads(result.stdout)["summary"]["references_total"]
    assert total == declared_reference_count(repo_root)


def test_root_that_is_not_a_project(cli, tmp_path):
    result = cli("--root", str(tmp_path), "validate")
    assert result.returncode == 2
    assert "is not a jpllmkg project" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_project_above_cwd(cli, tmp_path):
    result = cli("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "No jpllmkg project found" in result.stderr


def test_broken_turtle_names_file_and_line(cli, make_project):
    broken = FIXTURES / "broken" / "broken.ttl"
    line = re.search(r"^# error-line: (\d+)", broken.read_text(encoding="utf-8"), re.M).group(1)
    root = make_project(broken, with_real_graph=True)
    result = cli("--root", str(root), "validate")
    assert result.returncode == 2
    assert f"graph/broken.ttl:{line}: Turtle syntax error" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_broken_qc_query_names_the_file(cli, make_project):
    root = make_project(with_real_graph=True)
    (root / "queries" / "qc" / "bad.rq").write_text("SELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    result = cli("--root", str(root), "validate")
    assert result.returncode == 2
    assert "queries/qc/bad.rq: SPARQL syntax error at line 1" in result.stderr


@pytest.mark.parametrize("fixture", CASES, ids=[p.stem for p in CASES])
def test_invalid_fixture_fails_with_its_message(make_project, capsys, tmp_path, fixture):
    """`jpllmkg validate` on a project holding one bad fixture (run in-process for speed)."""
    from jpllmkg.cli import main

    graph_file = write_case(fixture, tmp_path / "case")
    code = main(["--root", str(make_project(graph_file)), "validate"])
    out = capsys.readouterr().out
    case = read_case(fixture)
    expected = case.violations + case.warnings
    assert expected, f"{fixture.name} has no '# expect:' line"
    if case.violations:
        assert code == 1, out[-3000:]
    for message in expected:
        assert message in out, f"{fixture.name}: {message!r} not reported"


def test_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
