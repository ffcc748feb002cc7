"""Self-contained interactive HTML for a view: vis-network inlined, no network access needed.

The page's script (web/src/views.js with vis-network and vis-data from npm, bundled by
web/bundle.mjs; :mod:`jpllmkg.show.web_assets`) and its stylesheet are inlined, so the page
loads nothing. All graph text travels as JSON in a ``<script type="application/json">`` block
with ``<``, ``>`` and ``&`` escaped; the script sets it as DOM text (tooltips are elements whose
``textContent`` is the text): a label such as ``<img src=x onerror=...>`` shows as text.

The page fits the graph, or zooms to readable labels (at least 11 px) around the focus or the
most connected node; a click on a node opens its entity page (the ``pages`` given, relative or
http(s) links only); the legend entries, sector, status and date filters hide nodes; a search
box finds nodes by label. It exposes ``window.network`` (the vis Network) and
``window.jpllmkgView`` (``view``, ``lang``, ``nodes``, ``edges``, ``visible``, ``ready``).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from jpllmkg.errors import UsageError
from jpllmkg.shared import atomic_write

SLOT = (190, 130)  # pixels per column and row of fixed (layered) positions
STABILISATION_ITERATIONS = 400  # cap on the force layout's iterations before physics stops

PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: "Noto Sans CJK JP", "Noto Sans JP",
  "IPAexGothic", "Hiragino Sans", "Yu Gothic", system-ui, sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; display: flex; gap: 8px 16px;
  align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 1.25rem; margin: 0; overflow-wrap: anywhere; }
header .summary { color: #666; margin: 0; }
#find { margin-left: auto; display: flex; gap: 4px; max-width: 100%; }
#find input { padding: 4px 8px; min-width: 16em; max-width: 100%; box-sizing: border-box; }
#search-status { flex-basis: 100%; margin: 0; min-height: 1.2em; color: #444;
  overflow-wrap: anywhere; }
#search-status:empty { display: none; }
main { flex: 1; display: flex; min-height: 0; }
#network { flex: 1; min-width: 0; min-height: 480px; }
#panel { width: 280px; padding: 8px 16px; border-left: 1px solid #ddd; overflow: auto;
  font-size: 0.9rem; box-sizing: border-box; }
#panel h2 { font-size: 1rem; margin: 12px 0 8px; }
#shown { font-weight: bold; margin: 4px 0; }
#legend { list-style: none; padding: 0; margin: 0; }
#legend li { display: flex; align-items: center; gap: 8px; margin: 4px 0; }
#legend button { display: flex; align-items: center; gap: 8px; width: 100%; padding: 2px 4px;
  border: 1px solid transparent; border-radius: 4px; background: none; font: inherit;
  color: inherit; text-align: left; cursor: pointer; }
#legend button:hover, #legend button:focus-visible { border-color: #888; }
#legend button[aria-pressed="false"] { opacity: 0.45; text-decoration: line-through; }
#legend .legend-text { overflow-wrap: anywhere; }
#panel label { display: block; margin: 6px 0; }
#panel select, #panel input { display: block; max-width: 100%; margin-top: 2px; font: inherit; }
#panel .buttons { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
#panel .help { color: #666; font-size: 0.85rem; }
.swatch { display: inline-block; width: 16px; height: 16px; flex: none;
  border: 1px solid rgba(0, 0, 0, 0.25); }
.shape-box, .shape-square { border-radius: 2px; }
.shape-ellipse { width: 22px; height: 14px; border-radius: 50%; }
.shape-dot { width: 12px; height: 12px; border-radius: 50%; }
.shape-database { border-radius: 50% / 25%; }
.shape-diamond { clip-path: polygon(50% 0, 100% 50%, 50% 100%, 0 50%); }
.shape-triangle { clip-path: polygon(50% 0, 100% 100%, 0 100%); }
.shape-triangleDown { clip-path: polygon(0 0, 100% 0, 50% 100%); }
.shape-hexagon { clip-path: polygon(25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%); }
.shape-star { clip-path: polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%,
  21% 91%, 32% 57%, 2% 35%, 39% 35%); }
.shape-text { background: none !important; border-style: dashed; }
.line-dashed { height: 0; width: 22px; border: none; border-top: 2px dashed #8a8a8a; }
.jpllmkg-tip { white-space: pre-wrap; max-width: min(480px, 80vw); font-size: 13px;
  line-height: 1.4; overflow-wrap: anywhere; }
div.vis-tooltip { max-width: min(500px, 85vw); }
@media (max-width: 760px) {
  html, body { height: auto; }
  body { overflow-x: hidden; }
  main { flex-direction: column; }
  #network { flex: none; height: 70vh; min-height: 320px; width: 100%; }
  #panel { width: 100%; border-left: none; border-top: 1px solid #ddd; overflow: visible; }
  #find { margin-left: 0; width: 100%; }
  #find input { min-width: 0; flex: 1; }
}
"""

