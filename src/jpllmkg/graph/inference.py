"""The ontology's entailments, materialised at load into their own named graph.

Every triple the rules below entail, and no file states, is added to the store's graph
<https://w3id.org/jpllmkg/graph/inferred> (:data:`INFERRED_GRAPH`): being in that graph is
what marks a triple inferred. The files' own triples stay in one named graph per file
(:func:`jpllmkg.graph.loader.file_graph_iri`) and, merged, in the store's default graph. Queries see
the default graph merged with the inferred graph, so they get complete answers; a query can
still ask for the asserted statements only: ``jpllmkg query|sparql --asserted-only``,
``jpllmkg.load(inferred=False)`` / ``engine_for(kg, inferred=False)``
(:mod:`jpllmkg.query.engine`), or in the query itself
``FILTER NOT EXISTS { GRAPH <https://w3id.org/jpllmkg/graph/inferred> { ... } }``
(the saved queries that list classes or properties do this, so their answers are the same
whether inferred triples are there or not, e.g. on an endpoint ``push`` filled). Nothing
inferred is ever dumped (the dumps come from the files) or validated by SHACL (pyshacl reads
``kg.data``, the asserted merge, and applies ``rdfs:subClassOf`` itself), and the QC queries
run on the asserted triples only (:mod:`jpllmkg.validate.qc`).

The rules (RDFS and OWL 2 RL, the part of them the ontology uses):

- ``subClassOf-transitive``: ``C ⊑ D, D ⊑ E ⇒ C ⊑ E`` (rdfs11; ``owl:equivalentClass``
  counts as subclass both ways, scm-eqc1)
- ``subPropertyOf-transitive``: the same for ``rdfs:subPropertyOf`` (rdfs5; scm-eqp1)
- ``type``: ``x a C, C ⊑ D ⇒ x a D`` (rdfs9, cax-sco, cax-eqc)
- ``subPropertyOf``: ``s p o, p ⊑ q ⇒ s q o`` (rdfs7, prp-spo1, prp-eqp)
- ``inverseOf``: ``s p o, p owl:inverseOf q ⇒ o q s`` and back (prp-inv1, prp-inv2)

Besides the project's own axioms the rules use the declared inverses of the standard
vocabularies the ontology reuses (:data:`REUSED_INVERSES`: W3C ORG's
``org:hasSubOrganization owl:inverseOf org:subOrganizationOf``), which the project does not
load as files. ``rdfs:domain``/``rdfs:range`` typing is not applied: the ontology uses domains
as documentation (``rdfs:Resource``, unions), and QC checks them instead.

The rules are SPARQL CONSTRUCT queries over the store's default graph (the merge of the
files' triples) and the inferred graph, each keeping
only triples not there yet, run in rounds until one adds nothing (two rounds on the real graph:
the second finds nothing). Measured on this machine (2 cores): 8 ms for 1,136 triples on the
real graph and 0.57 s for 51,351 at 100k triples, against 1.6 s and 402 s for owlrl 7.6's
``RDFS_Semantics`` on the rdflib graph (which also adds RDFS's axiomatic triples).

Then, on the completed closure, the open-world answers (:data:`OPEN_WORLD_RULES`, defined
once here and in docs/modelling.md, "Computed facts"), each true, false or unknown, unknown
being the absence of the statement, never false:

- ``jpllm:domestic`` (a model or family): true when a developer has ``jpllm:country wd:Q17``;
  false when it has a developer, every developer's country is recorded and none is Japan.
- ``jpllm:hasForeignAncestor`` (a model): a model is *built on* its ``jpllm:baseModel`` and,
  unless it is from scratch (``jpv:approach-from-scratch``: no base model), its
  ``jpllm:previousVersion``. True when a model it is built on, transitively, is domestic
  false; false when every model it is built on, transitively, is domestic true and it and
  each of them is from scratch or has a recorded base model (the ancestry is known to its end).
- The path for true: ``jpllm:foreignAncestor`` (each foreign model reached) and
  ``jpllm:foreignAncestorVia`` (the model built on directly through which one is reached;
  ``jpllm:foreignAncestorVia+`` walks the path). :func:`foreign_ancestry_paths` reads it.

They need negation ("every developer", "known to its end"), so they are not rules of the
monotonic fixpoint: they run once after it, in Python over the store (a graph walk per model),
and a second run adds nothing. Every saved query, view, picture and page reads these
statements (:func:`answer`); ``push`` and ``serve`` publish them (:func:`computed_facts`).
With ``inferred=False`` they are absent, so every answer reads unknown. Measured (2 cores):
1 ms on the real graph (35 statements); 0.31 s at 100k triples (10,860 statements), where
the saved query domestic-and-foreign-models takes 0.37 s instead of 2.1 s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jpllmkg.graph.namespaces import JPLLM, JPV, PREFIX_IRIS, WD

INFERRED_GRAPH = "https://w3id.org/jpllmkg/graph/inferred"

# Inverses declared by vocabularies the ontology reuses but the project does not load.
REUSED_INVERSES = (
    ("http://www.w3.org/ns/org#hasSubOrganization", "http://www.w3.org/ns/org#subOrganizationOf"),
)


_INVERSE_VALUES = " ".join(f"(<{p}> <{q}>) (<{q}> <{p}>)" for p, q in REUSED_INVERSES)

# rule name -> CONSTRUCT query giving only triples the union does not hold yet
RULES: dict[str, str] = {
    "subClassOf-transitive": """
