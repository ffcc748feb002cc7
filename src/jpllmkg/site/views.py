"""views/<view>.html: the interactive network views, drawn by jpllmkg.show.viz_html."""

from __future__ import annotations

from collections.abc import Callable

from jpllmkg.show.catalogue import VIEWS
from jpllmkg.site.html import Site

# The views the site draws (the ones that need no focus; jpllmkg.show.catalogue says which).
VIEW_PAGES = tuple(name for name, view in VIEWS.items() if view.on_site)


def write_views(site: Site, count: Callable[[int, int], None]) -> dict[str, int]:
    """Write one page per view (linking the bundled assets/views.js and .css, which the
    explorer step copies into the site); returns each view's number of nodes."""
    from jpllmkg.show.views import build_view, view_title
    from jpllmkg.show.viz_html import write_html

    # a click on a node opens its entity page (views/<view>.html links up to entities/...)
    pages = {str(iri): f"../{path}" for iri, path in site.entity_pages.items()}
    nodes = {}
    (site.out / "views").mkdir(parents=True, exist_ok=True)
    for number, view in enumerate(VIEW_PAGES, start=1):
        graph = build_view(site.kg, view, lang=site.lang)
        title = view_title(site.kg, view, lang=site.lang)
        target = site.out / "views" / f"{view}.html"
        write_html(graph, target, title, lang=site.lang, pages=pages, assets="../assets/")
        nodes[view] = graph.number_of_nodes()
        count(number, len(VIEW_PAGES))
    return nodes