TEXT = {
    "en": {
        "summary": "{nodes} nodes · {edges} edges",
        "legend": "Legend",
        "find": "Find a node…",
        "find_button": "Find",
        "help": (
            "Click a legend entry to hide or show its nodes. Hover a node or edge for details "
            "and sources; drag to move, scroll to zoom."
        ),
        "help_pages": "Click a node to open its page.",
        "filters": "Filters",
        "filters_help": "Sector, status and date filters apply to the nodes that carry them.",
        "sector": "Sector",
        "status": "Status",
        "from": "Dated from",
        "to": "Dated until",
        "all": "all",
        "reset": "Show all nodes",
        "whole": "Whole graph",
        "shown": "{shown} of {total} nodes shown",
        "nothing": "No node matches “{query}”.",
        "hidden": "“{query}” matches only nodes hidden by the filters.",
        "found": "{label} ({n} of {total}; Enter for the next).",
        "open": "Open its page",
    },
    "ja": {
        "summary": "ノード {nodes} · エッジ {edges}",
        "legend": "凡例",
        "find": "ノードを検索…",
        "find_button": "検索",
        "help": (
            "凡例の項目をクリックすると、そのノードを隠す・表示する。"
            "ノードやエッジにカーソルを合わせると詳細と出典を表示。"
            "ドラッグで移動、スクロールで拡大縮小。"
        ),
        "help_pages": "ノードをクリックするとそのページを開く。",
        "filters": "絞り込み",
        "filters_help": "分野・状況・日付の絞り込みは、それを持つノードだけに効く。",
        "sector": "分野",
        "status": "状況",
        "from": "日付（から）",
        "to": "日付（まで）",
        "all": "すべて",
        "reset": "すべて表示",
        "whole": "全体を表示",
        "shown": "{total} ノード中 {shown} を表示",
        "nothing": "「{query}」に該当するノードはありません。",
        "hidden": "「{query}」に該当するノードは絞り込みで隠れています。",
        "found": "{label}（{total} 件中 {n} 件目、Enter で次へ）",
        "open": "ページを開く",
    },
}
SCRIPT_TEXTS = ("shown", "nothing", "hidden", "found", "open")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _inline(text: str, tag: str) -> str:
    """Text safe inside a <script> or <style> element: no ``</tag`` ends it early."""
    return re.sub(f"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)


def page_assets() -> tuple[str, str]:
    """The bundled script and stylesheet of the view pages (web/src/views.js)."""
    from jpllmkg.show.web_assets import bundled_text

    script = _inline(bundled_text("views.js"), "script").replace("<!--", "<\\x21--")
    return script, _inline(bundled_text("views.css"), "style")


def safe_href(href: str) -> str | None:
    """A relative link or an http(s) one; None for any other scheme (javascript:, data:)."""
    if href.startswith(("http://", "https://")):
        return href
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("//"):
        return None
    if any(ord(c) < 32 for c in href):
        return None
    return href or None


def wrap_label(label: str, width: int = 20, max_lines: int = 3) -> str:
    """Break a label into short lines (at spaces, or anywhere in CJK text); ellipsise the rest."""
    lines: list[str] = []
    line = ""
    for word in label.replace("\n", " ").split(" "):
        candidate = f"{line} {word}".strip()
        if display_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if display_width(line + char) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Display width: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_color(background: str, shape: str | None) -> str:
    """White text on dark fills of shapes that hold their label inside, else near-black."""
    inside = shape in ("box", "ellipse", "database", "circle", "text")
    try:
        red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "#222222"
    dark = 0.299 * red + 0.587 * green + 0.114 * blue < 140
    return "#ffffff" if inside and dark else "#222222"


def _options(layout: str) -> dict:
    options = {
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "multiselect": True,
            "hideEdgesOnDrag": True,
        },
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "margin": 8},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#8a8a8a", "highlight": "#222222", "hover": "#444444"},
            "font": {"size": 11, "align": "horizontal", "color": "#444444", "strokeWidth": 3},
        },
    }
    if layout == "fixed":
        options["physics"] = {"enabled": False}
    else:
        options["layout"] = {"randomSeed": 7}
        options["physics"] = {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 140},
            "stabilization": {"iterations": STABILISATION_ITERATIONS, "updateInterval": 50},
        }
    return options


