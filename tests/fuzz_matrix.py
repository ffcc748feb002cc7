"""A matrix of bad and hostile inputs for every verb of `jpllmkg`, and a classifier of outcomes.

Each case runs ``PYTHON -m jpllmkg.cli --root PROJECT VERB ...`` in a subprocess, on a throw-away
copy of a project (ontology/, graph/ but its generated import, queries/), with a timeout, an
address-space limit, and tiny recording servers on 127.0.0.1 where the case needs them (only
loopback traffic). The outcome is:

- ``good``: the exit code and message are the ones the case expects;
- ``traceback``: a Python traceback (or an "Exception ignored" dump) on stderr or stdout;
- ``hang``: the case did not finish within its timeout;
- ``data loss``: a file of the project changed although the verb may not write there, or dist/
  vanished;
- ``leak``: a request reached a server that must receive none (an update, a SERVICE call, a push
  of an invalid graph), credentials crossed to another origin or were printed, or a server child
  outlived its parent;
- ``wrong exit``: exit 1 outside SHACL/QC findings, exit 0 on an input that must be an error, or
  an error on a valid input;
- ``wrong result``: exit 0 but the output lacks what it must hold, or hostile data got in;
- ``poor message``: an error exit without a one-paragraph ``jpllmkg: error:`` message naming the
  thing at fault (or with an empty, generic or internal-error text);

Run as a script it prints a table of the outcomes with counts:

    python tests/fuzz_matrix.py --root DIR [--python PYTHON] [--jobs N] [--out FILE]
        [--failures FILE]

The test `tests/test_fuzz.py` runs the same matrix and asserts every case is good.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import fnmatch
import hashlib
import json
import os
import re
import resource
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from servers import (
    Reply,
    Request,
    free_port,
    json_results,
    malformed,
    oxigraph_server,
    tiny_server,
)

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
PROJECT_PARTS = ("ontology", "graph", "queries")
# The generated catalogue import (graph/imported/, four fifths of the triples) is left out of
# the copies: the cases are about bad input, not the graph's size, and every case would pay for
# loading and validating it (tests/test_import_ajl.py and the rest of the suite load it).
LEFT_OUT = Path("graph") / "imported"
USER = "fuzz-user"
SECRET = "fuzz-Secret-7q9x"
MEMORY_LIMIT = 3 * 1024**3
OUTCOMES = (
    "good",
    "poor message",
    "traceback",
    "wrong exit",
    "wrong result",
    "hang",
    "data loss",
    "leak",
)
RESOURCE = "https://w3id.org/jpllmkg/resource/"
# A failed build may leave its lock (and the folder holding it), nothing else.
FAILED_BUILD_WRITES = ("*lock*", ".dist-builds")
XSD = "http://www.w3.org/2001/XMLSchema#"

# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """One run of the CLI and what it must give.

    ``args`` follow the verb; in text arguments ``{root}``, ``{cwd}``, ``{closed}`` (a port
    nothing listens on), ``{oxigraph}``/``{writable}``/``{wikidata}`` (shared real servers) and
    ``{NAME}`` of each per-case server are replaced by paths and base URLs; bytes arguments go
    as they are. ``expect`` holds the acceptable results among "ok" (exit 0), "error" (exit 2
    with a message mentioning one of ``mention``) and "findings" (exit 1); ``exits`` adds other
    acceptable exit codes (a signal, a closed pipe).
    """

    id: str
    verb: str
    args: tuple[str | bytes, ...] = ()
    expect: tuple[str, ...] = ("error",)
    mention: tuple[str, ...] = ()
    not_mention: tuple[str, ...] = ()
    setup: Callable[[Path, dict[str, str]], None] | None = None
    servers: tuple[str, ...] = ()
    silent: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    root: str | None = "{root}"
    timeout: float = 30.0
    stdout: str = "capture"
    stdout_has: str = ""
    forbid_in_project: str = ""
    exits: tuple[int, ...] = ()
    signal_after_start: int | None = None
    stdin: bytes = b""


def q(*args: str | bytes) -> tuple[str | bytes, ...]:
    return args


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def add_file(relative: str, text: str | bytes) -> Callable[[Path, dict[str, str]], None]:
    """A setup that writes one file into the project (``{NAME}`` replaced by server URLs)."""

    def setup(project: Path, urls: dict[str, str]) -> None:
        _write(project / relative, substitute(text, urls) if isinstance(text, str) else text)

    return setup


def copy_fixture(fixture: str, relative: str) -> Callable[[Path, dict[str, str]], None]:
    def setup(project: Path, urls: dict[str, str]) -> None:
        shutil.copyfile(FIXTURES / fixture, project / relative)

    return setup


FACT_PREFIXES = """@prefix jpllm: <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr: <https://w3id.org/jpllmkg/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""
# A model with no Japanese label, added to the real graph: a SHACL violation.
SHACL_VIOLATION = FACT_PREFIXES + (
    'jpr:fuzz-model a jpllm:LanguageModel ; rdfs:label "Fuzz model"@en ;\n'
    "    jpllm:developer jpr:ntt ; dcterms:source jpr:ref-1 .\n"
)
# A misspelt class, which no shape targets: only the QC query undeclared-classes sees it.
QC_FINDING = FACT_PREFIXES + (
    'jpr:fuzz-company a jpllm:Compnay ; rdfs:label "例の会社"@ja , "Example company"@en ;\n'
    "    dcterms:source jpr:ref-1 .\n"
)


def write_facts(relative: str, text: str) -> Callable[[Path, dict[str, str]], None]:
    def setup(project: Path, urls: dict[str, str]) -> None:
        (project / relative).write_text(text, encoding="utf-8")

    return setup


def remove(relative: str, keep_dir: bool = False) -> Callable[[Path, dict[str, str]], None]:
    def setup(project: Path, urls: dict[str, str]) -> None:
        shutil.rmtree(project / relative)
        if keep_dir:
            (project / relative).mkdir()

    return setup


def make_fifo(project: Path, urls: dict[str, str]) -> None:
    os.mkfifo(project / "graph" / "x.ttl")


def self_link(project: Path, urls: dict[str, str]) -> None:
    os.symlink("loop.ttl", project / "graph" / "loop.ttl")


def dir_loop(project: Path, urls: dict[str, str]) -> None:
    os.symlink(".", project / "graph" / "loopdir")


def dangling_link(project: Path, urls: dict[str, str]) -> None:
    os.symlink("nowhere.ttl", project / "graph" / "dangling.ttl")


def boolean_yes(project: Path, urls: dict[str, str]) -> None:
    market = project / "graph" / "market.ttl"
    text = market.read_text(encoding="utf-8")
    assert "jpllm:isForecast true" in text
    bad = f'jpllm:isForecast "yes"^^<{XSD}boolean>'
    market.write_text(text.replace("jpllm:isForecast true", bad, 1), encoding="utf-8")


def append(relative: str, text: str) -> Callable[[Path, dict[str, str]], None]:
    def setup(project: Path, urls: dict[str, str]) -> None:
        with open(project / relative, "a", encoding="utf-8") as handle:
            handle.write(text)

    return setup


def old_dist(project: Path, urls: dict[str, str]) -> None:
    """A previous build in dist/ (it must survive a failed build)."""
    _write(project / "dist" / "index.html", "<!doctype html><title>previous build</title>")
    manifest = {"tool": "jpllmkg", "version": "0.1.0", "lang": "en"}
    _write(project / "dist" / "build.json", json.dumps(manifest, indent=2) + "\n")


def chain(
    *setups: Callable[[Path, dict[str, str]], None],
) -> Callable[[Path, dict[str, str]], None]:
    def setup(project: Path, urls: dict[str, str]) -> None:
        for step in setups:
            step(project, urls)

    return setup


def a_file(relative: str) -> Callable[[Path, dict[str, str]], None]:
    return add_file(relative, "a file the user keeps here\n")


QUERY_HEADER = """# title: {title}
# title@ja: ファズ用のクエリ
# description: A fixture of the fuzz test (tests/fuzz_matrix.py).
"""
NUMBER_RQ = (
    QUERY_HEADER.format(title="Fuzz: numbers above a threshold")
    + "# param: n  number  required  the threshold (e.g. 1)\n# example: n=1\n"
    + "SELECT ?x WHERE { VALUES ?x { 1 2 3 } FILTER(?x > ?n) }\n"
)
DROP_RQ = (
    QUERY_HEADER.format(title="Fuzz: an update saved as a query")
    + "DROP SILENT GRAPH <https://w3id.org/jpllmkg/graph>\n"
)
INSERT_RQ = (
    QUERY_HEADER.format(title="Fuzz: an insert saved as a query")
    + "PREFIX jpr: <https://w3id.org/jpllmkg/resource/>\n"
    + 'INSERT DATA { jpr:takane jpr:fuzz "inserted by a read verb" }\n'
)
HIDDEN_SERVICE_RQ = (
    QUERY_HEADER.format(title="Fuzz: SERVICE hidden between comment lines")
    + '# """\nSELECT * WHERE { SERVICE <{recorder}/sparql> { ?s ?p ?o } }\n# """\n'
)
ESCAPED_SERVICE_RQ = (
    QUERY_HEADER.format(title="Fuzz: SERVICE written with a \\u0053 escape")
    + "SELECT * WHERE { \\u0053ERVICE <{recorder}/sparql> { ?s ?p ?o } }\n"
)
SYNTAX_RQ = QUERY_HEADER.format(title="Fuzz: a syntax error") + "SELECT ?x WHERE { ?x \n"
BAD_PARAM_RQ = (
    QUERY_HEADER.format(title="Fuzz: a bad param line")
    + "# param: n  float  required  a number\nSELECT ?x WHERE { ?x ?p ?n }\n"
)
LATIN1_RQ = b"# title: caf\xe9\n# description: not UTF-8\nSELECT * WHERE { ?s ?p ?o }\n"
LATIN1_TTL = (
    b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    b'<https://w3id.org/jpllmkg/resource/fuzz> rdfs:label "caf\xe9"@fr .\n'
)
SERVICE_SELECT = "SELECT * WHERE { SERVICE <{recorder}/sparql> { ?s ?p ?o } }"
INSERT = 'INSERT DATA { <https://w3id.org/jpllmkg/resource/takane> <urn:fuzz:p> "x" }'


