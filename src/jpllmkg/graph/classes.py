"""What the ontology says about its classes: their roles and how views show them.

The one home of this knowledge is the "Class hints" block of ``ontology/jpllm.ttl``
(annotations such as ``jpllm:classRole``, ``jpllm:displayColour``, ``jpllm:inView``); this
module only reads it. A class takes each hint from itself or, failing that, from its nearest
superclass that has it (breadth first over ``rdfs:subClassOf``; ties by IRI).

An *entity* is a ``jpr:`` resource of a class whose role is ``jpllm:EntityRole`` and of no
class with another role (a source or a bookkeeping record); every typed ``jpr:`` resource,
whatever its role, is a *resource* (the site gives each one a page).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import JPLLM, JPR

ONTOLOGY = URIRef(str(JPLLM).rstrip("#"))
ENTITY_ROLE = JPLLM.EntityRole
SOURCE_ROLE = JPLLM.SourceRole
BOOKKEEPING_ROLE = JPLLM.BookkeepingRole
# Provenance and bookkeeping links: no relation between two entities (views show them in
# tooltips, not as edges; the relation graph of analytics leaves them out).
NOT_RELATIONS = frozenset({RDF.type, DCTERMS.source, JPLLM.citedIn, JPLLM.evidence})


def local_name(iri: str) -> str:
    """The part of an IRI after the last '#' or '/'."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def subclasses(kg: KnowledgeGraph, cls: str) -> set[URIRef]:
    """The jpllm class and all its (transitive) subclasses in the ontology."""
    return set(kg.data.transitive_subjects(RDFS.subClassOf, JPLLM[cls]))


def class_of(kg: KnowledgeGraph, node) -> str:
    """The local name of the node's own jpllm class ('Concept' for SKOS concepts); of two
    classes it has where one is a subclass of the other, the superclass."""
    types = [t for t in kg.data.objects(node, RDF.type) if isinstance(t, URIRef)]
    own = [t for t in types if str(t).startswith(str(JPLLM))]
    for candidate in own:
        if not any(o != candidate and candidate in subclasses(kg, local_name(o)) for o in own):
            return local_name(candidate)
    if SKOS.Concept in types:
        return "Concept"
    return local_name(str(types[0])) if types else "Resource"


def hint_holder(kg: KnowledgeGraph, cls: URIRef, annotation: URIRef) -> URIRef | None:
    """``cls`` if it has ``annotation``, else its nearest superclass that has it, else None."""
    seen = {cls}
    level = [cls]
    while level:
        for candidate in sorted(level):
            if (candidate, annotation, None) in kg.data:
                return candidate
        parents = {p for c in level for p in kg.data.objects(c, RDFS.subClassOf)}
        level = [p for p in parents if isinstance(p, URIRef) and p not in seen]
        seen.update(level)
    return None


def hint(kg: KnowledgeGraph, cls: URIRef, annotation: URIRef) -> list[Node]:
    """The values of ``annotation`` that ``cls`` has or inherits (sorted; empty if none)."""
    holder = hint_holder(kg, cls, annotation)
    return [] if holder is None else sorted(kg.data.objects(holder, annotation))


def role_of(kg: KnowledgeGraph, cls: URIRef) -> URIRef | None:
    """The class's jpllm:classRole (EntityRole, SourceRole or BookkeepingRole), or None."""
    roles = hint(kg, cls, JPLLM.classRole)
    return roles[0] if roles else None


def is_relation_node(kg: KnowledgeGraph, cls: URIRef) -> bool:
    """Whether the class's instances join the things they link (jpllm:relationNode)."""
    return Literal(True) in hint(kg, cls, JPLLM.relationNode)


def _classes_with_role(kg: KnowledgeGraph, role: URIRef) -> set[URIRef]:
    classes = {c for c in kg.data.subjects(RDFS.subClassOf, None) if isinstance(c, URIRef)}
    classes |= {c for c in kg.data.subjects(JPLLM.classRole, None) if isinstance(c, URIRef)}
    return {c for c in classes if role_of(kg, c) == role}


def source_classes(kg: KnowledgeGraph) -> set[URIRef]:
    """The classes whose instances are sources (role jpllm:SourceRole)."""
    return _classes_with_role(kg, SOURCE_ROLE)


def resources(kg: KnowledgeGraph) -> list[URIRef]:
    """Every typed resource in the jpr: namespace, in IRI order."""
    typed = kg.data.subjects(RDF.type, None)
    return sorted({s for s in typed if isinstance(s, URIRef) and s in JPR}, key=str)


def is_entity(kg: KnowledgeGraph, node) -> bool:
    """Whether ``node`` is an entity (see the module docstring)."""
    if not (isinstance(node, URIRef) and node in JPR):
        return False
    roles = {role_of(kg, t) for t in kg.data.objects(node, RDF.type) if isinstance(t, URIRef)}
    return ENTITY_ROLE in roles and not roles - {ENTITY_ROLE, None}


def entities(kg: KnowledgeGraph) -> set[URIRef]:
    """Every entity of the graph (see the module docstring)."""
    return {node for node in resources(kg) if is_entity(kg, node)}


def in_domain(kg: KnowledgeGraph, node, prop: URIRef) -> bool:
    """Whether ``node`` has a type within the rdfs:domain of ``prop`` (a class or an
    owl:unionOf of classes, their subclasses included)."""
    domains = set()
    for domain in kg.data.objects(URIRef(prop), RDFS.domain):
        members = kg.data.value(domain, OWL.unionOf)
        domains |= set(Collection(kg.data, members)) if members is not None else {domain}
    return any(
        domain in kg.data.transitive_objects(cls, RDFS.subClassOf)
        for cls in kg.data.objects(node, RDF.type)
        for domain in domains
    )


def style_of(kg: KnowledgeGraph, term: URIRef) -> tuple[str, str] | None:
    """(colour, vis-network shape) of a class (own or inherited) or a vocabulary concept."""
    colours = hint(kg, term, JPLLM.displayColour)
    shapes = hint(kg, term, JPLLM.displayShape)
    if not colours or not shapes:
        return None
    return str(colours[0]), str(shapes[0])


def view_classes(kg: KnowledgeGraph, view: str) -> set[URIRef]:
    """The classes a view shows (jpllm:inView, which subclasses inherit)."""
    shown = kg.data.subjects(JPLLM.inView, Literal(view))
    return set().union(*(kg.data.transitive_subjects(RDFS.subClassOf, c) for c in shown))


def instances(kg: KnowledgeGraph, classes: Iterable[URIRef]) -> set[URIRef]:
    """The IRI nodes typed with one of ``classes`` (asserted types)."""
    return {s for c in classes for s in kg.data.subjects(RDF.type, c) if isinstance(s, URIRef)}


def key_properties(kg: KnowledgeGraph) -> list[URIRef]:
    """The properties tooltips show, in order (jpllm:keyProperties on the ontology)."""
    head = kg.data.value(ONTOLOGY, JPLLM.keyProperties)
    return [] if head is None else [URIRef(p) for p in Collection(kg.data, head)]


def reconciled_class(kg: KnowledgeGraph, node, annotation: URIRef) -> URIRef | None:
    """The class ``node`` is reconciled with an external dataset as, where ``annotation`` is the
    dataset's class hint (jpllm:wikidataClass for Wikidata): of its types, the nearest class
    (own or superclass) that has ``annotation``; None when no type has one."""
    types = sorted(t for t in kg.data.objects(node, RDF.type) if isinstance(t, URIRef))
    holders = (hint_holder(kg, t, annotation) for t in types)
    return next((h for h in holders if h is not None), None)
