"""Publishing on real SPARQL endpoints: push to the oxigraph server, every saved query run
remotely gives the local answer, `jpllmkg serve` starts and stops cleanly, the federated query
joins with a Wikidata-shaped server, and unreachable, slow, 401/403/404 and malformed endpoints
give one clear error and exit 2. All traffic stays on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from rdflib import BNode, Literal
from servers import (
    basic_auth_proxy,
    cut_short,
    digest_auth,
    forbidden,
    free_port,
    json_results,
    malformed,
    no_answer,
    redirect_to,
    slow,
    stop_process,
    tiny_server,
    unauthorized,
)

import jpllmkg
from jpllmkg.api import load as load_api
from jpllmkg.publish import published, push
from jpllmkg.query.sparql_text import read_query

GRAPH_IRI = "https://w3id.org/jpllmkg/graph"
FEDERATED = "federated-organization-facts"
# Values for parameters whose description gives no "e.g." example.
SAMPLES = {"from": "2025-12", "to": "2026-01", "text": "PLaMo"}
SECRET = "not-to-be-printed-7c1f"
BASIC = {"JPLLMKG_ENDPOINT_USER": "curator", "JPLLMKG_ENDPOINT_PASSWORD": SECRET}
MARKER = "answer-of-another-server-3b9a"
# Far past a 1 s timeout on the real graph (about 25,000 triples squared). A third pattern would
# be slower still, but the oxigraph server checks for cancellation too seldom inside it.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


jpllmkg_cli = run_cli


@pytest.fixture(scope="module")
def local():
    return jpllmkg.load(REPO)


@pytest.fixture(scope="module")
def pushed(kg, graph_server):
    """The real graph pushed to the default graph of the writable oxigraph server."""
    report = push(kg, graph_server.store)
    assert report.ok
    return report


@pytest.fixture(scope="module")
def remote(pushed, graph_server):
    return load_api(REPO, endpoint=graph_server.query)


def terms(result, separators: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Rows as tuples of N3 term strings; blank nodes made comparable, and the parts of
    GROUP_CONCAT strings (joined by one of ``separators``) sorted, since SPARQL leaves the
    order of GROUP_CONCAT undefined and engines (in memory, on disk) differ in it."""

    def text(term) -> str:
        if term is None:
            return ""
        if isinstance(term, BNode):
            return "_:b"
        for separator in separators:
            if isinstance(term, Literal) and separator in term:
                return repr((sorted(str(term).split(separator)), term.language))
        return term.n3()

    return [tuple(text(row.get(v)) for v in result.variables) for row in result]


def order_keys(text: str, result, rows: list[tuple[str, ...]]) -> list[tuple[str, ...]] | None:
    """The ORDER BY key of each row, when the keys are projected variables (else None): rows
    that tie may come in any order, but the sequence of keys is fixed."""
    clause = re.search(r"ORDER\s+BY\s+(.*?)(?:LIMIT|OFFSET|$)", text, re.I | re.S)
    names = re.findall(r"\?(\w+)", clause.group(1)) if clause else []
    if not names or not set(names) <= set(result.variables):
        return None
    index = [result.variables.index(n) for n in names]
    return [tuple(row[i] for i in index) for row in rows]


def sample(param) -> str | None:
    if param.name in SAMPLES:
        return SAMPLES[param.name]
    match = re.search(r"e\.g\. ([^\s,)]+)", param.description)
    return match.group(1) if match else None


def parameter_sets(query) -> list[dict[str, str]]:
    """Only the required parameters, then every parameter that has a sample value."""
    required = {p.name: sample(p) for p in query.params if p.required}
    assert None not in required.values(), f"add a sample value for {query.name} to SAMPLES"
    every = {p.name: sample(p) for p in query.params if sample(p) is not None}
    return [required] if every == required else [required, every]


# --------------------------------------------------------------------------- push


def test_push_replaces_the_default_graph_and_checks_the_count(kg, graph_server, pushed):
    first = jpllmkg_cli("push", "--endpoint", graph_server.store)
    again = jpllmkg_cli("push", "--endpoint", graph_server.store)
    for result in (first, again):
        assert result.returncode == 0, result.stderr
        assert f"Pushed {published(kg)[1]} triples to the default graph" in result.stdout
        assert f"the endpoint counts {published(kg)[1]}: complete" in result.stdout
    assert pushed.triples == pushed.stored == published(kg)[1]


