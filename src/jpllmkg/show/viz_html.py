"""Self-contained interactive HTML for a view: vis-network inlined, no network access needed.

The vis-network script and stylesheet shipped inside the pyvis package are read from disk and
inlined, so the page loads no CDN. All graph text travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and tooltips
are built as DOM text nodes: a label such as ``<img src=x onerror=...>`` shows as text.
The page exposes ``window.network`` (the vis Network) and ``window.jpllmkgView``.
"""

from __future__ import annotations

import html
import json
import unicodedata
from importlib.util import find_spec
from pathlib import Path

from jpllmkg.errors import JpllmkgError, UsageError
from jpllmkg.shared import atomic_write

VIS_DIR = ("templates", "lib", "vis-9.1.2")
SLOT = (190, 130)  # pixels per column and row of fixed (layered) positions

PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: "Noto Sans CJK JP", "Noto Sans JP",
  "IPAexGothic", "Hiragino Sans", "Yu Gothic", system-ui, sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; display: flex; gap: 16px;
  align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 1.25rem; margin: 0; }
header .summary { color: #666; margin: 0; }
header input { margin-left: auto; padding: 4px 8px; min-width: 16em; }
main { flex: 1; display: flex; min-height: 0; }
#network { flex: 1; min-height: 480px; }
#legend { width: 260px; padding: 8px 16px; border-left: 1px solid #ddd; overflow: auto;
  font-size: 0.9rem; }
#legend h2 { font-size: 1rem; margin: 8px 0; }
#legend ul { list-style: none; padding: 0; margin: 0; }
#legend li { display: flex; align-items: center; gap: 8px; margin: 4px 0; }
#legend .help { color: #666; font-size: 0.85rem; }
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
.jpllmkg-tip { white-space: pre-wrap; max-width: 480px; font-size: 13px; line-height: 1.4; }
div.vis-tooltip { max-width: 500px; }
"""

PAGE_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("jpllmkg-data").textContent);
  function textElement(text) {
    var element = document.createElement("div");
    element.className = "jpllmkg-tip";
    element.textContent = text;
    return element;
  }
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var node = {id: n.id, label: n.label, title: textElement(n.title), shape: n.shape,
      color: {background: n.color, border: "#555555",
        highlight: {background: n.color, border: "#000000"}},
      font: {color: n.fontColor}};
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; }
    if (n.focus) { node.borderWidth = 4; node.font.size = 18; }
    return node;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return {id: "e" + i, from: e.from, to: e.to, label: e.label, title: textElement(e.title),
      dashes: e.dashes, smooth: e.smooth};
  }));
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.network = network;
  window.jpllmkgView = {view: data.view, lang: data.lang, nodes: nodes.length,
    edges: edges.length, ready: false};
  function settle() {
    network.setOptions({physics: {enabled: false}});
    fit();
    window.jpllmkgView.ready = true;
  }
  function fit() {
    network.fit();
    network.moveTo({scale: network.getScale() * 0.9});
  }
  if (data.options.physics.enabled === false) {
    fit();
    window.jpllmkgView.ready = true;
  } else {
    network.once("stabilizationIterationsDone", settle);
    network.once("stabilized", settle);
  }
  var search = document.getElementById("search");
  search.addEventListener("change", function () {
    var wanted = search.value.trim().toLowerCase();
    var hit = data.nodes.find(function (n) {
      return n.name.toLowerCase() === wanted || n.id === search.value.trim();
    }) || data.nodes.find(function (n) { return n.name.toLowerCase().indexOf(wanted) >= 0; });
    if (wanted && hit) {
      network.selectNodes([hit.id]);
      network.focus(hit.id, {scale: 1.2, animation: true});
    }
  });
})();
"""