def endpoint_cases() -> list[Case]:
    """Remote endpoints: updates, bad URLs, bad answers, credentials and timeouts."""
    cases: list[Case] = []
    for verb, head in (
        ("query", ("lineage", "--param", "model=jpr:takane")),
        ("sparql", ("ASK { ?s ?p ?o }",)),
    ):
        for label, url, mention in (
            ("closed-port", "{closed}/query", ("127.0.0.1", "reach", "connect", "refused")),
            ("ipv6-malformed", "http://[::1/query", ("[::1", "url", "address")),
            ("ftp-scheme", "ftp://127.0.0.1/query", ("ftp", "http")),
            ("no-scheme", "127.0.0.1:1/query", ("127.0.0.1:1", "http", "url")),
            ("empty-url", "", ("endpoint", "url")),
            ("spaces-in-url", "http://127.0.0.1 /query", ("url", "127.0.0.1 ", "endpoint")),
        ):
            if verb == "query" and label not in ("closed-port", "ipv6-malformed", "ftp-scheme"):
                continue
            cases.append(
                Case(f"{verb}-endpoint-{label}", verb, (*head, "--endpoint", url), mention=mention)
            )
        for server, mention in (
            ("html", ("html", "sparql", "result")),
            ("cut", ("cut", "incomplete", "truncated", "json", "result", "answer")),
            ("err500", ("500",)),
            ("wrongjson", ("json", "result", "answer", "sparql")),
        ):
            cases.append(
                Case(
                    f"{verb}-endpoint-{server}",
                    verb,
                    (*head, "--endpoint", "{" + server + "}/query"),
                    mention=mention,
                    servers=(server,),
                )
            )
        cases.append(
            Case(
                f"{verb}-endpoint-slow-timeout-1",
                verb,
                (*head, "--endpoint", "{slow}/query", "--timeout", "1"),
                mention=("time",),
                servers=("slow",),
            )
        )
        for value in ("-1", "0", "nan", "inf", "abc", "1e309"):
            if verb == "query" and value not in ("-1", "nan"):
                continue
            cases.append(
                Case(
                    f"{verb}-endpoint-timeout-{value}",
                    verb,
                    (*head, "--endpoint", "{oxigraph}/query", "--timeout", value),
                    mention=("timeout",),
                )
            )
        cases.append(
            Case(
                f"{verb}-endpoint-redirect-other-origin",
                verb,
                (*head, "--endpoint", "{redirect}/query"),
                expect=("ok", "error"),
                mention=("redirect", "302", "other"),
                servers=("other", "redirect"),
            )
        )
        cases.append(
            Case(
                f"{verb}-endpoint-real-ok",
                verb,
                (*head, "--endpoint", "{oxigraph}/query"),
                expect=("ok",),
            )
        )
    cases += [
        Case(
            "sparql-endpoint-insert-data",
            "sparql",
            (INSERT, "--endpoint", "{recorder}/query"),
            mention=("update", "insert", "read"),
            not_mention=("syntax error",),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "sparql-endpoint-drop-silent-graph",
            "sparql",
            ("DROP SILENT GRAPH <https://w3id.org/jpllmkg/graph>", "--endpoint", "{recorder}"),
            mention=("update", "drop", "read"),
            not_mention=("syntax error",),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "sparql-endpoint-insert-after-comment-and-prefix",
            "sparql",
            ("# SELECT * {}\nPREFIX x: <urn:x:>\n" + INSERT, "--endpoint", "{recorder}/query"),
            mention=("update", "insert", "read"),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "sparql-endpoint-delete-where",
            "sparql",
            ("delete where { ?s ?p ?o }", "--endpoint", "{recorder}/query"),
            mention=("update", "delete", "read"),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "sparql-endpoint-load",
            "sparql",
            ("LOAD <{other}/data.ttl>", "--endpoint", "{recorder}/query"),
            mention=("update", "load", "read"),
            servers=("recorder", "other"),
            silent=("recorder", "other"),
        ),
        Case(
            "query-endpoint-saved-drop",
            "query",
            ("evil", "--endpoint", "{recorder}/query"),
            mention=("evil", "update", "drop"),
            setup=add_file("queries/evil.rq", DROP_RQ),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "query-endpoint-saved-insert",
            "query",
            ("evil", "--endpoint", "{recorder}/query"),
            mention=("evil", "update", "insert"),
            setup=add_file("queries/evil.rq", INSERT_RQ),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "query-endpoint-max-rows-negative",
            "query",
            (
                "lineage",
                "--param",
                "model=jpr:takane",
                "--endpoint",
                "{oxigraph}/query",
                "--max-rows",
                "-1",
            ),
            mention=("max-rows",),
        ),
    ]
    return cases


def sparql_cases() -> list[Case]:
    """Ad-hoc SPARQL on the embedded engines: syntax, updates, SERVICE, evaluation errors."""
    cases: list[Case] = []
    for engine in ("oxigraph", "rdflib"):
        e = ("--engine", engine)
        cases += [
            Case(
                f"sparql-{engine}-syntax-error",
                "sparql",
                ("SELECT ?x WHERE { ?x ", *e),
                mention=("syntax", "parse", "expected", "line"),
            ),
            Case(
                f"sparql-{engine}-insert-data",
                "sparql",
                (INSERT, *e),
                mention=("update", "insert", "read"),
                not_mention=("syntax error",),
            ),
            Case(
                f"sparql-{engine}-clear-all",
                "sparql",
                ("CLEAR ALL", *e),
                mention=("update", "clear", "read"),
                not_mention=("syntax error",),
            ),
            Case(
                f"sparql-{engine}-load",
                "sparql",
                ("LOAD <{recorder}/x.ttl>", *e),
                mention=("update", "load", "read"),
                servers=("recorder",),
                silent=("recorder",),
            ),
            Case(
                f"sparql-{engine}-service",
                "sparql",
                (SERVICE_SELECT, *e),
                mention=("service", "federated"),
                servers=("recorder",),
                silent=("recorder",),
            ),
            Case(
                f"sparql-{engine}-service-silent-lowercase",
                "sparql",
                ("select * where { service silent <{recorder}/sparql> { ?s ?p ?o } }", *e),
                mention=("service", "federated"),
                servers=("recorder",),
                silent=("recorder",),
            ),
            Case(
                f"sparql-{engine}-service-hidden-in-comments",
                "sparql",
                ('# """\n' + SERVICE_SELECT + '\n# """', *e),
                mention=("service", "federated"),
                servers=("recorder",),
                silent=("recorder",),
            ),
            Case(
                f"sparql-{engine}-service-u0053-escape",
                "sparql",
                ("SELECT * WHERE { \\u0053ERVICE <{recorder}/sparql> { ?s ?p ?o } }", *e),
                mention=("service", "federated", "syntax", "escape"),
                servers=("recorder",),
                silent=("recorder",),
            ),
            Case(
                f"sparql-{engine}-ask-ok",
                "sparql",
                ("ASK { ?s a ?c }", *e),
                expect=("ok",),
                stdout_has="true",
            ),
            Case(
                f"sparql-{engine}-sum-of-iris",
                "sparql",
                ("SELECT (SUM(?o) AS ?x) WHERE { ?s ?p ?o }", *e),
                expect=("ok", "error"),
                mention=("sum", "query", "evaluat"),
            ),
            Case(
                f"sparql-{engine}-bad-regex",
                "sparql",
                ('SELECT ?x WHERE { VALUES ?x { "a" } FILTER(REGEX(?x, "(")) }', *e),
                expect=("ok", "error"),
                mention=("regex", "pattern", "("),
            ),
            Case(
                f"sparql-{engine}-cartesian-timeout-3",
                "sparql",
                (
                    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                    *e,
                    "--timeout",
                    "3",
                ),
                mention=("time",),
                timeout=60,
            ),
        ]
    cases += [
        Case("sparql-empty-text", "sparql", ("",), mention=("query", "empty", "text")),
        Case("sparql-no-text-no-file", "sparql", (), mention=("query", "text", "file")),
        Case("sparql-whitespace-only", "sparql", ("   \n ",), mention=("query", "empty", "text")),
        Case("sparql-file-missing", "sparql", ("--file", "{cwd}/nope.rq"), mention=("nope.rq",)),
        Case(
            "sparql-file-is-directory",
            "sparql",
            ("--file", "{cwd}"),
            mention=("directory", "cwd", "file"),
        ),
        Case(
            "sparql-file-not-utf8",
            "sparql",
            ("--file", "{root}/queries/latin1.rq"),
            mention=("latin1.rq", "utf-8"),
            setup=add_file("queries/latin1.rq", LATIN1_RQ),
        ),
        Case(
            "sparql-non-utf8-bytes-in-text",
            "sparql",
            (b'SELECT * WHERE { ?s ?p "\xff\xfe" }',),
            expect=("ok", "error"),
            mention=("utf-8", "byte", "text", "encod"),
        ),
        Case(
            "sparql-semicolon-query-then-update",
            "sparql",
            ("SELECT * WHERE { ?s ?p ?o } ; " + INSERT,),
            mention=("update", "syntax", "insert", "parse"),
        ),
        Case(
            "sparql-construct",
            "sparql",
            (
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/jpllmkg/ontology#Law> ; "
                "?p ?o }",
            ),
            expect=("ok", "error"),
            mention=("construct", "select", "ask"),
        ),
        Case(
            "sparql-unknown-prefix",
            "sparql",
            ("SELECT * WHERE { ?s a nope:Thing }",),
            mention=("nope", "prefix"),
        ),
        Case("sparql-bad-format", "sparql", ("ASK {}", "--format", "xml"), mention=("xml",)),
        Case("sparql-bad-lang", "sparql", ("ASK {}", "--lang", "fr"), mention=("fr",)),
        Case(
            "sparql-bad-engine",
            "sparql",
            ("ASK {}", "--engine", "blazegraph"),
            mention=("blazegraph",),
        ),
        Case("sparql-empty-engine", "sparql", ("ASK {}", "--engine", ""), mention=("engine",)),
        Case(
            "sparql-max-rows-negative",
            "sparql",
            ("ASK {}", "--max-rows", "-1"),
            mention=("max-rows",),
        ),
        Case(
            "sparql-timeout-negative-local",
            "sparql",
            ("ASK {}", "--timeout", "-1"),
            mention=("timeout",),
        ),
        Case(
            "sparql-decimal-json",
            "sparql",
            ("SELECT (1.5 AS ?x) (0.1 AS ?y) WHERE {}", "--format", "json"),
            expect=("ok",),
            stdout_has="1.5",
        ),
        Case(
            "sparql-two-way-product-row-cap",
            "sparql",
            ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "--format", "csv"),
            expect=("ok", "error"),
            mention=("row", "limit", "cap"),
            timeout=90,
        ),
    ]
    return cases


