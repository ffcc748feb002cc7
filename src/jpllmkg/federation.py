"""Federated queries: the ``service`` parameter of a saved query, and keeping the embedded
engine off the network.

A saved query that calls ``SERVICE <https://query.wikidata.org/sparql>`` may declare
``# param: service IRI optional ...``. Engines differ on ``SERVICE ?variable`` (oxigraph
evaluates it before any binding), so the parameter's value, a checked IRI written with
``URIRef.n3()``, replaces the SERVICE IRI of the query text instead of being bound as a VALUES
row; without it the query text is unchanged.
"""

from __future__ import annotations

import re

from rdflib.term import Node

from .errors import UsageError

SERVICE_PARAM = "service"
_SERVICE_IRI = re.compile(r"(\bSERVICE\s+(?:SILENT\s+)?)<[^<>\s]*>", re.I)
_SERVICE_KEYWORD = re.compile(r"(?<![?$:\w-])SERVICE(?![\w:-])", re.I)
_STRING = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
)
_IRI = re.compile(r"<[^<>\s\"{}|^`\\]*>")
_COMMENT = re.compile(r"#[^\n]*")


def _code(text: str) -> str:
    """The query text with strings, IRIs and comments blanked out (keywords remain)."""
    for pattern in (_STRING, _IRI, _COMMENT):
        text = pattern.sub(" ", text)
    return text


def bind_service(text: str, bound: dict[str, Node]) -> tuple[str, dict[str, Node]]:
    """Replace the SERVICE IRIs of ``text`` with the ``service`` parameter, if one is bound."""
    if SERVICE_PARAM not in bound or not uses_service(text):
        return text, bound
    rest = dict(bound)
    iri = rest.pop(SERVICE_PARAM).n3()
    lines = [
        line if line.lstrip().startswith("#") else _SERVICE_IRI.sub(rf"\g<1>{iri}", line)
        for line in text.splitlines(keepends=True)
    ]
    return "".join(lines), rest


def uses_service(text: str) -> bool:
    """True when the query (outside strings, IRIs and comments) has a SERVICE clause."""
    return bool(_SERVICE_KEYWORD.search(_code(text)))


def refuse_service(text: str, where: str) -> None:
    """The embedded engine never goes to the network: a federated query needs an endpoint."""
    if uses_service(text):
        raise UsageError(
            f"{where} is federated (it calls a remote SPARQL service with SERVICE), and the "
            "embedded engine never goes to the network. Run it on an endpoint that can reach the "
            "service: 'jpllmkg serve' in one terminal, then 'jpllmkg query NAME --endpoint "
            "http://127.0.0.1:7878/query' (add --param service=URL to call another copy of the "
            "service)."
        )
