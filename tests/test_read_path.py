"""The read path (issue 9, items 1, 4, 6, 11-13): read verbs run and send only SELECT/ASK
queries, decided on the parsed query; federated queries never leave the embedded engines;
parameters, time and rows are bounded; an unknown IRI is an error, not an empty answer."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import URIRef
from servers import json_results, oxigraph_server, tiny_server

import jpllmkg
from jpllmkg.api import load as load_api
from jpllmkg.errors import InputFileError, QueryFailedError, UsageError
from jpllmkg.query.federation import bind_service
from jpllmkg.query.sparql_client import SparqlClient
from jpllmkg.query.sparql_text import read_query

ENGINES = ["oxigraph", "rdflib"]
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
INSERT = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def recording(request, number):
    """A tiny endpoint that answers every request with an empty result (and records it)."""
    return json_results(["x"], [])


def hidden_service(url: str) -> str:
    """A saved query whose SERVICE sits between two comment lines that open a triple quote,
    which a text scan reads as one long string."""
    return (
        "# title: hidden service\n"
        "SELECT ?s WHERE {\n"
        '  # """\n'
        f"  SERVICE <{url}/sparql> {{ ?s ?p ?o }}\n"
        '  # """\n'
        "}\n"
    )


def escaped_service(url: str) -> str:
    """A saved query whose SERVICE keyword is written with a SPARQL \\u escape."""
    return f"SELECT ?s WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}\n"


def project_with(make_project, files: dict[str, str], with_real_graph: bool = True) -> Path:
    """A copy of the project with extra (or replaced) saved query files."""
    root = make_project(with_real_graph=with_real_graph)
    for name, text in files.items():
        (root / "queries" / name).write_text(text, encoding="utf-8")
    return root


def assert_clean_error(result, *phrases: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def store_count(url: str) -> int:
    client = SparqlClient(url)
    return int(client.select(COUNT)[0]["n"].toPython())


@pytest.fixture(scope="module")
def g():
    return jpllmkg.load(REPO)


@pytest.fixture(scope="module")
def loaded_server(kg):
    """A writable oxigraph server holding the real graph (so an update would persist)."""
    from jpllmkg.publish import push

    with oxigraph_server() as server:
        assert push(kg, server.store).ok
        yield server


# --------------------------------------------------------------------------- item 1: updates


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (INSERT, "INSERT DATA"),
        ("DROP SILENT GRAPH <urn:x:g>", "DROP"),
        ("# SELECT, said the comment\nDELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("\\u0049NSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }", "INSERT DATA"),
    ],
)
def test_an_update_is_refused_as_an_update(cli, engine, text, kind):
    result = cli("sparql", text, "--engine", engine)
    assert_clean_error(result, f"is a SPARQL Update ({kind})", "only 'jpllmkg push' writes")
    assert "syntax error" not in result.stderr


def test_an_update_never_reaches_a_real_store(cli, loaded_server):
    before = store_count(loaded_server.query)
    for endpoint in (loaded_server.query, f"{loaded_server.url}/update"):
        result = cli("sparql", INSERT, "--endpoint", endpoint, env={"JPLLMKG_ENDPOINT_USER": "u"})
        assert_clean_error(result, "is a SPARQL Update (INSERT DATA)")
    assert store_count(loaded_server.query) == before > 4000


def test_a_saved_update_is_an_input_error_naming_the_file(cli, make_project, loaded_server):
    root = project_with(
        make_project, {"drop-it.rq": "# title: looks harmless\nDROP SILENT GRAPH <urn:x:g>\n"}
    )
    before = store_count(loaded_server.query)
    with tiny_server(recording) as server:
        for args in (
            ["query", "drop-it", "--endpoint", server.url],
            ["query", "drop-it", "--endpoint", loaded_server.query],
            ["query", "drop-it"],
            ["queries"],
        ):
            result = cli("--root", str(root), *args)
            assert_clean_error(result, "queries/drop-it.rq is a SPARQL Update (DROP)")
        assert server.requests == []
    assert store_count(loaded_server.query) == before
    with pytest.raises(InputFileError, match="drop-it.rq is a SPARQL Update"):
        jpllmkg.load(root).query("drop-it")


