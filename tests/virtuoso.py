"""A real Virtuoso (Debian's virtuoso-opensource 7.2) on 127.0.0.1 for the tests: a temporary
database, free ports for its SQL and HTTP servers, and a user who may write through the Graph
Store Protocol with HTTP digest authentication. Missing binaries fail the tests (CI installs
them), they never skip them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import free_port, stop_process, wait_until_answers

PACKAGE = "virtuoso-opensource"
USER = "curator"
PASSWORD = "curator-secret-5d2e"  # a throw-away database's password, never printed by jpllmkg

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    """A running Virtuoso: its HTTP base URL and its SQL port (for isql-vt)."""

    url: str
    sql_port: int

    @property
    def query(self) -> str:
        """The anonymous SPARQL query endpoint."""
        return f"{self.url}/sparql"

    @property
    def query_auth(self) -> str:
        """The SPARQL endpoint that asks for digest credentials (and then allows updates)."""
        return f"{self.url}/sparql-auth"

    @property
    def store(self) -> str:
        """The Graph Store Protocol endpoint with digest authentication."""
        return f"{self.url}/sparql-graph-crud-auth"

    def isql(self, statements: str) -> str:
        """Run SQL statements as the database administrator; their output."""
        done = subprocess.run(
            [binary("isql-vt"), f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0 and "Error" not in done.stdout, done.stdout + done.stderr
        return done.stdout


def binary(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(
            f"{name} is not installed: these tests need a real Virtuoso. Install Debian's "
            f"package with: apt-get install {PACKAGE}",
            pytrace=False,
        )
    return found


@contextmanager
def virtuoso_server() -> Iterator[Virtuoso]:
    """Start virtuoso-t in the foreground over a temporary database; always stop it."""
    program = binary("virtuoso-t")
    binary("isql-vt")
    directory = Path(tempfile.mkdtemp(prefix="jpllmkg-test-virtuoso-"))
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(INI.format(dir=directory, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen(
        [program, "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        server = Virtuoso(f"http://127.0.0.1:{http_port}", sql_port)
        wait_until_answers(f"{server.query}?query=" + urllib.parse.quote("ASK {}"), process)
        server.isql(
            f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\";"
        )
        yield server
    finally:
        stop_process(process, timeout=30)
        shutil.rmtree(directory, ignore_errors=True)
