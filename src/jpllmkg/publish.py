"""Publish the validated graph: serve it locally with the oxigraph server, or push it to any
SPARQL 1.1 Graph Store Protocol endpoint in one request and check the triple count.

The served oxigraph process dies with `jpllmkg serve` however that ends: SIGINT, SIGTERM and
SIGHUP stop it and remove its temporary store; on Linux the kernel kills it (PR_SET_PDEATHSIG)
when jpllmkg itself is killed (SIGKILL), and the store left behind in the temporary directory
(``jpllmkg-serve-PID-*``) is removed by the next `jpllmkg serve`.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from jpllmkg.errors import EXIT_FINDINGS, JpllmkgError, UsageError
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.query.sparql_client import (
    Credentials,
    EndpointError,
    SparqlClient,
    TransferFailure,
    check_url,
    shown,
    transfer,
    transfer_error,
    user_agent,
)
from jpllmkg.shared import die_with_this_process

READY_TIMEOUT = 60.0
STORE_PREFIX = "jpllmkg-serve-"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
ABSOLUTE_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$')


class ServerError(JpllmkgError):
    """The local oxigraph server cannot be set up or started."""


class InvalidGraphError(JpllmkgError):
    """The graph has violations, so it is not published."""

    exit_code = EXIT_FINDINGS


def require_valid(kg: KnowledgeGraph) -> None:
    """Validate the graph; raise :class:`InvalidGraphError` on violations."""
    from jpllmkg.validate.validation import validate

    report = validate(kg)
    if report.violations:
        raise InvalidGraphError(
            f"the graph has {len(report.violations)} violation(s), so it is not published. "
            "Run 'jpllmkg validate' to see and fix them, then try again."
        )


def published(kg: KnowledgeGraph) -> tuple[bytes, int]:
    """What `push` and `serve` publish, as N-Triples, and its number of triples: the files'
    triples and the loader's computed open-world facts (jpllm:domestic, jpllm:hasForeignAncestor
    ... :func:`jpllmkg.graph.inference.computed_facts`), which the saved queries read, so they
    answer on the endpoint as locally. The rest of the inferred graph is not sent (no saved query
    needs it); the computed properties are declared as computed in the ontology, so a query on
    the endpoint can still tell them from what the files state."""
    from rdflib import Graph

    from jpllmkg.graph.inference import computed_facts

    computed = Graph()
    for triple in computed_facts(kg):
        computed.add(triple)
    data = kg.data.serialize(format="nt", encoding="utf-8")
    return data + computed.serialize(format="nt", encoding="utf-8"), len(kg.data) + len(computed)


def oxigraph_binary() -> str:
    """The `oxigraph` server binary from the PyPI package (next to this Python, or on PATH)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise ServerError(
            "the 'oxigraph' server binary was not found next to this Python or on PATH. "
            "Install it with: python -m pip install oxigraph"
        )
    return found


# --------------------------------------------------------------------------- serve


def _exit_unless_it_stays_alive() -> Callable[[], None]:
    """A ``preexec_fn``: the server dies with this process (see :mod:`jpllmkg.shared`)."""
    stays_alive = die_with_this_process()

    def in_the_child() -> None:
        if not stays_alive():
            os._exit(1)

    return in_the_child


