"""Graph views of the knowledge graph as networkx graphs: ecosystem, lineage, adoption, ego.

Each view is a ``networkx.MultiDiGraph`` whose nodes are IRIs (strings) carrying ``label``,
``cls`` (class local name), ``title`` (plain-text tooltip), ``group`` (legend key), ``color``
and ``shape`` (a vis-network shape), and in the lineage view ``x``/``y`` (tree column and
row); edges carry ``label`` and ``kind``. ``graph.graph`` holds ``view``, ``lang``, ``title``,
``legend`` (group -> legend text), ``layout`` ("fixed" or "force") and, with a focus,
``focus``. Renderers (HTML, pictures) read only these.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from jpllmkg.errors import UsageError
from jpllmkg.graph.classes import (
    NOT_RELATIONS,
    SOURCE_ROLE,
    class_of,
    in_domain,
    instances,
    key_properties,
    local_name,
    role_of,
    style_of,
    subclasses,
    view_classes,
)
from jpllmkg.graph.inference import DOMESTIC, HAS_FOREIGN_ANCESTOR, answer, foreign_ancestry_paths
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import JPLLM, JPV, ORG, compact
from jpllmkg.query.render import quantity_text
from jpllmkg.show.catalogue import VIEWS

ANSWER_WORDS = {True: ("yes", "はい"), False: ("no", "いいえ"), None: ("unknown", "不明")}

# Colours and shapes of the legend groups that are not ontology terms (a model's origin, the
# adoption view's sectors, SKOS concepts); classes and deployment statuses take theirs from
# the ontology's class hints (jpllm:displayColour, jpllm:displayShape:
# src/jpllmkg/graph/classes.py).
GROUP_STYLES: dict[str, tuple[str, str]] = {
    "domestic": ("#e8534a", "ellipse"),
    "foreign": ("#3a8fd9", "ellipse"),
    "unknown-origin": ("#b3b3b3", "ellipse"),
    "sector": ("#d7d7d7", "dot"),
    "Concept": ("#d7d7d7", "dot"),
}
DEFAULT_STYLE = ("#c8c8c8", "dot")

ORIGIN_WORDS = {
    "domestic": ("domestic (a developer in Japan)", "国産（開発者が日本）"),
    "foreign": ("foreign (every developer outside Japan)", "海外（開発者がすべて海外）"),
    "unknown-origin": (
        "unknown (no developer or developer's country recorded)",
        "不明（開発者または開発国の記録なし）",
    ),
}
GROUP_LABELS = {
    "domestic": ("domestic model (a developer in Japan)", "国産モデル（開発者が日本）"),
    "foreign": (
        "foreign model (every developer outside Japan)",
        "海外モデル（開発者がすべて海外）",
    ),
    "unknown-origin": (
        "model of unknown origin (no developer or developer's country recorded)",
        "開発国不明のモデル（開発者または開発国の記録なし）",
    ),
    "sector": ("sector", "分野"),
    "Concept": ("concept", "概念"),
}

# Labels for the few reused (non-jpllm) properties that have none in the ontology.
PROPERTY_LABELS = {
    ORG.subOrganizationOf: ("sub-organization of", "親組織"),
    PROV.entity: ("derived from", "派生元"),
    PROV.qualifiedDerivation: ("qualified derivation", "派生関係"),
    PROV.generated: ("generated", "生成"),
    DCTERMS.isPartOf: ("part of", "一部"),
    DCTERMS.source: ("source", "出典"),
    RDF.subject: ("subject", "主語"),
    RDF.object: ("object", "目的語"),
    RDF.predicate: ("predicate", "述語"),
}

MAX_TOOLTIP_SOURCES = 8


def _group_term(group: str) -> URIRef:
    """The ontology term a legend group is named after: a deployment status or a class."""
    return JPV[group] if group.startswith("status-") else JPLLM[group]


def style(kg: KnowledgeGraph, group: str, cls: str = "") -> tuple[str, str]:
    """Colour and vis-network shape for a legend group (falling back to the class)."""
    return (
        GROUP_STYLES.get(group)
        or style_of(kg, _group_term(group))
        or style_of(kg, JPLLM[cls])
        or DEFAULT_STYLE
    )


def look(attrs: dict) -> tuple[str, str]:
    """A view node's colour and shape (set when the view was built)."""
    return attrs.get("color", DEFAULT_STYLE[0]), attrs.get("shape", DEFAULT_STYLE[1])