def query_cases() -> list[Case]:
    """Saved queries: names, parameters and their typed values."""
    lineage = ("lineage", "--param")
    number = add_file("queries/fuzz-number.rq", NUMBER_RQ)
    cases = [
        Case("query-unknown-name", "query", ("lineagee",), mention=("lineagee",)),
        Case("query-empty-name", "query", ("",), mention=("query", "name")),
        Case("query-path-as-name", "query", ("../queries/lineage",), mention=("lineage",)),
        Case(
            "query-qc-name",
            "query",
            ("qc/orphan-entities",),
            expect=("ok", "error"),
            mention=("orphan-entities", "qc"),
        ),
        Case("query-missing-required-param", "query", ("lineage",), mention=("model",)),
        Case("query-misspelt-param", "query", (*lineage, "modle=jpr:takane"), mention=("modle",)),
        Case("query-param-without-equals", "query", (*lineage, "model"), mention=("model",)),
        Case("query-param-empty-value", "query", (*lineage, "model="), mention=("model",)),
        Case(
            "query-iri-with-space",
            "query",
            (*lineage, "model=http://example.org/a b"),
            mention=("model", "example.org/a b"),
        ),
        Case("query-curie-unknown-prefix", "query", (*lineage, "model=foo:bar"), mention=("foo",)),
        Case(
            "query-iri-not-in-graph",
            "query",
            (*lineage, "model=jpr:no-such-model"),
            mention=("no-such-model",),
        ),
        Case(
            "query-full-iri-not-in-graph",
            "query",
            (*lineage, f"model=<{RESOURCE}nope>"),
            mention=("nope",),
        ),
        Case(
            "query-javascript-iri",
            "query",
            (*lineage, "model=javascript:alert(1)"),
            mention=("javascript",),
        ),
        Case(
            "query-iri-exists-empty-answer",
            "query",
            (*lineage, "model=jpr:gpt-5-2"),
            expect=("ok",),
        ),
        Case(
            "query-misspelt-sector",
            "query",
            ("deployments", "--param", "sector=jpv:sector-publik-sector"),
            mention=("sector-publik-sector",),
        ),
        Case(
            "query-misspelt-status",
            "query",
            ("deployments", "--param", "status=jpv:status-prod"),
            mention=("status-prod",),
        ),
        Case(
            "query-sector-is-not-a-sector",
            "query",
            ("deployments", "--param", "sector=jpr:takane"),
            expect=("ok", "error"),
            mention=("sector", "takane"),
        ),
        Case(
            "query-huge-iri", "query", (*lineage, "model=jpr:" + "a" * 120_000), mention=("model",)
        ),
        Case(
            "query-non-utf8-param",
            "query",
            ("search", "--param", b"text=\xff\xfe"),
            mention=("text", "utf-8", "byte", "encod"),
        ),
        Case("query-non-utf8-name", "query", (b"line\xffage",), mention=("line", "query")),
        Case(
            "query-search-injection",
            "query",
            ("search", "--param", 'text="} ; DROP ALL ; #'),
            expect=("ok",),
        ),
        Case(
            "query-search-huge-text",
            "query",
            ("search", "--param", "text=" + "x" * 100_000),
            expect=("ok", "error"),
            mention=("text", "long"),
        ),
        Case(
            "query-search-empty-text",
            "query",
            ("search", "--param", "text="),
            expect=("ok", "error"),
            mention=("text",),
        ),
        Case("query-bad-format", "query", ("claims", "--format", "xml"), mention=("xml",)),
        Case("query-bad-lang", "query", ("claims", "--lang", "de"), mention=("de",)),
        Case(
            "query-bad-engine", "query", ("claims", "--engine", "virtuoso"), mention=("virtuoso",)
        ),
        Case(
            "query-max-rows-negative",
            "query",
            ("claims", "--max-rows", "-1"),
            mention=("max-rows",),
        ),
        Case(
            "query-federated-locally",
            "query",
            ("federated-organization-facts",),
            mention=("federated", "service", "endpoint"),
        ),
        Case(
            "query-federated-service-param-locally",
            "query",
            ("federated-organization-facts", "--param", "service=<{recorder}/sparql>"),
            mention=("federated", "service", "endpoint"),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "query-saved-drop-locally",
            "query",
            ("evil",),
            mention=("evil", "update", "drop"),
            setup=add_file("queries/evil.rq", DROP_RQ),
        ),
        Case(
            "query-saved-hidden-service",
            "query",
            ("hidden",),
            mention=("service", "federated", "hidden"),
            setup=add_file("queries/hidden.rq", HIDDEN_SERVICE_RQ),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "query-saved-escaped-service",
            "query",
            ("escaped",),
            mention=("service", "federated", "escaped", "syntax"),
            setup=add_file("queries/escaped.rq", ESCAPED_SERVICE_RQ),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "query-saved-syntax-error",
            "query",
            ("broken-syntax",),
            mention=("broken-syntax",),
            setup=add_file("queries/broken-syntax.rq", SYNTAX_RQ),
        ),
        Case(
            "queries-saved-drop-refused-at-load",
            "queries",
            (),
            mention=("evil",),
            setup=add_file("queries/evil.rq", DROP_RQ),
        ),
        Case(
            "queries-bad-param-line",
            "queries",
            (),
            mention=("bad-param.rq",),
            setup=add_file("queries/bad-param.rq", BAD_PARAM_RQ),
        ),
        Case(
            "queries-not-utf8-file",
            "queries",
            (),
            mention=("latin1.rq",),
            setup=add_file("queries/latin1.rq", LATIN1_RQ),
        ),
        Case("queries-missing-dir", "queries", (), mention=("queries",), setup=remove("queries")),
        Case("queries-bad-format", "queries", ("--format", "csv"), mention=("csv",)),
        Case("queries-bad-lang", "queries", ("--lang", "xx"), mention=("xx",)),
        Case("queries-ok", "queries", ("--format", "json"), expect=("ok",), stdout_has="lineage"),
    ]
    for label, value, expect in (
        ("month-13", "2025-13-01", "error"),
        ("feb-30", "2025-02-30", "error"),
        ("month-00", "2025-00", "error"),
        ("slashes", "2025/01/01", "error"),
        ("word", "yesterday", "error"),
        ("two-digit-year", "25-01-01", "error"),
        ("year-only-ok", "2024", "ok"),
        ("month-ok", "2024-06", "ok"),
    ):
        cases.append(
            Case(
                f"query-date-{label}",
                "query",
                ("events-between", "--param", f"from={value}", "--param", "to=2025-12-31"),
                expect=(expect,),
                mention=(value, "from"),
                not_mention=("ontology/jpllm.ttl",),
            )
        )
    cases.append(
        Case(
            "query-date-from-after-to",
            "query",
            ("events-between", "--param", "from=2026-01-01", "--param", "to=2020-01-01"),
            expect=("ok", "error"),
            mention=("from", "to"),
        )
    )
    for label, value, expect in (
        ("huge-exponent", "1E+999999999", "error"),
        ("negative-huge-exponent", "1E-999999999", "error"),
        ("nan", "nan", "error"),
        ("inf", "inf", "error"),
        ("minus-infinity", "-Infinity", "error"),
        ("word", "twelve", "error"),
        ("hex", "0x10", "error"),
        ("empty", "", "error"),
        ("exponent-ok", "1e0", "ok"),
        ("negative-ok", "-1.5", "ok"),
    ):
        cases.append(
            Case(
                f"query-number-{label}",
                "query",
                ("fuzz-number", "--param", f"n={value}"),
                expect=(expect,),
                mention=("'n'", "n=", value or "number"),
                setup=number,
                timeout=30,
            )
        )
    return cases


