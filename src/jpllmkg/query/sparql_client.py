"""A SPARQL 1.1 protocol client (HTTP POST with urllib) with timeouts, bounded retries and
one-paragraph errors; results come back as the same :class:`QueryResult` the embedded engines give.
The same HTTP exchange serves queries, the triple count of `push` and its Graph Store PUT.

Credentials come from the environment only and are never printed: ``JPLLMKG_ENDPOINT_USER``,
``JPLLMKG_ENDPOINT_PASSWORD`` and ``JPLLMKG_ENDPOINT_AUTH`` (``basic``, the default, or
``digest``, answered for any realm). Basic credentials go with the request; for digest, a body
(a query, an upload) is sent only once the server has accepted the credentials on a HEAD request
to the same URL, since servers close the connection on an unauthorised upload before reading it.

Redirects are never followed, with or without credentials: a 3xx answer is an error that names
the URL asked and the one it points to (without any user:password part), so credentials never
travel to another origin, no other server's answer is taken for the endpoint's, and a query or
upload is never silently re-sent as a bodiless GET. Use the final URL itself if it is trusted.
"""

from __future__ import annotations

import base64
import html
import http.client
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Literal, Variable
from rdflib.namespace import XSD

from jpllmkg.errors import JpllmkgError
from jpllmkg.query.results import QueryResult

USER_ENV = "JPLLMKG_ENDPOINT_USER"
PASSWORD_ENV = "JPLLMKG_ENDPOINT_PASSWORD"
AUTH_ENV = "JPLLMKG_ENDPOINT_AUTH"
CONTACT_ENV = "JPLLMKG_CONTACT"
# Placeholder contact for the User-Agent; set JPLLMKG_CONTACT to your own URL or e-mail.
CONTACT_URL = "https://w3id.org/jpllmkg"
RETRY_STATUSES = (429, 502, 503, 504)
MAX_BACKOFF = 30.0
MAX_ANSWER_BYTES = 128 * 2**20  # an answer larger than this is refused, not read
USERINFO = re.compile(r"^([^:/?#]+://)[^/?#]*@")
MARKUP = re.compile(r"<[^<>]*>")  # tags of an HTML error page, left out of messages
RESULTS_JSON = "application/sparql-results+json, application/json;q=0.9"
# Any failure of an HTTP exchange: refused or cut connections, timeouts, HTTP error statuses.
TransferFailure = (OSError, http.client.HTTPException)
# Virtuoso 7.2 answers ASK in JSON as one row with this variable, 1 or 0.
VIRTUOSO_ASK = "__ASK_RETVAL"
# Algebra nodes whose value is a boolean (SPARQL 1.1 operators and functions).
BOOLEAN_EXPRESSIONS = frozenset(
    {
        "Builtin_EXISTS",
        "Builtin_NOTEXISTS",
        "RelationalExpression",
        "ConditionalAndExpression",
        "ConditionalOrExpression",
        "UnaryNot",
        "Builtin_BOUND",
        "Builtin_isIRI",
        "Builtin_isBLANK",
        "Builtin_isLITERAL",
        "Builtin_isNUMERIC",
        "Builtin_sameTerm",
        "Builtin_REGEX",
        "Builtin_CONTAINS",
        "Builtin_STRSTARTS",
        "Builtin_STRENDS",
        "Builtin_LANGMATCHES",
    }
)
# Aggregates whose value is one of the aggregated values.
PICKING_AGGREGATES = frozenset({"Aggregate_Max", "Aggregate_Min", "Aggregate_Sample"})


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
    from jpllmkg import __version__

    contact = os.environ.get(CONTACT_ENV) or CONTACT_URL
    return f"jpllmkg/{__version__} ({contact}; {purpose}) Python/{sys.version_info[0]}"


def shown(url: str) -> str:
    """The URL without any user:password part, for messages (also for a malformed URL)."""
    return USERINFO.sub(r"\1", url)


