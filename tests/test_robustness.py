"""Robustness of the CLI, project discovery, loading and validation (issue 9, items 10-12).

Every case runs the real console entry point on a throw-away project: a missing part of the
project or a file that cannot be read is an input error (exit 2, one paragraph, no output), an
ill-typed literal is a violation naming its node, property, value and file (exit 1), and
nothing ends in a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO
from fixture_cases import base_graph
from rdflib import RDF

from jpllmkg.graph.namespaces import JPLLM

ENGINES = ("turbo", "pyshacl")
PREFIXES = """\
@prefix jpllm:   <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr:     <https://w3id.org/jpllmkg/resource/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""


# The language models of the base graph (tests/fixtures/base.ttl), each counted once.
BASE_MODELS = len(set(base_graph().subjects(RDF.type, JPLLM.LanguageModel)))


def clean_base(release_date: str = '"2025-10"^^xsd:gYearMonth') -> str:
    """The valid base graph of the fixtures (tests/fixtures/base.ttl), with the given release
    date of tsuzumi 2."""
    text = (FIXTURES / "base.ttl").read_text(encoding="utf-8")
    written = 'jpllm:releaseDate "2025-10"^^xsd:gYearMonth .'
    assert text.count(written) == 1, "base.ttl should date tsuzumi 2 (only) 2025-10"
    return text.replace(written, f"jpllm:releaseDate {release_date} .")


@pytest.fixture
def project(make_project) -> Path:
    """A temp project with the clean base graph in graph/base.ttl."""
    root = make_project()
    (root / "graph" / "base.ttl").write_text(clean_base(), encoding="utf-8")
    return root


def validate_json(cli, root: Path, engine: str = "turbo") -> tuple[int, dict]:
    result = cli("--root", str(root), "validate", "--format", "json", "--shacl-engine", engine)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def violations(report: dict) -> set[tuple]:
    return {
        (f["focus"], f["path"], f["value"], f["file"])
        for f in report["findings"]
        if f["severity"] == "Violation"
    }


def assert_input_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit 2, one paragraph on stderr naming the fault, nothing on stdout, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout[-2000:], result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("jpllmkg: error: ") and "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, message


# ---------------------------------------------------------------------------
# Item 10: a broken project is an input error, not a clean report
# ---------------------------------------------------------------------------


def test_clean_base_validates(cli, project):
    code, report = validate_json(cli, project)
    assert (code, violations(report)) == (0, set())


def _remove_shapes(root: Path) -> None:
    shutil.rmtree(root / "ontology" / "shapes")


def _empty_shapes(root: Path) -> None:
    for path in (root / "ontology" / "shapes").glob("*.ttl"):
        path.unlink()


@pytest.mark.parametrize(
    ("breakage", "named"),
    [
        (_remove_shapes, "ontology/shapes/ (the SHACL shapes, at least one *.ttl file) is missing"),
        (_empty_shapes, "ontology/shapes/ (the SHACL shapes, at least one *.ttl file) is missing"),
        (
            lambda root: shutil.rmtree(root / "ontology" / "vocab"),
            "ontology/vocab/ (the SKOS vocabularies, at least one *.ttl file) is missing",
        ),
        (lambda root: shutil.rmtree(root / "graph"), "graph/ (the curated facts) is missing"),
        (lambda root: shutil.rmtree(root / "queries"), "queries/ (the saved queries) is missing"),
        (
            lambda root: shutil.rmtree(root / "queries" / "qc"),
            "queries/qc/ (the quality-check queries) is missing",
        ),
    ],
    ids=["no-shapes", "empty-shapes", "no-vocab", "no-graph", "no-queries", "no-qc"],
)
def test_missing_part_of_the_project_is_an_input_error(cli, project, breakage, named):
    breakage(project)
    result = cli("--root", str(project), "validate")
    assert_input_error(result, "is not a complete jpllmkg project", named, "restore")


def test_listing_queries_without_queries_dir_is_an_input_error(cli, project):
    shutil.rmtree(project / "queries")
    assert_input_error(cli("--root", str(project), "queries"), "queries/ (the saved queries)")


def test_root_that_does_not_exist(cli, tmp_path):
    missing = tmp_path / "nowhere"
    assert_input_error(cli("--root", str(missing), "validate"), f"{missing} does not exist")