def test_an_adhoc_update_sends_no_request(cli):
    with tiny_server(recording) as server:
        for text in (INSERT, "CLEAR ALL", "LOAD <http://127.0.0.1:9/x.ttl>"):
            assert_clean_error(cli("sparql", text, "--endpoint", server.url), "SPARQL Update")
        assert server.requests == []


@pytest.mark.parametrize("text", [f"CONSTRUCT WHERE {{ {'?s ?p ?o'} }}", "DESCRIBE jpr:takane"])
def test_construct_and_describe_are_refused_clearly(cli, text):
    result = cli("sparql", text)
    form = text.split()[0]
    assert_clean_error(result, f"is a {form} query", "SELECT ?s ?p ?o WHERE")


def test_empty_and_broken_queries(cli):
    assert_clean_error(cli("sparql", "# only a comment\n"), "is empty")
    assert_clean_error(cli("sparql", "SELECT ?x WHERE { ?x a }"), "syntax error at line 1")


# --------------------------------------------------------------------------- item 4: SERVICE


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("write", [hidden_service, escaped_service])
def test_a_hidden_service_never_leaves_the_embedded_engines(cli, make_project, engine, write):
    with tiny_server(recording) as server:
        root = project_with(make_project, {"sneaky.rq": write(server.url)})
        result = cli("--root", str(root), "query", "sneaky", "--engine", engine)
        assert_clean_error(result, "query 'sneaky' is federated")
        adhoc = cli("--root", str(root), "sparql", write(server.url), "--engine", engine)
        assert_clean_error(adhoc, "ad-hoc query is federated")
        assert server.requests == []


def test_the_algebra_finds_services_a_text_scan_misses():
    url = "http://127.0.0.1:9"
    assert read_query(hidden_service(url), "q").services == (URIRef(f"{url}/sparql"),)
    assert read_query(escaped_service(url), "q").federated
    quoted = 'SELECT ?s WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/x> { }" }'
    assert not read_query(quoted, "q").federated


def test_bind_service_rebinds_only_real_service_clauses():
    service = URIRef("http://127.0.0.1:9/other")
    text = (
        "SELECT ?s ?label WHERE {\n"
        '  # """ a comment that opens a triple quote\n'
        '  ?s ?p "SERVICE <https://query.wikidata.org/sparql> {" .\n'
        "  SERVICE <https://query.wikidata.org/sparql> { ?s ?q ?label }\n"
        '  # """\n'
        "}\n"
    )
    rebound, rest = bind_service(text, {"service": service}, "q")
    assert rest == {}
    assert read_query(rebound, "q").services == (service,)
    assert '"SERVICE <https://query.wikidata.org/sparql> {"' in rebound
    escaped = text.replace("  SERVICE <", "  \\u0053ERVICE <")
    with pytest.raises(UsageError, match="cannot point its SERVICE clauses"):
        bind_service(escaped, {"service": service}, "q")


# --------------------------------------------------------------------------- item 6: bounds


@pytest.fixture(scope="module")
def number_project(tmp_path_factory):
    """A project whose saved query takes a number parameter."""
    root = tmp_path_factory.mktemp("numbers") / "project"
    for part in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / part, root / part)
    (root / "queries" / "larger-than.rq").write_text(
        "# title: statistics larger than a number\n"
        "# param: n number required the threshold\n"
        "SELECT ?statistic WHERE { ?statistic jpllm:statisticValue/jpllm:value ?value "
        "FILTER(?value > ?n) }\n",
        encoding="utf-8",
    )
    return root


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1E+999999999", "parameter 'n' expects a number (e.g. 42, -0.5 or 1.2E9) between"),
        ("1E-999999999", "between 1E-100 and 1E+100 in size, got '1E-999999999'"),
        ("9" * 100_000, "parameter 'n' is 100,000 characters long; a number value may have"),
        ("nan", "parameter 'n' expects a number"),
    ],
)
def test_huge_numbers_are_refused_before_they_grow(cli, number_project, value, message):
    result = cli("--root", str(number_project), "query", "larger-than", "--param", f"n={value}")
    assert_clean_error(result, message)