def _stores_left_behind() -> Iterator[Path]:
    """Temporary stores of `jpllmkg serve` processes that no longer run (killed with SIGKILL)."""
    for directory in Path(tempfile.gettempdir()).glob(f"{STORE_PREFIX}*-*"):
        pid = directory.name[len(STORE_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            yield directory
        except PermissionError:  # alive, another user's
            continue


@dataclass
class LocalServer:
    """An oxigraph server over a temporary store holding one N-Triples dump."""

    host: str
    port: int
    writable: bool = False
    timeout: float = 30.0
    process: subprocess.Popen | None = None
    directory: Path | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, ntriples: bytes) -> None:
        """Load the dump into a temporary store with `oxigraph load`, then serve it."""
        binary = oxigraph_binary()
        self._check_port_free()
        for left in _stores_left_behind():
            shutil.rmtree(left, ignore_errors=True)
        self.directory = Path(tempfile.mkdtemp(prefix=f"{STORE_PREFIX}{os.getpid()}-"))
        dump, store = self.directory / "graph.nt", self.directory / "store"
        dump.write_bytes(ntriples)
        loaded = subprocess.run(
            [binary, "load", "--location", str(store), "--file", str(dump)],
            capture_output=True,
            text=True,
        )
        if loaded.returncode != 0:
            raise ServerError(f"'oxigraph load' failed: {loaded.stderr.strip()[:500]}")
        dump.unlink()
        verb = "serve" if self.writable else "serve-read-only"
        log = (self.directory / "server.log").open("w")
        self.process = subprocess.Popen(
            [
                *(binary, verb, "--location", str(store), "--bind", f"{self.host}:{self.port}"),
                *("--timeout-s", str(math.ceil(self.timeout))),  # whole seconds only
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches jpllmkg, which stops the server itself
            preexec_fn=_exit_unless_it_stays_alive(),
        )
        log.close()
        self._wait_until_ready()

    def _check_port_free(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As the server itself binds: connections of a stopped server still in TIME_WAIT
            # do not make the port busy, a listening socket does.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((self.host, self.port))
            except OSError as error:
                raise ServerError(
                    f"cannot listen on {self.host}:{self.port} ({error.strerror}): is the port "
                    "already in use, or the address not on this machine? Try --port with "
                    "another port."
                ) from None

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        probe = f"{self.url}/query?query=" + urllib.parse.quote("ASK {}")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.directory / "server.log").read_text(errors="replace").strip()
                raise ServerError(
                    f"the oxigraph server stopped at once (exit {self.process.returncode}): "
                    f"{log[:500]} Is port {self.port} already in use? Try --port with another."
                )
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise ServerError(f"the oxigraph server did not answer at {self.url} within 60 s.")

    def stop(self) -> None:
        """Terminate the server (kill it if it lingers) and remove the temporary store."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)


class _Stop(Exception):
    """Raised by the SIGINT/SIGTERM/SIGHUP handler to leave the serving loop."""


def serve(kg: KnowledgeGraph, host: str, port: int, writable: bool, timeout: float = 30.0) -> int:
    """Validate, then serve the graph until Ctrl-C, SIGTERM or SIGHUP; always clean up."""
    require_valid(kg)
    data, triples = published(kg)
    server = LocalServer(host, port, writable, timeout)

    def on_signal(signum, frame):
        for sig in STOP_SIGNALS:  # a second signal must not interrupt the cleanup
            signal.signal(sig, signal.SIG_IGN)
        raise _Stop

    # All handled explicitly: a shell without job control starts background jobs with
    # SIGINT ignored, and Python then never raises KeyboardInterrupt; closing the terminal
    # sends SIGHUP.
    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        server.start(data)
        mode = "read-write (anyone who can reach it can change it)" if writable else "read-only"
        example = "SELECT ?model ?developer WHERE { ?model jpllm:developer ?developer } LIMIT 5"
        print(
            f"Serving the validated graph ({triples} triples), {mode}, at {server.url}/\n"
            f"  SPARQL queries:       {server.url}/query\n"
            f"  Graph Store Protocol: {server.url}/store\n"
            f"  store (temporary):    {server.directory}\n"
            f"  query timeout:        {math.ceil(timeout)} s\n"
            "Try:\n"
            f"  curl -s {server.url}/query -H 'Accept: text/csv' --data-urlencode "
            f"'query=PREFIX jpllm: <https://w3id.org/jpllmkg/ontology#> {example}'\n"
            f"  jpllmkg query foreign-base-models --endpoint {server.url}/query\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        server.process.wait()
        raise ServerError(f"the oxigraph server exited unexpectedly ({server.process.returncode}).")
    except _Stop:
        pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Stopped: the server was terminated and its temporary store removed.")
    return 0


# --------------------------------------------------------------------------- push


@dataclass
class PushReport:
    """What `jpllmkg push` did."""

    target: str
    triples: int
    stored: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.triples == self.stored


def query_sibling(store_url: str) -> str:
    """The query endpoint next to a Graph Store URL: .../store -> .../query (oxigraph, Fuseki)."""
    parts = urllib.parse.urlsplit(store_url)
    return urllib.parse.urlunsplit(
        parts._replace(path=urllib.parse.urljoin(parts.path or "/", "query"), query="")
    )


def graph_target(store_url: str, graph: str | None) -> str:
    """The Graph Store URL of the named graph (``?graph=IRI``) or the default graph."""
    parts = urllib.parse.urlsplit(store_url)
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    joined = f"{parts.query}&{query}" if parts.query else query
    return urllib.parse.urlunsplit(parts._replace(query=joined))


def put_graph(url: str, data: bytes, credentials: Credentials | None, timeout: float) -> int:
    """One HTTP PUT of N-Triples to ``url`` (no redirect followed); returns the status."""
    request = urllib.request.Request(
        url,
        data=data,
        method="PUT",
        headers={
            "Content-Type": "application/n-triples",
            "User-Agent": user_agent("graph publisher"),
        },
    )
    try:
        return transfer(request, credentials, timeout)[0]
    except TransferFailure as error:
        raise transfer_error(
            url, error, "the upload (HTTP PUT)", timeout, credentials, upload=True
        ) from None


def count_triples(client: SparqlClient, graph: str | None) -> int:
    """The number of triples in the graph (or the default graph), counted by ``client``."""
    pattern = f"GRAPH {URIRef(graph).n3()} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    counted = client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", "triple count")
    try:
        return int(counted[0]["n"])
    except (IndexError, KeyError, TypeError, ValueError):
        raise EndpointError(
            f"{shown(client.url)} did not answer the triple count with a number."
        ) from None


def push(
    kg: KnowledgeGraph,
    store_url: str,
    graph: str | None = None,
    query_url: str | None = None,
    timeout: float = 120.0,
) -> PushReport:
    """Validate, replace the graph at the Graph Store endpoint in one PUT, then count it."""
    check_url(store_url, "--endpoint")
    count_url = check_url(query_url, "--query-endpoint") if query_url else query_sibling(store_url)
    if graph is not None and not ABSOLUTE_IRI.match(graph):
        raise UsageError(
            f"--graph must be an absolute IRI such as https://example.org/g, got {graph!r}."
        )
    require_valid(kg)
    data, triples = published(kg)
    credentials = Credentials.from_env()
    target = graph_target(store_url, graph)
    started = time.perf_counter()
    status = put_graph(target, data, credentials, timeout)
    seconds = time.perf_counter() - started
    try:
        stored = count_triples(SparqlClient(count_url, timeout, credentials=credentials), graph)
    except EndpointError as error:
        where = (
            "Check --query-endpoint."
            if query_url
            else f"The count went to {shown(count_url)}, the 'query' sibling of --endpoint; if "
            "the store answers queries elsewhere, name that URL with --query-endpoint "
            "(Virtuoso: http://HOST:PORT/sparql)."
        )
        raise EndpointError(
            f"the upload to {shown(target)} succeeded (HTTP {status}: the graph was replaced), "
            f"but counting its triples failed: {error} {where}"
        ) from None
    return PushReport(shown(target), triples, stored, seconds)
