"""The README's commands and examples are the ones that work."""

from __future__ import annotations

import re

from conftest import REPO

from jpllmkg.graph.project import find_project
from jpllmkg.query.catalogue import QueryCatalogue, catalogue_markdown

README = (REPO / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = (
    "apt-get update && apt-get install -y chromium chromium-driver fonts-noto-cjk "
    "virtuoso-opensource && (command -v npm >/dev/null || apt-get install -y nodejs npm) && "
    "npm ci --prefix web && python -m pip install -e '.[test]' && "
    "python -m pytest -n 2 --dist loadfile"
)
MAIN_COMMAND = "python -m pip install -e . && npm ci --prefix web && jpllmkg build"


def test_readme_gives_the_two_commands():
    assert TEST_COMMAND in README
    assert MAIN_COMMAND in README


def test_ci_runs_the_readme_test_command_verbatim():
    assert TEST_COMMAND in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_query_catalogue_is_in_step_with_the_headers():
    block = re.search(r"<!-- queries:start -->\n(.*)\n<!-- queries:end -->", README, re.S)
    assert block, "README lacks the generated query catalogue"
    expected = catalogue_markdown(QueryCatalogue(find_project(root=REPO)))
    assert block.group(1).strip() == expected, "regenerate it: jpllmkg queries --format md"


def test_python_api_example_runs(monkeypatch):
    code = re.search(r"## Python API\n\n```python\n(.*?)```", README, re.S).group(1)
    monkeypatch.chdir(REPO / "graph")
    namespace: dict = {}
    exec(compile(code, "README.md (Python API)", "exec"), namespace)  # noqa: S102
    assert namespace["gap"] == namespace["gap"].__class__("0.1375")
    assert int(namespace["adhoc"][0]["n"]) >= 9