def saved_query_format_cases() -> list[Case]:
    """Every saved query (its example parameters) in --format json; the decimal ones in csv."""
    decimal = (
        "benchmark-gap",
        "benchmark-standings",
        "budgets-and-plans",
        "compute-infrastructure",
        "market-statistics",
        "vague-figures",
    )
    cases = []
    for path in sorted((REPO / "queries").glob("*.rq")):
        name = path.stem
        if name == "federated-organization-facts":
            continue
        example = re.search(r"^# example:\s*(.*)$", path.read_text(encoding="utf-8"), re.M)
        params: list[str] = []
        for pair in shlex.split(example.group(1)) if example else []:
            params += ["--param", pair]
        formats = ("json", "csv") if name in decimal else ("json",)
        for fmt in formats:
            cases.append(
                Case(
                    f"query-{name}-{fmt}", "query", (name, *params, "--format", fmt), expect=("ok",)
                )
            )
    return cases


BROKEN_PROJECTS: dict[str, tuple[Callable[[Path, dict[str, str]], None], tuple[str, ...]]] = {
    "broken-turtle": (copy_fixture("broken/broken.ttl", "graph/broken.ttl"), ("broken.ttl",)),
    "not-utf8-turtle": (add_file("graph/latin1.ttl", LATIN1_TTL), ("latin1.ttl",)),
    "symlink-self-loop": (self_link, ("loop.ttl",)),
    "broken-ontology": (append("ontology/jpllm.ttl", "\nthis is not turtle ;;\n"), ("jpllm.ttl",)),
}
GRAPH_VERBS: dict[str, tuple[str, ...]] = {
    "validate": (),
    "query": ("lineage", "--param", "model=jpr:takane"),
    "sparql": ("ASK { ?s ?p ?o }",),
    "build": ("--quiet",),
    "export": ("--format", "ttl"),
    "viz": ("lineage", "--out", "{cwd}/lineage.html"),
    "stats": (),
    "why": ("jpr:takane",),
}


