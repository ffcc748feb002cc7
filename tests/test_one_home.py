"""One home for each concept (issue 11): the package defines each shared job once, and the
Wikidata links the graph loads are generated from their one hand-edited table."""

from __future__ import annotations

import ast
import re

from conftest import REPO

from jpllmkg.link.mappings import links_turtle, read_mappings
from jpllmkg.link.wikidata import DATASET as WIKIDATA

PACKAGE = REPO / "src" / "jpllmkg"


def modules() -> dict[str, ast.Module]:
    """Every module of the package, by its path inside the package."""
    return {
        path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def definitions(kind: type, matches) -> set[str]:
    """``module:name`` of every class or function definition whose name ``matches``."""
    return {
        f"{module}:{node.name}"
        for module, tree in modules().items()
        for node in ast.walk(tree)
        if isinstance(node, kind) and matches(node.name)
    }


def functions_using(name: str) -> set[str]:
    """``module:function`` of every top-level function or method whose body names ``name``
    (as a variable or an attribute: ``mkstemp``, ``asWorded``)."""
    found = set()
    for module, tree in modules().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Attribute) and inner.attr == name) or (
                    isinstance(inner, ast.Name) and inner.id == name
                ):
                    found.add(f"{module}:{node.name}")
    return found


def modules_naming(pattern: str) -> set[str]:
    """The package's modules with code (not a docstring) that names ``pattern``: in a string,
    an attribute or a variable."""
    found = set()
    for module, tree in modules().items():
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = "" if id(node) in docstrings else node.value
            else:
                text = getattr(node, "attr", None) or getattr(node, "id", None) or ""
            if re.search(pattern, text):
                found.add(module)
    return found


def modules_containing(pattern: str) -> set[str]:
    """The package's modules whose source text matches ``pattern``."""
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(pattern, path.read_text(encoding="utf-8"))
    }


def test_one_atomic_write():
    assert definitions(ast.FunctionDef, lambda name: "atomic" in name) == {"shared.py:atomic_write"}
    # the one function that writes through a temporary file and renames it into place
    assert functions_using("mkstemp") == {"shared.py:atomic_write"}


def test_one_progress_display():
    assert definitions(ast.ClassDef, lambda name: name.endswith("Progress")) == {
        "shared.py:Progress"
    }
    assert not (PACKAGE / "progress.py").exists()


def test_one_wikidata_namespace():
    # The entity namespace, spelled out or as a regular expression, is written in one module;
    # every other one uses jpllmkg.graph.namespaces.WD.
    assert modules_containing(r"wikidata\\?\.org/entity") == {"graph/namespaces.py"}
    assert modules_containing(r"wikidata\\?\.org/prop/direct") == {"graph/namespaces.py"}


def test_one_quantity_text():
    # Plain text of a jpllm:Quantity comes from render.quantity_text; the site's entity pages
    # draw the same parts as HTML (a link for the unit, a badge for each status).
    # (the import writes the statement: imports/ajl_rdf.py reads none)
    readers = {f for f in functions_using("asWorded") if not f.startswith(("site/", "imports/"))}
    assert readers == {"query/render.py:quantity_text"}


def test_one_result_cell_conversion():
    # rdflib's W3C JSON term conversion, and every term_to_* converter, live in results.py.
    for name in ("termToJSON", "parseJsonTerm"):
        assert modules_containing(rf"\b{name}\b") == {"query/results.py"}, name
    converters = definitions(ast.FunctionDef, re.compile("^term_(to|from)_").match)
    assert {converter.split(":")[0] for converter in converters} == {"query/results.py"}


def test_foreign_ancestry_is_computed_in_one_place():
    # Only inference.py names the computed properties (jpllm:hasForeignAncestor ...) and
    # writes their rules; other modules import its constants.
    assert modules_naming(r"(?i)foreignAncestor") == {"graph/inference.py"}


def test_wikidata_is_one_implementation_of_the_dataset_interface():
    # The generic link code (and the verb) name no Wikidata property, endpoint or file in code;
    # link/wikidata.py does, and the registry names the dataset.
    specific = r"(?i)wikidata|\bP(856|571|17|31)\b"
    linking = {m for m in modules_naming(specific) if m.startswith("link/")}
    assert linking == {"link/__init__.py", "link/wikidata.py"}


def test_the_links_file_is_generated_from_the_mapping_table():
    table = read_mappings(WIKIDATA, REPO / WIKIDATA.mappings_file)
    assert len(table) >= 18
    text = (REPO / WIKIDATA.links_file).read_text(encoding="utf-8")
    assert text == links_turtle(WIKIDATA, table), "run 'jpllmkg link wikidata --write-links'"
    assert text.startswith("# Generated by 'jpllmkg link wikidata --write-links'")
