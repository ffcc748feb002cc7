"""Parse SPARQL text up front so that a syntax error names the file, line and column."""

from __future__ import annotations

from .errors import JpllmkgError, UsageError


def prepare(text: str, where: str, error: type[JpllmkgError] = UsageError):
    """Return an rdflib prepared query, or raise ``error`` naming ``where`` and the position."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    from .namespaces import PREFIXES

    try:
        return prepareQuery(text, initNs={k: str(v) for k, v in PREFIXES.items()})
    except ParseException as problem:
        raise error(
            f"{where}: SPARQL syntax error at line {problem.lineno}, column {problem.col}: "
            f"{problem.msg}. The line reads: {problem.line.strip()!r}."
        ) from None
    except Exception as problem:  # rdflib raises plain exceptions for unknown prefixes etc.
        raise error(f"{where}: the SPARQL query cannot be prepared: {problem}.") from None