def project_cases() -> list[Case]:
    """Broken, missing and hostile parts of the project, and --root itself."""
    cases = []
    for label, (setup, mention) in BROKEN_PROJECTS.items():
        for verb, args in GRAPH_VERBS.items():
            build = verb == "build"
            cases.append(
                Case(
                    f"{verb}-project-{label}",
                    verb,
                    args,
                    mention=mention,
                    setup=chain(setup, old_dist) if build else setup,
                    writes=FAILED_BUILD_WRITES if build else (),
                    timeout=60 if build else 30,
                )
            )
        cases.append(
            Case(
                f"push-project-{label}",
                "push",
                ("--endpoint", "{recorder}/store"),
                mention=mention,
                setup=setup,
                servers=("recorder",),
                silent=("recorder",),
            )
        )
        cases.append(
            Case(
                f"serve-project-{label}",
                "serve",
                ("--port", "{freeport}"),
                mention=mention,
                setup=setup,
                timeout=30,
            )
        )
    for verb in ("validate", "query", "build", "export"):
        cases.append(
            Case(
                f"{verb}-project-fifo-in-graph",
                verb,
                GRAPH_VERBS[verb],
                mention=("x.ttl",),
                setup=make_fifo,
                timeout=15,
                writes=FAILED_BUILD_WRITES if verb == "build" else (),
            )
        )
    for verb in ("validate", "stats"):
        cases += [
            Case(
                f"{verb}-project-dir-symlink-loop",
                verb,
                GRAPH_VERBS[verb],
                expect=("ok", "error"),
                mention=("loopdir", "loop"),
                setup=dir_loop,
            ),
            Case(
                f"{verb}-project-dangling-symlink",
                verb,
                GRAPH_VERBS[verb],
                mention=("dangling.ttl",),
                setup=dangling_link,
            ),
        ]
    for label, setup, mention in (
        ("missing-shapes", remove("ontology/shapes"), ("shapes",)),
        ("empty-shapes", remove("ontology/shapes", keep_dir=True), ("shapes",)),
        ("missing-vocab", remove("ontology/vocab"), ("vocab",)),
        ("missing-queries", remove("queries"), ("queries",)),
        ("missing-qc", remove("queries/qc"), ("qc",)),
        ("missing-graph", remove("graph"), ("graph",)),
        ("broken-shape", append("ontology/shapes/common.ttl", "\n@@@ nonsense\n"), ("common.ttl",)),
        ("qc-syntax-error", add_file("queries/qc/fuzz-broken.rq", SYNTAX_RQ), ("fuzz-broken",)),
        ("qc-update", add_file("queries/qc/fuzz-drop.rq", DROP_RQ), ("fuzz-drop",)),
    ):
        cases.append(
            Case(f"validate-project-{label}", "validate", (), mention=mention, setup=setup)
        )
        if label in ("missing-shapes", "missing-queries", "qc-update"):
            cases.append(
                Case(
                    f"build-project-{label}",
                    "build",
                    ("--quiet",),
                    mention=mention,
                    setup=chain(setup, old_dist),
                    writes=FAILED_BUILD_WRITES,
                    timeout=60,
                )
            )
    cases += [
        Case("validate-boolean-yes", "validate", (), expect=("findings",), setup=boolean_yes),
        Case(
            "validate-shacl-violation",
            "validate",
            (),
            expect=("findings",),
            setup=write_facts("graph/fuzz-invalid.ttl", SHACL_VIOLATION),
        ),
        Case(
            "validate-qc-finding",
            "validate",
            ("--format", "json"),
            expect=("findings",),
            setup=write_facts("graph/fuzz-qc.ttl", QC_FINDING),
        ),
        Case(
            "build-shacl-violation-keeps-dist",
            "build",
            ("--quiet",),
            expect=("findings",),
            setup=chain(
                write_facts("graph/fuzz-invalid.ttl", SHACL_VIOLATION),
                old_dist,
            ),
            writes=FAILED_BUILD_WRITES,
            timeout=60,
        ),
        Case(
            "push-shacl-violation-sends-nothing",
            "push",
            ("--endpoint", "{recorder}/store"),
            expect=("findings",),
            setup=write_facts("graph/fuzz-invalid.ttl", SHACL_VIOLATION),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case("validate-ok", "validate", (), expect=("ok",)),
        Case("validate-json-ok", "validate", ("--format", "json"), expect=("ok",), stdout_has="{"),
        Case("validate-bad-format", "validate", ("--format", "yaml"), mention=("yaml",)),
        Case(
            "validate-bad-engine", "validate", ("--shacl-engine", "topbraid"), mention=("topbraid",)
        ),
        Case("validate-unknown-option", "validate", ("--strict",), mention=("--strict",)),
        Case("root-does-not-exist", "validate", (), root="{cwd}/nowhere", mention=("nowhere",)),
        Case(
            "root-is-a-file",
            "validate",
            (),
            root="{root}/ontology/jpllm.ttl",
            mention=("jpllm.ttl",),
        ),
        Case("root-empty-string", "validate", (), root="", mention=("project", "root")),
        Case(
            "root-non-utf8-bytes",
            "validate",
            (),
            root=b"/tmp/no-such-\xff-dir",
            mention=("no-such-", "project"),
        ),
        Case(
            "root-missing-ontology-file",
            "validate",
            (),
            mention=("jpllm.ttl",),
            setup=lambda project, urls: (project / "ontology" / "jpllm.ttl").unlink(),
        ),
        Case("unknown-verb", "valdate", (), mention=("valdate",)),
    ]
    return cases


def output_cases() -> list[Case]:
    """build, export, viz and stats: where they write, and their options."""
    build_fail = dict(writes=FAILED_BUILD_WRITES, timeout=60)
    cases = [
        Case(
            "build-out-into-graph",
            "build",
            ("--out", "{root}/graph", "--quiet"),
            mention=("graph",),
            **build_fail,
        ),
        Case(
            "build-out-into-graph-subdir",
            "build",
            ("--out", "{root}/graph/site", "--quiet"),
            mention=("graph",),
            **build_fail,
        ),
        Case(
            "build-out-is-project-root",
            "build",
            ("--out", "{root}", "--quiet"),
            mention=("project", "root", "ontology"),
            **build_fail,
        ),
        Case(
            "build-out-is-ontology",
            "build",
            ("--out", "{root}/ontology", "--quiet"),
            mention=("ontology",),
            **build_fail,
        ),
        Case(
            "build-out-is-parent-of-project",
            "build",
            ("--out", "{root}/..", "--quiet"),
            mention=("project", "contains", "root"),
            **build_fail,
        ),
        Case(
            "build-out-onto-a-file",
            "build",
            ("--out", "{root}/notes.txt", "--quiet"),
            mention=("notes.txt",),
            setup=a_file("notes.txt"),
            **build_fail,
        ),
        Case(
            "build-out-parent-missing",
            "build",
            ("--out", "{cwd}/no/such/dir", "--quiet"),
            expect=("ok", "error"),
            mention=("no/such",),
            timeout=90,
            writes=FAILED_BUILD_WRITES,
        ),
        Case("build-bad-lang", "build", ("--lang", "fr"), mention=("fr",)),
        Case(
            "build-hidden-service-sends-nothing",
            "build",
            ("--quiet",),
            expect=("ok", "error"),
            mention=("hidden", "service", "federated"),
            setup=chain(add_file("queries/hidden.rq", HIDDEN_SERVICE_RQ), old_dist),
            servers=("recorder",),
            silent=("recorder",),
            writes=("dist*", ".dist*", "*lock*"),
            timeout=90,
        ),
        Case(
            "build-ok-replaces-dist",
            "build",
            ("--quiet",),
            expect=("ok",),
            setup=old_dist,
            writes=("dist*", ".dist*", "*lock*"),
            timeout=90,
        ),
        Case(
            "export-out-into-graph",
            "export",
            ("--format", "ttl", "--out", "{root}/graph/all.ttl"),
            mention=("graph",),
        ),
        Case(
            "export-out-onto-curated-file",
            "export",
            ("--format", "ttl", "--out", "{root}/graph/models.ttl"),
            mention=("graph",),
        ),
        Case(
            "export-out-into-ontology",
            "export",
            ("--format", "nt", "--out", "{root}/ontology/all.nt"),
            expect=("ok", "error"),
            mention=("ontology",),
            writes=("ontology/all.nt",),
        ),
        Case(
            "export-out-is-directory",
            "export",
            ("--format", "ttl", "--out", "{cwd}"),
            mention=("directory", "cwd"),
        ),
        Case(
            "export-out-parent-missing",
            "export",
            ("--format", "ttl", "--out", "{cwd}/no/such/g.ttl"),
            expect=("ok", "error"),
            mention=("no/such",),
        ),
        Case("export-no-format", "export", (), mention=("--format",)),
        Case("export-bad-format", "export", ("--format", "rdfxml"), mention=("rdfxml",)),
        Case("export-csv-without-query", "export", ("--format", "csv"), mention=("query",)),
        Case(
            "export-csv-unknown-query",
            "export",
            ("--format", "csv", "--query", "nope"),
            mention=("nope",),
        ),
        Case(
            "export-csv-missing-param",
            "export",
            ("--format", "csv", "--query", "lineage"),
            mention=("model",),
        ),
        Case(
            "export-csv-iri-not-in-graph",
            "export",
            ("--format", "csv", "--query", "lineage", "--param", "model=jpr:nobody"),
            mention=("nobody",),
        ),
        Case(
            "export-ttl-with-query",
            "export",
            ("--format", "ttl", "--query", "lineage"),
            expect=("ok", "error"),
            mention=("csv", "query"),
        ),
        Case(
            "export-csv-decimal-ok",
            "export",
            ("--format", "csv", "--query", "benchmark-gap"),
            expect=("ok",),
        ),
        Case("export-jsonld-ok", "export", ("--format", "jsonld"), expect=("ok",), stdout_has="@"),
        Case(
            "export-trig-file-ok",
            "export",
            ("--format", "trig", "--out", "{cwd}/g.trig"),
            expect=("ok",),
        ),
        Case("viz-unknown-view", "viz", ("galaxy",), mention=("galaxy",)),
        Case("viz-ego-without-focus", "viz", ("ego",), mention=("focus",)),
        Case("viz-ego-unknown-focus", "viz", ("ego", "--focus", "jpr:nobody"), mention=("nobody",)),
        Case("viz-ego-focus-unknown-prefix", "viz", ("ego", "--focus", "zz:top"), mention=("zz",)),
        Case(
            "viz-ego-focus-with-space",
            "viz",
            ("ego", "--focus", "http://x y"),
            mention=("x y", "focus"),
        ),
        Case(
            "viz-ego-depth-negative",
            "viz",
            ("ego", "--focus", "jpr:pfn", "--depth", "-1"),
            mention=("depth",),
        ),
        Case(
            "viz-ego-depth-word",
            "viz",
            ("ego", "--focus", "jpr:pfn", "--depth", "two"),
            mention=("depth", "two"),
        ),
        Case(
            "viz-ego-depth-huge",
            "viz",
            ("ego", "--focus", "jpr:pfn", "--depth", "1000000", "--out", "{cwd}/e.html"),
            expect=("ok", "error"),
            mention=("depth",),
        ),
        Case("viz-bad-format", "viz", ("lineage", "--format", "gif"), mention=("gif",)),
        Case(
            "viz-out-unknown-suffix",
            "viz",
            ("lineage", "--out", "{cwd}/x.gif"),
            expect=("ok", "error"),
            mention=("gif", ".gif"),
        ),
        Case(
            "viz-out-into-graph",
            "viz",
            ("lineage", "--out", "{root}/graph/lineage.html"),
            mention=("graph",),
        ),
        Case(
            "viz-out-parent-missing",
            "viz",
            ("lineage", "--out", "{cwd}/no/such/x.html"),
            expect=("ok", "error"),
            mention=("no/such",),
        ),
        Case(
            "viz-out-is-directory",
            "viz",
            ("lineage", "--out", "{cwd}"),
            mention=("directory", "cwd"),
        ),
        Case(
            "viz-ego-ok",
            "viz",
            ("ego", "--focus", "jpr:pfn", "--depth", "1", "--out", "{cwd}/ego.html"),
            expect=("ok",),
        ),
        Case(
            "viz-lineage-svg-ok",
            "viz",
            ("lineage", "--format", "svg", "--out", "{cwd}/l.svg"),
            expect=("ok",),
            timeout=60,
        ),
        Case("stats-top-negative", "stats", ("--top", "-1"), mention=("top",)),
        Case("stats-top-zero", "stats", ("--top", "0"), expect=("ok", "error"), mention=("top",)),
        Case("stats-top-word", "stats", ("--top", "ten"), mention=("top", "ten")),
        Case(
            "stats-top-huge",
            "stats",
            ("--top", "99999999999"),
            expect=("ok", "error"),
            mention=("top",),
        ),
        Case("stats-bad-format", "stats", ("--format", "csv"), mention=("csv",)),
        Case("stats-bad-lang", "stats", ("--lang", "ko"), mention=("ko",)),
        Case(
            "stats-json-ok",
            "stats",
            ("--format", "json", "--top", "3"),
            expect=("ok",),
            stdout_has="{",
        ),
        Case("why-unknown-entity", "why", ("jpr:no-such-entity",), mention=("no-such-entity",)),
        Case("why-not-an-iri", "why", ("takane",), mention=("takane",)),
        Case("why-unknown-prefix", "why", ("nope:takane",), mention=("nope:takane",)),
        Case("why-iri-with-space", "why", ("<https://w3id.org/x y>",), mention=("x y",)),
        Case("why-huge-iri", "why", ("jpr:" + "x" * 100_000,), mention=("unknown entity",)),
        Case("why-control-characters", "why", ("jpr:tak\x1b[31mane",), mention=("unknown",)),
        Case("why-bad-format", "why", ("jpr:takane", "--format", "csv"), mention=("csv",)),
        Case("why-bad-timeout", "why", ("jpr:takane", "--timeout", "-1"), mention=("timeout",)),
        Case("why-no-entity", "why", (), mention=("ENTITY", "entity")),
        Case("why-ok", "why", ("jpr:rakuten-ai-3",), expect=("ok",), stdout_has="jpr:ref-9"),
        Case(
            "why-md-ok",
            "why",
            ("jpr:takane", "--format", "md", "--inferred"),
            expect=("ok",),
            stdout_has="| property |",
        ),
        Case(
            "why-json-iri-ok",
            "why",
            ("https://w3id.org/jpllmkg/resource/takane", "--format", "json", "--lang", "ja"),
            expect=("ok",),
            stdout_has='"curie": "jpr:takane"',
        ),
    ]
    return cases


def network_verb_cases() -> list[Case]:
    """serve, push and link: ports, URLs, bad answers, redirects and hostile endpoints."""
    credentials = ("recorder",)
    cases = [
        Case("serve-port-out-of-range", "serve", ("--port", "99999"), mention=("99999", "port")),
        Case("serve-port-negative", "serve", ("--port", "-1"), mention=("port",)),
        Case("serve-port-word", "serve", ("--port", "http"), mention=("port", "http")),
        Case(
            "serve-port-in-use",
            "serve",
            ("--port", "{busyport}"),
            mention=("in use", "port"),
            servers=("busy",),
            timeout=40,
        ),
        Case(
            "serve-bad-host",
            "serve",
            ("--host", "999.1.1.1", "--port", "{freeport}"),
            mention=("999.1.1.1", "host"),
            timeout=40,
        ),
        Case("serve-unknown-option", "serve", ("--read-only",), mention=("--read-only",)),
        Case("push-no-endpoint", "push", (), mention=("--endpoint",)),
        Case(
            "push-closed-port",
            "push",
            ("--endpoint", "{closed}/store"),
            mention=("127.0.0.1", "reach", "connect", "refused"),
        ),
        Case(
            "push-ftp-url", "push", ("--endpoint", "ftp://127.0.0.1/store"), mention=("ftp", "http")
        ),
        Case(
            "push-ipv6-malformed",
            "push",
            ("--endpoint", "http://[::1/store"),
            mention=("[::1", "url", "address"),
        ),
        Case(
            "push-no-scheme",
            "push",
            ("--endpoint", "localhost/store"),
            mention=("localhost/store", "http", "url"),
        ),
        Case(
            "push-html-answer",
            "push",
            ("--endpoint", "{html}/store"),
            mention=("html", "count", "answer", "sparql"),
            servers=("html",),
        ),
        Case(
            "push-500",
            "push",
            ("--endpoint", "{err500}/store"),
            mention=("500",),
            servers=("err500",),
        ),
        Case(
            "push-cut-answer",
            "push",
            ("--endpoint", "{cut}/store"),
            mention=("cut", "incomplete", "answer", "count", "json", "connection"),
            servers=("cut",),
        ),
        Case(
            "push-timeout-negative",
            "push",
            ("--endpoint", "{recorder}/store", "--timeout", "-1"),
            mention=("timeout",),
            servers=credentials,
            silent=credentials,
        ),
        Case(
            "push-timeout-nan",
            "push",
            ("--endpoint", "{recorder}/store", "--timeout", "nan"),
            mention=("timeout",),
            servers=credentials,
            silent=credentials,
        ),
        Case(
            "push-graph-not-an-iri",
            "push",
            ("--endpoint", "{recorder}/store", "--graph", "not an iri"),
            mention=("graph", "not an iri"),
            servers=credentials,
            silent=credentials,
        ),
        Case(
            "push-query-endpoint-malformed",
            "push",
            ("--endpoint", "{recorder}/store", "--query-endpoint", "http://[::1/q"),
            mention=("[::1", "query-endpoint", "url"),
            servers=credentials,
            silent=credentials,
        ),
        Case(
            "push-redirect-other-origin",
            "push",
            ("--endpoint", "{redirect}/store"),
            expect=("ok", "error"),
            mention=("redirect", "302", "other"),
            servers=("other", "redirect"),
        ),
        Case(
            "push-ok-real-oxigraph",
            "push",
            ("--endpoint", "{writable}/store", "--graph", "https://w3id.org/jpllmkg/graph"),
            expect=("ok",),
            timeout=60,
        ),
        Case("link-no-mode", "link", ("wikidata",), mention=("--propose", "--fetch")),
        Case("link-unknown-target", "link", ("dbpedia", "--propose"), mention=("dbpedia",)),
        Case(
            "link-propose-closed-port",
            "link",
            ("wikidata", "--propose", "--endpoint", "{closed}/sparql", "--retries", "0"),
            mention=("127.0.0.1", "reach", "connect", "refused"),
        ),
        Case(
            "link-fetch-html",
            "link",
            ("wikidata", "--fetch", "--endpoint", "{html}/sparql", "--retries", "0"),
            mention=("html", "answer", "sparql", "json"),
            servers=("html",),
        ),
        Case(
            "link-fetch-500",
            "link",
            ("wikidata", "--fetch", "--endpoint", "{err500}/sparql", "--retries", "0"),
            mention=("500",),
            servers=("err500",),
        ),
        Case(
            "link-fetch-cut",
            "link",
            ("wikidata", "--fetch", "--endpoint", "{cut}/sparql", "--retries", "0"),
            mention=("cut", "incomplete", "answer", "json", "connection"),
            servers=("cut",),
        ),
        Case(
            "link-fetch-ftp",
            "link",
            ("wikidata", "--fetch", "--endpoint", "ftp://127.0.0.1/sparql"),
            mention=("ftp", "http"),
        ),
        Case(
            "link-retries-negative",
            "link",
            (
                "wikidata",
                "--propose",
                "--retries",
                "-1",
                "--endpoint",
                "{recorder}/sparql",
                "--out",
                "{cwd}/c.tsv",
            ),
            mention=("retries",),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "link-timeout-zero",
            "link",
            (
                "wikidata",
                "--propose",
                "--timeout",
                "0",
                "--endpoint",
                "{recorder}/sparql",
                "--out",
                "{cwd}/c.tsv",
            ),
            mention=("timeout",),
            servers=("recorder",),
            silent=("recorder",),
        ),
        Case(
            "link-propose-out-into-graph",
            "link",
            (
                "wikidata",
                "--propose",
                "--endpoint",
                "{wikidata}/query",
                "--out",
                "{root}/graph/candidates.tsv",
            ),
            mention=("graph",),
            timeout=60,
        ),
        Case(
            "link-propose-out-parent-missing",
            "link",
            (
                "wikidata",
                "--propose",
                "--endpoint",
                "{wikidata}/query",
                "--out",
                "{cwd}/no/such/c.tsv",
            ),
            expect=("ok", "error"),
            mention=("no/such",),
            timeout=60,
        ),
        Case(
            "link-propose-ok",
            "link",
            ("wikidata", "--propose", "--endpoint", "{wikidata}/query", "--out", "{cwd}/c.tsv"),
            expect=("ok",),
            timeout=60,
        ),
        Case(
            "link-fetch-hostile-facts",
            "link",
            ("wikidata", "--fetch", "--endpoint", "{evilfacts}/sparql", "--retries", "0"),
            expect=("ok", "error"),
            mention=("property", "takane", "answer"),
            servers=("evilfacts",),
            forbid_in_project="EVIL-FUZZ",
            writes=(
                "graph/external/wikidata-facts.ttl",
                "dist*",
                "generated*",
                "build*",
                ".cache*",
            ),
            timeout=60,
        ),
    ]
    for sig, exits in (
        (signal.SIGINT, (0, 130, -2)),
        (signal.SIGTERM, (0, 143, -15)),
        (signal.SIGHUP, (0, 129, -1)),
        (signal.SIGKILL, (-9,)),
    ):
        cases.append(
            Case(
                f"serve-{sig.name.lower()}-stops-child",
                "serve",
                ("--port", "{freeport}"),
                expect=(),
                exits=exits,
                signal_after_start=int(sig),
                timeout=60,
            )
        )
    return cases


SNAPSHOT = REPO / "snapshots" / "awesome-japanese-llm" / "1681fba"


def snapshot_in_cwd(readme: bytes | None, english: bytes | None) -> Callable:
    """A snapshot folder ``{cwd}/snap`` holding these README texts (None: the file is absent)."""

    def setup(project: Path, urls: dict[str, str]) -> None:
        folder = Path(urls["cwd"]) / "snap"
        folder.mkdir()
        if readme is not None:
            _write(folder / "README.md", readme)
        if english is not None:
            _write(folder / "en" / "README.md", english)

    return setup


def catalogue_cases() -> list[Case]:
    """import (a catalogue snapshot) and chart (a saved query drawn): bad snapshots, bad
    provenance, outputs in the wrong place, and the good runs."""
    ja = (SNAPSHOT / "README.md").read_bytes()
    hostile = ja.replace(b"| **", b"| <script>alert(1)</script>**", 5)
    commit = ("--commit", "1681fba")
    out = ("--out", "{cwd}/ajl.ttl")
    good = dict(expect=("ok",), timeout=60)
    return [
        Case(
            "import-unknown-catalogue", "import", ("xyz", "--snapshot", "{cwd}"), mention=("xyz",)
        ),
        Case(
            "import-missing-snapshot",
            "import",
            ("ajl", "--snapshot", "{cwd}/nothing", *commit, *out),
            mention=("nothing", "README.md"),
        ),
        Case(
            "import-snapshot-not-utf8",
            "import",
            ("ajl", "--snapshot", "{cwd}/snap", *commit, *out),
            mention=("README.md", "UTF-8"),
            setup=snapshot_in_cwd(LATIN1_TTL, None),
        ),
        Case(
            "import-snapshot-without-tables",
            "import",
            ("ajl", "--snapshot", "{cwd}/snap", *commit, *out),
            mention=("README.md", "table"),
            setup=snapshot_in_cwd(b"# not the catalogue\n", b""),
        ),
        Case(
            "import-commit-not-a-hash",
            "import",
            ("ajl", "--snapshot", str(SNAPSHOT), "--commit", "main;rm -rf /", *out),
            mention=("commit",),
        ),
        Case(
            "import-folder-name-not-a-hash",
            "import",
            ("ajl", "--snapshot", "{cwd}/snap", *out),
            mention=("commit",),
            setup=snapshot_in_cwd(ja, None),
        ),
        Case(
            "import-issued-not-a-date",
            "import",
            ("ajl", "--snapshot", str(SNAPSHOT), "--issued", "2024-1", *out),
            mention=("issued",),
        ),
        Case(
            "import-out-is-a-folder",
            "import",
            ("ajl", "--snapshot", str(SNAPSHOT), "--out", "{cwd}"),
            mention=("folder",),
        ),
        Case(
            "import-out-ok",
            "import",
            ("ajl", "--snapshot", str(SNAPSHOT), *out),
            stdout_has="matched to existing entities",
            **good,
        ),
        Case(
            "import-hostile-cells-ok",
            "import",
            ("ajl", "--snapshot", "{cwd}/snap", *commit, *out),
            stdout_has="rows read",
            setup=snapshot_in_cwd(hostile, None),
            **good,
        ),
        Case(
            "import-rewrites-the-generated-file-only",
            "import",
            ("ajl", "--snapshot", str(SNAPSHOT)),
            writes=("graph/imported", "graph/imported/ajl", "graph/imported/ajl/*.ttl"),
            stdout_has="rows read",
            **good,
        ),
        Case("chart-unknown", "chart", ("galaxy",), mention=("galaxy",)),
        Case(
            "chart-format-and-suffix-disagree",
            "chart",
            ("models-per-year", "--format", "svg", "--out", "{cwd}/c.png"),
            mention=("suffix",),
        ),
        Case(
            "chart-out-into-graph",
            "chart",
            ("models-per-year", "--out", "{root}/graph/c.svg"),
            mention=("graph",),
        ),
        Case(
            "chart-project-broken-turtle",
            "chart",
            ("models-per-year", "--out", "{cwd}/c.svg"),
            mention=("broken.ttl",),
            setup=BROKEN_PROJECTS["broken-turtle"][0],
        ),
        Case(
            "chart-svg-ok",
            "chart",
            ("models-per-year", "--lang", "ja", "--out", "{cwd}/c.svg"),
            stdout_has="c.svg",
            **good,
        ),
    ]


def pipe_cases() -> list[Case]:
    """Output piped into `head -1`: the reader goes away before the CLI writes."""
    closed = dict(stdout="closed", expect=("ok",), exits=(141, -13))
    return [
        Case("pipe-queries", "queries", (), **closed),
        Case("pipe-query-table", "query", ("model-catalogue",), **closed),
        Case("pipe-query-json", "query", ("model-catalogue", "--format", "json"), **closed),
        Case(
            "pipe-sparql-csv",
            "sparql",
            ("SELECT * WHERE { ?s ?p ?o }", "--format", "csv"),
            **closed,
        ),
        Case("pipe-export-nt", "export", ("--format", "nt"), **closed),
        Case("pipe-stats", "stats", (), **closed),
        Case("pipe-why", "why", ("jpr:takane",), **closed),
        Case("pipe-validate", "validate", (), **closed),
    ]


def all_cases() -> list[Case]:
    """The whole matrix; ids are unique."""
    cases = (
        endpoint_cases()
        + sparql_cases()
        + query_cases()
        + saved_query_format_cases()
        + project_cases()
        + output_cases()
        + network_verb_cases()
        + catalogue_cases()
        + pipe_cases()
    )
    # push and serve validate the whole graph before any request: slow on a loaded machine.
    cases = [
        dataclasses.replace(case, timeout=max(case.timeout, 60))
        if case.verb in ("push", "serve")
        else case
        for case in cases
    ]
    ids = [case.id for case in cases]
    duplicates = [name for name, count in collections.Counter(ids).items() if count > 1]
    assert not duplicates, f"duplicate case ids: {duplicates}"
    return cases


# --------------------------------------------------------------------------- servers


def recorder(request: Request, number: int) -> Reply:
    return json_results(["x"], [])


def error_500(request: Request, number: int) -> Reply:
    return 500, {"Content-Type": "text/plain"}, b"Internal Server Error"


def wrong_json(request: Request, number: int) -> Reply:
    return 200, {"Content-Type": "application/sparql-results+json"}, b'{"rows": [1, 2]}'


def slow_answer(request: Request, number: int) -> Reply:
    time.sleep(8)
    return json_results(["x"], [])


def evil_facts(request: Request, number: int) -> Reply:
    """A Wikidata-shaped endpoint that answers every query with facts about jpr:takane (an item
    nobody asked for, an undeclared property, an untagged label)."""
    takane = {"type": "uri", "value": RESOURCE + "takane"}
    evil = {"type": "literal", "value": "EVIL-FUZZ"}
    rows = [
        {"item": takane, "property": {"type": "uri", "value": prop}, "value": evil}
        for prop in (
            "http://www.w3.org/2000/01/rdf-schema#label",
            "https://w3id.org/jpllmkg/ontology#developer",
        )
    ]
    return json_results(["item", "property", "value"], rows)


def redirect_to(target: str) -> Callable[[Request, int], Reply]:
    def script(request: Request, number: int) -> Reply:
        return 302, {"Location": target + request.path}, b""

    return script


@dataclass
class RawServer:
    """A socket server that answers every connection with fixed bytes and closes it."""

    url: str
    requests: list[Request] = field(default_factory=list)


@contextmanager
def raw_server(payload: bytes) -> Iterator[RawServer]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    server = RawServer(f"http://127.0.0.1:{listener.getsockname()[1]}")
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    head = connection.recv(65536)
                    server.requests.append(Request("?", "?", {}, head))
                    connection.sendall(payload)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stopping.set()
        thread.join(timeout=2)
        listener.close()


CUT_JSON = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
    b"Content-Length: 5000\r\nConnection: close\r\n\r\n"
    b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "lit'
)
SCRIPTS = {
    "recorder": recorder,
    "other": recorder,
    "html": malformed,
    "err500": error_500,
    "wrongjson": wrong_json,
    "slow": slow_answer,
    "evilfacts": evil_facts,
}


