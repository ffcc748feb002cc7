"""A SPARQL 1.1 protocol client (through SPARQLWrapper) with timeouts, bounded retries and
one-paragraph errors; results come back as the same :class:`QueryResult` the embedded engines give.

Credentials come from the environment only and are never printed: ``JPLLMKG_ENDPOINT_USER``,
``JPLLMKG_ENDPOINT_PASSWORD`` and ``JPLLMKG_ENDPOINT_AUTH`` (``basic``, the default, or
``digest``; queries through SPARQLWrapper answer the digest realm ``JPLLMKG_ENDPOINT_REALM``,
default ``SPARQL``).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from .errors import JpllmkgError
from .namespaces import PREFIXES
from .results import QueryResult

USER_ENV = "JPLLMKG_ENDPOINT_USER"
PASSWORD_ENV = "JPLLMKG_ENDPOINT_PASSWORD"
AUTH_ENV = "JPLLMKG_ENDPOINT_AUTH"
REALM_ENV = "JPLLMKG_ENDPOINT_REALM"
CONTACT_ENV = "JPLLMKG_CONTACT"
# Placeholder contact for the User-Agent; set JPLLMKG_CONTACT to your own URL or e-mail.
CONTACT_URL = "https://w3id.org/jpllmkg"
RETRY_STATUSES = (429, 502, 503, 504)
MAX_BACKOFF = 30.0
PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.I | re.M)


class EndpointError(JpllmkgError):
    """A SPARQL endpoint or Graph Store cannot be reached or refuses the request."""


@dataclass(frozen=True)
class Credentials:
    """User name, password and scheme for an endpoint (from the environment)."""

    user: str
    password: str
    scheme: str = "basic"

    @classmethod
    def from_env(cls) -> Credentials | None:
        """The credentials in JPLLMKG_ENDPOINT_USER / _PASSWORD / _AUTH, or None."""
        user = os.environ.get(USER_ENV)
        if not user:
            return None
        scheme = os.environ.get(AUTH_ENV, "basic").strip().lower()
        if scheme not in ("basic", "digest"):
            raise EndpointError(
                f"{AUTH_ENV} must be 'basic' or 'digest', not {scheme!r}; unset it for basic "
                "authentication."
            )
        return cls(user, os.environ.get(PASSWORD_ENV, ""), scheme)

    def __repr__(self) -> str:  # never show the password
        return f"Credentials(user={self.user!r}, scheme={self.scheme!r})"


def user_agent(purpose: str = "SPARQL client") -> str:
    """A descriptive User-Agent: project, version, contact and the library doing the HTTP."""
    from . import __version__

    contact = os.environ.get(CONTACT_ENV) or CONTACT_URL
    return f"jpllmkg/{__version__} ({contact}; {purpose}) Python/{sys.version_info[0]}"


def shown(url: str) -> str:
    """The URL without any user:password part, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def with_prefixes(text: str) -> str:
    """Prepend PREFIX declarations for the project's prefixes the query does not declare."""
    declared = set(PREFIX_DECL.findall(text))
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    return "\n".join([*missing, text]) if missing else text


def http_error(url: str, status: int, detail: str, action: str, credentials) -> EndpointError:
    """One clear paragraph for an HTTP error status from ``url``."""
    where = shown(url)
    detail = " ".join(detail.split())[:300]
    said = f" The server said: {detail}" if detail else ""
    if status == 401:
        if credentials:
            return EndpointError(
                f"{where} answered 401 Unauthorized to {action}: it rejected the credentials in "
                f"{USER_ENV}/{PASSWORD_ENV} ({credentials.scheme} authentication). Check them, or "
                f"set {AUTH_ENV}=digest if the server uses digest authentication."
            )
        return EndpointError(
            f"{where} answered 401 Unauthorized to {action}: it needs credentials. Set "
            f"{USER_ENV} and {PASSWORD_ENV} in the environment (and {AUTH_ENV}=digest for "
            "digest authentication); they are never printed."
        )
    if status == 403:
        return EndpointError(
            f"{where} answered 403 Forbidden to {action}: "
            + ("these credentials are" if credentials else "anonymous access is")
            + " not allowed to do this. Some stores accept writes only with digest "
            f"authentication ({AUTH_ENV}=digest) or for particular users.{said}"
        )
    if status == 404:
        return EndpointError(
            f"{where} answered 404 Not Found to {action}: there is no such service at this URL. "
            "Check the path (oxigraph serves queries at /query and the Graph Store Protocol at "
            f"/store; Fuseki at /DATASET/query and /DATASET/data).{said}"
        )
    if status == 400:
        return EndpointError(f"{where} rejected {action} as a bad request (400).{said}")
    return EndpointError(f"{where} answered HTTP {status} to {action}.{said}")


def network_error(url: str, error: BaseException, action: str, timeout: float) -> EndpointError:
    """One clear paragraph for a refused connection, a timeout or an unreachable host."""
    where = shown(url)
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError):
        return EndpointError(
            f"{where} did not answer {action} within {timeout:g} s. The endpoint may be "
            "overloaded or the query too slow: try again later, or raise --timeout."
        )
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(
            f"cannot connect to {where} for {action}: the connection was refused (nothing is "
            "listening there). Check the host and port, or start a local endpoint with "
            "'jpllmkg serve'."
        )
    return EndpointError(f"cannot reach {where} for {action}: {reason}. Check the URL.")


