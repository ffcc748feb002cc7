"""Bind parameters into a query as a VALUES block of serialised RDF terms.

The block goes right after the opening brace of the top-level WHERE group, so FILTERs of that
group see the values. Values are rdflib terms written with ``Term.n3()``, which escapes quotes,
braces and newlines, so a value can never change the query's structure. The same text then
runs unchanged on any SPARQL 1.1 engine or endpoint.
"""

from __future__ import annotations

from rdflib.term import Node


def _first_group_brace(text: str) -> int:
    """Index of the first '{' outside comments, strings and IRIs."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif c == "<" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "=<":
            end = text.find(">", i)
            if end > 0 and not any(ch.isspace() for ch in text[i:end]):
                i = end
        elif c == "{":
            return i
        i += 1
    raise ValueError("the query has no '{' to bind parameters into")


def bind_values(text: str, bindings: dict[str, Node]) -> str:
    """Return the query text with ``VALUES (?a ?b) { (a b) }`` at the top of its WHERE group."""
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    brace = _first_group_brace(text)
    return f"{text[: brace + 1]}\n  VALUES ({names}) {{ ({terms}) }}\n{text[brace + 1 :]}"
