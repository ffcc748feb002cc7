"""Network analytics over the whole graph with networkx: pure functions of the loaded graph.

The *relation graph* has one node per entity (:func:`jpllmkg.graph.classes.entities`: a ``jpr:``
resource of a class whose ``jpllm:classRole`` is ``jpllm:EntityRole``) and one edge per
IRI-to-IRI statement between two entities. Provenance and bookkeeping are left out: sources
and the report, the report's assessments, discrepancies and their readings, title-only
statements and qualified derivation nodes (their base-model link is already an edge), as well
as ``rdf:type``, ``dcterms:source``, ``jpllm:citedIn`` and ``jpllm:evidence``.
Vocabulary concepts (sectors, statuses, countries) are attributes, not nodes.

The rankings (centrality and the organizations with the most relations) also leave out
*publishers*: who published a figure or a source (``jpllm:statedBy``, ``dcterms:publisher``)
is provenance, not a relation between entities. They are ranked on the relation graph without
those edges, and an organization linked by nothing else (a market-research firm such as IDC
Japan or Menlo Ventures) is not ranked at all.
"""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from jpllmkg.graph.classes import NOT_RELATIONS, class_of, entities, subclasses
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import JPLLM, compact
from jpllmkg.graph.summary import summarise

LINEAGE_LINKS = (JPLLM.baseModel, JPLLM.previousVersion)
PUBLISHER_LINKS = (compact(str(JPLLM.statedBy)), compact(str(DCTERMS.publisher)))


def relation_graph(kg: KnowledgeGraph):
    """The relation graph as a networkx.MultiDiGraph (edge key and ``predicate``: a CURIE)."""
    import networkx as nx

    nodes = entities(kg)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(str(n) for n in nodes)
    for subject in nodes:
        for predicate, obj in kg.data.predicate_objects(subject):
            if predicate not in NOT_RELATIONS and obj in nodes and obj != subject:
                curie = compact(str(predicate))
                graph.add_edge(str(subject), str(obj), key=curie, predicate=curie)
    return graph


def ranking_graph(graph):
    """The relation graph without publisher edges and the nodes only they linked (see the
    module docstring): what centrality and relation counts are ranked on."""
    ranked = graph.copy()
    ranked.remove_edges_from(
        [(s, o, key) for s, o, key in graph.edges(keys=True) if key in PUBLISHER_LINKS]
    )
    publishers = {n for n in graph if graph.degree(n) and not ranked.degree(n)}
    ranked.remove_nodes_from(publishers)
    return ranked


def _row(kg: KnowledgeGraph, node: str, lang: str, **values) -> dict:
    return {"iri": compact(node), "label": kg.label(URIRef(node), lang), **values}


def _of_kind(kg: KnowledgeGraph, graph, kind: str) -> list[str]:
    """Relation-graph nodes that are organizations or models (language models and families)."""
    classes = (
        subclasses(kg, "Organization")
        if kind == "organizations"
        else subclasses(kg, "LanguageModel") | subclasses(kg, "ModelFamily")
    )
    return [n for n in graph if any(t in classes for t in kg.data.objects(URIRef(n), RDF.type))]


def centrality(kg: KnowledgeGraph, top: int = 10, lang: str = "en", graph=None) -> dict:
    """The most central organizations and models by degree and by betweenness (top N each).

    Degree is the number of distinct neighbours; betweenness is normalised, computed on the
    undirected simple relation graph without publishers (:func:`ranking_graph`).
    """
    import networkx as nx

    graph = ranking_graph(graph if graph is not None else relation_graph(kg))
    simple = nx.Graph(graph.to_undirected())
    betweenness = nx.betweenness_centrality(simple)
    result = {}
    for kind in ("organizations", "models"):
        nodes = _of_kind(kg, graph, kind)
        by_degree = sorted(nodes, key=lambda n: (-simple.degree(n), kg.label(URIRef(n), lang)))
        by_between = sorted(nodes, key=lambda n: (-betweenness[n], kg.label(URIRef(n), lang)))
        result[kind] = {
            "degree": [_row(kg, n, lang, degree=simple.degree(n)) for n in by_degree[:top]],
            "betweenness": [
                _row(kg, n, lang, betweenness=round(betweenness[n], 4)) for n in by_between[:top]
            ],
        }
    return result