def _is_hub(kg: KnowledgeGraph, node) -> bool:
    """Whether an ego view shows ``node`` without walking through it (a concept or a source:
    they join everything)."""
    cls = class_of(kg, node)
    return cls == "Concept" or role_of(kg, JPLLM[cls]) == SOURCE_ROLE


def legend_entries(view_graph) -> list[tuple[str, str, str, str, int]]:
    """(group, legend text, colour, shape, node count) for each group, in legend order."""
    legend = view_graph.graph.get("legend", {})
    looks: dict[str, tuple[str, str]] = {}
    counts: dict[str, int] = {}
    for _, attrs in view_graph.nodes(data=True):
        group = attrs.get("group", "")
        looks.setdefault(group, look(attrs))
        counts[group] = counts.get(group, 0) + 1
    ordered = sorted(looks.items(), key=lambda g: legend.get(g[0], g[0]))
    return [(g, legend.get(g, g), color, shape, counts[g]) for g, (color, shape) in ordered]


def check_view(view: str) -> None:
    """Raise UsageError unless ``view`` is one of VIEWS."""
    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}.")


def _property_label(kg: KnowledgeGraph, predicate: URIRef, lang: str) -> str:
    if predicate in PROPERTY_LABELS:
        return PROPERTY_LABELS[predicate][lang == "ja"]
    return kg.label(predicate, lang)


def _value_text(kg: KnowledgeGraph, value, lang: str) -> str:
    """A key property's value: a quantity's text (:func:`jpllmkg.query.render.quantity_text`), or
    the label."""
    if isinstance(value, BNode):
        text = quantity_text(kg.data.predicate_objects(value), kg.label, lang)
        if text is not None:
            return text
    return kg.label(value, lang)


def _literal_values(values: list, lang: str) -> list:
    """Language-tagged literals in ``lang`` when there are any, else all values."""
    tagged = [v for v in values if isinstance(v, Literal) and v.language]
    if tagged:
        preferred = [v for v in tagged if v.language == lang]
        return preferred or tagged[:1]
    return values


def origin(kg: KnowledgeGraph, model) -> str:
    """'domestic', 'foreign' or 'unknown-origin': the loader's jpllm:domestic (true, false,
    or not computed: unknown; :mod:`jpllmkg.graph.inference`)."""
    domestic = answer(kg, model, DOMESTIC)
    if domestic is None:
        return "unknown-origin"
    return "domestic" if domestic else "foreign"


def answer_word(value: bool | None, lang: str) -> str:
    """A computed yes/no in words: yes, no or unknown (はい, いいえ, 不明)."""
    return ANSWER_WORDS[value][lang == "ja"]


def foreign_ancestry_text(kg: KnowledgeGraph, model, lang: str) -> str:
    """'yes (Takane → Command R+)', 'no' or 'unknown': the model's jpllm:hasForeignAncestor,
    with the derivation paths that make it true."""
    value = answer(kg, model, HAS_FOREIGN_ANCESTOR)
    paths = [
        " → ".join(kg.label(URIRef(step), lang) for step in path)
        for path in foreign_ancestry_paths(kg, model)
    ]
    word = answer_word(value, lang)
    return f"{word} ({'; '.join(paths)})" if paths else word


def sources_text(kg: KnowledgeGraph, node) -> list[str]:
    """'[n] title' for each source of the node, by reference number."""
    rows = []
    for source in kg.data.objects(node, DCTERMS.source):
        number = kg.data.value(source, JPLLM.referenceNumber)
        title = kg.data.value(source, DCTERMS.title) or kg.label(source, "en")
        key = int(number) if number is not None else 0
        rows.append((key, f"[{number}] {title}" if number is not None else str(title)))
    return [text for _, text in sorted(rows)]


def describe(kg: KnowledgeGraph, node, lang: str = "en") -> str:
    """Plain-text tooltip: ja and en labels, class, key attributes and the sources."""
    ja, en = kg.label(node, "ja"), kg.label(node, "en")
    lines = [ja if ja == en else f"{ja} / {en}"]
    cls = class_of(kg, node)
    lines.append(f"{compact(str(node))} — {legend_label(kg, cls, lang)}")
    if in_domain(kg, node, DOMESTIC):
        word = ORIGIN_WORDS[origin(kg, node)][lang == "ja"]
        lines.append(f"{'origin' if lang == 'en' else '区分'}: {word}")
    if in_domain(kg, node, HAS_FOREIGN_ANCESTOR):
        ancestry = foreign_ancestry_text(kg, node, lang)
        lines.append(f"{'foreign ancestor' if lang == 'en' else '海外由来の祖先'}: {ancestry}")
    for predicate in key_properties(kg):
        values = _literal_values(list(kg.data.objects(node, predicate)), lang)
        if values:
            texts = sorted(_value_text(kg, v, lang) for v in values)
            lines.append(f"{_property_label(kg, predicate, lang)}: {'; '.join(texts)}")
    sources = sources_text(kg, node)
    if sources:
        lines.append(f"{'sources' if lang == 'en' else '出典'}:")
        lines.extend(f"  {s}" for s in sources[:MAX_TOOLTIP_SOURCES])
        if len(sources) > MAX_TOOLTIP_SOURCES:
            more = len(sources) - MAX_TOOLTIP_SOURCES
            lines.append(f"  … {more} more" if lang == "en" else f"  … ほか {more} 件")
    return "\n".join(lines)