def _retryable(error: BaseException) -> bool:
    if isinstance(error, urllib.error.HTTPError):
        return error.code in RETRY_STATUSES
    reason = getattr(error, "reason", error)
    return isinstance(reason, TimeoutError | ConnectionResetError)


def _retry_after(error: BaseException) -> float | None:
    headers = getattr(error, "headers", None)
    value = headers.get("Retry-After") if headers else None
    try:
        return min(float(value), MAX_BACKOFF) if value else None
    except ValueError:
        return None


def with_retries(
    call: Callable[[], object], retries: int, backoff: float, on_retry: Callable | None = None
):
    """Run ``call``; on a timeout, reset or 429/502/503/504, wait (exponential, bounded) and
    try again, at most ``retries`` more times. Other errors are raised at once."""
    attempt = 0
    while True:
        try:
            return call()
        except (urllib.error.URLError, OSError) as error:
            if attempt >= retries or not _retryable(error):
                raise
            delay = _retry_after(error) or min(backoff * 2**attempt, MAX_BACKOFF)
            if on_retry:
                on_retry(error, delay)
            time.sleep(delay)
            attempt += 1


def _term(cell: dict):
    """An rdflib term for one SPARQL JSON results cell."""
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in cell:
            return Literal(value, lang=cell["xml:lang"])
        datatype = cell.get("datatype")
        return Literal(value, datatype=None if datatype in (None, str(XSD.string)) else datatype)
    raise ValueError(f"unknown term type {kind!r}")


def parse_results(payload: bytes) -> QueryResult:
    """A QueryResult from SPARQL 1.1 JSON results (SELECT or ASK); ValueError if malformed."""
    text = payload.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        rest = " ".join(text[error.pos : error.pos + 200].split()) or "(the end of the response)"
        raise ValueError(
            f"it stops being JSON at character {error.pos}, where it reads {rest!r}"
        ) from None
    if not isinstance(data, dict):
        raise ValueError("not a SPARQL JSON results object")
    if "boolean" in data:
        return QueryResult(["ask"], [{"ask": Literal(bool(data["boolean"]))}])
    try:
        variables = list(data["head"]["vars"])
        rows = [
            {v: _term(b[v]) if v in b else None for v in variables}
            for b in data["results"]["bindings"]
        ]
    except (KeyError, TypeError) as error:
        raise ValueError(f"missing or ill-formed part {error}") from None
    return QueryResult(variables, rows)


class SparqlClient:
    """Runs SELECT/ASK queries on one SPARQL endpoint over HTTP POST."""

    def __init__(
        self,
        url: str,
        timeout: float = 60.0,
        retries: int = 2,
        backoff: float = 1.0,
        agent: str | None = None,
        credentials: Credentials | None = None,
        on_retry: Callable | None = None,
    ) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise EndpointError(f"the endpoint must be an http(s) URL, got {url!r}.")
        self.url = url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.agent = agent or user_agent()
        self.credentials = credentials
        self.on_retry = on_retry

    def _wrapper(self, text: str):
        from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SELECT, SPARQLWrapper

        wrapper = SPARQLWrapper(self.url, agent=self.agent)
        wrapper.setQuery(text)
        # SPARQLWrapper guesses the query form from the first keyword-like word, comments
        # included ("a local copy" reads as COPY, an update); only SELECT/ASK are sent here,
        # and both ask for the same JSON results.
        wrapper.queryType = SELECT
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(self.timeout)
        if self.credentials:
            wrapper.setHTTPAuth(DIGEST if self.credentials.scheme == "digest" else BASIC)
            wrapper.setCredentials(
                self.credentials.user,
                self.credentials.password,
                realm=os.environ.get(REALM_ENV, "SPARQL"),
            )
        return wrapper

    def _fetch(self, text: str) -> bytes:
        response = self._wrapper(text).query().response
        try:
            return response.read()
        finally:
            response.close()

    def select(self, text: str, where: str = "query") -> QueryResult:
        """Run a SELECT or ASK query (project prefixes predeclared); errors are EndpointErrors."""
        from SPARQLWrapper import SPARQLExceptions

        text = with_prefixes(text)
        action = f"the {where}"
        try:
            payload = with_retries(
                lambda: self._fetch(text), self.retries, self.backoff, self.on_retry
            )
        except SPARQLExceptions.SPARQLWrapperException as error:
            status = {
                "QueryBadFormed": 400,
                "Unauthorized": 401,
                "EndPointNotFound": 404,
                "URITooLong": 414,
                "EndPointInternalError": 500,
            }.get(type(error).__name__, 0)
            detail = str(error).split("Response:", 1)[-1].strip(" \n'b")
            raise http_error(self.url, status, detail, action, self.credentials) from None
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace") if error.fp else str(error.reason)
            raise http_error(self.url, error.code, detail, action, self.credentials) from None
        except (urllib.error.URLError, OSError) as error:
            raise network_error(self.url, error, action, self.timeout) from None
        try:
            return parse_results(payload)
        except ValueError as error:
            raise EndpointError(
                f"{shown(self.url)} answered {action} with something that is not SPARQL JSON "
                f"results: {error}. A server that fails half-way through a streamed answer (for "
                "example at a SERVICE it cannot reach) ends like this; otherwise check that the "
                "URL is a SPARQL query endpoint (e.g. .../query)."
            ) from None