CONSTRUCT { ?c rdfs:subClassOf ?e } WHERE {
  ?c (rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)/
     (rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)+ ?e .
  FILTER(?c != ?e && isIRI(?e))
  FILTER NOT EXISTS { ?c rdfs:subClassOf ?e }
}""",
    "subPropertyOf-transitive": """
CONSTRUCT { ?p rdfs:subPropertyOf ?r } WHERE {
  ?p (rdfs:subPropertyOf|owl:equivalentProperty|^owl:equivalentProperty)/
     (rdfs:subPropertyOf|owl:equivalentProperty|^owl:equivalentProperty)+ ?r .
  FILTER(?p != ?r && isIRI(?r))
  FILTER NOT EXISTS { ?p rdfs:subPropertyOf ?r }
}""",
    "equivalent-as-subsumption": """
CONSTRUCT { ?a ?sub ?b } WHERE {
  VALUES (?equivalent ?sub) {
    (owl:equivalentClass rdfs:subClassOf) (owl:equivalentProperty rdfs:subPropertyOf)
  }
  { ?a ?equivalent ?b } UNION { ?b ?equivalent ?a }
  FILTER(?a != ?b)
  FILTER NOT EXISTS { ?a ?sub ?b }
}""",
    "type": """
CONSTRUCT { ?x a ?d } WHERE {
  ?c rdfs:subClassOf ?d .
  FILTER(?c != ?d && isIRI(?d))
  ?x a ?c .
  FILTER NOT EXISTS { ?x a ?d }
}""",
    "subPropertyOf": """
CONSTRUCT { ?s ?q ?o } WHERE {
  ?p rdfs:subPropertyOf ?q .
  FILTER(?p != ?q && isIRI(?q))
  ?s ?p ?o .
  FILTER NOT EXISTS { ?s ?q ?o }
}""",
    "inverseOf": f"""