def _sectors(view_graph) -> dict[str, list[str]]:
    """The sector nodes (legend group ``sector``) each node is or points to (adoption view)."""
    sectors: dict[str, list[str]] = {}
    for node, group in view_graph.nodes(data="group"):
        if group == "sector":
            sectors.setdefault(str(node), []).append(str(node))
    for source, target in view_graph.edges():
        if view_graph.nodes[target].get("group") == "sector" and str(source) != str(target):
            found = sectors.setdefault(str(source), [])
            if str(target) not in found:
                found.append(str(target))
    return sectors


def page_data(view_graph, lang: str, pages: Mapping[str, str] | None = None) -> dict:
    """The JSON the page draws: nodes (with what the filters read), edges, vis options, texts.

    A node carries ``group`` (its legend entry) and ``class``; ``sectors`` (the sector nodes it
    is or points to), ``status`` (a deployment status group) and ``date`` (an ISO date
    attribute) when it has them; ``href`` when ``pages`` (node IRI -> link) holds a relative or
    http(s) link for it.
    """
    from jpllmkg.show.views import look

    focus = view_graph.graph.get("focus")
    sectors = _sectors(view_graph)
    nodes = []
    for node, attrs in view_graph.nodes(data=True):
        label = str(attrs.get("label", node))
        color, shape = look(attrs)
        group = str(attrs.get("group", ""))
        entry = {
            "id": str(node),
            "name": label,
            "label": wrap_label(label),
            "title": str(attrs.get("title", label)),
            "color": color,
            "fontColor": text_color(color, shape),
            "shape": shape,
            "focus": str(node) == focus,
            "group": group,
            "class": str(attrs.get("cls", "")),
        }
        if str(node) in sectors:
            entry["sectors"] = sectors[str(node)]
        if group.startswith("status-"):
            entry["status"] = group
        date = str(attrs.get("date", ""))
        if DATE.fullmatch(date):
            entry["date"] = date
        href = safe_href(str(pages.get(str(node), ""))) if pages else None
        if href:
            entry["href"] = href
        if "x" in attrs and "y" in attrs:
            entry.update(x=attrs["x"] * SLOT[0], y=attrs["y"] * SLOT[1])
        nodes.append(entry)
    seen: dict[tuple[str, str], int] = {}
    edges = []
    for source, target, attrs in view_graph.edges(data=True):
        pair = tuple(sorted((str(source), str(target))))
        index = seen[pair] = seen.get(pair, -1) + 1
        edges.append(
            {
                "from": str(source),
                "to": str(target),
                "label": "" if attrs.get("kind") == "family" else str(attrs.get("label", "")),
                "title": str(attrs.get("label", "")),
                "dashes": attrs.get("kind") == "family",
                "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15 * index}
                if index
                else {"enabled": False},
            }
        )
    return {
        "view": view_graph.graph.get("view", ""),
        "lang": lang,
        "nodes": nodes,
        "edges": edges,
        "options": _options(view_graph.graph.get("layout", "force")),
        "text": {key: TEXT[lang][key] for key in SCRIPT_TEXTS},
    }


def _script_json(value) -> str:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _legend_items(view_graph) -> str:
    """The legend: a toggle button per group (hiding its nodes), and the family edge's look."""
    from jpllmkg.show.views import legend_entries

    items = []
    for group, text, color, shape, count in legend_entries(view_graph):
        items.append(
            f'<li data-group="{html.escape(group)}"><button type="button" aria-pressed="true" '
            f'data-group="{html.escape(group)}"><span class="swatch shape-{html.escape(shape)}" '
            f'style="background:{html.escape(color)}"></span>'
            f'<span class="legend-text">{html.escape(text)} ({count})</span></button></li>'
        )
    family = next((a for _, _, a in view_graph.edges(data=True) if a.get("kind") == "family"), None)
    if family is not None:
        items.append(
            '<li data-edge="family"><span class="swatch line-dashed"></span>'
            f'<span class="legend-text">{html.escape(str(family.get("label", "")))}</span></li>'
        )
    return "\n".join(items)


def _options_list(nodes: list[dict]) -> str:
    return "".join(f'<option value="{html.escape(n["name"])}">' for n in nodes)


