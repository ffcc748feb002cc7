"""Federated queries: the ``service`` parameter of a saved query, and keeping the embedded
engines off the network.

Whether a query is federated is read off its parsed algebra (:func:`jpllmkg.query.sparql_text.
read_query`), never off its text, so a SERVICE hidden from a text scan is still found.

A saved query that calls ``SERVICE <https://query.wikidata.org/sparql>`` may declare
``# param: service IRI optional ...``. Engines differ on ``SERVICE ?variable`` (oxigraph
evaluates it before any binding), so the parameter's value, a checked IRI written with
``URIRef.n3()``, replaces the SERVICE IRI of the query text instead of being bound as a VALUES
row; the new text is parsed again, and it is used only if every SERVICE of its algebra now
names that IRI. Without the parameter the query text is unchanged.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.term import Node

from jpllmkg.errors import UsageError
from jpllmkg.query.sparql_text import SKIPPED, ReadQuery, read_query

SERVICE_PARAM = "service"
_SERVICE_IRI = re.compile(
    SKIPPED + r"|(?P<service>(?<![\w?$:.-])(?i:SERVICE)(?:\s+(?i:SILENT))?\s+)"
    r"(?P<service_iri><[^<>\s]*>)"
)


def bind_service(text: str, bound: dict[str, Node], where: str) -> tuple[str, dict[str, Node]]:
    """Replace the SERVICE IRIs of ``text`` with the ``service`` parameter, if one is bound."""
    if SERVICE_PARAM not in bound or not read_query(text, where).federated:
        return text, bound
    rest = dict(bound)
    iri = rest.pop(SERVICE_PARAM)

    def swap(match: re.Match) -> str:
        return match.group("service") + iri.n3() if match.lastgroup == "service_iri" else match[0]

    rebound = _SERVICE_IRI.sub(swap, text)
    if set(read_query(rebound, where).services) != {URIRef(iri)}:
        raise UsageError(
            f"{where}: cannot point its SERVICE clauses at {iri.n3()}: write each as "
            "'SERVICE <IRI> {' (or 'SERVICE SILENT <IRI> {'), with no comment or escape "
            "between the keyword and the IRI."
        )
    return rebound, rest


def uses_service(text: str, where: str = "query") -> bool:
    """True when the parsed query has a SERVICE pattern."""
    return read_query(text, where).federated


def refuse_service(query: ReadQuery, where: str) -> None:
    """The embedded engines never go to the network: a federated query needs an endpoint."""
    if query.federated:
        raise UsageError(
            f"{where} is federated (it calls a remote SPARQL service with SERVICE), and the "
            "embedded engines never go to the network. Run it on an endpoint that can reach the "
            "service: 'jpllmkg serve' in one terminal, then 'jpllmkg query NAME --endpoint "
            "http://127.0.0.1:7878/query' (add --param service=URL to call another copy of the "
            "service)."
        )