def test_push_to_a_named_graph(kg, graph_server):
    result = jpllmkg_cli("push", "--endpoint", graph_server.store, "--graph", GRAPH_IRI)
    assert result.returncode == 0, result.stderr
    assert f"graph <{GRAPH_IRI}>" in result.stdout
    count = jpllmkg_cli(
        "sparql",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_IRI}> {{ ?s ?p ?o }} }}",
        "--endpoint",
        graph_server.query,
        "--format",
        "csv",
    )
    assert count.stdout.split() == ["n", str(published(kg)[1])]


def test_push_reports_a_count_mismatch_with_exit_1():
    def wrong_count(request, number):
        if request.method == "PUT":
            return 204, {}, b""
        literal = {
            "type": "literal",
            "value": "3",
            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
        }
        return json_results(["n"], [{"n": literal}])

    with tiny_server(wrong_count) as server:
        result = jpllmkg_cli("push", "--endpoint", f"{server.url}/store")
        methods = [r.method for r in server.requests]
    assert result.returncode == 1
    assert "but the endpoint now counts 3" in result.stderr
    assert methods == ["PUT", "POST"], "one PUT, then one count query"
    assert server.requests[0].path == "/store?default"
    assert server.requests[0].headers["Content-Type"] == "application/n-triples"


def test_push_sends_basic_credentials_from_the_environment(kg, graph_server):
    proxy_script = basic_auth_proxy(graph_server.url, "curator", SECRET)
    with tiny_server(proxy_script) as proxy:
        env = {"JPLLMKG_ENDPOINT_USER": "curator", "JPLLMKG_ENDPOINT_PASSWORD": SECRET}
        accepted = jpllmkg_cli("push", "--endpoint", f"{proxy.url}/store", env=env)
        rejected = jpllmkg_cli(
            "push",
            "--endpoint",
            f"{proxy.url}/store",
            env={**env, "JPLLMKG_ENDPOINT_PASSWORD": "wrong-" + SECRET},
        )
    assert accepted.returncode == 0, accepted.stderr
    assert f"the endpoint counts {published(kg)[1]}: complete" in accepted.stdout
    assert rejected.returncode == 2
    assert "401 Unauthorized" in rejected.stderr and "rejected the credentials" in rejected.stderr
    for result in (accepted, rejected):
        assert SECRET not in result.stdout + result.stderr