def _lineage_graph(kg: KnowledgeGraph):
    """Derived model -> model it derives from (base models and previous versions)."""
    import networkx as nx

    graph = nx.DiGraph()
    for predicate in LINEAGE_LINKS:
        graph.add_edges_from((str(s), str(o)) for s, o in kg.data.subject_objects(predicate))
    return graph


def lineage_depth(kg: KnowledgeGraph, model) -> int:
    """Length of the longest chain of ancestors of a model (0 for a model with none)."""
    import networkx as nx

    graph = _lineage_graph(kg)
    node = str(model)
    if node not in graph:
        return 0
    ancestors = graph.subgraph(nx.descendants(graph, node) | {node})
    return nx.dag_longest_path_length(ancestors)


def lineage(kg: KnowledgeGraph, lang: str = "en") -> dict:
    """Lineage roots (models others derive from, deriving from none) and each model's depth."""
    import networkx as nx

    graph = _lineage_graph(kg)
    roots = []
    for node in sorted(n for n in graph if graph.out_degree(n) == 0):
        descendants = nx.ancestors(graph, node)
        depth = max(lineage_depth(kg, d) for d in descendants)
        roots.append(_row(kg, node, lang, depth=depth, descendants=len(descendants)))
    depths = [
        _row(kg, node, lang, depth=lineage_depth(kg, node))
        for node in sorted(graph, key=lambda n: kg.label(URIRef(n), lang))
        if graph.out_degree(node)
    ]
    roots.sort(key=lambda r: (-r["depth"], r["label"]))
    depths.sort(key=lambda r: (-r["depth"], r["label"]))
    return {
        "roots": roots,
        "models": depths,
        "max_depth": max((r["depth"] for r in roots), default=0),
    }


def components(kg: KnowledgeGraph, graph=None) -> dict:
    """Weakly connected components of the relation graph: count and sizes (largest first)."""
    import networkx as nx

    graph = graph if graph is not None else relation_graph(kg)
    sizes = sorted((len(c) for c in nx.weakly_connected_components(graph)), reverse=True)
    return {"count": len(sizes), "sizes": sizes, "isolated": sizes.count(1)}


def deployments_per_model(kg: KnowledgeGraph, lang: str = "en") -> list[dict]:
    """Deployments per model or family: direct, and for a family with its members' included."""
    direct: Counter[str] = Counter()
    for deployment in kg.data.subjects(RDF.type, JPLLM.Deployment):
        for model in kg.data.objects(deployment, JPLLM.model):
            direct[str(model)] += 1
    totals = Counter(direct)
    for model, count in direct.items():
        for family in kg.data.objects(URIRef(model), JPLLM.family):
            totals[str(family)] += count
    rows = [
        _row(
            kg,
            node,
            lang,
            cls=class_of(kg, URIRef(node)),
            deployments=direct[node],
            including_members=totals[node],
        )
        for node in totals
    ]
    return sorted(rows, key=lambda r: (-r["including_members"], -r["deployments"], r["label"]))


def organization_relations(
    kg: KnowledgeGraph, top: int = 10, lang: str = "en", graph=None
) -> list[dict]:
    """Organizations with the most relations (edges in either direction), with a breakdown;
    publishers left out (:func:`ranking_graph`)."""
    graph = ranking_graph(graph if graph is not None else relation_graph(kg))
    rows = []
    for node in _of_kind(kg, graph, "organizations"):
        kinds = Counter(p for _, _, p in graph.out_edges(node, data="predicate"))
        kinds.update(f"^{p}" for _, _, p in graph.in_edges(node, data="predicate"))
        by_relation = dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0])))
        rows.append(_row(kg, node, lang, relations=sum(kinds.values()), by_relation=by_relation))
    rows.sort(key=lambda r: (-r["relations"], r["label"]))
    return rows[:top]


def statistics(kg: KnowledgeGraph, top: int = 10, lang: str = "en") -> dict:
    """Everything `jpllmkg stats` reports, as plain JSON-ready data."""
    graph = relation_graph(kg)
    counts = summarise(kg).entities_per_class
    return {
        "classes": dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        "relation_graph": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()},
        "centrality": centrality(kg, top, lang, graph),
        "lineage": lineage(kg, lang),
        "components": components(kg, graph),
        "deployments_per_model": deployments_per_model(kg, lang),
        "organization_relations": organization_relations(kg, top, lang, graph),
    }
