"""Typed query parameters: parse user text into RDF terms, never into query text.

Values are bounded before they are converted: at most :data:`MAX_CHARS` characters of UTF-8
text (an IRI at most :data:`MAX_IRI_CHARS`), and a number at most :data:`MAX_NUMBER_CHARS`
characters with a decimal exponent within +-:data:`MAX_EXPONENT`, so ``1E+999999999`` is
refused instead of growing into gigabytes of digits when it is written out.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from jpllmkg.errors import UsageError
from jpllmkg.graph.namespaces import expand
from jpllmkg.query.query_files import Param, SavedQuery

DATE_FORMS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
    (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}$"), XSD.gYear),
)
IRI_FORBIDDEN = re.compile(r'[\s\x00-\x20<>"{}|\\^`]')
MAX_CHARS = 1_000
MAX_IRI_CHARS = 2_000
MAX_NUMBER_CHARS = 100
MAX_EXPONENT = 100


def _iri(param: Param, text: str) -> URIRef:
    iri = expand(text)
    if iri is None or IRI_FORBIDDEN.search(iri):
        raise UsageError(
            f"parameter '{param.name}' expects an IRI or CURIE (e.g. jpr:takane or "
            f"https://w3id.org/jpllmkg/resource/takane), got {text!r}."
        )
    return URIRef(iri)


def _date(param: Param, text: str) -> Literal:
    for pattern, datatype in DATE_FORMS:
        if pattern.match(text) and _is_real_date(text):
            return Literal(text, datatype=datatype)
    raise UsageError(
        f"parameter '{param.name}' expects a date as YYYY-MM-DD, YYYY-MM or YYYY, got {text!r}."
    )


def _is_real_date(text: str) -> bool:
    """True when YYYY[-MM[-DD]] names a real calendar day, month or year."""
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _number(param: Param, text: str) -> Literal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value.adjusted()) > MAX_EXPONENT:
        raise UsageError(
            f"parameter '{param.name}' expects a number (e.g. 42, -0.5 or 1.2E9) between "
            f"1E-{MAX_EXPONENT} and 1E+{MAX_EXPONENT} in size, got {text!r}."
        )
    return Literal(value, datatype=XSD.decimal)


def _bounded(param: Param, text: str) -> str:
    """``text`` if it is UTF-8 and not too long for the parameter's type."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise UsageError(
            f"parameter '{param.name}' holds a byte that is not UTF-8 text (character "
            f"{error.start + 1} of its value); pass UTF-8 text (check the encoding of the "
            "terminal or script that calls jpllmkg)."
        ) from None
    limit = {"IRI": MAX_IRI_CHARS, "number": MAX_NUMBER_CHARS}.get(param.type, MAX_CHARS)
    if len(text) > limit:
        raise UsageError(
            f"parameter '{param.name}' is {len(text):,} characters long; a {param.type} "
            f"value may have at most {limit:,}."
        )
    return text


CONVERTERS = {
    "IRI": _iri,
    "date": _date,
    "number": _number,
    "string": lambda param, text: Literal(text),
}


def bind_params(query: SavedQuery, given: dict[str, str]) -> dict[str, object]:
    """Check and convert the given values against the query's declared parameters."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        names = ", ".join(f"{p.name} ({p.type})" for p in query.params) or "none"
        raise UsageError(
            f"query '{query.name}' has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters are: {names}."
        )
    bound = {}
    for param in query.params:
        if param.name not in given:
            if param.required:
                raise UsageError(
                    f"query '{query.name}' needs parameter '{param.name}' ({param.type}: "
                    f"{param.description}). Pass it as --param {param.name}=VALUE."
                )
            continue
        text = _bounded(param, str(given[param.name]).strip())
        bound[param.name] = CONVERTERS[param.type](param, text)
    return bound


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """Turn ['k=v', ...] from the command line into a dict; reject malformed pairs."""
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param expects NAME=VALUE, got {pair!r}.")
        result[name.strip()] = value
    return result