@contextmanager
def case_servers(names: tuple[str, ...]) -> Iterator[tuple[dict[str, str], dict[str, object]]]:
    """Start the per-case servers; yield their URLs (placeholders) and the server objects."""
    urls: dict[str, str] = {}
    running: dict[str, object] = {}
    with ExitStack() as stack:
        for name in sorted(names, key=lambda n: n != "other"):
            if name == "busy":
                sock = stack.enter_context(socket.socket())
                sock.bind(("127.0.0.1", 0))
                sock.listen(1)
                urls["busyport"] = str(sock.getsockname()[1])
                continue
            if name == "cut":
                server = stack.enter_context(raw_server(CUT_JSON))
            elif name == "redirect":
                server = stack.enter_context(tiny_server(redirect_to(urls["other"])))
            else:
                server = stack.enter_context(tiny_server(SCRIPTS[name]))
            urls[name] = server.url
            running[name] = server
        yield urls, running


@contextmanager
def shared_servers(source: Path) -> Iterator[dict[str, str]]:
    """Real oxigraph servers shared by all cases: the graph (read-only), an empty writable one
    for pushes, and the Wikidata-shaped fixture (read-only)."""
    graph_files = [source / "ontology" / "jpllm.ttl", *sorted((source / "graph").rglob("*.ttl"))]
    wikidata_files = sorted((FIXTURES / "wikidata").glob("*.ttl"))
    with ExitStack() as stack:
        graph = stack.enter_context(oxigraph_server(graph_files, writable=False))
        writable = stack.enter_context(oxigraph_server())
        wikidata = stack.enter_context(oxigraph_server(wikidata_files, writable=False))
        yield {"oxigraph": graph.url, "writable": writable.url, "wikidata": wikidata.url}