def legend_label(kg: KnowledgeGraph, group: str, lang: str) -> str:
    """What a legend group (a class, an origin, a deployment status) is called in ``lang``."""
    if group in GROUP_LABELS:
        return GROUP_LABELS[group][lang == "ja"]
    if group.startswith("status-"):
        return f"{kg.label(JPLLM.Deployment, lang)}: {kg.label(JPV[group], lang)}"
    return kg.label(JPLLM[group], lang)


def _add_node(graph, kg: KnowledgeGraph, node, lang: str, group: str | None = None) -> None:
    key = str(node)
    if key in graph:
        return
    cls = class_of(kg, node)
    group = group or cls
    color, shape = style(kg, group, cls)
    graph.add_node(
        key,
        label=kg.label(node, lang),
        cls=cls,
        title=describe(kg, node, lang),
        group=group,
        color=color,
        shape=shape,
    )
    graph.graph["legend"].setdefault(group, legend_label(kg, group, lang))


def _add_edge(graph, kg: KnowledgeGraph, s, p, o, lang: str, kind=None) -> None:
    """Add s -> o once per kind; ``kind`` (a concept such as a derivation kind) names the edge."""
    key = local_name(str(kind if kind is not None else p))
    if not graph.has_edge(str(s), str(o), key=key):
        label = kg.label(kind, lang) if kind is not None else _property_label(kg, p, lang)
        graph.add_edge(str(s), str(o), key=key, kind=key, label=label)


def _relations(kg: KnowledgeGraph, nodes: set[URIRef]) -> Iterator[tuple]:
    """Every IRI-to-IRI relation triple between two of the given nodes."""
    for s in nodes:
        for p, o in kg.data.predicate_objects(s):
            if p not in NOT_RELATIONS and o in nodes and o != s:
                yield s, p, o


def _imported_variant(kg: KnowledgeGraph, node) -> bool:
    """A variant a catalogue row lists (imported, jpllm:variantOf): left to the row's page, so
    the views of the imported catalogue stay readable."""
    return (node, JPLLM.variantOf, None) in kg.data and (kg.origin_of(node) or "").startswith(
        "graph/imported/"
    )


def _ecosystem(kg: KnowledgeGraph, graph, lang: str) -> None:
    nodes = {
        node
        for node in instances(kg, view_classes(kg, "ecosystem"))
        if not _imported_variant(kg, node)
    }
    triples = sorted(_relations(kg, nodes))
    for s, _, o in triples:
        for node in (s, o):
            _add_node(graph, kg, node, lang, _model_group(kg, node))
    for s, p, o in triples:
        _add_edge(graph, kg, s, p, o, lang)


def _model_group(kg: KnowledgeGraph, node) -> str | None:
    return origin(kg, node) if class_of(kg, node) == "LanguageModel" else None


def _lineage(kg: KnowledgeGraph, graph, lang: str) -> None:
    """Models (but imported variants) and their lineage."""
    data = kg.data
    models = {
        model
        for model in instances(kg, subclasses(kg, "LanguageModel"))
        if not _imported_variant(kg, model)
    }
    for model in sorted(models):
        _add_node(graph, kg, model, lang, origin(kg, model))
    for model in sorted(models):
        derivations = (
            (data.value(d, PROV.entity), data.value(d, JPLLM.derivationKind))
            for d in data.objects(model, PROV.qualifiedDerivation)
        )
        # by ancestor and kind: a derivation is often a blank node, whose label each parse draws
        for ancestor, kind in sorted(derivations, key=lambda pair: (str(pair[0]), str(pair[1]))):
            if ancestor in models:
                _add_edge(graph, kg, model, PROV.qualifiedDerivation, ancestor, lang, kind)
        for predicate, kind in (
            (JPLLM.baseModel, None),
            (JPLLM.previousVersion, JPV["derivation-next-version"]),
        ):
            for ancestor in sorted(data.objects(model, predicate)):
                if ancestor in models and not graph.has_edge(str(model), str(ancestor)):
                    _add_edge(graph, kg, model, predicate, ancestor, lang, kind)
        for family in sorted(data.objects(model, JPLLM.family)):
            _add_node(graph, kg, family, lang)
            _add_edge(graph, kg, model, JPLLM.family, family, lang)


