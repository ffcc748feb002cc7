"""Bind parameters into a query as a VALUES block of serialised RDF terms.

The block goes right after the opening brace of the top-level WHERE group, so FILTERs of that
group see the values. Values are rdflib terms written with ``Term.n3()``, which escapes quotes,
braces and newlines, so a value can never change the query's structure. A bound text also
declares the project's prefixes it uses (:attr:`jpllmkg.query.sparql_text.ReadQuery.full_text`), so
the same text then runs unchanged on any SPARQL 1.1 engine or endpoint, and is what
``query_text()`` gives a user to paste elsewhere.

The insertion point is found by a scan that reads comments, strings (with their escapes) and
IRIs as oxigraph's parser does, so binding a checked query (:func:`bind_checked`) keeps its
form and adds no SERVICE without parsing it again (rdflib's parser takes 10-40 ms, the query
itself well under one). Text sent to an endpoint is parsed again all the same
(:class:`jpllmkg.query.remote.RemoteGraph`), since another parser reads it there.
"""

from __future__ import annotations

from dataclasses import replace

from rdflib.term import Node

from jpllmkg.query.sparql_text import ReadQuery, first_code_brace


def bind_values(text: str, bindings: dict[str, Node]) -> str:
    """Return the query text with ``VALUES (?a ?b) { (a b) }`` at the top of its WHERE group."""
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    brace = first_code_brace(text)
    return f"{text[: brace + 1]}\n  VALUES ({names}) {{ ({terms}) }}\n{text[brace + 1 :]}"


def bind_checked(query: ReadQuery, bindings: dict[str, Node]) -> ReadQuery:
    """A checked query with values bound, its prefixes declared: the VALUES block of ``n3()``
    terms (full IRIs) and the PREFIX lines keep its form and add no SERVICE, so the result is
    not parsed again."""
    return replace(query, text=bind_values(query.full_text, bindings), undeclared=())