def check_url(url: str, what: str = "the endpoint") -> str:
    """``url`` when it is an http(s) URL with a host and a valid port, else an EndpointError."""
    example = "such as http://127.0.0.1:7878/query"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as error:
        raise EndpointError(
            f"{what} {shown(url)!r} is not a valid URL ({error}); write it as "
            f"http://HOST:PORT/PATH ({example}; an IPv6 address goes in brackets, as in "
            "http://[::1]:7878/query)."
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            f"{what} must be an http(s) URL with a host, {example}; got {shown(url)!r}."
        )
    if parts.username is not None or parts.password is not None:
        raise EndpointError(
            f"{what} {shown(url)!r} carries a user name or password in the URL, where it would "
            f"show in process lists and shell history. Remove it and set {USER_ENV} and "
            f"{PASSWORD_ENV} in the environment instead (they are never printed)."
        )
    return url


# --------------------------------------------------------------------------- HTTP


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Follows no redirect: the 3xx answer reaches the caller as an HTTPError."""

    def redirect_request(self, req, fp, code, msg, headers, newurl) -> None:
        return None


class _DigestAuth(urllib.request.HTTPDigestAuthHandler):
    """urllib's digest authentication, remembering the server's last challenge."""

    challenge: dict[str, str] | None = None

    def get_authorization(self, req: urllib.request.Request, chal: dict[str, str]) -> str | None:
        self.challenge = chal
        return super().get_authorization(req, chal)


def transfer(
    request: urllib.request.Request, credentials: Credentials | None, timeout: float
) -> tuple[int, bytes]:
    """Send ``request`` with the credentials as the module docstring says, following no
    redirect; return the status and the whole body. Raises HTTPError for an error status,
    URLError when the request could not be sent, and another OSError or an HTTPException when
    it was sent but the answer was lost or cut off."""
    handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
    digest = None
    if credentials and credentials.scheme == "digest":
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, credentials.user, credentials.password)
        digest = _DigestAuth(passwords)
        handlers.append(digest)
    elif credentials:
        token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode()
        request.add_unredirected_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(*handlers)
    if digest and request.data is not None:
        _authorize(opener, digest, request, timeout)
    with opener.open(request, timeout=timeout) as response:
        body = response.read(MAX_ANSWER_BYTES + 1)
        cut = len(body) <= MAX_ANSWER_BYTES and response.length  # less than Content-Length
        if cut:
            raise http.client.IncompleteRead(body, response.length)
    if len(body) > MAX_ANSWER_BYTES:
        raise EndpointError(
            f"{shown(request.full_url)} answered with more than {MAX_ANSWER_BYTES // 2**20} MB; "
            "nothing was read from it. Ask for less (a LIMIT, or a narrower query), or check "
            "that the URL is the SPARQL endpoint meant."
        )
    return response.status, body


def _authorize(
    opener: urllib.request.OpenerDirector,
    digest: _DigestAuth,
    request: urllib.request.Request,
    timeout: float,
) -> None:
    """Answer the digest challenge on a HEAD to the request's URL (a 401 there means the
    credentials were rejected), then authorise ``request`` with the same challenge."""
    agent = request.get_header("User-agent")
    probe = urllib.request.Request(
        request.full_url, method="HEAD", headers={"User-Agent": agent} if agent else {}
    )
    try:
        opener.open(probe, timeout=timeout).close()
    except urllib.error.HTTPError as error:
        if error.code == 401:
            raise
        # any other answer to a HEAD (400, 404, 405...): the request itself will say more
    if digest.challenge:
        authorization = digest.get_authorization(request, digest.challenge)
        request.add_unredirected_header("Authorization", f"Digest {authorization}")


def _error_body(error: urllib.error.HTTPError) -> str:
    """The body of an error answer, or its reason when there is none (or it is cut off)."""
    try:
        return error.read().decode("utf-8", "replace") if error.fp else str(error.reason)
    except TransferFailure:
        return str(error.reason)


def transfer_error(
    url: str,
    error: BaseException,
    action: str,
    timeout: float,
    credentials: Credentials | None,
    upload: bool = False,
) -> EndpointError:
    """One clear paragraph for a failed :func:`transfer` of ``action`` to ``url``."""
    if isinstance(error, urllib.error.HTTPError):
        if 300 <= error.code < 400:
            return redirect_error(url, error.code, error.headers.get("Location"), action)
        return http_error(url, error.code, _error_body(error), action, credentials)
    if isinstance(error, urllib.error.URLError):
        return network_error(url, error, action, timeout)
    return lost_answer(url, error, action, timeout, upload)


def redirect_error(url: str, status: int, location: str | None, action: str) -> EndpointError:
    """A redirect, which jpllmkg never follows (see the module docstring)."""
    if not location:
        return EndpointError(
            f"{shown(url)} answered {action} with a redirect ({status}) to nowhere."
        )
    target = shown(urllib.parse.urljoin(url, location))
    return EndpointError(
        f"{shown(url)} answered {action} with a redirect ({status}) to {target}. jpllmkg does not "
        "follow redirects, so that credentials never reach another address and no other "
        "server's answer is taken for this one's; if you trust the new address, use it instead."
    )


def http_error(
    url: str, status: int, detail: str, action: str, credentials: Credentials | None
) -> EndpointError:
    """One clear paragraph for an HTTP error status from ``url``."""
    where = shown(url)
    detail = " ".join(html.unescape(MARKUP.sub(" ", detail)).split())[:300]
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
            f"/store; Fuseki at /DATASET/query and /DATASET/data; Virtuoso at /sparql and "
            f"/sparql-graph-crud-auth).{said}"
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
    if isinstance(reason, BrokenPipeError | ConnectionResetError):
        return EndpointError(
            f"{where} closed the connection while {action} was being sent, before answering. "
            "Servers do this when they refuse a request without reading it (wrong credentials, "
            "a request too large for them): check the credentials and the URL, then try again."
        )
    return EndpointError(f"cannot reach {where} for {action}: {reason}. Check the URL.")


def lost_answer(
    url: str, error: BaseException, action: str, timeout: float, upload: bool
) -> EndpointError:
    """One clear paragraph for a request that was sent but whose answer was lost or cut."""
    if isinstance(error, TimeoutError) and not upload:
        return network_error(url, error, action, timeout)
    if isinstance(error, TimeoutError):
        lost = f"no answer came within {timeout:g} s"
    elif isinstance(error, http.client.IncompleteRead):
        lost = (
            f"the answer was cut off after {len(error.partial)} bytes (the connection closed "
            "before the end the server announced)"
        )
    else:
        lost = f"the connection closed without a complete answer ({error or type(error).__name__})"
    if upload:
        return EndpointError(
            f"{action} was sent to {shown(url)}, but {lost}, so it may have completed. Check "
            "what the store holds with a count query on its query endpoint, or push again: a "
            "PUT replaces the graph, so repeating it is safe."
        )
    return EndpointError(
        f"{shown(url)} gave no complete answer to {action}: {lost}. The server may have "
        "failed half-way: try again, or look at its log."
    )


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
        except TransferFailure as error:
            if attempt >= retries or not _retryable(error):
                raise
            delay = _retry_after(error) or min(backoff * 2**attempt, MAX_BACKOFF)
            if on_retry:
                on_retry(error, delay)
            time.sleep(delay)
            attempt += 1


# --------------------------------------------------------------------------- results


def boolean_variables(text: str) -> set[str]:
    """The variables the query binds only to booleans: BIND or SELECT expressions that are
    comparisons, EXISTS, BOUND and the like, boolean constants (also in VALUES), COALESCE and
    IF of booleans, and MIN, MAX or SAMPLE of such variables. Read from rdflib's algebra of
    the query; empty if it does not parse."""
    from rdflib.plugins.sparql.algebra import translateQuery, traverse
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:  # noqa: BLE001 - any parse failure: no variable is known to be boolean
        return set()
    sources: dict[str, list] = {}  # variable -> True (boolean), False (other) or a variable

    def origins(expr) -> list:
        if isinstance(expr, Variable):
            return [str(expr)]
        if isinstance(expr, Literal):
            return [expr.datatype == XSD.boolean]
        if isinstance(expr, CompValue) and expr.name == "Builtin_COALESCE":
            return [origin for arg in expr.arg for origin in origins(arg)]
        if isinstance(expr, CompValue) and expr.name == "Builtin_IF":
            return origins(expr.arg2) + origins(expr.arg3)
        return [isinstance(expr, CompValue) and expr.name in BOOLEAN_EXPRESSIONS]

    def collect(node) -> None:
        if not isinstance(node, CompValue):
            return
        if node.name == "Extend":
            sources.setdefault(str(node.var), []).extend(origins(node.expr))
        elif node.name == "AggregateJoin":
            for aggregate in node.A:
                picked = aggregate.name in PICKING_AGGREGATES and isinstance(
                    aggregate.vars, Variable
                )
                sources.setdefault(str(aggregate.res), []).append(
                    str(aggregate.vars) if picked else False
                )
        elif node.name == "BGP":  # variables matched in the data are not known to be booleans
            for triple in node.triples:
                for term in triple:
                    if isinstance(term, Variable):
                        sources.setdefault(str(term), []).append(False)
        elif node.name == "values":
            for row in node.res:
                for variable, value in row.items():
                    sources.setdefault(str(variable), []).extend(origins(value))

    traverse(algebra, visitPost=collect)
    # The largest consistent set: GROUP BY makes a grouped variable the SAMPLE of itself.
    booleans = set(sources)
    while True:
        kept = {
            variable
            for variable in booleans
            if all(origin is True or origin in booleans for origin in sources[variable])
        }
        if kept == booleans:
            return booleans
        booleans = kept


def restore_booleans(text: str, result: QueryResult) -> QueryResult:
    """Booleans in canonical form: for ``"1"^^xsd:boolean``, and for the 1/0 integers some
    stores (Virtuoso) return for variables the query binds to booleans."""
    booleans = None  # the query is parsed only when an integer 0 or 1 turns up
    for row in result:
        for variable, term in row.items():
            if not isinstance(term, Literal) or str(term) not in ("0", "1"):
                continue
            if term.datatype == XSD.integer and booleans is None:
                booleans = boolean_variables(text)
            if term.datatype == XSD.boolean or (
                term.datatype == XSD.integer and variable in booleans
            ):
                row[variable] = Literal(str(term) == "1")
    return result


def parse_results(payload: bytes) -> QueryResult:
    """A QueryResult from SPARQL 1.1 JSON results (SELECT or ASK); ValueError if malformed."""
    text = payload.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("it is nested too deeply to be SPARQL JSON results") from None
    except json.JSONDecodeError as error:
        rest = " ".join(text[error.pos : error.pos + 200].split()) or "(the end of the response)"
        raise ValueError(
            f"it stops being JSON at character {error.pos}, where it reads {rest!r}"
        ) from None
    result = QueryResult.from_json(data)
    if result.variables == [VIRTUOSO_ASK] and len(result) == 1:
        return QueryResult.from_ask(str(result[0][VIRTUOSO_ASK]) == "1")
    return result


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
        self.url = check_url(url)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.agent = agent or user_agent()
        self.credentials = credentials
        self.on_retry = on_retry

    def _fetch(self, text: str) -> bytes:
        """POST the query as a form (SPARQL 1.1 protocol) and return the answer's body."""
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": text}).encode(),
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": RESULTS_JSON,
                "User-Agent": self.agent,
            },
        )
        return transfer(request, self.credentials, self.timeout)[1]

    def select(self, text: str, where: str = "query") -> QueryResult:
        """Run a SELECT or ASK query, sent as written (it declares every prefix it uses: a saved
        query's :attr:`~jpllmkg.query.sparql_text.ReadQuery.full_text`); errors are
        EndpointErrors."""
        action = f"the {where}"
        try:
            payload = with_retries(
                lambda: self._fetch(text), self.retries, self.backoff, self.on_retry
            )
        except TransferFailure as error:
            raise transfer_error(self.url, error, action, self.timeout, self.credentials) from None
        try:
            return restore_booleans(text, parse_results(payload))
        except ValueError as error:
            raise EndpointError(
                f"{shown(self.url)} answered {action} with something that is not SPARQL JSON "
                f"results: {error}. A server that fails half-way through a streamed answer (for "
                "example at a SERVICE it cannot reach) ends like this; otherwise check that the "
                "URL is a SPARQL query endpoint (e.g. .../query)."
            ) from None
