"""docs/recipes.md stays true: every file it names exists, every Python name it places in a
file is there, every jpllm: term it names is declared, and the saved-query, class and CLI-verb
recipes are carried out as written in a temporary copy of the project."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

RECIPES_FILE = REPO / "docs" / "recipes.md"
RECIPES = RECIPES_FILE.read_text(encoding="utf-8")
# The UPPERCASE words a recipe leaves to the reader (a path part: any file name).
PLACEHOLDERS = {"NAME", "VERB", "AREA", "MODULE", "REPORT", "STEP", "N"}
TOP_LEVEL = ("src/", "tests/", "ontology/", "graph/", "queries/", "docs/", "README.md")
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)
JPLLM = "https://w3id.org/jpllmkg/ontology#"


def recipe(title: str) -> str:
    """The text of one recipe (its section of docs/recipes.md)."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", RECIPES, re.S | re.M)
    assert match, f"docs/recipes.md has no recipe {title!r}"
    return match.group(1)


def examples(title: str, language: str) -> list[str]:
    """The code blocks in ``language`` of a recipe, without the list's indentation."""
    found = []
    for lang, code in FENCE.findall(recipe(title)):
        if lang == language:
            lines = code.splitlines()
            indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
            found.append("\n".join(line[indent:] for line in lines) + "\n")
    assert found, f"recipe {title!r} shows no {language} example"
    return found


def prose(text: str) -> str:
    """The text without its code blocks (examples may name things that do not exist yet)."""
    return FENCE.sub("", text)


def named_paths(text: str) -> list[str]:
    return [
        token
        for token in re.findall(r"`([^`\s]+)`", prose(text))
        if token.startswith(TOP_LEVEL) or token == "README.md"
    ]


def as_pattern(path: str) -> str:
    """A path with each placeholder as a wildcard (`queries/NAME.rq` -> `queries/*.rq`)."""
    words = "|".join(sorted(PLACEHOLDERS, key=len, reverse=True))
    return re.sub(rf"(?<![A-Za-z])({words})(?![A-Za-z])", "*", path)


def test_there_is_a_recipe_for_every_kind_of_change():
    titles = re.findall(r"^## (.+)$", RECIPES, re.M)
    assert titles == [
        "Add a class",
        "Add a property",
        "Add a saved query",
        "Add a view",
        "Add a source or a data set",
        "Add an external dataset linker",
        "Add a CLI verb",
    ]


def test_contributing_code_links_the_recipes():
    assert "docs/recipes.md" in (REPO / "docs" / "contributing-code.md").read_text("utf-8")


@pytest.mark.parametrize("path", sorted(set(named_paths(RECIPES))))
def test_every_file_a_recipe_names_exists(path: str):
    pattern = as_pattern(path)
    if pattern == path:
        assert (REPO / path).exists(), f"docs/recipes.md names {path}, which does not exist"
    else:
        assert list(REPO.glob(pattern.rstrip("/"))), f"{path}: no file matches {pattern}"


def steps() -> list[str]:
    """Every numbered step and bullet of every recipe, with its continuation lines."""
    return re.findall(r"^(?:\d+\.|-) (.*(?:\n {2,}.*)*)", prose(RECIPES), re.M)


def placed_names() -> list[tuple[str, str]]:
    """(Python file, name) for each name a step places in the Python files it names."""
    found = []
    for step in steps():
        files = [p for p in named_paths(step) if p.endswith(".py") and as_pattern(p) == p]
        names = re.findall(r"`([A-Za-z_]\w*)(?:\([^`]*\))?`", step)
        for name in names:
            if files and not set(name.split("_")) & PLACEHOLDERS:
                found.append((" ".join(files), name))
    return found


@pytest.mark.parametrize(("files", "name"), placed_names())
def test_every_name_a_step_places_in_a_file_is_there(files: str, name: str):
    text = "".join((REPO / path).read_text(encoding="utf-8") for path in files.split())
    assert re.search(rf"\b{re.escape(name)}\b", text), f"{name} is in none of {files}"


def test_every_ontology_term_a_recipe_names_is_declared():
    ontology = Graph()
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    declared = set(ontology.subjects(RDF.type, None))
    terms = set(re.findall(r"`jpllm:(\w+)`", prose(RECIPES)))
    assert terms, "the recipes name no jpllm: term"
    assert {t for t in terms if URIRef(JPLLM + t) not in declared} == set()


# ---------------------------------------------------------------------------
# The recipes carried out
# ---------------------------------------------------------------------------


def test_the_saved_query_recipe_gives_a_listed_query_that_runs(cli, make_project):
    root = make_project(with_real_graph=True)
    (text,) = examples("Add a saved query", "sparql")
    (root / "queries" / "platform-operators.rq").write_text(text, encoding="utf-8")
    listed = cli("--root", str(root), "queries")
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"platform-operators\s.*Platforms and who runs them", listed.stdout)
    catalogue = cli("--root", str(root), "queries", "--format", "md")
    assert "| `platform-operators` | Platforms and who runs them |" in catalogue.stdout
    ran = cli("--root", str(root), "query", "platform-operators", "--format", "json")
    assert ran.returncode == 0, ran.stderr
    rows = {
        (row["platform"]["value"], row.get("operator", {}).get("value"))
        for row in json.loads(ran.stdout)["results"]["bindings"]
    }
    resource = "https://w3id.org/jpllmkg/resource/"
    assert (resource + "gennai", resource + "digital-agency") in rows  # graph/platforms.ttl
    assert (resource + "qommons-ai", None) in rows  # the report does not name its operator
    one = cli("--root", str(root), "query", "platform-operators", "--param", "platform=jpr:gennai")
    assert one.returncode == 0, one.stderr
    assert "Gennai (jpr:gennai)" in one.stdout and "qommons" not in one.stdout