def _adoption(kg: KnowledgeGraph, graph, lang: str) -> None:
    data = kg.data
    for deployment in sorted(instances(kg, subclasses(kg, "Deployment"))):
        status = data.value(deployment, JPLLM.deploymentStatus)
        group = local_name(str(status)) if status is not None else "Deployment"
        _add_node(graph, kg, deployment, lang, group)
        for predicate in (JPLLM.adopter, JPLLM.partner, JPLLM.model, JPLLM.platform):
            for target in sorted(data.objects(deployment, predicate)):
                _add_node(graph, kg, target, lang, _model_group(kg, target))
                _add_edge(graph, kg, deployment, predicate, target, lang)
                if predicate == JPLLM.model:
                    for developer in sorted(data.objects(target, JPLLM.developer)):
                        _add_node(graph, kg, developer, lang)
                        _add_edge(graph, kg, target, JPLLM.developer, developer, lang)
                if predicate == JPLLM.platform:
                    for operator in sorted(data.objects(target, JPLLM.operator)):
                        _add_node(graph, kg, operator, lang)
                        _add_edge(graph, kg, target, JPLLM.operator, operator, lang)
        for sector in sorted(data.objects(deployment, JPLLM.sector)):
            _add_node(graph, kg, sector, lang, "sector")
            _add_edge(graph, kg, deployment, JPLLM.sector, sector, lang)


def _neighbours(kg: KnowledgeGraph, node, with_sources: bool) -> Iterator[tuple]:
    """(subject, predicate, object, other end) for each relation touching ``node``."""
    skip = NOT_RELATIONS - ({DCTERMS.source, JPLLM.citedIn} if with_sources else set())
    for p, o in kg.data.predicate_objects(node):
        if p not in skip and isinstance(o, URIRef) and (o, RDF.type, None) in kg.data:
            yield node, p, o, o
    for s, p in kg.data.subject_predicates(node):
        if p not in skip and isinstance(s, URIRef):
            yield s, p, node, s


def _ego(kg: KnowledgeGraph, graph, focus: URIRef, depth: int, lang: str) -> None:
    with_sources = _is_hub(kg, focus)
    _add_node(graph, kg, focus, lang, _model_group(kg, focus))
    graph.graph["focus"] = str(focus)
    queue = deque([(focus, 0)])
    seen = {focus}
    while queue:
        node, distance = queue.popleft()
        if distance >= depth or (node != focus and _is_hub(kg, node)):
            continue
        for s, p, o, other in sorted(_neighbours(kg, node, with_sources and node == focus)):
            if class_of(kg, other) == "Resource" or str(other).startswith(str(JPLLM)):
                continue
            _add_node(graph, kg, other, lang, _model_group(kg, other))
            _add_edge(graph, kg, s, p, o, lang)
            if other not in seen:
                seen.add(other)
                queue.append((other, distance + 1))
    for s in list(graph.nodes):
        links = ((p, o) for p, o in kg.data.predicate_objects(URIRef(s)) if str(o) in graph)
        for p, o in sorted(links):
            if p not in NOT_RELATIONS and str(o) != s:
                _add_edge(graph, kg, s, p, o, lang)


def _cut_to_focus(graph, focus: URIRef, depth: int):
    """The part of a view within ``depth`` steps of ``focus`` (either direction)."""
    import networkx as nx

    if str(focus) not in graph:
        raise UsageError(
            f"{compact(str(focus))} is not part of the {graph.graph['view']} view; "
            "use the ego view to see any entity's neighbourhood."
        )
    near = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), str(focus), depth
    )
    cut = graph.subgraph(near).copy()
    cut.graph["focus"] = str(focus)
    cut.graph["legend"] = {
        g: text
        for g, text in graph.graph["legend"].items()
        if any(d["group"] == g for _, d in cut.nodes(data=True))
    }
    return cut