def test_a_reasonable_number_still_works(cli, number_project):
    result = cli("--root", str(number_project), "query", "larger-than", "--param", "n=1E3")
    assert result.returncode == 0, result.stderr
    assert "rows)" in result.stdout


def test_long_strings_and_iris_are_refused(cli):
    assert_clean_error(
        cli("query", "search", "--param", "text=" + "x" * 5000), "at most 1,000", "'text'"
    )
    long_iri = "model=jpr:" + "a" * 3000
    assert_clean_error(cli("query", "lineage", "--param", long_iri), "at most 2,000")


def test_a_non_utf8_parameter_is_a_clear_error(cli):
    value = os.fsdecode(b"text=caf\xe9")  # how argv hands a Latin-1 byte to Python
    assert_clean_error(cli("query", "search", "--param", value), "not UTF-8", "'text'")
    assert_clean_error(cli("sparql", os.fsdecode(b'ASK { ?s ?p "\xff" }')), "not UTF-8")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "text", [CARTESIAN + " ORDER BY ?a", CARTESIAN.replace("*", "(COUNT(*) AS ?n)", 1)]
)
def test_the_embedded_engines_stop_a_runaway_query_at_the_timeout(cli, engine, text):
    result = cli("sparql", text, "--engine", engine, "--timeout", "2", timeout=120)
    assert_clean_error(result, f"did not finish within 2 s on the {engine} engine", "--timeout")


def test_after_a_timeout_the_next_query_runs():
    graph = load_api(REPO, timeout=1)
    with pytest.raises(QueryFailedError, match="did not finish within 1 s"):
        graph.sparql(CARTESIAN + " ORDER BY ?a")
    assert graph.engine.worker.child is None  # the worker was killed and reaped
    assert [r["ancestor"] for r in graph.query("lineage", model="jpr:takane")]


def test_a_lost_worker_is_a_clear_error_and_is_replaced():
    graph = load_api(REPO)
    assert graph.sparql("ASK { jpr:takane ?p ?o }")[0]["ask"].toPython()
    os.kill(graph.engine.worker.child[0], signal.SIGKILL)  # as the OOM killer would
    with pytest.raises(QueryFailedError, match="worker process without an answer"):
        graph.sparql("ASK { jpr:takane ?p ?o }")
    assert graph.sparql("ASK { jpr:takane ?p ?o }")[0]["ask"].toPython()