def test_push_with_digest_authentication(kg):
    with tiny_server(digest_auth("curator", SECRET, published(kg)[1])) as server:
        env = {
            "JPLLMKG_ENDPOINT_USER": "curator",
            "JPLLMKG_ENDPOINT_PASSWORD": SECRET,
            "JPLLMKG_ENDPOINT_AUTH": "digest",
        }
        result = jpllmkg_cli("push", "--endpoint", f"{server.url}/store", env=env)
        anonymous = jpllmkg_cli("push", "--endpoint", f"{server.url}/store")
        methods = [r.method for r in server.requests]
    assert result.returncode == 0, result.stderr
    assert f"the endpoint counts {published(kg)[1]}: complete" in result.stdout
    assert methods[:4] == ["PUT", "PUT", "POST", "POST"], "challenged, then answered"
    assert anonymous.returncode == 2 and "it needs credentials" in anonymous.stderr
    assert SECRET not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (unauthorized, "401 Unauthorized to the upload (HTTP PUT): it needs credentials"),
        (forbidden, "403 Forbidden to the upload (HTTP PUT): anonymous access is not allowed"),
        (slow(3), "but no answer came within 1 s, so it may have completed"),
    ],
    ids=["401", "403", "slow"],
)
def test_push_errors_are_one_clear_paragraph(script, expected):
    with tiny_server(script) as server:
        result = jpllmkg_cli("push", "--endpoint", f"{server.url}/store", "--timeout", "1")
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_push_to_a_missing_path_or_a_closed_port(graph_server):
    missing = jpllmkg_cli("push", "--endpoint", f"{graph_server.url}/no-such-store")
    closed = jpllmkg_cli("push", "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert missing.returncode == closed.returncode == 2
    assert "404 Not Found" in missing.stderr
    assert "connection was refused" in closed.stderr and "jpllmkg serve" in closed.stderr


def test_push_refuses_an_invalid_graph(make_project):
    project = make_project(REPO / "tests" / "fixtures" / "invalid" / "assessments-kind-missing.ttl")
    with tiny_server(unauthorized) as server:
        result = jpllmkg_cli("--root", str(project), "push", "--endpoint", f"{server.url}/store")
    assert result.returncode == 1
    assert "violation(s), so it is not published" in result.stderr
    assert server.requests == [], "nothing is sent when the graph does not validate"


# --------------------------------------------------------------------------- queries


def test_every_saved_query_runs_remotely_with_the_local_answer(local, remote):
    compared = 0
    for query in local.catalogue:
        if query.name == FEDERATED:
            continue
        for params in parameter_sets(query):
            text = local.query_text(query.name, **params)
            assert remote.query_text(query.name, **params) == text, "same text, same binding"
            here, there = local.query(query.name, **params), remote.query(query.name, **params)
            assert here.variables == there.variables
            separators = tuple(re.findall(r'separator\s*=\s*"([^"]+)"', text, re.I))
            ours, theirs = terms(here, separators), terms(there, separators)
            assert Counter(theirs) == Counter(ours), f"{query.name} {params}"
            assert order_keys(text, there, theirs) == order_keys(text, here, ours)
            compared += 1
    assert compared >= len(local.catalogue)


@pytest.mark.parametrize(
    "args",
    [
        ["query", "foreign-base-models"],
        ["query", "lineage", "--param", "model=jpr:takane", "--lang", "ja"],
        ["query", "deployments", "--param", "sector=jpv:sector-public-sector", "--format", "md"],
        ["query", "search", "--param", "text=PLaMo", "--format", "json"],
        ["query", "events-between", "--param", "from=2025-12", "--param", "to=2026-01"],
        ["query", "platform-reach", "--format", "csv"],
        ["sparql", "SELECT ?m WHERE { ?m jpllm:developer jpr:pfn } ORDER BY ?m", "--lang", "ja"],
    ],
    ids=["table", "ja", "md", "json", "dates", "csv", "sparql"],
)
def test_cli_prints_the_same_output_remotely(args, remote, graph_server):
    here = jpllmkg_cli(*args)
    there = jpllmkg_cli(*args, "--endpoint", graph_server.query)
    assert here.returncode == there.returncode == 0, there.stderr
    assert there.stdout == here.stdout


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (unauthorized, "401 Unauthorized to the query 'claims': it needs credentials"),
        (malformed, "is not SPARQL JSON results: it stops being JSON at character 0"),
        (slow(3), "did not answer the query 'claims' within 1 s"),
    ],
    ids=["401", "malformed", "slow"],
)
def test_query_endpoint_errors_are_one_clear_paragraph(script, expected):
    with tiny_server(script) as server:
        result = jpllmkg_cli(
            "query", "claims", "--endpoint", f"{server.url}/query", "--timeout", "1"
        )
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_query_endpoint_that_is_down():
    result = jpllmkg_cli("query", "claims", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert result.returncode == 2
    assert "the connection was refused" in result.stderr


# --------------------------------------------------------------------------- federated


def test_federated_organization_facts(kg, remote, wikidata_server, local):
    rows = remote.query(FEDERATED, service=wikidata_server.query).records()
    by_org = {r["organization"]: r for r in rows}
    assert by_org["jpr:ntt"]["wikidata"] == "wd:Q1054787"
    assert by_org["jpr:ntt"]["link"] == "owl:sameAs"
    assert by_org["jpr:pfn"]["link"] == "skos:exactMatch"
    assert by_org["jpr:fujitsu"]["website"] == "<https://example.org/wikidata-fixture/fujitsu>"
    assert str(by_org["jpr:nec"]["inception"]).startswith("1899-07-17")
    assert by_org["jpr:kobe"]["inception"] is None, "OPTIONAL: no inception in the fixture"
    assert "jpr:llama-family" not in by_org, "organizations only"
    with pytest.raises(jpllmkg.errors.UsageError, match="federated"):
        local.query(FEDERATED)


def test_federated_query_lists_every_linked_organization(local, kg):
    """The VALUES list inside SERVICE is the set of linked organizations' items."""
    text = local.catalogue.get(FEDERATED).text
    service_block = text[text.index("SERVICE") :]
    listed = set(re.findall(r"wd:Q\d+", service_block))
    linked = local.sparql(
        "SELECT DISTINCT ?item WHERE { ?org a/rdfs:subClassOf* jpllm:Organization ; "
        "owl:sameAs|skos:exactMatch ?item }"
    ).column("item")
    assert listed == set(linked)


def test_federated_query_cli_locally_and_remotely(graph_server, wikidata_server, remote):
    offline = jpllmkg_cli("query", FEDERATED)
    assert offline.returncode == 2
    assert "is federated" in offline.stderr and "--endpoint" in offline.stderr
    online = jpllmkg_cli(
        "query",
        FEDERATED,
        "--endpoint",
        graph_server.query,
        "--param",
        f"service={wikidata_server.query}",
        "--format",
        "csv",
    )
    assert online.returncode == 0, online.stderr
    rows = [r for r in csv.DictReader(io.StringIO(online.stdout)) if r["organization"]]
    chugoku = [r for r in rows if r["organization"].endswith("chugoku-electric")]
    assert len(chugoku) == 1 and chugoku[0]["link"].endswith("sameAs")
    assert "Chugoku Electric Power" in chugoku[0].values()


def test_service_parameter_replaces_only_the_service_iri(local):
    text = local.query_text(FEDERATED, service="http://127.0.0.1:9/sparql")
    assert "SERVICE <http://127.0.0.1:9/sparql> {" in text
    assert "VALUES (?service)" not in text
    saved = local.catalogue.get(FEDERATED)
    assert local.query_text(FEDERATED) == read_query(saved.text, FEDERATED).full_text


# --------------------------------------------------------------------------- serve


class Output:
    """Collects a process's stdout lines in a thread, so waiting on them is bounded in time."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process, self.lines = process, queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in iter(self.process.stdout.readline, ""):
            self.lines.put(line)

    def until(self, marker: str, seconds: float = 90) -> str:
        """Everything printed up to the line containing ``marker``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.seen.append(self.lines.get(timeout=1))
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if marker in self.seen[-1]:
                return "".join(self.seen)
        raise AssertionError("jpllmkg serve did not get ready: " + "".join(self.seen))

    def rest(self) -> str:
        """Everything printed after the process ended."""
        self.reader.join(timeout=10)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_answers_queries_then_stops_cleanly(stop, local):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "jpllmkg.cli", "serve", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        output = Output(process)
        banner = output.until("Press Ctrl-C")
        assert f"read-only, at http://127.0.0.1:{port}/" in banner
        assert (
            f"jpllmkg query foreign-base-models --endpoint http://127.0.0.1:{port}/query" in banner
        )
        store = Path(re.search(r"store \(temporary\):\s+(\S+)", banner).group(1))
        assert store.is_dir()
        served = load_api(REPO, endpoint=f"http://127.0.0.1:{port}/query")
        assert terms(served.query("lineage", model="jpr:takane")) == terms(
            local.query("lineage", model="jpr:takane")
        )
        put = urllib.request.Request(
            f"http://127.0.0.1:{port}/store?default",
            data=b"<urn:a> <urn:b> <urn:c> .",
            method="PUT",
        )
        put.add_header("Content-Type", "application/n-triples")
        with pytest.raises(urllib.error.HTTPError, match="403"):
            urllib.request.urlopen(put, timeout=10)
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:  # a failed assertion: stop it the way that cleans up
            stop_process(process)
    assert "temporary store removed" in output.rest()
    assert not store.exists()
    with pytest.raises((urllib.error.URLError, OSError)):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2)