# --------------------------------------------------------------------------- running


@dataclass
class Result:
    """What one case did."""

    case: Case
    command: list[str | bytes]
    exit_code: int | None
    stdout: str
    stderr: str
    seconds: float
    changed: list[str]
    requests: dict[str, list[Request]]
    child_survived: bool = False
    forbidden_found: bool = False


def substitute(text: str, urls: dict[str, str]) -> str:
    for name, value in urls.items():
        text = text.replace("{" + name + "}", value)
    return text


def snapshot(root: Path, allowed: tuple[str, ...]) -> dict[str, str]:
    """Every entry under ``root`` (not following links, never opening FIFOs) with a digest."""
    entries: dict[str, str] = {}
    if not root.exists():
        return entries
    for directory, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            if any(fnmatch.fnmatch(relative, pattern) for pattern in allowed):
                continue
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                entries[relative] = "link:" + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                entries[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISDIR(info.st_mode):
                entries[relative] = "dir"
            else:
                entries[relative] = f"special:{stat.S_IFMT(info.st_mode)}"
    return entries


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("JPLLMKG_",))}
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env.pop(name, None)
    env.update(
        JPLLMKG_ENDPOINT_USER=USER,
        JPLLMKG_ENDPOINT_PASSWORD=SECRET,
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        COLUMNS="120",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _answers(port: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", int(port)), timeout=0.5):
            return True
    except OSError:
        return False


def _run_process(case: Case, command: list, cwd: Path, urls: dict[str, str]) -> tuple:
    """Run the command; returns (exit code or None on timeout, stdout, stderr, child_survived)."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=_environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory,
        start_new_session=True,
    )
    survived = False
    try:
        if case.stdout == "closed":
            process.stdout.close()
            process.stdin.close()
            stderr = process.stderr.read()
            process.wait(timeout=case.timeout)
            return process.returncode, "", stderr.decode(errors="replace"), False
        if case.signal_after_start is not None:
            return _run_and_signal(case, process, urls)
        out, err = process.communicate(case.stdin, timeout=case.timeout)
        return (
            process.returncode,
            out.decode(errors="replace"),
            err.decode(errors="replace"),
            survived,
        )
    except subprocess.TimeoutExpired:
        return None, "", "", False
    finally:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for stream in (process.stdout, process.stderr, process.stdin):
            if stream is not None and not stream.closed:
                stream.close()


def _kill_orphans(port: str) -> None:
    """Kill the server children a signalled `serve` left behind (they bind ``port``; they may
    sit in their own session, out of reach of the process group)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"oxigraph" in arg for arg in args[:1]) and f"127.0.0.1:{port}".encode() in args:
            with suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry.name), signal.SIGKILL)


