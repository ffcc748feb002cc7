"""The query layer: safe parameter binding, errors, output formats, the CLI verbs."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Literal, URIRef

import jpllmkg
from jpllmkg.errors import UsageError
from jpllmkg.query.binding import bind_values

# Fujitsu's Takane: the report's one domestic model on a foreign base (Cohere's Command R+);
# the catalogue adds many more, so the format tests take this one row.
TAKANE = ("--param", "model=jpr:takane")

EVIL_VALUES = [
    'x" } UNION { ?entity ?p ?label } #',
    "x' } UNION { ?entity ?p ?label }",
    '"""} UNION {',
    "line one\n} UNION {\n?entity ?p ?label .",
    '\\" } ; DROP ALL ; {',
    "{}{}{}",
]


@pytest.fixture(scope="module")
def g():
    return jpllmkg.load()


def algebra_parts(node, found=None) -> list:
    """Every algebra operator (CompValue) of a parsed query, depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found = [] if found is None else found
    if isinstance(node, CompValue):
        found.append(node)
        for value in node.values():
            algebra_parts(value, found)
    elif isinstance(node, list | tuple):
        for item in node:
            algebra_parts(item, found)
    return found


@pytest.mark.parametrize("value", EVIL_VALUES)
def test_a_string_value_cannot_change_the_query(g, value):
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    bound = algebra_parts(prepareQuery(g.query_text("search", text=value)).algebra)
    benign = algebra_parts(prepareQuery(g.query_text("search", text="plain")).algebra)
    assert [p.name for p in bound] == [p.name for p in benign], "the value changed the query"
    (values,) = [p for p in bound if p.name == "values"]
    assert values.res == [{Variable("text"): Literal(value)}]
    assert len(g.query("search", text=value)) == 0
    assert len(g.query("search", text=value)) == len(g.query("search", text="zzz-no-such-name"))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_value_with_quotes_is_matched_literally(engine):
    from rdflib import Graph

    from jpllmkg.query.engine import make_engine

    graph = Graph()
    tricky = 'a "quoted" } UNION { value\nwith a newline'
    graph.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(tricky)))
    graph.add((URIRef("http://example.org/t"), URIRef("http://example.org/p"), Literal("other")))
    query = "SELECT ?s WHERE { ?s <http://example.org/p> ?v }"
    result = make_engine(engine, graph).select(bind_values(query, {"v": Literal(tricky)}))
    assert [str(r["s"]) for r in result] == ["http://example.org/s"]


def test_values_go_into_the_where_group_not_a_brace_in_a_comment_string_or_iri():
    query = '# title: {braces}\nPREFIX ex: <http://ex.org/a{b}>\nSELECT ?x WHERE { ?x ?p "{" }'
    bound = bind_values(query, {"x": URIRef("http://ex.org/x")})
    assert bound.index("VALUES") > bound.index("WHERE {")


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("lineage", {"model": "jpr:x> } UNION {"}, "parameter 'model' expects an IRI or CURIE"),
        ("lineage", {"model": "not a curie"}, "parameter 'model' expects an IRI or CURIE"),
        ("lineage", {}, "needs parameter 'model' (IRI"),
        ("lineage", {"model": "jpr:takane", "colour": "red"}, "has no parameter 'colour'"),
        ("events-between", {"from": "2025-13-01", "to": "2026"}, "parameter 'from' expects a date"),
        ("events-between", {"from": "2025-02-30", "to": "2026"}, "parameter 'from' expects a date"),
        ("events-between", {"from": "yesterday", "to": "2026"}, "parameter 'from' expects a date"),
    ],
)
def test_bad_parameters_name_the_parameter_and_type(g, name, params, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace("'", "'")):
        g.query(name, **params)


def test_unknown_query_suggests_the_closest_names(cli):
    result = cli("query", "linage")
    assert result.returncode == 2
    assert "no saved query named 'linage'. Did you mean: lineage?" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_parameter_exits_2(cli):
    result = cli("query", "lineage")
    assert result.returncode == 2
    assert "needs parameter 'model'" in result.stderr


def test_malformed_param_option(cli):
    result = cli("query", "lineage", "--param", "model")
    assert result.returncode == 2
    assert "--param expects NAME=VALUE" in result.stderr


def test_adhoc_syntax_error_gives_position(cli):
    result = cli("sparql", "SELECT ?x WHERE { ?x a }")
    assert result.returncode == 2
    assert "SPARQL syntax error at line 1, column" in result.stderr
    assert "Traceback" not in result.stderr


def test_adhoc_query_from_file_and_unreadable_file(cli, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?m WHERE { ?m jpllm:developer jpr:pfn } ORDER BY ?m", encoding="utf-8")
    result = cli("sparql", "--file", str(query), "--format", "csv")
    assert result.returncode == 0
    assert "https://w3id.org/jpllmkg/resource/plamo-2-2-prime,PLaMo 2.2 Prime" in result.stdout
    missing = cli("sparql", "--file", str(tmp_path / "nope.rq"))
    assert missing.returncode == 2 and "cannot read query file" in missing.stderr


def test_ask_query(g):
    assert g.sparql("ASK { jpr:takane jpllm:baseModel jpr:command-r-plus }")[0]["ask"].toPython()


def test_formats_give_the_same_rows(cli):
    as_json = json.loads(cli("query", "foreign-base-models", *TAKANE, "--format", "json").stdout)
    (binding,) = as_json["results"]["bindings"]
    assert binding["model"] == {"type": "uri", "value": "https://w3id.org/jpllmkg/resource/takane"}
    assert binding["model_label"] == {"type": "literal", "value": "Takane", "xml:lang": "en"}
    rows = list(
        csv.DictReader(
            io.StringIO(cli("query", "foreign-base-models", *TAKANE, "--format", "csv").stdout)
        )
    )
    assert rows[0]["foreignBase"] == "https://w3id.org/jpllmkg/resource/command-r-plus"
    assert rows[0]["foreignBase_label"] == "Command R+"
    markdown = cli("query", "foreign-base-models", *TAKANE, "--format", "md").stdout
    assert markdown.startswith("| model | developer |")
    assert "Takane (jpr:takane)" in markdown


def test_table_fits_80_columns_and_labels_follow_lang(cli):
    table = cli("query", "from-scratch-models", env={"COLUMNS": "80"}).stdout
    assert all(len(line) <= 80 for line in table.splitlines())
    assert "NTT (jpr:ntt)" in table
    japanese = cli("query", "foreign-base-models", *TAKANE, "--lang", "ja").stdout
    assert "富士通 (jpr:fujitsu)" in japanese and "カナダ (wd:Q16)" in japanese


def test_queries_lists_names_titles_and_params(cli):
    listing = cli("queries").stdout
    assert "lineage" in listing and "[model:IRI]" in listing
    japanese = cli("queries", "--lang", "ja").stdout
    assert "海外ベースモデルから派生した国産モデル" in japanese
    entries = json.loads(cli("queries", "--format", "json").stdout)
    assert len(entries) >= 20


def test_rows_are_dicts_and_dataframe_needs_pandas(g):
    result = g.query("benchmark-standings")
    assert set(result[0]) == set(result.variables)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            result.to_dataframe()
    else:
        assert list(result.to_dataframe().columns) == result.variables


def test_unknown_engine(g):
    with pytest.raises(UsageError, match="unknown engine 'jena'"):
        jpllmkg.load(engine="jena")