def test_serve_refuses_an_invalid_graph(make_project):
    project = make_project(REPO / "tests" / "fixtures" / "invalid" / "assessments-kind-missing.ttl")
    result = jpllmkg_cli("--root", str(project), "serve", "--port", str(free_port()))
    assert result.returncode == 1
    assert "not published" in result.stderr


def test_serve_on_a_port_in_use(graph_server):
    port = graph_server.url.rsplit(":", 1)[1]
    result = jpllmkg_cli("serve", "--port", port)
    assert result.returncode == 2
    assert "already in use" in result.stderr and "Try --port" in result.stderr


# --------------------------------------------------------------------------- redirects


def marked(request, number):
    """The answer of the server a redirect points to: it must never be printed."""
    return json_results(["x"], [{"x": {"type": "literal", "value": MARKER}}])


def one_clear_paragraph(result) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("env", [BASIC, {}], ids=["with-credentials", "anonymous"])
def test_a_query_is_never_redirected_to_another_server(env):
    with tiny_server(marked) as other:
        with tiny_server(redirect_to(f"{other.url}/sparql")) as endpoint:
            result = jpllmkg_cli("query", "claims", "--endpoint", f"{endpoint.url}/query", env=env)
            asked = endpoint.requests
        assert other.requests == [], "the redirect is not followed: nothing reaches the other"
    one_clear_paragraph(result)
    assert f"{endpoint.url}/query answered the query 'claims' with a redirect (302)" in (
        result.stderr
    )
    assert (
        f"to {other.url}/sparql" in result.stderr and "does not follow redirects" in result.stderr
    )
    assert MARKER not in result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert [r.method for r in asked] == ["POST"]
    assert ("Authorization" in asked[0].headers) == bool(env), "sent only to the URL asked"


