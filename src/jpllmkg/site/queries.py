"""One page per saved query (title, description, SPARQL, result table) and its CSV."""

from __future__ import annotations

import shlex
from collections.abc import Callable

from markupsafe import Markup

from jpllmkg.errors import UsageError
from jpllmkg.query.federation import uses_service
from jpllmkg.query.local import Graph
from jpllmkg.query.query_files import SavedQuery, example_params
from jpllmkg.query.render import as_csv
from jpllmkg.query.results import QueryResult
from jpllmkg.query.sparql_text import read_query
from jpllmkg.show.catalogue import CHARTS
from jpllmkg.site.explorer import scripts
from jpllmkg.site.html import Site, table
from jpllmkg.site.words import word


def write_query_pages(site: Site, graph: Graph, count: Callable[[int, int], None]) -> int:
    """Run every saved query (with its example binding) into queries/<name>.html and a CSV.

    A federated query (SERVICE) gets its page without results: the build stays offline. So does
    a query whose example parameters the graph refuses (an example IRI it does not hold), with
    the reason.
    """
    queries = list(graph.catalogue)
    rows = []
    for number, query in enumerate(queries, start=1):
        where = graph.kg.project.relative(query.path)
        params = example_params(query, where)
        result: QueryResult | str | None = None
        if not uses_service(query.text):  # a federated query would need the network
            try:
                result = graph.query(query.name, **params)
            except UsageError as error:
                result = str(error)
            else:
                csv = as_csv(result, graph.label, site.lang)
                site.write(f"dumps/csv/{query.name}.csv", csv)
        _query_page(site, graph, query, params, result)
        rows.append(
            [
                Markup('<a href="{}.html"><code>{}</code></a>').format(query.name, query.name),
                query.title(site.lang),
                Markup(", ").join(Markup("<code>{}</code>").format(p.name) for p in query.params),
                len(result) if isinstance(result, QueryResult) else "—",
            ]
        )
        count(number, len(queries))
    header = ["query", word("question", site.lang), word("parameters", site.lang)]
    header.append(word("rows", site.lang))
    site.page("queries/index.html", word("queries", site.lang), table(header, rows, {3}))
    return len(queries)


def _query_page(
    site: Site,
    graph: Graph,
    query: SavedQuery,
    params: dict[str, str],
    result: QueryResult | str | None,
) -> None:
    """Description, parameters, the result table, how to run it, then the SPARQL text in full
    (with its PREFIX lines), as a user can paste it into any endpoint."""
    lang = site.lang
    body = Markup("<p>{}</p>\n").format(query.description)
    if query.params:
        body += Markup("<h2>{}</h2>\n").format(word("parameters", lang))
        body += table(
            [word(key, lang) for key in ("name", "type", "use", "description", "example")],
            [
                [
                    Markup("<code>{}</code>").format(p.name),
                    p.type,
                    word("required" if p.required else "optional", lang),
                    p.description,
                    Markup("<code>{}</code>").format(params[p.name]) if p.name in params else "",
                ]
                for p in query.params
            ],
        )
    if not uses_service(query.text):
        body += _form(site, query)
    body += _charts(site, graph, query, result)
    body += Markup("<h2>{}</h2>\n").format(word("results", lang)) + _results(site, query, result)
    command = " ".join(
        ["jpllmkg query", query.name]
        + [f"--param {shlex.quote(f'{name}={value}')}" for name, value in params.items()]
    )
    body += Markup("<h2>{}</h2>\n<pre>{}</pre>\n").format(word("run_it", lang), command)
    text = read_query(query.text, str(query.path)).full_text
    body += Markup("<h2>{}</h2>\n<pre>{}</pre>\n").format(word("sparql", lang), text)
    other = query.title("ja" if lang == "en" else "en")
    title = query.title(lang)
    site.page(
        f"queries/{query.name}.html",
        title,
        body,
        subtitle=other if other != title else None,
        scripts=scripts(engine=True, index=True),
    )


def _form(site: Site, query: SavedQuery) -> Markup:
    """The query as a form that runs in the page (web/src/query-form.js fills the fields)."""
    lang = site.lang
    return Markup(
        '<h2>{ask}</h2>\n<form id="query-form" data-query="{name}"><p>{intro}</p>'
        '<div class="fields"></div><p><button type="submit" disabled>{run}</button></p></form>\n'
        '<div id="form-results" aria-live="polite"></div>\n'
        '<details><summary>{ran}</summary><pre id="form-sparql"></pre></details>\n'
    ).format(
        ask=word("ask", lang),
        name=query.name,
        intro=word("ask_intro", lang),
        run=word("run", lang),
        ran=word("sparql_ran", lang),
    )


def _charts(
    site: Site, graph: Graph, query: SavedQuery, result: QueryResult | str | None
) -> Markup:
    """The charts that draw this query (show/catalogue.py CHARTS), as SVG files beside the page."""
    from jpllmkg.show.charts import render_chart

    figures = Markup("")
    if not isinstance(result, QueryResult):
        return figures
    for chart in (c for c in CHARTS.values() if c.query == query.name):
        svg = render_chart(graph, chart.name, "svg", site.lang).decode("utf-8")
        site.write(f"queries/{chart.name}.svg", svg)
        figures += Markup('<figure><img src="{}.svg" alt="{}" width="900"></figure>\n').format(
            chart.name, chart.text("title", site.lang)
        )
    return figures


def _results(site: Site, query: SavedQuery, result: QueryResult | str | None) -> Markup:
    if result is None:
        return Markup("<p>{}</p>\n").format(word("federated", site.lang))
    if isinstance(result, str):
        return Markup("<p>{} {}</p>\n").format(word("example_unfit", site.lang), result)
    count = Markup('<p class="meta">{} {} · <a href="{}">{}</a></p>\n').format(
        len(result),
        word("row" if len(result) == 1 else "rows", site.lang),
        f"../dumps/csv/{query.name}.csv",
        "CSV",
    )
    cells = [
        [site.term(row[v], 1) if row.get(v) is not None else "" for v in result.variables]
        for row in result
    ]
    return count + table(list(result.variables), cells)
