"""The entry points: `python -m jpllmkg` is the `jpllmkg` console script (same output, same exit
code), and every test module belongs to one step of the flow, so `python -m pytest -m STEP` runs
that step's tests alone (tests/conftest.py: STEPS, TEST_STEPS)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, STEPS, TEST_STEP_EXCEPTIONS, TEST_STEPS, step_of

TESTS = REPO / "tests"


def console_script() -> str:
    """The installed `jpllmkg` script (beside this interpreter, as `pip install -e .` puts it)."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    script = shutil.which("jpllmkg", path=search)
    assert script, "the console script `jpllmkg` is not installed: run `pip install -e .`"
    return script


def run(command: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def both(*args: str, cwd: Path = REPO) -> tuple[subprocess.CompletedProcess, ...]:
    """The same arguments through `python -m jpllmkg` and through the console script."""
    return run([sys.executable, "-m", "jpllmkg", *args], cwd), run([console_script(), *args], cwd)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--help",), 0),
        (("--version",), 0),
        (("validate",), 0),
        (("validate", "--format", "json"), 0),
        ((), 2),  # no verb: the help, exit 2
        (("no-such-verb",), 2),
    ],
    ids=["help", "version", "validate", "validate-json", "no-verb", "unknown-verb"],
)
def test_python_m_jpllmkg_is_the_console_script(args: tuple[str, ...], code: int):
    module, script = both(*args)
    assert module.returncode == script.returncode == code, (module.stderr, script.stderr)
    assert module.stdout == script.stdout
    assert module.stderr == script.stderr
    assert "Traceback" not in module.stderr


def typo_project(make_project, nodes: int) -> Path:
    """A project whose graph types ``nodes`` nodes with an undeclared class (one violation each)."""
    root = make_project()
    lines = [f"jpr:thing-{i} a jpllm:NoSuchClass ." for i in range(nodes)]
    (root / "graph" / "typo.ttl").write_text(
        "@prefix jpllm: <https://w3id.org/jpllmkg/ontology#> .\n"
        "@prefix jpr: <https://w3id.org/jpllmkg/resource/> .\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    return root


def test_python_m_jpllmkg_reports_findings_with_exit_1(make_project):
    """A node of an undeclared class: exit 1 and the same report through both entry points."""
    module, script = both("--root", str(typo_project(make_project, 1)), "validate")
    assert module.returncode == script.returncode == 1, module.stderr
    assert "VIOLATION: jpr:thing-0" in module.stdout and "qc:undeclared-classes" in module.stdout
    assert module.stdout == script.stdout


def test_python_m_jpllmkg_bad_input_is_one_paragraph_exit_2(tmp_path: Path):
    module, script = both("--root", str(tmp_path / "missing"), "validate")
    assert module.returncode == script.returncode == 2
    assert module.stderr == script.stderr
    assert module.stderr.startswith("jpllmkg: error: ") and module.stderr.count("\n") == 1
    assert module.stdout == ""


def test_a_closed_pipe_exits_141_quietly(make_project):
    """More output than a pipe holds (600 violations), read by `head -1`: 141 (SIGPIPE), nothing
    on stderr, through both entry points."""
    root = typo_project(make_project, 600)
    for program in (f"'{sys.executable}' -m jpllmkg", f"'{console_script()}'"):
        command = (
            f"{program} --root '{root}' validate | head -1; echo \"status=${{PIPESTATUS[0]}}\" >&2"
        )
        result = run(["bash", "-c", command])
        assert result.stdout == f"jpllmkg validate: {root}\n", program
        assert result.stderr == "status=141\n", program


# ---------------------------------------------------------------------------
# One step's tests alone
# ---------------------------------------------------------------------------


def test_every_test_module_is_assigned_a_step():
    modules = {path.stem for path in TESTS.glob("test_*.py")}
    assert set(TEST_STEPS) - modules == set(), "TEST_STEPS names modules that do not exist"
    assert modules - set(TEST_STEPS) == set(), "test modules with no step in TEST_STEPS"
    assert set(TEST_STEPS.values()) | set(TEST_STEP_EXCEPTIONS.values()) <= set(STEPS)
    assert {module for module, _ in TEST_STEP_EXCEPTIONS} <= modules


def test_a_module_with_no_step_stops_the_collection_naming_it():
    with pytest.raises(pytest.UsageError, match=r"tests/test_new_step\.py .* TEST_STEPS in tests/"):
        step_of("test_new_step", "test_anything")


def collected(*options: str) -> set[str]:
    """The ids of the tests `python -m pytest OPTIONS` would run (collected, not run)."""
    result = run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + list(options)
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {line for line in result.stdout.splitlines() if re.match(r"tests/test_\w+\.py::", line)}


def module_of(test_id: str) -> str:
    return test_id.split("::")[0].removeprefix("tests/").removesuffix(".py")


def test_minus_m_query_runs_the_query_step_alone():
    everything = collected()
    query = collected("-m", "query")
    expected = {
        test_id
        for test_id in everything
        if step_of(module_of(test_id), test_id.split("::")[-1]) == "query"
    }
    assert query == expected
    assert {module_of(test_id) for test_id in query} == {
        module for module, step in TEST_STEPS.items() if step == "query"
    }


def test_a_test_can_belong_to_another_step_than_its_module():
    export = collected("-m", "export")
    assert export and all(
        test_id.startswith("tests/test_build.py::test_export") for test_id in export
    )
    assert export.isdisjoint(collected("-m", "site"))