def test_push_is_never_redirected_to_another_server(kg):
    with tiny_server(marked) as other:
        with tiny_server(redirect_to(f"{other.url}/store")) as store:
            result = jpllmkg_cli("push", "--endpoint", f"{store.url}/store", env=BASIC)
        assert other.requests == []
    one_clear_paragraph(result)
    assert "the upload (HTTP PUT) with a redirect (302) to " + other.url in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_the_count_after_a_push_is_never_redirected(kg):
    with tiny_server(marked) as other:

        def store(request, number):
            return (204, {}, b"") if request.method == "PUT" else redirect_to(other.url)(request, 0)

        with tiny_server(store) as server:
            result = jpllmkg_cli("push", "--endpoint", f"{server.url}/store", env=BASIC)
        assert other.requests == []
    one_clear_paragraph(result)
    assert "succeeded (HTTP 204: the graph was replaced), but counting its triples failed" in (
        result.stderr
    )
    assert "the triple count with a redirect (302)" in result.stderr
    assert MARKER not in result.stdout + result.stderr


# --------------------------------------------------------------------------- cut and lost answers


def test_an_answer_cut_mid_body_is_a_clear_error():
    with tiny_server(cut_short) as server:
        result = jpllmkg_cli("query", "claims", "--endpoint", f"{server.url}/query")
    one_clear_paragraph(result)
    assert "gave no complete answer to the query 'claims': the answer was cut off" in (
        result.stderr
    )


def test_an_answer_nested_too_deeply_is_a_clear_error():
    def nested(request, number):
        return 200, {"Content-Type": "application/sparql-results+json"}, b"[" * 200_000

    with tiny_server(nested) as server:
        result = jpllmkg_cli("query", "claims", "--endpoint", f"{server.url}/query")
    one_clear_paragraph(result)
    assert "nested too deeply to be SPARQL JSON results" in result.stderr


def test_an_answer_larger_than_the_cap_is_refused_unread(monkeypatch):
    from jpllmkg.query import sparql_client

    monkeypatch.setattr(sparql_client, "MAX_ANSWER_BYTES", 1000)
    rows = [{"x": {"type": "literal", "value": "v" * 100}}] * 20
    with tiny_server(lambda request, number: json_results(["x"], rows)) as server:
        client = sparql_client.SparqlClient(f"{server.url}/query", timeout=5, retries=0)
        with pytest.raises(sparql_client.EndpointError, match="answered with more than 0 MB"):
            client.select("SELECT ?x WHERE { ?x ?p ?o }")


def test_a_password_in_the_endpoint_url_is_refused_and_never_shown():
    with tiny_server(lambda request, number: json_results(["x"], [])) as server:
        url = server.url.replace("http://", "http://me:secret@") + "/query"
        result = jpllmkg_cli("query", "claims", "--endpoint", url)
        received = server.requests
    assert received == []
    one_clear_paragraph(result)
    assert "JPLLMKG_ENDPOINT_USER" in result.stderr and "secret" not in result.stderr


def test_a_push_whose_answer_was_lost_may_have_completed():
    with tiny_server(no_answer) as server:
        result = jpllmkg_cli("push", "--endpoint", f"{server.url}/store")
        received = server.requests
    one_clear_paragraph(result)
    assert [r.method for r in received] == ["PUT"] and received[0].body, "the graph was sent"
    assert "cannot reach" not in result.stderr
    assert "so it may have completed" in result.stderr and "push again" in result.stderr


def test_a_push_whose_count_fails_says_the_upload_worked():
    def store_without_query_endpoint(request, number):
        return (201, {}, b"") if request.method == "PUT" else (404, {}, b"no such page")

    with tiny_server(store_without_query_endpoint) as server:
        result = jpllmkg_cli("push", "--endpoint", f"{server.url}/store")
    one_clear_paragraph(result)
    assert "succeeded (HTTP 201: the graph was replaced)" in result.stderr
    assert f"{server.url}/query answered 404" in result.stderr
    assert "--query-endpoint" in result.stderr and "/sparql" in result.stderr


