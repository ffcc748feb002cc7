"""Publishing on a real Virtuoso (Debian's virtuoso-opensource 7.2, one per test session): a
push with HTTP digest authentication and its count, clear messages for a wrong password and a
missing query endpoint, no update through a read verb even with write credentials, and every
saved query answering as the embedded engine does, in substance. All traffic stays on 127.0.0.1.

"In substance" allows for what SPARQL leaves to the engine or Virtuoso cannot help: numbers
compare by value (Virtuoso keeps xsd:positiveInteger where oxigraph says xsd:integer, and gives
large integers as xsd:decimal), and GROUP_CONCAT results compare as their sorted parts, without
a language tag (oxigraph keeps a common tag, Virtuoso returns a simple literal) and with an
empty concatenation equal to an unbound one. Booleans must be booleans: the client turns
Virtuoso's 1/0 integers back into xsd:boolean."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from conftest import REPO, run_cli
from rdflib import BNode, Literal
from rdflib.namespace import XSD
from test_endpoints import FEDERATED, parameter_sets
from virtuoso import PASSWORD, USER, Virtuoso, virtuoso_server

import jpllmkg
from jpllmkg.api import load as load_api
from jpllmkg.publish import published

GRAPH = "https://w3id.org/jpllmkg/graph"
SCRATCH = "urn:jpllmkg:test:scratch"
DIGEST = {
    "JPLLMKG_ENDPOINT_USER": USER,
    "JPLLMKG_ENDPOINT_PASSWORD": PASSWORD,
    "JPLLMKG_ENDPOINT_AUTH": "digest",
}
NUMERIC = {XSD.integer, XSD.decimal, XSD.positiveInteger, XSD.nonNegativeInteger, XSD.int}
# Searches beyond ASCII, where Virtuoso's STR() of a constant loses the characters.
SEARCHES = ["富士通", "源内", "Takane"]
GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?separator\s*=\s*\"([^\"]*)\"\s*\)\s*AS\s*\?(\w+)",
    re.I,
)


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[Virtuoso]:
    """One real Virtuoso for the test session."""
    with virtuoso_server() as server:
        yield server


@pytest.fixture(scope="module")
def pushed(kg, virtuoso):
    """The real graph pushed into a named graph of Virtuoso with digest authentication."""
    result = push(virtuoso, DIGEST, "--query-endpoint", virtuoso.query)
    assert result.returncode == 0, result.stderr
    return result


def push(virtuoso, env: dict[str, str], *extra: str):
    return run_cli("push", "--endpoint", virtuoso.store, "--graph", GRAPH, *extra, env=env)


def count(virtuoso, graph: str) -> int:
    result = run_cli(
        "sparql",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
        "--endpoint",
        virtuoso.query,
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.splitlines()[1])


def one_clear_paragraph(result) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert PASSWORD not in result.stdout + result.stderr


# --------------------------------------------------------------------------- push


def test_push_with_digest_authentication_and_the_count(kg, virtuoso, pushed):
    again = push(virtuoso, DIGEST, "--query-endpoint", virtuoso.query)
    for result in (pushed, again):
        assert f"Pushed {published(kg)[1]} triples to graph <{GRAPH}>" in result.stdout
        assert f"the endpoint counts {published(kg)[1]}: complete" in result.stdout
        assert PASSWORD not in result.stdout + result.stderr
    assert count(virtuoso, GRAPH) == published(kg)[1], "replaced, not added to"


def test_a_wrong_digest_password_says_the_credentials_were_rejected(kg, virtuoso, pushed):
    result = push(virtuoso, {**DIGEST, "JPLLMKG_ENDPOINT_PASSWORD": "wrong-" + PASSWORD})
    one_clear_paragraph(result)
    assert "401 Unauthorized to the upload (HTTP PUT): it rejected the credentials" in (
        result.stderr
    )
    assert "Broken pipe" not in result.stderr
    assert count(virtuoso, GRAPH) == published(kg)[1], "nothing changed"


def test_a_push_without_the_query_endpoint_says_the_upload_worked(kg, virtuoso, pushed):
    result = run_cli("push", "--endpoint", virtuoso.store, "--graph", GRAPH, env=DIGEST)
    one_clear_paragraph(result)
    assert "succeeded (HTTP 20" in result.stderr and "but counting its triples failed" in (
        result.stderr
    )
    assert "name that URL with --query-endpoint (Virtuoso: http://HOST:PORT/sparql)" in (
        result.stderr
    )
    assert count(virtuoso, GRAPH) == published(kg)[1]


# --------------------------------------------------------------------------- read verbs


def test_no_update_through_a_read_verb_even_with_write_credentials(
    kg, virtuoso, pushed, make_project
):
    insert = f"INSERT DATA {{ GRAPH <{SCRATCH}> {{ <urn:a> <urn:b> <urn:c> }} }}"
    inserted = run_cli("sparql", insert, "--endpoint", virtuoso.query_auth, env=DIGEST)
    project = make_project(with_real_graph=True)
    (project / "queries" / "drop-it.rq").write_text(f"DROP SILENT GRAPH <{GRAPH}>\n")
    dropped = run_cli(
        "--root", str(project), "query", "drop-it", "--endpoint", virtuoso.query_auth, env=DIGEST
    )
    for result in (inserted, dropped):
        one_clear_paragraph(result)
    assert count(virtuoso, SCRATCH) == 0, "INSERT DATA reached Virtuoso"
    assert count(virtuoso, GRAPH) == published(kg)[1], "DROP GRAPH reached Virtuoso"


# --------------------------------------------------------------------------- saved queries


def substance(result, text: str) -> list[tuple]:
    """Rows with each cell reduced to its substance (see the module docstring)."""
    concatenated = {name: separator for separator, name in GROUP_CONCAT.findall(text)}

    def cell(variable: str, term):
        if variable in concatenated:
            return tuple(sorted(str(term).split(concatenated[variable]))) if term else ()
        if isinstance(term, BNode):
            return "_:b"
        if isinstance(term, Literal) and term.datatype in NUMERIC:
            return Decimal(str(term))
        return term.n3() if term is not None else None

    return [tuple(cell(v, row.get(v)) for v in result.variables) for row in result]


def order_keys(text: str, result) -> list[tuple[str, ...]] | None:
    """The ORDER BY keys of the rows, as lexical forms, when they are projected variables
    (else None): rows that tie may come in any order, but the sequence of keys is fixed."""
    clause = re.search(r"ORDER\s+BY\s+(.*?)(?:LIMIT|OFFSET|$)", text, re.I | re.S)
    names = re.findall(r"\?(\w+)", clause.group(1)) if clause else []
    if not names or not set(names) <= set(result.variables):
        return None
    return [
        tuple("_:b" if isinstance(row[name], BNode) else str(row[name]) for name in names)
        for row in result
    ]


def test_every_saved_query_answers_on_virtuoso_as_locally(virtuoso, pushed):
    local, remote = jpllmkg.load(REPO), load_api(REPO, endpoint=virtuoso.query)
    compared, differing = 0, []
    for query in local.catalogue:
        if query.name == FEDERATED:
            continue
        sets = parameter_sets(query)
        if query.name == "search":
            sets += [{"text": text} for text in SEARCHES]
        for params in sets:
            text = local.query_text(query.name, **params)
            here, there = local.query(query.name, **params), remote.query(query.name, **params)
            assert there.variables == here.variables
            rows_differ = Counter(substance(there, text)) != Counter(substance(here, text))
            if rows_differ or order_keys(text, there) != order_keys(text, here):
                differing.append(f"{query.name} {params}")
            compared += 1
    assert differing == [], "different answers on Virtuoso"
    assert compared > len(local.catalogue)


def test_booleans_from_virtuoso_are_booleans(virtuoso, pushed):
    remote = load_api(REPO, endpoint=virtuoso.query)
    rows = remote.sparql(
        "SELECT ?model ?domestic ?constant WHERE { ?model a jpllm:LanguageModel "
        "BIND(EXISTS { ?model jpllm:developer/jpllm:country wd:Q17 } AS ?domestic) "
        "BIND(false AS ?constant) } ORDER BY ?model"
    )
    assert {row["domestic"] for row in rows} == {Literal(True), Literal(False)}
    assert {row["constant"] for row in rows} == {Literal(False)}
    assert remote.sparql("ASK { ?s jpllm:developer jpr:pfn }").rows == [{"ask": Literal(True)}]
