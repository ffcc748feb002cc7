"""Typed query parameters: parse user text into RDF terms, never into query text."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import UsageError
from .namespaces import expand
from .query_files import Param, SavedQuery

DATE_FORMS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
    (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}$"), XSD.gYear),
)
IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


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
    if value is None or not value.is_finite():
        raise UsageError(f"parameter '{param.name}' expects a number, got {text!r}.")
    return Literal(value, datatype=XSD.decimal)


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
        bound[param.name] = CONVERTERS[param.type](param, str(given[param.name]).strip())
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
