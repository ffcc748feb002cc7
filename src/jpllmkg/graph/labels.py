"""Pick the label to show for a node: the one in the wanted language, else any, else a CURIE."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from jpllmkg.graph.namespaces import compact

LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel)


def choose_label(node, labels: Iterable[tuple[URIRef, object]], lang: str = "en") -> str:
    """From (property, value) pairs: rdfs:label before skos:prefLabel, ``lang`` before others."""
    if isinstance(node, Literal):
        return str(node)
    pairs = list(labels)
    fallback = None
    for predicate in LABEL_PROPERTIES:
        for prop, value in pairs:
            if prop != predicate:
                continue
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
            fallback = fallback or str(value)
    if fallback:
        return fallback
    return compact(str(node)) if isinstance(node, URIRef) else str(node)
