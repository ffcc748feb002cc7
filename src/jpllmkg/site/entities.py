"""One page per jpr: entity (labels, class, attributes, relations both ways, sources) and a list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from markupsafe import Markup
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from jpllmkg.graph.classes import in_domain, resources
from jpllmkg.graph.inference import DOMESTIC, HAS_FOREIGN_ANCESTOR, answer, foreign_ancestry_paths
from jpllmkg.graph.namespaces import JPLLM, SCHEMA, compact
from jpllmkg.site.html import Site, entity_slug, table
from jpllmkg.site.words import word

HIDDEN = {RDF.type, RDFS.label, DCTERMS.source}
QUANTITY_PARTS = {JPLLM.value, JPLLM.unit, JPLLM.valueStatus, JPLLM.asWorded, RDF.type}


def plan_entity_pages(site: Site) -> list[URIRef]:
    """Give every resource (:func:`jpllmkg.graph.classes.resources`: entities, sources and records)
    its page path, before any page is written, so that links can point ahead."""
    found = resources(site.kg)
    site.entity_pages.update({iri: f"entities/{entity_slug(iri)}.html" for iri in found})
    return found


def write_entity_pages(site: Site, count: Callable[[int, int], None]) -> int:
    """Write entities/<slug>.html for every entity and entities/index.html; returns the count."""
    found = list(site.entity_pages)
    for number, iri in enumerate(found, start=1):
        _entity_page(site, iri)
        count(number, len(found))
    _entity_index(site, found)
    return len(found)


def _classes(site: Site, iri: URIRef) -> list[URIRef]:
    return sorted(site.kg.data.objects(iri, RDF.type), key=str)


def _entity_page(site: Site, iri: URIRef) -> None:
    kg, depth = site.kg, 1
    classes = Markup(", ").join(site.term(c, depth) for c in _classes(site, iri))
    labels = Markup(" · ").join(
        site.literal(label)
        for label in sorted(kg.data.objects(iri, RDFS.label), key=lambda v: v.language or "")
    )
    meta = Markup(
        '<p class="meta">{} · <code>{}</code> · {}: <code>{}</code> · {}: <code>{}</code></p>\n'
        "<p>{}</p>\n"
    ).format(
        classes,
        compact(str(iri)),
        word("iri", site.lang),
        str(iri),
        word("defined_in", site.lang),
        kg.origin_of(iri) or "-",
        labels,
    )
    body = meta + _attributes(site, iri, depth) + _computed(site, iri, depth)
    body += _sources(site, iri, depth)
    body += _incoming(site, iri, depth)
    site.page(site.entity_pages[iri], site.label(iri), body, subtitle=site.other_label(iri))


def _attributes(site: Site, iri: URIRef, depth: int) -> Markup:
    grouped = _by_predicate(site, iri, skip=HIDDEN)
    rows = [
        [site.term(p, depth), _values(site, values, depth, {iri})] for p, values in grouped.items()
    ]
    heading = Markup("<h2>{}</h2>\n").format(word("attributes", site.lang))
    if not rows:
        return heading + Markup("<p>{}</p>\n").format(word("none", site.lang))
    return heading + table([word("property", site.lang), word("value", site.lang)], rows)


def _computed(site: Site, iri: URIRef, depth: int) -> Markup:
    """The loader's open-world answers for a model or family: yes, no or unknown (不明), and the
    derivation paths that make a foreign ancestor true (:mod:`jpllmkg.graph.inference`)."""
    if not in_domain(site.kg, iri, DOMESTIC):
        return Markup("")
    rows = [[word("domestic", site.lang), _answer(site, answer(site.kg, iri, DOMESTIC))]]
    if in_domain(site.kg, iri, HAS_FOREIGN_ANCESTOR):
        paths = Markup("<br>\n").join(
            Markup(" → ").join(site.term(URIRef(step), depth) for step in path)
            for path in foreign_ancestry_paths(site.kg, iri)
        )
        value = _answer(site, answer(site.kg, iri, HAS_FOREIGN_ANCESTOR))
        rows.append(
            [
                word("foreign_ancestor", site.lang),
                value + (Markup("<br>\n") + paths if paths else Markup("")),
            ]
        )
    heading = Markup("<h2>{}</h2>\n<p>{}</p>\n").format(
        word("computed", site.lang), word("computed_about", site.lang)
    )
    return heading + table([word("property", site.lang), word("value", site.lang)], rows)


def _answer(site: Site, value: bool | None) -> Markup:
    """yes / no / unknown in the page's language; unknown stands out (class "unknown")."""
    key = {True: "yes", False: "no", None: "unknown"}[value]
    return Markup('<span class="answer {}">{}</span>').format(key, word(key, site.lang))


def _by_predicate(site: Site, node, skip: set) -> dict:
    grouped: dict = defaultdict(list)
    for predicate, value in site.kg.data.predicate_objects(node):
        if predicate not in skip:
            grouped[predicate].append(value)
    return dict(
        sorted(grouped.items(), key=lambda item: (site.label(item[0]).lower(), str(item[0])))
    )


def _values(site: Site, values: list, depth: int, seen: set) -> Markup:
    ordered = sorted(values, key=lambda v: _order(site, v))
    return Markup("<br>\n").join(_value(site, v, depth, seen) for v in ordered)


def _order(site: Site, value) -> tuple:
    """Literals and IRIs by text; blank nodes after them, by what they say (not their ids)."""
    if not isinstance(value, BNode):
        return (0, str(value))
    facts = site.kg.data.predicate_objects(value)
    return (1, str(sorted((str(p), str(o)) for p, o in facts if not isinstance(o, BNode))))