def test_root_that_is_a_file(cli, tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("not a project\n", encoding="utf-8")
    assert_input_error(cli("--root", str(plain), "validate"), f"{plain} is not a directory")


# ---------------------------------------------------------------------------
# Item 10: ill-typed literals are violations (the same with both SHACL engines)
# ---------------------------------------------------------------------------

# Values their datatype does not allow, on a property no shape constrains.
ILL_TYPED = {
    "abc": "xsd:integer",
    "1.5": "xsd:integer",
    "x1": "xsd:decimal",
    "2025-13-45": "xsd:date",
    "maybe": "xsd:boolean",
}


@pytest.mark.parametrize("engine", ENGINES)
def test_ill_typed_literals_are_violations(cli, project, engine):
    values = " , ".join(f'"{value}"^^{datatype}' for value, datatype in ILL_TYPED.items())
    extra = f'jpr:ntt rdfs:seeAlso {values} .\njpr:tsuzumi-2 jpllm:inTable1 "yes"^^xsd:boolean .\n'
    (project / "graph" / "extra.ttl").write_text(PREFIXES + extra, encoding="utf-8")
    code, report = validate_json(cli, project, engine)
    assert code == 1
    see_also = {("jpr:ntt", "rdfs:seeAlso", value, "graph/extra.ttl") for value in ILL_TYPED}
    # The value as written ("yes", not rdflib's normalised "false"), in the file it is in.
    in_table = ("jpr:tsuzumi-2", "jpllm:inTable1", "yes", "graph/extra.ttl")
    assert violations(report) == see_also | {in_table}
    messages = {f["value"]: f["message"] for f in report["findings"] if f["focus"] == "jpr:ntt"}
    assert messages["abc"].startswith('rdfs:seeAlso "abc" is not a valid xsd:integer: write')
    assert messages["maybe"].startswith('rdfs:seeAlso "maybe" is not a valid xsd:boolean')
    checks = {f["check"] for f in report["findings"] if f["focus"] == "jpr:ntt"}
    assert checks == {"ill-typed-literal"}


# ---------------------------------------------------------------------------
# Item 12: a bad date is blamed on the node that has it and on its file
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("date", ['"2025-13-45"^^xsd:date', '"2025-02-29"^^xsd:date', '"1989"'])
def test_bad_date_names_the_node_and_its_file(cli, project, engine, date):
    (project / "graph" / "base.ttl").unlink()
    (project / "graph" / "models.ttl").write_text(clean_base(date), encoding="utf-8")
    code, report = validate_json(cli, project, engine)
    assert code == 1
    [finding] = [f for f in report["findings"] if f["severity"] == "Violation"]
    lexical = date.split('"')[1]
    assert (finding["focus"], finding["path"], finding["value"], finding["file"]) == (
        "jpr:tsuzumi-2",
        "jpllm:releaseDate",
        lexical,
        "graph/models.ttl",
    )
    assert finding["focus_label"] == "tsuzumi 2"
    assert "is not a well-formed date in 1990-2035" in finding["message"]


# ---------------------------------------------------------------------------
# Item 11: files that are not regular files, links that loop, unreadable files
# ---------------------------------------------------------------------------


def test_symbolic_link_loop_named_ttl(cli, project):
    (project / "graph" / "loop.ttl").symlink_to("loop.ttl")
    result = cli("--root", str(project), "validate", timeout=120)
    assert_input_error(result, "graph/loop.ttl is a symbolic link loop")


def test_symbolic_link_back_to_a_parent_directory(cli, project):
    (project / "graph" / "external").mkdir()
    (project / "graph" / "external" / "again").symlink_to("..")
    result = cli("--root", str(project), "validate", timeout=120)
    assert_input_error(result, "graph/external/again is a symbolic link to a directory read")


def test_linked_directory_is_read(cli, project, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (project / "graph" / "base.ttl").rename(shared / "base.ttl")
    (project / "graph" / "shared").symlink_to(shared)
    code, report = validate_json(cli, project)
    assert code == 0
    assert report["summary"]["entities_per_class"]["LanguageModel"] == BASE_MODELS


def test_fifo_in_graph_is_an_input_error(cli, project):
    os.mkfifo(project / "graph" / "pipe.ttl")
    result = cli("--root", str(project), "validate", timeout=120)
    assert_input_error(result, "graph/pipe.ttl is a FIFO (named pipe), not a regular file")


def test_socket_in_graph_is_an_input_error(cli, project):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(project / "graph" / "sock.ttl"))
        result = cli("--root", str(project), "validate", timeout=120)
    finally:
        server.close()
    assert_input_error(result, "graph/sock.ttl is a socket, not a regular file")


def test_directory_named_ttl_in_graph_is_a_folder_of_facts(cli, project):
    folder = project / "graph" / "models.ttl"
    folder.mkdir()
    (project / "graph" / "base.ttl").rename(folder / "base.ttl")
    code, report = validate_json(cli, project)
    assert code == 0
    assert report["summary"]["entities_per_class"]["LanguageModel"] == BASE_MODELS


def test_directory_named_ttl_in_shapes_is_an_input_error(cli, project):
    (project / "ontology" / "shapes" / "extra.ttl").mkdir()
    result = cli("--root", str(project), "validate")
    assert_input_error(result, "ontology/shapes/extra.ttl is a directory, not a regular file")


def test_dangling_symbolic_link(cli, project):
    (project / "graph" / "gone.ttl").symlink_to("moved-away.ttl")
    result = cli("--root", str(project), "validate")
    assert_input_error(result, "graph/gone.ttl is a broken symbolic link")


def test_unreadable_file(project):
    """A file the user may not read (run as `nobody` when the tests run as root)."""
    with tempfile.TemporaryDirectory() as holder:
        os.chmod(holder, 0o755)
        root = Path(holder) / "project"
        shutil.copytree(project, root)
        secret = root / "graph" / "secret.ttl"
        secret.write_text(PREFIXES, encoding="utf-8")
        secret.chmod(0)
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        result = subprocess.run(
            [*(as_nobody if os.geteuid() == 0 else []), sys.executable, "-m", "jpllmkg.cli"]
            + ["--root", str(root), "validate"],
            cwd=holder,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "HOME": holder},
        )
    assert_input_error(result, "graph/secret.ttl: cannot read this file", "Permission denied")


