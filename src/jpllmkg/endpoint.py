"""Publish the validated graph: serve it locally with the oxigraph server, or push it to any
SPARQL 1.1 Graph Store Protocol endpoint in one request and check the triple count."""

from __future__ import annotations

import base64
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from .errors import EXIT_FINDINGS, JpllmkgError, UsageError
from .loader import KnowledgeGraph
from .sparql_client import (
    Credentials,
    EndpointError,
    SparqlClient,
    http_error,
    network_error,
    shown,
    user_agent,
)

READY_TIMEOUT = 60.0
ABSOLUTE_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$')


class ServerError(JpllmkgError):
    """The local oxigraph server cannot be set up or started."""


class InvalidGraphError(JpllmkgError):
    """The graph has violations, so it is not published."""

    exit_code = EXIT_FINDINGS


def require_valid(kg: KnowledgeGraph) -> int:
    """Validate the graph; raise :class:`InvalidGraphError` on violations. Returns its size."""
    from .validation import validate

    report = validate(kg)
    if report.violations:
        raise InvalidGraphError(
            f"the graph has {len(report.violations)} violation(s), so it is not published. "
            "Run 'jpllmkg validate' to see and fix them, then try again."
        )
    return len(kg.data)


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


@dataclass
class LocalServer:
    """An oxigraph server over a temporary store holding one N-Triples dump."""

    host: str
    port: int
    writable: bool = False
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
        self.directory = Path(tempfile.mkdtemp(prefix="jpllmkg-serve-"))
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
            [binary, verb, "--location", str(store), "--bind", f"{self.host}:{self.port}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches jpllmkg, which stops the server itself
        )
        log.close()
        self._wait_until_ready()

    def _check_port_free(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
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
    """Raised by the SIGINT/SIGTERM handler to leave the serving loop."""


def serve(kg: KnowledgeGraph, host: str, port: int, writable: bool) -> int:
    """Validate, then serve the graph until Ctrl-C or SIGTERM; always clean up."""
    triples = require_valid(kg)
    server = LocalServer(host, port, writable)

    def on_signal(signum, frame):
        raise _Stop

    # Both handled explicitly: a shell without job control starts background jobs with
    # SIGINT ignored, and Python then never raises KeyboardInterrupt.
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start(kg.data.serialize(format="nt", encoding="utf-8"))
        mode = "read-write (anyone who can reach it can change it)" if writable else "read-only"
        example = "SELECT ?model ?developer WHERE { ?model jpllm:developer ?developer } LIMIT 5"
        print(
            f"Serving the validated graph ({triples} triples), {mode}, at {server.url}/\n"
            f"  SPARQL queries:       {server.url}/query\n"
            f"  Graph Store Protocol: {server.url}/store\n"
            f"  store (temporary):    {server.directory}\n"
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


def _opener(url: str, credentials: Credentials | None) -> Callable:
    """urlopen with digest authentication when asked; basic is sent with the request."""
    if credentials and credentials.scheme == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, credentials.user, credentials.password)
        return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager)).open
    return urllib.request.build_opener().open


def put_graph(
    url: str, data: bytes, credentials: Credentials | None, timeout: float
) -> tuple[int, str]:
    """One HTTP PUT of N-Triples to ``url``; returns the status and the response body."""
    request = urllib.request.Request(url, data=data, method="PUT")
    request.add_header("Content-Type", "application/n-triples")
    request.add_header("User-Agent", user_agent("graph publisher"))
    if credentials and credentials.scheme == "basic":
        token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with _opener(url, credentials)(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace") if error.fp else str(error.reason)
        raise http_error(url, error.code, detail, "the upload (HTTP PUT)", credentials) from None
    except (urllib.error.URLError, OSError) as error:
        raise network_error(url, error, "the upload (HTTP PUT)", timeout) from None


def push(
    kg: KnowledgeGraph,
    store_url: str,
    graph: str | None = None,
    query_url: str | None = None,
    timeout: float = 120.0,
) -> PushReport:
    """Validate, replace the graph at the Graph Store endpoint in one PUT, then count it."""
    if urllib.parse.urlsplit(store_url).scheme not in ("http", "https"):
        raise EndpointError(f"--endpoint must be an http(s) URL, got {store_url!r}.")
    if graph is not None and not ABSOLUTE_IRI.match(graph):
        raise UsageError(
            f"--graph must be an absolute IRI such as https://example.org/g, got {graph!r}."
        )
    triples = require_valid(kg)
    credentials = Credentials.from_env()
    target = graph_target(store_url, graph)
    data = kg.data.serialize(format="nt", encoding="utf-8")
    started = time.perf_counter()
    put_graph(target, data, credentials, timeout)
    seconds = time.perf_counter() - started
    client = SparqlClient(
        query_url or query_sibling(store_url), timeout=timeout, credentials=credentials
    )
    pattern = f"GRAPH {URIRef(graph).n3()} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    counted = client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", "triple count")
    try:
        stored = int(counted[0]["n"])
    except (IndexError, KeyError, TypeError, ValueError):
        raise EndpointError(
            f"{shown(client.url)} did not answer the triple count with a number; check "
            "--query-endpoint."
        ) from None
    return PushReport(shown(target), triples, stored, seconds)