def _value(site: Site, value, depth: int, seen: set) -> Markup:
    if isinstance(value, BNode):
        return _nested(site, value, depth, seen)
    if isinstance(value, Literal):
        return Markup("{}").format(_number(value)) if _is_number(value) else site.literal(value)
    return site.term(value, depth)


def _is_number(value: Literal) -> bool:
    python = value.toPython()
    return isinstance(python, int | Decimal | float) and not isinstance(python, bool)


def _number(value: Literal) -> str:
    return format(value.toPython(), ",")


def _nested(site: Site, node: BNode, depth: int, seen: set) -> Markup:
    """A blank node (a quantity, a reading ...) shown in place, with its own sources."""
    if node in seen:
        return Markup("…")
    seen = seen | {node}
    data = site.kg.data
    out = Markup("")
    if (node, RDF.type, JPLLM.Quantity) in data:
        out += _quantity(site, node, depth) + Markup("\n")
        skip = QUANTITY_PARTS
    else:
        types = sorted(data.objects(node, RDF.type), key=str)
        out += Markup(" ").join(
            Markup('<span class="badge">{}</span>').format(site.label(t)) for t in types
        )
        skip = {RDF.type}
    rest = _by_predicate(site, node, skip=skip)
    if rest:
        out += Markup('<dl class="nested">{}</dl>').format(
            Markup("").join(
                Markup("<dt>{}</dt><dd>{}</dd>").format(
                    site.label(p), _values(site, values, depth, seen)
                )
                for p, values in rest.items()
            )
        )
    return out


def _quantity(site: Site, node: BNode, depth: int) -> Markup:
    """'150 municipalities [approximate] 「約150自治体」': value, unit, status, wording."""
    data = site.kg.data
    value = next(iter(sorted(data.objects(node, JPLLM.value), key=str)), None)
    units = sorted(data.objects(node, JPLLM.unit), key=str)
    statuses = sorted(data.objects(node, JPLLM.valueStatus), key=str)
    worded = sorted(data.objects(node, JPLLM.asWorded), key=str)
    parts = [Markup("<strong>{}</strong>").format(_number(value) if value is not None else "—")]
    parts += [site.term(u, depth) for u in units]
    parts += [
        Markup('<span class="badge">{}</span>').format(site.label(status)) for status in statuses
    ]
    parts += [Markup("「{}」").format(str(text)) for text in worded]
    return Markup(" ").join(parts)


def _sources(site: Site, iri: URIRef, depth: int) -> Markup:
    """The entity's dcterms:source references: their pages and web addresses."""
    data = site.kg.data
    sources = sorted(data.objects(iri, DCTERMS.source), key=lambda s: _natural(str(s)))
    if not sources:
        return Markup("")
    items = Markup("").join(
        Markup("<li>{}{}</li>\n").format(
            site.term(source, depth),
            Markup("").join(
                Markup(" — {}").format(site.literal(url))
                for url in sorted(data.objects(source, SCHEMA.url))
            ),
        )
        for source in sources
    )
    return Markup("<h2>{}</h2>\n<ul>\n{}</ul>\n").format(word("sources", site.lang), items)


def _incoming(site: Site, iri: URIRef, depth: int) -> Markup:
    """Statements that point at the entity; through a blank node, the node's owner is named."""
    kg = site.kg
    rows = []
    for subject, predicate in kg.data.subject_predicates(iri):
        if predicate == RDF.type:
            continue
        if isinstance(subject, BNode):
            owner = kg.named_owner(subject)
            if owner is None:
                continue
            kinds = ", ".join(site.label(t) for t in sorted(kg.data.objects(subject, RDF.type)))
            how = Markup('{} <span class="badge">{} {}</span>').format(
                site.label(predicate), word("via", site.lang), kinds or "_:"
            )
            rows.append((owner, how))
        else:
            rows.append((subject, Markup("{}").format(site.label(predicate))))
    heading = Markup("<h2>{}</h2>\n").format(word("incoming", site.lang))
    if not rows:
        return heading + Markup("<p>{}</p>\n").format(word("none", site.lang))
    rows.sort(key=lambda row: (str(row[1]), site.label(row[0]).lower(), str(row[0])))
    return heading + table(
        [word("subject", site.lang), word("property", site.lang)],
        [[site.term(subject, depth), how] for subject, how in rows],
    )


def _entity_index(site: Site, found: list[URIRef]) -> None:
    by_class: dict[URIRef, list[URIRef]] = defaultdict(list)
    for iri in found:
        for cls in _classes(site, iri):
            by_class[cls].append(iri)
    sections = []
    for cls in sorted(by_class, key=lambda c: (site.label(c).lower(), str(c))):
        members = sorted(by_class[cls], key=lambda e: (site.label(e).lower(), str(e)))
        sections.append(
            Markup(
                '<h2 id="{}">{} <span class="badge">{}</span></h2>\n<ul class="columns">\n{}</ul>\n'
            ).format(
                _anchor(cls),
                site.label(cls),
                len(members),
                Markup("").join(Markup("<li>{}</li>\n").format(site.term(e, 1)) for e in members),
            )
        )
    site.page("entities/index.html", word("all_entities", site.lang), Markup("").join(sections))


def _anchor(cls: URIRef) -> str:
    """The fragment of a class's section on entities/index.html (its local name)."""
    return compact(str(cls)).replace(":", "-")


def class_anchor(cls: URIRef) -> str:
    """The link target of a class's list of entities, from the site root."""
    return f"entities/index.html#{_anchor(cls)}"


def _natural(text: str) -> tuple:
    head, _, number = text.rpartition("-")
    return (head, int(number)) if number.isdigit() else (text, 0)