def test_the_class_recipe_gives_a_class_that_is_styled_listed_and_counted(cli, make_project):
    """The recipe's class and shape in a copy of the project, with one throwaway instance."""
    from jpllmkg.graph.classes import entities
    from jpllmkg.graph.loader import load
    from jpllmkg.graph.project import find_project
    from jpllmkg.graph.summary import summarise
    from jpllmkg.show.views import build_view

    declaration, shape = examples("Add a class", "turtle")
    root = make_project(with_real_graph=True)
    for path, text in (
        (root / "ontology" / "jpllm.ttl", declaration),
        (root / "ontology" / "shapes" / "common.ttl", shape),
    ):
        path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    (root / "graph" / "datasets.ttl").write_text(THROWAWAY_DATASET, encoding="utf-8")
    validated = cli("--root", str(root), "validate")
    assert validated.returncode == 0, validated.stdout[-3000:] + validated.stderr
    kg = load(find_project(root=root))
    node = "https://w3id.org/jpllmkg/resource/example-dataset"
    view = build_view(kg, "ecosystem")
    colour, shape_name = re.search(
        r'displayColour "(#\w+)" ; jpllm:displayShape "(\w+)"', declaration
    ).groups()
    assert (view.nodes[node]["color"], view.nodes[node]["shape"]) == (colour, shape_name)
    assert view.graph["legend"]["Dataset"] == "dataset"
    assert URIRef(node) in entities(kg)
    assert summarise(kg).entities_per_class["Dataset"] == 1
    (root / "graph" / "datasets.ttl").write_text(
        THROWAWAY_DATASET.replace("    dcterms:source jpr:ref-1 .", "    .").replace(
            " ;\n    .", " ."
        ),
        encoding="utf-8",
    )
    unsourced = cli("--root", str(root), "validate")
    assert unsourced.returncode == 1
    assert "A dataset cites the source that names it" in unsourced.stdout


# One instance of the recipe's throwaway class (a test fixture, not a fact), linked to NTT so
# that the ecosystem view, which draws relations, has an edge to draw.
THROWAWAY_DATASET = """\
@prefix jpllm: <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr: <https://w3id.org/jpllmkg/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

jpr:example-dataset a jpllm:Dataset ;
    rdfs:label "Example dataset"@en , "例のデータセット"@ja ;
    rdfs:seeAlso jpr:ntt ;
    dcterms:source jpr:ref-1 .
"""


def test_the_cli_verb_recipe_gives_a_verb_that_runs(tmp_path: Path, kg):
    """The example module and its MODULES entry, in a copy of the package on PYTHONPATH."""
    package = tmp_path / "src" / "jpllmkg"
    shutil.copytree(REPO / "src" / "jpllmkg", package, ignore=shutil.ignore_patterns("__pycache__"))
    (verb,) = examples("Add a CLI verb", "python")
    (package / "commands" / "hello.py").write_text(verb, encoding="utf-8")
    registry = package / "commands" / "__init__.py"
    text, added = re.subn(
        r"^MODULES = \(", 'MODULES = ("hello", ', registry.read_text(), flags=re.M
    )
    assert added == 1, "commands/__init__.py no longer declares MODULES = (...)"
    registry.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "jpllmkg", "--root", str(REPO), *args]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)

    hello = run("hello")
    assert (hello.returncode, hello.stderr) == (0, ""), hello.stderr
    assert hello.stdout == f"hello, {len(kg.data)} triples\n"
    usage = run("--help")
    assert re.search(r"^\s+hello\s+Greet the graph\.$", usage.stdout, re.M), usage.stdout
    assert "example:\n  jpllmkg hello" in run("hello", "--help").stdout


def verbs() -> set[str]:
    import argparse

    from jpllmkg.cli import build_parser

    (sub,) = (a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_verbs_are_registered_the_way_the_recipe_says():
    """A module per entry of commands.MODULES, each with register() using add_command; every
    verb has cases in tests/fuzz_matrix.py and appears in the README."""
    from fuzz_matrix import all_cases

    from jpllmkg.commands import MODULES

    folder = REPO / "src" / "jpllmkg" / "commands"
    modules = {path.stem for path in folder.glob("*.py")} - {"__init__"}
    assert set(MODULES) == modules
    for name in MODULES:
        source = (folder / f"{name}.py").read_text(encoding="utf-8")
        assert "def register(subparsers)" in source and "add_command(" in source, name
    assert verbs() - {case.verb for case in all_cases()} == set()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert {verb for verb in verbs() if f"jpllmkg {verb}" not in readme} == set()
