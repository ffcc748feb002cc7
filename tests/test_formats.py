"""Result formats: every saved query in every --format through the real CLI; the W3C SPARQL 1.1
JSON, CSV and TSV results formats, read back with rdflib's own result parsers."""

from __future__ import annotations

import io
import json
from collections import Counter
from decimal import Decimal

import pytest
from conftest import REPO
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from jpllmkg.commands import OUTPUT_FORMATS
from jpllmkg.graph.namespaces import compact
from jpllmkg.query.local import Graph
from jpllmkg.query.query_files import example_params, read_query_dir
from jpllmkg.query.render import FORMATS, as_csv, as_json, as_tsv
from jpllmkg.query.results import QueryResult, term_to_csv

# Fujitsu's Takane: the report's one domestic model on a foreign base (Cohere's Command R+);
# the catalogue adds many more, so the format tests take this one row.
TAKANE = ("--param", "model=jpr:takane")

DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
NEEDS_NETWORK = {"federated-organization-facts"}
SAVED = {
    name: query
    for name, query in read_query_dir(REPO / "queries").items()
    if name not in NEEDS_NETWORK
}
LANG = {"table": "en", "md": "ja", "json": "ja", "csv": "en", "tsv": "ja"}


@pytest.fixture(scope="module")
def graph(kg) -> Graph:
    return Graph(kg)


def run(cli, *args: str) -> str:
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def assert_w3c_json(document: dict) -> None:
    """The structure of the W3C SPARQL 1.1 Query Results JSON Format (SELECT)."""
    assert set(document) == {"head", "results"}
    variables = document["head"]["vars"]
    assert all(isinstance(v, str) for v in variables) and len(set(variables)) == len(variables)
    assert set(document["results"]) == {"bindings"}
    for binding in document["results"]["bindings"]:
        assert set(binding) <= set(variables)
        for cell in binding.values():
            assert cell["type"] in ("uri", "literal", "bnode")
            assert isinstance(cell["value"], str)
            allowed = {"type", "value"} | (
                {"datatype", "xml:lang"} if cell["type"] == "literal" else set()
            )
            assert set(cell) <= allowed, cell
            assert not {"datatype", "xml:lang"} <= set(cell), cell


def multiset(rows, variables) -> Counter:
    """The rows as a multiset; a blank node's label means nothing outside its result."""
    return Counter(
        tuple("_:" if isinstance(row.get(v), BNode) else row.get(v) for v in variables)
        for row in rows
    )


def csv_text(term) -> str:
    """A term as the CSV format writes it; '_:' for any blank node."""
    return "_:" if isinstance(term, BNode) else term_to_csv(term)


def parsed_rows(text: str, fmt: str) -> tuple[list[str], list[dict]]:
    """Variables and rows as rdflib's own SPARQL result parser for ``fmt`` reads them."""
    parsed = Result.parse(io.StringIO(text), format=fmt)
    return [str(v) for v in parsed.vars], [
        {str(k): v for k, v in binding.items()} for binding in parsed.bindings
    ]


def expected_labels(graph: Graph, result: QueryResult, lang: str) -> list[dict]:
    """The label variables a machine format adds: x_label beside each IRI of an IRI column,
    tagged with the language asked for, unbound for an IRI without a label."""
    iri_columns = [v for v in result.variables if any(isinstance(r[v], URIRef) for r in result)]
    rows = []
    for row in result:
        labels = {}
        for v in iri_columns:
            term = row[v]
            if isinstance(term, URIRef) and graph.label(term, lang) != compact(str(term)):
                labels[f"{v}_label"] = Literal(graph.label(term, lang), lang=lang)
        rows.append(labels)
    return rows


@pytest.mark.parametrize("name", sorted(SAVED))
def test_every_saved_query_in_every_format(cli_in_process, graph, name):
    params = example_params(SAVED[name], name)
    expected = graph.query(name, **params)
    args = ["query", name, *(f"--param={k}={v}" for k, v in params.items())]
    outputs = {
        fmt: run(cli_in_process, *args, "--format", fmt, "--lang", LANG[fmt]) for fmt in FORMATS
    }

    document = json.loads(outputs["json"])
    assert_w3c_json(document)
    variables, rows = parsed_rows(outputs["json"], "json")
    assert variables == document["head"]["vars"]
    assert [v for v in variables if not v.endswith("_label")] == expected.variables
    assert multiset(rows, expected.variables) == multiset(expected.rows, expected.variables)
    labels = [frozenset((k, v) for k, v in r.items() if k not in expected.variables) for r in rows]
    want = [frozenset(r.items()) for r in expected_labels(graph, expected, "ja")]
    assert Counter(labels) == Counter(want)
    decimals = [t for r in expected for t in r.values() if getattr(t, "datatype", None) == DECIMAL]
    json_values = {c["value"] for b in document["results"]["bindings"] for c in b.values()}
    assert {str(t) for t in decimals} <= json_values  # every digit, as the engine gave it

    variables, rows = parsed_rows(outputs["tsv"], "tsv")
    assert [v for v in variables if not v.endswith("_label")] == expected.variables
    assert multiset(rows, expected.variables) == multiset(expected.rows, expected.variables)

    variables, rows = parsed_rows(outputs["csv"], "csv")
    assert [v for v in variables if not v.endswith("_label")] == expected.variables
    # CSV gives plain text: compare with each term's string (a blank node's label aside)
    as_text = [{v: csv_text(r.get(v)) for v in expected.variables} for r in rows]
    want = [{v: csv_text(r[v]) for v in expected.variables} for r in expected]
    assert multiset(as_text, expected.variables) == multiset(want, expected.variables)

    assert (
        outputs["table"].rstrip("\n").endswith(f"({len(expected)} row{'s' * (len(expected) != 1)})")
    )
    assert outputs["md"].startswith("| ")