def _select(name: str, label: str, choices: list[tuple[str, str]], every: str) -> str:
    """A filter's <select>: "all", then each (value, text)."""
    options = f'<option value="">{html.escape(every)}</option>' + "".join(
        f'<option value="{html.escape(value)}">{html.escape(text)}</option>'
        for value, text in choices
    )
    return f'<label>{html.escape(label)}<select id="filter-{name}">{options}</select></label>'


def _filters(view_graph, data: dict, text: dict) -> str:
    """The sector, status and date filters the view's nodes allow (none when none applies)."""
    names = {n["id"]: n["name"] for n in data["nodes"]}
    legend = view_graph.graph.get("legend", {})
    parts = []
    sectors = sorted({s for n in data["nodes"] for s in n.get("sectors", ())}, key=names.get)
    if sectors:
        parts.append(
            _select("sector", text["sector"], [(s, names[s]) for s in sectors], text["all"])
        )
    statuses = sorted({n["status"] for n in data["nodes"] if "status" in n})
    if statuses:
        choices = [(s, str(legend.get(s, s))) for s in statuses]
        parts.append(_select("status", text["status"], choices, text["all"]))
    dates = sorted(n["date"] for n in data["nodes"] if "date" in n)
    if dates:
        low, high = html.escape(dates[0][:4] + "-01-01"), html.escape(dates[-1][:4] + "-12-31")
        for name in ("from", "to"):
            parts.append(
                f'<label>{html.escape(text[name])}<input id="filter-{name}" type="date" '
                f'min="{low}" max="{high}"></label>'
            )
    if not parts:
        return ""
    return (
        f"<h2>{html.escape(text['filters'])}</h2>\n"
        + "\n".join(parts)
        + f'\n<p class="help">{html.escape(text["filters_help"])}</p>'
    )


def render_html(
    view_graph,
    title: str,
    lang: str = "en",
    pages: Mapping[str, str] | None = None,
    assets: str | None = None,
) -> str:
    """A complete HTML page showing the view graph: self-contained, or, with ``assets`` (the
    relative path of a folder holding views.js and views.css, as in the site), linking them.

    ``pages`` maps a node's IRI to the link of its entity page (relative to the page, or
    http(s)); a click on the node opens it.
    """
    if lang not in TEXT:
        raise UsageError(f"unknown language {lang!r}; choose en or ja.")
    if assets is None:
        script, css = page_assets()
        style, code = f"<style>{css}</style>", f"<script>{script}</script>"
    else:
        folder = html.escape(assets)
        style = f'<link rel="stylesheet" href="{folder}views.css">'
        code = f'<script src="{folder}views.js"></script>'

    text = TEXT[lang]
    data = page_data(view_graph, lang, pages)
    summary = text["summary"].format(nodes=len(data["nodes"]), edges=len(data["edges"]))
    shown = text["shown"].format(shown=len(data["nodes"]), total=len(data["nodes"]))
    help_text = text["help"]
    if any("href" in n for n in data["nodes"]):
        help_text += " " + text["help_pages"]
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
{style}
<style>{PAGE_CSS}</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<p class="summary">{html.escape(summary)}</p>
<form id="find" role="search">
<input id="search" type="search" placeholder="{html.escape(text["find"])}" list="node-names"
 aria-label="{html.escape(text["find"])}">
<button type="submit">{html.escape(text["find_button"])}</button>
</form>
<datalist id="node-names">{_options_list(data["nodes"])}</datalist>
<p id="search-status" role="status" aria-live="polite"></p>
</header>
<main>
<div id="network"></div>
<aside id="panel">
<p id="shown" role="status" aria-live="polite">{html.escape(shown)}</p>
<div class="buttons"><button type="button" id="reset">{html.escape(text["reset"])}</button>
<button type="button" id="whole">{html.escape(text["whole"])}</button></div>
<h2>{html.escape(text["legend"])}</h2>
<ul id="legend">
{_legend_items(view_graph)}
</ul>
<p class="help">{html.escape(help_text)}</p>
{_filters(view_graph, data, text)}
</aside>
</main>
<script type="application/json" id="jpllmkg-data">{_script_json(data)}</script>
{code}
</body>
</html>
"""


def write_html(
    view_graph,
    path: str | Path,
    title: str,
    lang: str = "en",
    pages: Mapping[str, str] | None = None,
    assets: str | None = None,
) -> None:
    """Render the view graph and write it to ``path`` atomically (``pages``, ``assets``: see
    render_html)."""
    atomic_write(path, render_html(view_graph, title, lang, pages, assets))