TEXT = {
    "en": {
        "summary": "{nodes} nodes · {edges} edges",
        "legend": "Legend",
        "find": "Find a node…",
        "help": "Hover a node or edge for details and sources; drag to move, scroll to zoom.",
    },
    "ja": {
        "summary": "ノード {nodes} · エッジ {edges}",
        "legend": "凡例",
        "find": "ノードを検索…",
        "help": (
            "ノードやエッジにカーソルを合わせると詳細と出典を表示。"
            "ドラッグで移動、スクロールで拡大縮小。"
        ),
    },
}


def vis_assets() -> tuple[str, str]:
    """The vis-network JavaScript and CSS shipped inside the pyvis package."""
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise JpllmkgError(
            "pyvis is not installed; install jpllmkg's dependencies (pip install -e .)."
        )
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*VIS_DIR)
    try:
        script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        css = (folder / "vis-network.css").read_text(encoding="utf-8")
    except OSError as error:
        raise JpllmkgError(
            f"cannot read vis-network from the pyvis package ({error}); reinstall pyvis>=0.3.2."
        ) from None
    return script.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


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
        "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True},
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
            "stabilization": {"iterations": 500},
        }
    return options


def page_data(view_graph, lang: str) -> dict:
    """The JSON the page draws: nodes, edges and vis options."""
    from jpllmkg.show.views import look

    focus = view_graph.graph.get("focus")
    nodes = []
    for node, attrs in view_graph.nodes(data=True):
        label = str(attrs.get("label", node))
        color, shape = look(attrs)
        nodes.append(
            {
                "id": str(node),
                "name": label,
                "label": wrap_label(label),
                "title": str(attrs.get("title", label)),
                "color": color,
                "fontColor": text_color(color, shape),
                "shape": shape,
                "focus": str(node) == focus,
            }
        )
        if "x" in attrs and "y" in attrs:
            nodes[-1].update(x=attrs["x"] * SLOT[0], y=attrs["y"] * SLOT[1])
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
    }


def _script_json(value) -> str:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _legend_items(view_graph, lang: str) -> str:
    from jpllmkg.show.views import legend_entries

    items = []
    for group, text, color, shape, count in legend_entries(view_graph):
        items.append(
            f'<li data-group="{html.escape(group)}"><span class="swatch shape-'
            f'{html.escape(shape)}" style="background:{html.escape(color)}"></span>'
            f"<span>{html.escape(text)} ({count})</span></li>"
        )
    family = next((a for _, _, a in view_graph.edges(data=True) if a.get("kind") == "family"), None)
    if family is not None:
        items.append(
            '<li data-edge="family"><span class="swatch line-dashed"></span>'
            f"<span>{html.escape(str(family.get('label', '')))}</span></li>"
        )
    return "\n".join(items)


def _options_list(nodes: list[dict]) -> str:
    return "".join(f'<option value="{html.escape(n["name"])}">' for n in nodes)


def render_html(view_graph, title: str, lang: str = "en") -> str:
    """A complete, self-contained HTML page showing the view graph."""
    if lang not in TEXT:
        raise UsageError(f"unknown language {lang!r}; choose en or ja.")
    script, css = vis_assets()
    text = TEXT[lang]
    data = page_data(view_graph, lang)
    summary = text["summary"].format(nodes=len(data["nodes"]), edges=len(data["edges"]))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{css}</style>
<style>{PAGE_CSS}</style>
<script>{script}</script>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<p class="summary">{html.escape(summary)}</p>
<input id="search" type="search" placeholder="{html.escape(text["find"])}" list="node-names">
<datalist id="node-names">{_options_list(data["nodes"])}</datalist>
</header>
<main>
<div id="network"></div>
<aside id="legend">
<h2>{html.escape(text["legend"])}</h2>
<ul>
{_legend_items(view_graph, lang)}
</ul>
<p class="help">{html.escape(text["help"])}</p>
</aside>
</main>
<script type="application/json" id="jpllmkg-data">{_script_json(data)}</script>
<script>{PAGE_JS}</script>
</body>
</html>
"""


def write_html(view_graph, path: str | Path, title: str, lang: str = "en") -> None:
    """Render the view graph and write it to ``path`` atomically."""
    atomic_write(path, render_html(view_graph, title, lang))