# --------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    "args",
    [
        ["query", "claims", "--endpoint", "http://[::1/query"],
        ["sparql", "ASK {}", "--endpoint", "http://[::1/query"],
        ["push", "--endpoint", "http://[::1/store"],
        ["push", "--endpoint", "http://127.0.0.1:9/store", "--query-endpoint", "http://[::1/q"],
        ["query", "claims", "--endpoint", "http://127.0.0.1:99999/query"],
    ],
    ids=["query", "sparql", "push", "push-count", "port"],
)
def test_a_malformed_url_is_a_clear_error(args):
    result = jpllmkg_cli(*args)
    one_clear_paragraph(result)
    assert "is not a valid URL" in result.stderr and "http://[::1]:7878/query" in result.stderr


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "soon", "1e12"])
@pytest.mark.parametrize("verb", [["push", "--endpoint", "http://127.0.0.1:9/store"], ["serve"]])
def test_timeouts_must_be_a_positive_number_of_seconds(verb, value):
    result = jpllmkg_cli(*verb, "--timeout", value)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "argument --timeout: the timeout must be a number of seconds greater than 0" in (
        result.stderr
    )
    assert f"got '{value}'" in result.stderr


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_serve_port_must_be_a_tcp_port(port):
    result = jpllmkg_cli("serve", "--port", port)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"'{port}' is not a TCP port number (1 to 65535)" in result.stderr


# --------------------------------------------------------------------------- serve's child


def oxigraph_pids(port: int) -> list[int]:
    """The oxigraph server processes bound to 127.0.0.1:``port`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # not a process, or it ended meanwhile
            continue
        if argv and argv[0].endswith(b"oxigraph") and f"127.0.0.1:{port}".encode() in argv:
            found.append(int(entry.name))
    return found


def start_serve(port: int, *extra: str) -> tuple[subprocess.Popen, Output, Path]:
    """`jpllmkg serve --port PORT`, ready: the process, its output and its temporary store."""
    process = subprocess.Popen(
        [sys.executable, "-m", "jpllmkg.cli", "serve", "--port", str(port), *extra],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    output = Output(process)
    banner = output.until("Press Ctrl-C")
    return process, output, Path(re.search(r"store \(temporary\):\s+(\S+)", banner).group(1))


def gone_within(port: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while oxigraph_pids(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not oxigraph_pids(port)


def served_count(port: int) -> int:
    served = load_api(REPO, endpoint=f"http://127.0.0.1:{port}/query")
    return int(served.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])


def test_serve_killed_with_sigkill_takes_its_server_along(kg):
    port = free_port()
    process, _, store = start_serve(port)
    try:
        assert len(oxigraph_pids(port)) == 1
        assert served_count(port) == published(kg)[1]
        process.kill()
        process.wait(timeout=10)
        assert gone_within(port), "the oxigraph server outlived jpllmkg serve"
        assert store.is_dir(), "a SIGKILL leaves the temporary store behind"
        again, output, new_store = start_serve(port)  # the same port at once
        assert not store.exists(), "the next serve removes the store left behind"
        assert served_count(port) == published(kg)[1]
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=30) == 0
        assert not new_store.exists() and gone_within(port)
    finally:
        for pid in oxigraph_pids(port):  # a failed assertion: leave nothing running
            os.kill(pid, signal.SIGKILL)


def test_serve_stops_on_sighup_and_the_port_is_free_at_once(kg):
    port = free_port()
    process, output, store = start_serve(port)
    try:
        assert served_count(port) == published(kg)[1]  # connections now linger in TIME_WAIT
        process.send_signal(signal.SIGHUP)
        assert process.wait(timeout=30) == 0
        assert "temporary store removed" in output.rest()
        assert not store.exists() and gone_within(port)
        again, _, _ = start_serve(port)
        assert served_count(port) == published(kg)[1]
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=30) == 0
    finally:
        for pid in oxigraph_pids(port):
            os.kill(pid, signal.SIGKILL)


def test_a_served_query_past_the_timeout_is_cancelled():
    port = free_port()
    process, _, _ = start_serve(port, "--timeout", "1")
    try:
        endpoint = f"http://127.0.0.1:{port}/query"
        result = jpllmkg_cli("sparql", CARTESIAN, "--endpoint", endpoint, "--timeout", "30")
        one_clear_paragraph(result)
        assert "The SPARQL operation has been cancelled" in result.stderr
        quick = jpllmkg_cli("sparql", "ASK { ?s ?p ?o }", "--endpoint", endpoint)
        assert quick.returncode == 0, "the server still answers"
    finally:
        stop_process(process)