def test_decimals_survive_exactly_in_every_machine_format(cli):
    query = (
        "SELECT ?gap ?big WHERE { BIND(0.1375 AS ?gap) BIND(3693000000000.000000000001 AS ?big) }"
    )
    document = json.loads(run(cli, "sparql", query, "--format", "json"))
    (binding,) = document["results"]["bindings"]
    assert binding["big"] == {
        "type": "literal",
        "value": "3693000000000.000000000001",
        "datatype": str(DECIMAL),
    }
    for fmt in ("json", "tsv"):
        _, (row,) = parsed_rows(run(cli, "sparql", query, "--format", fmt), fmt)
        assert row["big"].toPython() == Decimal("3693000000000.000000000001")
        assert row["gap"].toPython() == Decimal("0.1375")
    _, (row,) = parsed_rows(run(cli, "sparql", query, "--format", "csv"), "csv")
    assert Decimal(str(row["big"])) == Decimal("3693000000000.000000000001")


def test_saved_query_with_decimals_is_valid_json(cli):
    """The crash of issue 9 item 8: Decimal is not JSON serializable."""
    document = json.loads(run(cli, "query", "budgets-and-plans", "--format", "json"))
    amounts = {
        b["item"]["value"].rsplit("/", 1)[-1]: b["amount"]
        for b in document["results"]["bindings"]
        if "amount" in b
    }
    assert amounts["budget-r8-meti-total"] == {
        "type": "literal",
        "value": "3693000000000",
        "datatype": str(DECIMAL),
    }


def test_ask_is_a_w3c_boolean_result(cli):
    text = run(
        cli, "sparql", "ASK { jpr:takane jpllm:baseModel jpr:command-r-plus }", "--format", "json"
    )
    assert json.loads(text) == {"head": {}, "boolean": True}
    assert Result.parse(io.StringIO(text), format="json").askAnswer is True
    text = run(cli, "sparql", "ASK { jpr:takane jpllm:baseModel jpr:tsuzumi }", "--format", "json")
    assert json.loads(text) == {"head": {}, "boolean": False}


def test_labels_are_extra_variables_beside_the_iri(cli):
    document = json.loads(run(cli, "query", "foreign-base-models", *TAKANE, "--format", "json"))
    variables = document["head"]["vars"]
    assert variables[:4] == ["model", "model_label", "developer", "developer_label"]
    (row,) = document["results"]["bindings"]
    assert row["model"] == {"type": "uri", "value": "https://w3id.org/jpllmkg/resource/takane"}
    assert row["model_label"] == {"type": "literal", "value": "Takane", "xml:lang": "en"}
    japanese = json.loads(
        run(cli, "query", "foreign-base-models", *TAKANE, "--format", "json", "--lang", "ja")
    )
    assert japanese["results"]["bindings"][0]["developer_label"] == {
        "type": "literal",
        "value": "富士通",
        "xml:lang": "ja",
    }
    tsv = run(cli, "query", "foreign-base-models", *TAKANE, "--format", "tsv", "--lang", "ja")
    header, line = tsv.rstrip("\n").split("\n")
    assert header.split("\t")[:2] == ["?model", "?model_label"]
    assert '<https://w3id.org/jpllmkg/resource/fujitsu>\t"富士通"@ja' in line


def test_tsv_escapes_tabs_newlines_and_quotes(cli):
    query = r'SELECT ?text WHERE { BIND("tab\there \"quoted\"\nnext line" AS ?text) }'
    tsv = run(cli, "sparql", query, "--format", "tsv")
    assert tsv == '?text\n"tab\\there \\"quoted\\"\\nnext line"\n'
    _, (row,) = parsed_rows(tsv, "tsv")
    assert row["text"] == Literal('tab\there "quoted"\nnext line')
    csv_text = run(cli, "sparql", query, "--format", "csv")
    _, (row,) = parsed_rows(csv_text, "csv")
    assert str(row["text"]) == 'tab\there "quoted"\nnext line'


def test_csv_lines_end_with_crlf_and_tsv_lines_with_lf(graph):
    result = graph.query("lineage", model="jpr:chugoku-electric-power-llm")
    text = as_csv(result, graph.label, "en")
    assert text.count("\r\n") == len(result) + 1 and "\n" not in text.replace("\r\n", "")
    text = as_tsv(result, graph.label, "en")
    assert text.count("\n") == len(result) + 1 and "\r" not in text


def test_json_results_read_back_into_the_same_result(graph):
    """One converter both ways: term_to_json for writing, term_from_json for endpoints' answers."""
    result = graph.query("vague-figures")
    back = QueryResult.from_json(json.loads(as_json(result, graph.label, "en")))
    assert [v for v in back.variables if not v.endswith("_label")] == result.variables
    assert [{v: r[v] for v in result.variables} for r in back] == result.rows
    assert QueryResult.from_json({"head": {}, "boolean": False}).boolean is False
    with pytest.raises(ValueError, match="missing or ill-formed part"):
        QueryResult.from_json({"head": {"vars": ["x"]}})


def test_the_cli_offers_every_format():
    assert OUTPUT_FORMATS == FORMATS
