"""IRI parameters must name something the graph knows, so a typo is not a silent empty answer.

An IRI value that occurs nowhere in the graph (as subject, predicate or object) is refused,
with the closest IRIs of the same namespace (by local name and label, with difflib) as
suggestions; an IRI that occurs but matches nothing stays a normal empty answer. A parameter
declared ``in=SCHEME-OR-CLASS`` (see :mod:`jpllmkg.query.query_files`) takes only the concepts of
that scheme or the instances of that class, and a miss lists them. The ``service`` parameter
names an endpoint, not a node of the graph, and is not checked.

The checks are queries on the graph's own engine: on a remote endpoint
(:class:`jpllmkg.query.remote.RemoteGraph`) the existence check is an ASK on the endpoint, so it
holds for the data that endpoint serves.
"""

from __future__ import annotations

import difflib
import re

from rdflib import URIRef

from jpllmkg.errors import InputFileError, UsageError
from jpllmkg.graph.namespaces import compact
from jpllmkg.query.binding import bind_checked
from jpllmkg.query.federation import SERVICE_PARAM
from jpllmkg.query.query_files import Param, SavedQuery
from jpllmkg.query.sparql_text import read_query

EXISTS = "ASK { { ?iri ?p ?o } UNION { ?s ?iri ?o } UNION { ?s ?p ?iri } }"
MEMBERS = (
    "SELECT DISTINCT ?member WHERE { { ?member skos:inScheme ?values } "
    "UNION { ?member a/rdfs:subClassOf* ?values } } ORDER BY ?member"
)
CANDIDATES = (
    "SELECT DISTINCT ?entity ?label WHERE { ?entity ?p ?o "
    "FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), STR(?namespace))) "
    "OPTIONAL { ?entity rdfs:label|skos:prefLabel ?label } } LIMIT 50000"
)
SUGGESTIONS = 5
LISTED = 40


def check_known_iris(graph, query: SavedQuery, bound: dict) -> None:
    """Raise a UsageError for an IRI value the graph does not know (see the module doc)."""
    for param in query.params:
        value = bound.get(param.name)
        if param.type != "IRI" or param.name == SERVICE_PARAM or value is None:
            continue
        if param.values:
            _check_member(graph, query, param, value)
        elif not _ask(graph, EXISTS, {"iri": value}):
            close = _closest(graph, value)
            hint = f" The closest known IRIs are: {', '.join(close)}." if close else ""
            raise UsageError(
                f"query {query.name!r}: parameter '{param.name}' names {compact(str(value))}, "
                f"which occurs nowhere in the graph (check the spelling).{hint}"
            )


def _rows(graph, template: str, bindings: dict, where: str):
    return graph.select(bind_checked(read_query(template, where), bindings), where)


def _ask(graph, template: str, bindings: dict) -> bool:
    return bool(_rows(graph, template, bindings, "IRI check")[0]["ask"].toPython())


def _check_member(graph, query: SavedQuery, param: Param, value: URIRef) -> None:
    members = [
        row["member"]
        for row in _rows(graph, MEMBERS, {"values": URIRef(param.values)}, "vocabulary check")
    ]
    if not members:
        raise InputFileError(
            f"{query.path}: parameter '{param.name}' is declared in={compact(param.values)}, "
            "but the graph has no concept in that scheme and no instance of that class; fix "
            "the '# param:' line."
        )
    if value in members:
        return
    names = [compact(str(member)) for member in members]
    close = difflib.get_close_matches(compact(str(value)), names, n=SUGGESTIONS, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    listed = ", ".join(names[:LISTED]) + (
        f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
    )
    raise UsageError(
        f"query {query.name!r}: parameter '{param.name}' takes one of the {len(names)} values "
        f"of {compact(param.values)}, not {compact(str(value))}.{hint} The values are: {listed}."
    )


def _closest(graph, value: URIRef) -> list[str]:
    """Known IRIs of the value's namespace whose local name or label is close to its own."""
    namespace, local = _split(str(value))
    rows = _rows(graph, CANDIDATES, {"namespace": URIRef(namespace)}, "IRI suggestions")
    keys: dict[str, str] = {}
    for row in rows:
        curie = compact(str(row["entity"]))
        keys.setdefault(_split(str(row["entity"]))[1].lower(), curie)
        if row["label"] is not None:
            keys.setdefault(str(row["label"]).lower(), curie)
    found = difflib.get_close_matches(local.lower(), list(keys), n=SUGGESTIONS * 2, cutoff=0.6)
    return list(dict.fromkeys(keys[key] for key in found))[:SUGGESTIONS]


def _split(iri: str) -> tuple[str, str]:
    """An IRI's namespace (up to the last '/', '#' or ':') and local name."""
    match = re.match(r"(.*[/#:])([^/#:]*)$", iri)
    return (match.group(1), match.group(2)) if match else ("", iri)