CONSTRUCT {{ ?o ?q ?s }} WHERE {{
  {{ ?p owl:inverseOf ?q }} UNION {{ ?q owl:inverseOf ?p }} UNION {{
    VALUES (?p ?q) {{ {_INVERSE_VALUES} }}
  }}
  FILTER(isIRI(?q))
  ?s ?p ?o .
  FILTER(!isLiteral(?o))
  FILTER NOT EXISTS {{ ?o ?q ?s }}
}}""",
}

MAX_ROUNDS = 50


def materialise(store) -> dict[str, int]:
    """Add the entailments of :data:`RULES` to the store's inferred graph, to a fixpoint, then
    the open-world answers of :data:`OPEN_WORLD_RULES` (computed on the completed closure).

    Returns how many triples each rule added (a triple two rules entail counts once, for the
    first rule that found it, in the order of :data:`RULES`).
    """
    counts = _materialise_closure(store)
    counts.update(_materialise_open_world(store))
    return counts


def _materialise_closure(store) -> dict[str, int]:
    """The RDFS / OWL 2 RL rules, run in rounds until one adds nothing."""
    import pyoxigraph

    graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
    union = [pyoxigraph.DefaultGraph(), graph]
    counts = dict.fromkeys(RULES, 0)
    for _round in range(MAX_ROUNDS):
        added = 0
        for name, rule in RULES.items():
            triples = set(store.query(rule, default_graph=union, prefixes=PREFIX_IRIS))
            if triples:
                store.extend(
                    pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in triples
                )
                counts[name] += len(triples)
                added += len(triples)
        if not added:
            break
    return counts


# --------------------------------------------------------------------------- open-world answers

JAPAN = str(WD.Q17)
FROM_SCRATCH = str(JPV["approach-from-scratch"])
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"

DOMESTIC = str(JPLLM.domestic)
HAS_FOREIGN_ANCESTOR = str(JPLLM.hasForeignAncestor)
FOREIGN_ANCESTOR = str(JPLLM.foreignAncestor)
FOREIGN_ANCESTOR_VIA = str(JPLLM.foreignAncestorVia)
COMPUTED_PROPERTIES = (DOMESTIC, HAS_FOREIGN_ANCESTOR, FOREIGN_ANCESTOR, FOREIGN_ANCESTOR_VIA)

# rule name -> what it derives (the definitions of docs/modelling.md, "Computed facts")
OPEN_WORLD_RULES: dict[str, str] = {
    "domestic-true": "jpllm:domestic true: a developer of the model or family has "
    "jpllm:country wd:Q17 (Japan).",
    "domestic-false": "jpllm:domestic false: the model or family has a developer, every "
    "developer has a jpllm:country and none is wd:Q17.",
    "foreign-ancestor-true": "jpllm:hasForeignAncestor true: a model it is built on, "
    "transitively, is domestic false (built on: jpllm:baseModel, and jpllm:previousVersion "
    "unless the model is from scratch).",
    "foreign-ancestor-path": "jpllm:foreignAncestor: each model it is built on, transitively, "
    "that is domestic false; jpllm:foreignAncestorVia: each model it is built on directly "
    "through which one of them is reached (the derivation path).",
    "foreign-ancestor-false": "jpllm:hasForeignAncestor false: every model it is built on, "
    "transitively, is domestic true, and the model and each of them is from scratch "
    "(jpv:approach-from-scratch) or has a recorded jpllm:baseModel, so the ancestry is known "
    "to its end.",
}


def _materialise_open_world(store) -> dict[str, int]:
    """Compute the open-world answers of :data:`OPEN_WORLD_RULES` over the files' triples and
    their closure, and add the new ones to the inferred graph (unknown adds nothing)."""
    import pyoxigraph

    graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
    union = [pyoxigraph.DefaultGraph(), graph]

    def rows(query: str) -> list:
        return list(store.query(query, default_graph=union, prefixes=PREFIX_IRIS))

    countries: dict = {}  # node -> developer -> the developer's countries
    for row in rows(
        "SELECT ?node ?developer ?country WHERE { ?node jpllm:developer ?developer "
        "OPTIONAL { ?developer jpllm:country ?country } }"
    ):
        found = countries.setdefault(row["node"], {}).setdefault(row["developer"], set())
        if row["country"] is not None:
            found.add(row["country"].value)
    domestic = {node: _domestic(by_developer) for node, by_developer in countries.items()}

    from_scratch = {
        row["model"]
        for row in rows(
            "SELECT DISTINCT ?model WHERE { ?model jpllm:developmentApproach "
            "jpv:approach-from-scratch }"
        )
    }
    built_on: dict = {}
    with_base: set = set()
    for row in rows(
        "SELECT ?model ?link ?parent WHERE { VALUES ?link { jpllm:baseModel "
        "jpllm:previousVersion } ?model ?link ?parent FILTER(!isLiteral(?parent)) }"
    ):
        model, parent = row["model"], row["parent"]
        if row["link"].value == str(JPLLM.baseModel):
            with_base.add(model)
            built_on.setdefault(model, set()).add(parent)
        elif model not in from_scratch:
            built_on.setdefault(model, set()).add(parent)
    models = [
        row["model"] for row in rows("SELECT DISTINCT ?model { ?model a jpllm:LanguageModel }")
    ]

    def ancestors(node) -> set:
        return _reachable(node, built_on)

    def is_foreign(node) -> bool:
        return domestic.get(node) is False

    answers: dict[str, list] = {name: [] for name in OPEN_WORLD_RULES}
    for node, value in domestic.items():
        if value is not None:
            answers["domestic-true" if value else "domestic-false"].append(
                (node, DOMESTIC, _boolean(value))
            )
    for model in models:
        line = ancestors(model)
        foreign = {a for a in line if is_foreign(a)}
        if foreign:
            answers["foreign-ancestor-true"].append((model, HAS_FOREIGN_ANCESTOR, _boolean(True)))
            path = answers["foreign-ancestor-path"]
            path += [(model, FOREIGN_ANCESTOR, f) for f in foreign]
            path += [
                (model, FOREIGN_ANCESTOR_VIA, parent)
                for parent in built_on.get(model, ())
                if is_foreign(parent) or any(is_foreign(a) for a in ancestors(parent))
            ]
        elif all(domestic.get(a) is True for a in line) and all(
            n in from_scratch or n in with_base for n in line | {model}
        ):
            answers["foreign-ancestor-false"].append((model, HAS_FOREIGN_ANCESTOR, _boolean(False)))
    counts = {}
    for name, triples in answers.items():
        new = {
            quad
            for quad in (
                pyoxigraph.Quad(s, pyoxigraph.NamedNode(p), o, graph) for s, p, o in triples
            )
            if quad not in store
        }
        store.extend(new)
        counts[name] = len(new)
    return counts


def _domestic(countries_by_developer: dict) -> bool | None:
    """True if a developer is in Japan; False if every developer's country is known and none
    is Japan; None (unknown) otherwise."""
    if any(JAPAN in found for found in countries_by_developer.values()):
        return True
    return False if all(countries_by_developer.values()) else None


def _reachable(start, edges: dict) -> set:
    """Every node reachable from ``start`` by one or more ``edges`` (cycles allowed)."""
    seen: set = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen


def _boolean(value: bool):
    import pyoxigraph

    return pyoxigraph.Literal(
        "true" if value else "false", datatype=pyoxigraph.NamedNode(XSD_BOOLEAN)
    )


# --------------------------------------------------------------------------- reading the answers


def answer(kg, node, prop: str) -> bool | None:
    """The materialised yes/no ``prop`` (:data:`DOMESTIC`, :data:`HAS_FOREIGN_ANCESTOR`) of
    ``node``: True, False, or None for unknown (nothing materialised)."""
    for value in _computed_objects(kg, node, prop):
        return value.value == "true"
    return None


def foreign_ancestry_paths(kg, node) -> list[list[str]]:
    """The derivation paths that make ``node``'s foreign ancestor true: each a list of IRIs
    from the node, along jpllm:foreignAncestorVia, to a model that is domestic false."""
    paths: list[list[str]] = []

    def walk(path: list[str]) -> None:
        for step in sorted(v.value for v in _computed_objects(kg, path[-1], FOREIGN_ANCESTOR_VIA)):
            if step in path:
                continue
            if answer(kg, step, DOMESTIC) is False:
                paths.append([*path, step])
            walk([*path, step])

    walk([str(node)])
    return paths


def computed_facts(kg) -> Iterator[tuple]:
    """The materialised open-world statements (rdflib triples of :data:`COMPUTED_PROPERTIES`),
    which ``push`` and ``serve`` publish beside the files' triples."""
    from rdflib import URIRef

    for prop in COMPUTED_PROPERTIES:
        yield from kg.inferred.triples((None, URIRef(prop), None))


def _computed_objects(kg, node, prop: str) -> Iterable:
    import pyoxigraph
    from rdflib import BNode, Literal

    if isinstance(node, BNode | Literal):
        return []
    return (
        quad.object
        for quad in kg.store.quads_for_pattern(
            pyoxigraph.NamedNode(str(node)),
            pyoxigraph.NamedNode(prop),
            None,
            pyoxigraph.NamedNode(INFERRED_GRAPH),
        )
    )
