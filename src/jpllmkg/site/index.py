"""index.html: what the graph holds, and the way into views, queries, entities and downloads."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from jpllmkg.export import DUMP_FORMATS
from jpllmkg.graph.namespaces import JPLLM
from jpllmkg.graph.summary import GraphSummary
from jpllmkg.query.local import Graph
from jpllmkg.show.catalogue import VIEWS
from jpllmkg.site.entities import class_anchor
from jpllmkg.site.html import Site, human_size, table
from jpllmkg.site.words import word


def write_index(site: Site, summary: GraphSummary, graph: Graph, views: dict[str, int]) -> None:
    """The home page; written last, so the download sizes are known."""
    lang = site.lang
    counts = Markup("<ul>\n{}</ul>\n").format(
        Markup("").join(
            Markup("<li><strong>{}</strong> {}</li>\n").format(number, text)
            for number, text in (
                (summary.triples, word("triples", lang)),
                (summary.fact_triples, word("fact_triples", lang)),
                (summary.files, word("files", lang)),
                (summary.fact_nodes, word("fact_nodes", lang)),
                (
                    f"{summary.references_cited}/{summary.references_total}",
                    word("references_cited", lang),
                ),
            )
        )
    )
    classes = table(
        [word("class", lang), word("count", lang)],
        [
            [
                Markup('<a href="{}">{}</a>').format(
                    class_anchor(JPLLM[name]), site.label(JPLLM[name])
                ),
                number,
            ]
            for name, number in sorted(
                summary.entities_per_class.items(), key=lambda item: -item[1]
            )
        ],
        {1},
        narrow=True,
    )
    cards = Markup("").join(
        Markup(
            '<div class="card"><h3><a href="views/{}.html">{}</a></h3><p>{}</p>'
            '<p class="meta">{} {}</p></div>\n'
        ).format(
            view,
            VIEWS[view].text("heading", lang),
            VIEWS[view].text("about", lang),
            nodes,
            word("nodes", lang),
        )
        for view, nodes in views.items()
    )
    queries = Markup('<ul class="columns">\n{}</ul>\n').format(
        Markup("").join(
            Markup('<li><a href="queries/{}.html">{}</a></li>\n').format(q.name, q.title(lang))
            for q in graph.catalogue
        )
    )
    more = Markup(
        '<ul>\n<li><a href="entities/index.html">{}</a></li>\n'
        '<li><a href="sources/index.html">{}</a></li>\n'
        '<li><a href="validation.html">{}</a> (<a href="validation.json">JSON</a>)</li>\n'
        '<li><a href="ontology/index.html">{}</a>: {}</li>\n'
        '<li><a href="ontology/vocabularies.html">{}</a>: {}</li>\n</ul>\n'
    ).format(
        word("all_entities", lang),
        word("sources", lang),
        word("validation", lang),
        word("ontology", lang),
        word("ontology_about", lang),
        word("vocabularies", lang),
        word("vocabularies_about", lang),
    )
    body = (
        Markup("<p>{}</p>\n").format(word("lead", lang))
        + Markup('<h2 id="holds">{}</h2>\n').format(word("holds", lang))
        + counts
        + Markup('<h2 id="views">{}</h2>\n<div class="cards">\n{}</div>\n').format(
            word("views", lang), cards
        )
        + Markup('<h2 id="classes">{}</h2>\n').format(word("entities", lang))
        + classes
        + Markup('<h2 id="queries">{}</h2>\n').format(word("queries", lang))
        + queries
        + Markup('<h2 id="more">{}</h2>\n').format(word("more", lang))
        + more
        + Markup('<h2 id="dumps">{}</h2>\n').format(word("dumps", lang))
        + _dumps(site)
    )
    site.page("index.html", word("site", lang), body)


def _dumps(site: Site) -> Markup:
    rows = []
    for fmt in DUMP_FORMATS:
        path = Path("dumps") / f"graph.{fmt}"
        size = (site.out / path).stat().st_size
        rows.append(
            [
                Markup('<a href="{}">{}</a>').format(path.as_posix(), path.name),
                word(f"dump_{fmt}", site.lang),
                human_size(size),
            ]
        )
    csv_dir = site.out / "dumps" / "csv"
    csv_size = sum(p.stat().st_size for p in csv_dir.glob("*.csv"))
    rows.append(
        [
            Markup('<a href="queries/index.html">dumps/csv/*.csv</a>'),
            word("dump_csv", site.lang),
            human_size(csv_size),
        ]
    )
    return table(["file", word("format", site.lang), word("size", site.lang)], rows, {2})