def layered_positions(graph, columns: int = 9) -> dict[str, tuple[float, float]]:
    """Tree positions for a lineage view: (column, row), families on top, descendants below.

    A model's row is one below its deepest ancestor; each connected part is laid out on its
    own and the parts are packed left to right into shelves about ``columns`` slots wide.
    """
    import networkx as nx

    lineage = nx.DiGraph((s, o) for s, o, kind in graph.edges(data="kind") if kind != "family")
    lineage.add_nodes_from(graph.nodes)

    def generation(node) -> int:
        if graph.nodes[node].get("cls") == "ModelFamily":
            return 0
        ancestors = nx.descendants(lineage, node)
        return 1 + max((generation(a) for a in ancestors), default=0)

    parts = []
    for part in nx.weakly_connected_components(graph):
        rows: dict[int, list[str]] = {}
        for node in part:
            rows.setdefault(generation(node), []).append(node)
        top = min(rows)
        rows = {row - top: nodes for row, nodes in rows.items()}
        parts.append(rows)
    parts.sort(key=lambda rows: (-len(rows), -sum(map(len, rows.values())), _first(graph, rows)))

    positions: dict[str, tuple[float, float]] = {}
    x0, y0, shelf_height = 0.0, 0.0, 0
    for rows in parts:
        local = _place_rows(graph, rows)
        width = max(local.values()) + 1
        if x0 and x0 + width > columns:
            x0, y0, shelf_height = 0.0, y0 + shelf_height + 0.5, 0
        for row, nodes in rows.items():
            for node in nodes:
                positions[node] = (x0 + local[node], y0 + row)
        x0 += width
        shelf_height = max(shelf_height, len(rows))
    return positions


def _first(graph, rows: dict[int, list[str]]) -> str:
    return min(graph.nodes[n]["label"].lower() for nodes in rows.values() for n in nodes)


def _place_rows(graph, rows: dict[int, list[str]]) -> dict[str, float]:
    """x of each node of one connected part: children centred under what they point to."""
    placed: dict[str, float] = {}
    for row in sorted(rows):
        groups: dict[float, list[str]] = {}
        for node in rows[row]:
            xs = [placed[o] for o in graph.successors(node) if o in placed]
            anchor = sum(xs) / len(xs) if xs else float(len(groups))
            groups.setdefault(anchor, []).append(node)
        previous = None
        for anchor in sorted(groups):
            members = sorted(groups[anchor], key=lambda n: (graph.nodes[n]["label"].lower(), n))
            for index, node in enumerate(members):
                x = anchor - (len(members) - 1) / 2 + index
                if previous is not None:
                    x = max(x, previous + 1)
                placed[node] = previous = x
    left = min(placed.values())
    return {node: x - left for node, x in placed.items()}


# The builder of each view in jpllmkg.show.catalogue.VIEWS (a view that needs a focus is given it
# and the depth; the others draw the whole graph, cut to a focus afterwards if one is given).
BUILDERS = {"ecosystem": _ecosystem, "lineage": _lineage, "adoption": _adoption, "ego": _ego}


def view_title(kg: KnowledgeGraph, view: str, focus=None, lang: str = "en") -> str:
    """The title of a view in ``lang`` (an ego view names its focus)."""
    check_view(view)
    text = VIEWS[view].text("title", lang)
    label = kg.label(focus, lang) if focus is not None else ""
    if VIEWS[view].needs_focus:
        return text.format(label=label)
    return f"{text} — {label}" if label else text


def build_view(
    kg: KnowledgeGraph, view: str, focus: str | None = None, depth: int = 2, lang: str = "en"
):
    """Build one view as a networkx.MultiDiGraph (see the module docstring for attributes).

    ``focus`` (IRI or CURIE) is required by the ego view; for the other views it keeps only
    the part of the view within ``depth`` steps of the focus.
    """
    check_view(view)
    if lang not in ("en", "ja"):
        raise UsageError(f"unknown language {lang!r}; choose en or ja.")
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, got {depth}.")
    node = kg.resolve(focus) if focus is not None else None
    if VIEWS[view].needs_focus and node is None:
        raise UsageError(f"the {view} view needs --focus IRI (e.g. --focus jpr:pfn).")
    import networkx as nx

    graph = nx.MultiDiGraph(view=view, lang=lang, legend={})
    if VIEWS[view].needs_focus:
        BUILDERS[view](kg, graph, node, depth, lang)
    else:
        BUILDERS[view](kg, graph, lang)
        if node is not None:
            graph = _cut_to_focus(graph, node, depth)
    graph.graph["title"] = view_title(kg, view, node, lang)
    graph.graph["layout"] = "force"
    if view == "lineage":
        for node, (x, y) in layered_positions(graph).items():
            graph.nodes[node].update(x=x, y=y)
        graph.graph["layout"] = "fixed"
    return graph