def test_the_worker_dies_with_a_killed_cli():
    process = subprocess.Popen(
        [sys.executable, "-m", "jpllmkg.cli", "sparql", CARTESIAN + " ORDER BY ?a"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not children.read_text().split():
        time.sleep(0.1)
    (worker,) = map(int, children.read_text().split())
    assert _running(worker)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    while time.monotonic() < deadline and _running(worker):
        time.sleep(0.1)
    assert not _running(worker)


def _running(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "soon"])
@pytest.mark.parametrize("endpoint", [[], ["--endpoint", "http://127.0.0.1:9/query"]])
def test_a_bad_timeout_is_a_clear_error(cli, value, endpoint):
    result = cli("sparql", "ASK {}", f"--timeout={value}", *endpoint)
    assert_clean_error(result, "--timeout", "greater than 0", repr(value))


def test_the_row_cap_cuts_with_a_warning(cli):
    capped = cli(
        "sparql",
        "SELECT ?s ?p ?o ?x WHERE { ?s ?p ?o . ?x a skos:ConceptScheme }",
        "--format",
        "csv",
    )
    assert capped.returncode == 0, capped.stderr
    assert "more than 10,000 rows; only the first 10,000 are shown" in capped.stderr
    assert len(capped.stdout.strip().splitlines()) == 1 + 10_000
    small = cli("sparql", ALL_TRIPLES, "--format", "csv", "--max-rows", "7")
    assert "only the first 7 are shown" in small.stderr
    assert len(small.stdout.strip().splitlines()) == 8
    every = cli("sparql", ALL_TRIPLES, "--format", "csv", "--max-rows", "0")
    assert every.returncode == 0 and "warning" not in every.stderr
    assert len(every.stdout.strip().splitlines()) > 4000
    assert_clean_error(cli("sparql", "ASK {}", "--max-rows", "-3"), "--max-rows", "0: no cap")


def test_the_row_cap_applies_remotely(cli, loaded_server):
    result = cli(
        "sparql",
        "SELECT ?s WHERE { ?s ?p ?o }",
        "--endpoint",
        loaded_server.query,
        "--max-rows",
        "5",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    assert "only the first 5 are shown" in result.stderr
    assert len(result.stdout.strip().splitlines()) == 6


# --------------------------------------------------------------------------- item 13: unknown IRIs


def test_an_unknown_iri_is_an_error_with_suggestions(cli):
    result = cli("query", "lineage", "--param", "model=jpr:takne")
    assert_clean_error(result, "jpr:takne, which occurs nowhere in the graph", "jpr:takane")


def test_a_known_iri_that_matches_nothing_is_an_empty_answer(cli):
    result = cli("query", "lineage", "--param", "model=jpr:ntt")
    assert result.returncode == 0, result.stderr
    assert "(0 rows)" in result.stdout


def test_a_misspelt_sector_suggests_the_concept(cli):
    result = cli("query", "deployments", "--param", "sector=jpv:sector-publc-sector")
    assert_clean_error(
        result, "not jpv:sector-publc-sector. Did you mean: jpv:sector-public-sector"
    )


def test_a_misspelt_iri_without_a_scheme_is_unknown_with_suggestions(cli):
    result = cli("query", "lineage", "--param", "model=jpr:takan")
    assert_clean_error(result, "occurs nowhere in the graph", "jpr:takane")


def test_a_vocabulary_parameter_lists_its_concepts(cli, make_project):
    root = make_project(with_real_graph=True)
    result = cli("--root", str(root), "query", "deployments", "--param", "sector=jpr:takane")
    assert_clean_error(
        result,
        "takes one of the",
        "values of jpv:sector-scheme, not jpr:takane",
        "jpv:sector-public-sector",
    )
    good = cli(
        "--root",
        str(root),
        "query",
        "deployments",
        "--param",
        "sector=jpv:sector-public-sector",
        "--format",
        "csv",
    )
    assert good.returncode == 0, good.stderr
    assert len(good.stdout.strip().splitlines()) > 1


def test_an_unknown_iri_is_checked_on_the_endpoint(cli, loaded_server):
    result = cli(
        "query", "lineage", "--param", "model=jpr:takne", "--endpoint", loaded_server.query
    )
    assert_clean_error(result, "occurs nowhere in the graph", "jpr:takane")
    known = cli(
        "query", "lineage", "--param", "model=jpr:takane", "--endpoint", loaded_server.query
    )
    assert known.returncode == 0 and "Command R+" in known.stdout


# --------------------------------------------------------------------------- item 11/12: errors


@pytest.mark.parametrize(
    "text",
    [
        "SELECT (SUM(?o) AS ?x) WHERE { ?s ?p ?o }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY (?o * 2)",
    ],
)
def test_rdflib_evaluation_errors_are_one_paragraph(cli, text):
    result = cli("sparql", text, "--engine", "rdflib")
    assert_clean_error(result, "failed on the rdflib engine", "--engine oxigraph")
    assert cli("sparql", text).returncode == 0