def _run_and_signal(case: Case, process: subprocess.Popen, urls: dict[str, str]) -> tuple:
    """Wait until `serve` answers, signal the CLI process alone, and see whether its child
    (the server holding the port) stops too."""
    port = urls["freeport"]
    deadline = time.monotonic() + case.timeout
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            out, err = process.communicate()
            code = process.returncode if process.returncode is not None else None
            return code, out.decode(errors="replace"), err.decode(errors="replace"), False
        time.sleep(0.2)
    os.kill(process.pid, case.signal_after_start)
    try:
        out, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        return None, "", "", False
    stop = time.monotonic() + 5
    while _answers(port) and time.monotonic() < stop:
        time.sleep(0.2)
    survived = _answers(port)
    if survived:
        _kill_orphans(port)
    return process.returncode, out.decode(errors="replace"), err.decode(errors="replace"), survived


def run_case(case: Case, python: str, source: Path, shared: dict[str, str]) -> Result:
    """Run one case on a fresh copy of the project at ``source``."""
    base = Path(tempfile.mkdtemp(prefix="jpllmkg-fuzz-"))
    project, cwd = base / "project", base / "cwd"
    cwd.mkdir()
    try:
        for part in PROJECT_PARTS:
            shutil.copytree(source / part, project / part, symlinks=True)
        shutil.rmtree(project / LEFT_OUT, ignore_errors=True)
        with case_servers(case.servers) as (urls, running):
            urls = {
                **shared,
                **urls,
                "root": str(project),
                "cwd": str(cwd),
                "closed": f"http://127.0.0.1:{free_port()}",
                "freeport": str(free_port()),
            }
            if case.setup:
                case.setup(project, urls)
            before = snapshot(project, case.writes)
            had_dist = (project / "dist").is_dir()
            command: list[str | bytes] = [python, "-m", "jpllmkg.cli"]
            if case.root is not None:
                command += [
                    "--root",
                    substitute(case.root, urls) if isinstance(case.root, str) else case.root,
                ]
            if case.verb:
                command.append(case.verb)
            command += [substitute(a, urls) if isinstance(a, str) else a for a in case.args]
            started = time.monotonic()
            code, out, err, survived = _run_process(case, command, cwd, urls)
            seconds = time.monotonic() - started
            after = snapshot(project, case.writes)
            changed = sorted(
                name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
            )
            if had_dist and not (project / "dist").exists():
                changed.append("dist/ vanished")
            forbidden = bool(case.forbid_in_project) and any(
                case.forbid_in_project.encode() in path.read_bytes()
                for path in project.rglob("*")
                if path.is_file() and not path.is_symlink()
            )
            requests = {name: list(server.requests) for name, server in running.items()}
        return Result(
            case, command, code, out, err, seconds, changed, requests, survived, forbidden
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------- classifying

ERROR_LINE = re.compile(r"^jpllmkg(?: [\w-]+)?: error: ", re.M)
GENERIC = re.compile(
    r"^\s*(\[Errno \d+\][^\n]{0,40}|Broken pipe|error|failed|None|\w+Error(: .{0,30})?)\s*$"
    r"|object at 0x|<class '|\b(internal|unexpected) error\b|--debug",
    re.I,
)
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^Exception ignored in", re.M)


def classify(result: Result) -> tuple[str, str]:
    """The outcome of one case and a short reason."""
    case, code = result.case, result.exit_code
    output = result.stdout + result.stderr
    if code is None:
        return "hang", f"no exit within {case.timeout:g} s"
    if TRACEBACK.search(output):
        return "traceback", _last_line(result.stderr or result.stdout)
    if result.changed:
        return "data loss", "changed: " + ", ".join(result.changed[:5])
    leaked = [name for name in case.silent if result.requests.get(name)]
    if leaked:
        return "leak", f"requests reached {', '.join(leaked)} ({_describe(result, leaked)})"
    crossed = [
        request.headers.get("Host", "?")
        for request in result.requests.get("other", [])
        if "Authorization" in request.headers
    ]
    if crossed:
        return "leak", f"credentials sent to another origin ({crossed[0]})"
    if SECRET in output:
        return "leak", "the endpoint password was printed"
    if result.child_survived:
        return "leak", "the oxigraph child still serves after the CLI process died"
    expected = {"ok": 0, "findings": 1, "error": 2}
    accepted = {expected[name] for name in case.expect} | set(case.exits)
    if code not in accepted:
        return "wrong exit", f"exit {code}, expected {_expected_text(case)}"
    if code == 0 and case.stdout_has and case.stdout_has not in result.stdout:
        return "wrong result", f"exit 0 but the output lacks {case.stdout_has!r}"
    if result.forbidden_found:
        return "wrong result", f"{case.forbid_in_project!r} from a hostile endpoint got in"
    if code == 2:
        return _judge_message(case, result.stderr)
    return "good", f"exit {code}"


def _judge_message(case: Case, stderr: str) -> tuple[str, str]:
    found = ERROR_LINE.search(stderr)
    if not found:
        return "poor message", "no 'jpllmkg: error:' line: " + _last_line(stderr)
    message = stderr[found.end() :].strip()
    if len(message) < 15 or GENERIC.search(message):
        return "poor message", f"empty, generic or internal: {message[:120]!r}"
    if "\n\n" in message:
        return "poor message", "more than one paragraph"
    lowered = message.lower()
    if case.mention and not any(word.lower() in lowered for word in case.mention):
        return "poor message", f"does not name {case.mention[0]!r}: {message[:160]!r}"
    wrong = [word for word in case.not_mention if word.lower() in lowered]
    if wrong:
        return "poor message", f"blames {wrong[0]!r}: {message[:160]!r}"
    return "good", "exit 2 with a clear message"


def _expected_text(case: Case) -> str:
    names = {"ok": "0", "findings": "1 (findings)", "error": "2 (error)"}
    parts = [names[name] for name in case.expect] + [str(code) for code in case.exits]
    return " or ".join(parts)


def _describe(result: Result, names: list[str]) -> str:
    request = result.requests[names[0]][0]
    body = request.body[:60].decode(errors="replace")
    return f"{request.method} {request.path[:60]} {body!r}"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no output)"


# --------------------------------------------------------------------------- the script


def run_matrix(
    python: str, source: Path, jobs: int, cases: list[Case] | None = None
) -> list[tuple[Result, str, str]]:
    """Run every case (``jobs`` at a time); each with its outcome and reason."""
    cases = cases if cases is not None else all_cases()
    with shared_servers(source) as shared, ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda case: run_case(case, python, source, shared), cases))
    return [(result, *classify(result)) for result in results]


def table(rows: list[tuple[Result, str, str]], title: str, seconds: float) -> str:
    counts = collections.Counter(outcome for _, outcome, _ in rows)
    by_verb: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for result, outcome, _ in rows:
        by_verb[result.case.verb or "(none)"][outcome] += 1
    lines = [title, f"{len(rows)} cases, {seconds:.0f} s", ""]
    lines += [f"  {name:<14}{counts.get(name, 0):>5}" for name in OUTCOMES]
    lines += ["", "by verb:"]
    header = f"  {'verb':<10}" + "".join(f"{name[:12]:>14}" for name in OUTCOMES)
    lines.append(header)
    for verb in sorted(by_verb):
        counter = by_verb[verb]
        lines.append(f"  {verb:<10}" + "".join(f"{counter.get(n, 0):>14}" for n in OUTCOMES))
    lines += ["", "cases:"]
    lines += [f"  {outcome:<13} {result.case.id}" for result, outcome, _ in rows]
    return "\n".join(lines) + "\n"


def failures(rows: list[tuple[Result, str, str]]) -> str:
    blocks = []
    for result, outcome, reason in rows:
        if outcome == "good":
            continue
        command = " ".join(
            shlex.quote(part if isinstance(part, str) else part.decode(errors="backslashreplace"))[
                :300
            ]
            for part in result.command[1:]
        )
        stderr = "\n".join(
            f"    | {line[:200]}" for line in result.stderr.strip().splitlines()[-6:]
        )
        blocks.append(
            f"[{outcome}] {result.case.id}: {reason}\n  $ python {command}\n"
            f"  exit {result.exit_code}, {result.seconds:.1f} s, expected "
            f"{_expected_text(result.case)}\n{stderr}\n"
        )
    return "\n".join(blocks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=str(REPO), help="project whose parts each case copies")
    parser.add_argument("--python", default=sys.executable, help="python with jpllmkg installed")
    parser.add_argument("--jobs", type=int, default=2, help="cases run at a time")
    parser.add_argument("--only", default="", help="run only the cases whose id holds this")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--failures", help="write every non-good case with its stderr here")
    parser.add_argument("--json", help="write the outcome of every case as JSON here")
    args = parser.parse_args(argv)
    cases = [case for case in all_cases() if args.only in case.id]
    started = time.monotonic()
    rows = run_matrix(args.python, Path(args.root).resolve(), args.jobs, cases)
    seconds = time.monotonic() - started
    title = f"jpllmkg fuzz matrix: python={args.python} root={args.root}"
    text = table(rows, title, seconds)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    if args.failures:
        Path(args.failures).write_text(failures(rows), encoding="utf-8")
    if args.json:
        outcomes = {result.case.id: [outcome, reason] for result, outcome, reason in rows}
        Path(args.json).write_text(json.dumps(outcomes, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
