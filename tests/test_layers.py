"""The package is grouped by the steps of the flow, and a lower step never imports a higher one
(the import-linter contract in pyproject.toml, checked with `lint-imports`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "jpllmkg"


def contract() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run `lint-imports` with the contract of ``root``/pyproject.toml on ``root``/src."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "lint-imports is missing: pip install -e '.[test]'"
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [command, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_steps_keep_their_layers():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_every_module_of_the_package_belongs_to_a_step():
    """A new module or subpackage must be placed in a layer, or it could import anything."""
    named = {
        name.strip().removeprefix("jpllmkg.")
        for layer in contract()["contracts"][0]["layers"]
        for name in layer.split("|")
    }
    present = {
        path.stem if path.is_file() else path.name
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert present == named


def test_an_import_from_a_higher_step_breaks_the_contract(tmp_path):
    """The check is not vacuous: a lazy import of the site from the graph step is caught."""
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE, tmp_path / "src" / "jpllmkg")
    labels = tmp_path / "src" / "jpllmkg" / "graph" / "labels.py"
    labels.write_text(
        labels.read_text() + "\n\ndef _upward():\n    from jpllmkg.site import html  # noqa\n"
    )
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "jpllmkg.graph is not allowed to import jpllmkg.site" in result.stdout
