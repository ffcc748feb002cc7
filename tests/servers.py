"""Real servers on 127.0.0.1 for the endpoint and linking tests: the oxigraph server from PyPI
(one empty and writable for pushes, one holding the Wikidata-shaped fixture) and tiny scripted
HTTP servers for the failure cases (401, 403, slow, malformed, counting wrong, redirecting,
answering nothing or half a body, recording)."""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    assert found, "the oxigraph server binary (pip install oxigraph) is needed by these tests"
    return found


def wait_until_answers(url: str, process: subprocess.Popen | None = None) -> None:
    """Poll ``url`` until it answers over HTTP (any status); fail if the process exits."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {STARTUP_TIMEOUT} s")


@dataclass
class Oxigraph:
    """A running oxigraph server: base URL, query URL and Graph Store URL."""

    url: str

    @property
    def query(self) -> str:
        return f"{self.url}/query"

    @property
    def store(self) -> str:
        return f"{self.url}/store"


@contextmanager
def oxigraph_server(load: list[Path] | None = None, writable: bool = True) -> Iterator[Oxigraph]:
    """Start `oxigraph serve` (or serve-read-only over ``load``) on a free port; always stop."""
    binary = oxigraph_binary()
    location = Path(tempfile.mkdtemp(prefix="jpllmkg-test-oxigraph-"))
    process = None
    try:
        if load:
            files = [str(p) for p in load]
            subprocess.run(
                [binary, "load", "--location", str(location), "--file", *files],
                check=True,
                capture_output=True,
            )
        port = free_port()
        verb = "serve" if writable else "serve-read-only"
        process = subprocess.Popen(
            [binary, verb, "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = Oxigraph(f"http://127.0.0.1:{port}")
        wait_until_answers(f"{server.query}?query=" + urllib.parse.quote("ASK {}"), process)
        yield server
    finally:
        if process is not None:
            stop_process(process, timeout=10)
        shutil.rmtree(location, ignore_errors=True)


@pytest.fixture(scope="session")
def graph_server() -> Iterator[Oxigraph]:
    """An empty, writable oxigraph server for pushes (the tests push the real graph into it)."""
    with oxigraph_server() as server:
        yield server


@pytest.fixture(scope="session")
def wikidata_server() -> Iterator[Oxigraph]:
    """A read-only oxigraph server holding tests/fixtures/wikidata/*.ttl (Wikidata-shaped)."""
    with oxigraph_server(sorted((FIXTURES / "wikidata").glob("*.ttl")), writable=False) as server:
        yield server


# --------------------------------------------------------------------------- tiny servers


@dataclass
class Request:
    """One request a tiny server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class TinyServer:
    """A scripted HTTP server in a thread; ``requests`` records what it received."""

    url: str
    requests: list[Request] = field(default_factory=list)


Reply = tuple[int, dict[str, str], bytes]
# A script answers with a Reply (a Content-Length header in it overrides the true length), or
# with None to close the connection without answering.
Script = Callable[[Request, int], Reply | None]


class _QuietServer(http.server.ThreadingHTTPServer):
    """Clients that hang up early (timeouts, refused redirects) are expected: no traceback."""

    def handle_error(self, request, client_address) -> None:
        pass


@contextmanager
def tiny_server(script: Script) -> Iterator[TinyServer]:
    """Serve ``script(request, number) -> (status, headers, body) or None`` on 127.0.0.1;
    always stop."""
    server_box: list[TinyServer] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                self.command, self.path, dict(self.headers.items()), self.rfile.read(length)
            )
            recorded = server_box[0].requests
            recorded.append(request)
            reply = script(request, len(recorded))
            if reply is None:
                self.close_connection = True
                return
            status, headers, body = reply
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            if "Content-Length" in headers:
                self.close_connection = True

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server_box.append(TinyServer(f"http://127.0.0.1:{httpd.server_address[1]}"))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_box[0]
    finally:
        httpd.shutdown()
        httpd.server_close()


def json_results(variables: list[str], rows: list[dict[str, dict]]) -> Reply:
    """A 200 answer with SPARQL JSON results."""
    body = json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}).encode()
    return 200, {"Content-Type": "application/sparql-results+json"}, body


def unauthorized(request: Request, number: int) -> Reply:
    return 401, {"WWW-Authenticate": 'Basic realm="test"'}, b"credentials needed"


def forbidden(request: Request, number: int) -> Reply:
    return 403, {"Content-Type": "text/plain"}, b"writes need digest authentication"


def malformed(request: Request, number: int) -> Reply:
    return 200, {"Content-Type": "text/html"}, b"<html><body>Welcome to the portal</body></html>"


def no_answer(request: Request, number: int) -> None:
    """Read the whole request, then close the connection without answering."""
    return None


def cut_short(request: Request, number: int) -> Reply:
    """Announce a longer body than is sent, then close: an answer cut mid-body."""
    body = b'{"head": {"vars": ["x"]}, "results": {"bindings": ['
    return 200, {"Content-Type": "application/sparql-results+json", "Content-Length": "4096"}, body


def redirect_to(url: str) -> Script:
    """Answer every request with 302 Found pointing at ``url``."""

    def script(request: Request, number: int) -> Reply:
        return 302, {"Location": url}, b""

    return script


def slow(seconds: float) -> Script:
    """Answer after ``seconds`` (longer than the client's timeout; bounded)."""

    def script(request: Request, number: int) -> Reply:
        time.sleep(seconds)
        return json_results(["x"], [])

    return script


def basic_auth_proxy(target: str, user: str, password: str) -> Script:
    """Forward requests to ``target`` only with the right Basic credentials, else 401."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def script(request: Request, number: int) -> Reply:
        if request.headers.get("Authorization") != expected:
            return unauthorized(request, number)
        forwarded = urllib.request.Request(
            target + request.path,
            data=request.body if request.method != "GET" else None,
            method=request.method,
            headers={
                k: v for k, v in request.headers.items() if k.lower() in ("content-type", "accept")
            },
        )
        try:
            with urllib.request.urlopen(forwarded, timeout=30) as response:
                headers = {"Content-Type": response.headers.get("Content-Type", "text/plain")}
                return response.status, headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {}, error.read()

    return script


def digest_auth(user: str, password: str, count: int, realm: str = "SPARQL") -> Script:
    """A store that takes a PUT and answers a COUNT query only with HTTP digest authentication
    (RFC 7616, MD5, qop=auth), as some stores require for writes; else 401 with a challenge."""
    nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093"

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()  # the hash RFC 7616 names for MD5

    def script(request: Request, number: int) -> Reply:
        header = request.headers.get("Authorization", "")
        fields = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header)}
        if header.startswith("Digest ") and fields.get("username") == user:
            ha1 = md5(f"{user}:{realm}:{password}")
            ha2 = md5(f"{request.method}:{fields.get('uri')}")
            parts = [ha1, nonce, fields.get("nc"), fields.get("cnonce"), fields.get("qop"), ha2]
            if fields.get("response") == md5(":".join(str(p) for p in parts)):
                if request.method == "PUT":
                    return 204, {}, b""
                n = {"type": "literal", "value": str(count), "datatype": XSD_INTEGER}
                return json_results(["n"], [{"n": n}])
        challenge = f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm=MD5'
        return 401, {"WWW-Authenticate": challenge}, b"digest credentials needed"

    return script


def stop_process(process: subprocess.Popen, timeout: float = 30) -> None:
    """Terminate a child process, and kill it if it does not stop within ``timeout``."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