# ---------------------------------------------------------------------------
# Item 11: a closed pipe, Ctrl-C, and the last-resort handler
# ---------------------------------------------------------------------------


def test_output_piped_into_head_stops_quietly(project):
    """More output than a pipe holds, read by `head -1`: exit 141 (SIGPIPE), nothing on stderr."""
    lines = "\n".join(f'jpr:ntt rdfs:seeAlso "n{i}"^^xsd:integer .' for i in range(600))
    (project / "graph" / "many.ttl").write_text(PREFIXES + lines + "\n", encoding="utf-8")
    command = (
        f"'{sys.executable}' -m jpllmkg.cli --root '{project}' validate --format json | head -1;"
        ' echo "status=${PIPESTATUS[0]}" >&2'
    )
    result = subprocess.run(
        ["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.stdout == "{\n"
    assert result.stderr == "status=141\n"


def test_ctrl_c_exits_130_without_a_traceback(project):
    big = project / "graph" / "big.ttl"
    lines = (f"jpr:n{i} rdfs:seeAlso jpr:m{i} ." for i in range(300_000))
    big.write_text(PREFIXES + "\n".join(lines) + "\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "jpllmkg.cli", "--root", str(project), "validate"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Interrupt while the file is open: the interpreter is running the command by then.
        fds = Path(f"/proc/{process.pid}/fd")
        while process.poll() is None and not any(
            os.path.realpath(fd) == str(big) for fd in _open_files(fds)
        ):
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert err == "jpllmkg: interrupted\n"
    assert out == ""


def _open_files(fds: Path) -> list[Path]:
    try:
        return list(fds.iterdir())
    except OSError:  # the process is gone or closed a descriptor meanwhile
        return []


FAULTY_HANDLER = """
import sys
import jpllmkg.commands.validate as validate

def broken(args):
    raise ZeroDivisionError("a defect injected by the test")

validate.run = broken
from jpllmkg.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_unexpected_exception_is_one_paragraph_exit_2():
    result = subprocess.run(
        [sys.executable, "-c", FAULTY_HANDLER, "validate"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "jpllmkg: internal error: ZeroDivisionError: a defect injected by the test. "
        "This is a bug in jpllmkg"
    )
    assert result.stderr.count("\n") == 1 and "--debug" in result.stderr


def test_debug_shows_the_traceback():
    result = subprocess.run(
        [sys.executable, "-c", FAULTY_HANDLER, "--debug", "validate"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: a defect injected by the test" in result.stderr
