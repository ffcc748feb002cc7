"""Static pictures of a view (PNG or SVG) for slides, with Japanese labels that render.

Japanese text needs a font with CJK glyphs. jpllmkg depends on the PyPI package
``noto-cjk-sans-jp-regular`` (Noto Sans CJK JP, SIL Open Font License 1.1) and finds its
font file at run time; failing that it looks for a CJK font installed on the system. The
environment variable ``JPLLMKG_FONT_DIRS`` (folders separated by ``os.pathsep``) replaces
that search. Without any CJK font the picture is still drawn, with a warning on stderr.
"""

from __future__ import annotations

import io
import math
import os
import sys
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from jpllmkg.errors import UsageError
from jpllmkg.shared import atomic_write
from jpllmkg.show.views import legend_entries, look
from jpllmkg.show.viz_html import display_width, text_color, wrap_label

FORMATS = ("png", "svg")
FONT_ENV = "JPLLMKG_FONT_DIRS"
FONT_PACKAGE = "noto-cjk-sans-jp-regular"
FONT_SUFFIXES = (".otf", ".ttf", ".ttc")
SYSTEM_FONT_HINTS = ("cjk", "ipa", "jp", "gothic", "mincho", "takao", "vl-", "fallback")
PROBE = "日本語の系譜"
DPI = 150
SLOT = (1.75, 0.9)  # inches per column and row of fixed (layered) positions
LABEL_WIDTH = 22  # display columns per label line
CHAR_INCH = 0.068  # inches per display column at the node font size
LINE_INCH = 0.17
GAP = 0.18  # inches kept free between node boxes
MAX_LABELLED_EDGES = 60  # denser pictures show no edge labels

# vis-network shapes that hold their label inside; the others get a marker and a label below.
BOX_STYLES = {
    "box": "square,pad=0.45",
    "square": "square,pad=0.45",
    "ellipse": "round,pad=0.45,rounding_size=0.9",
    "database": "round,pad=0.45",
    "text": "square,pad=0.3",
}
MARKERS = {
    "dot": "o",
    "diamond": "D",
    "star": "*",
    "triangle": "^",
    "triangleDown": "v",
    "hexagon": "h",
}


def _font_files(folders: Sequence[str | Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        root = Path(folder)
        if root.is_dir():
            files.extend(sorted(p for p in root.rglob("*") if p.suffix.lower() in FONT_SUFFIXES))
    return files


def _packaged_fonts() -> list[Path]:
    """Font files of the font package jpllmkg depends on (found without importing it)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(FONT_PACKAGE)
    except PackageNotFoundError:
        return []
    return [
        Path(str(dist.locate_file(f)))
        for f in dist.files or []
        if f.suffix.lower() in FONT_SUFFIXES
    ]


def _system_fonts() -> list[Path]:
    from matplotlib import font_manager

    return [
        Path(p)
        for p in sorted(font_manager.findSystemFonts())
        if any(hint in Path(p).name.lower() for hint in SYSTEM_FONT_HINTS)
    ]


def _has_japanese(path: Path) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(char)) for char in PROBE)


def find_cjk_font(search_dirs: Sequence[str | Path] | None = None) -> Path | None:
    """A font file with Japanese glyphs, or None.

    ``search_dirs`` (or else $JPLLMKG_FONT_DIRS) limits the search to those folders;
    otherwise the packaged Noto Sans CJK JP comes first, then the system's CJK fonts.
    """
    if search_dirs is None and os.environ.get(FONT_ENV):
        search_dirs = [d for d in os.environ[FONT_ENV].split(os.pathsep) if d]
    if search_dirs is not None:
        candidates = _font_files(search_dirs)
    else:
        candidates = _packaged_fonts() + _system_fonts()
    return next((path for path in candidates if _has_japanese(path)), None)


def _needs_cjk(texts: Sequence[str]) -> bool:
    return any(unicodedata.east_asian_width(char) in "WF" for text in texts for char in text)


def _label_boxes(view_graph) -> dict[str, tuple[float, float]]:
    """Estimated width and height (inches) each node's drawing takes.

    A marker's label hangs below it, so its box is made twice as tall, centred on the marker.
    """
    boxes = {}
    for node, attrs in view_graph.nodes(data=True):
        lines = wrap_label(str(attrs.get("label", node)), width=LABEL_WIDTH).split("\n")
        width = max(display_width(line) for line in lines) * CHAR_INCH + 0.25
        height = len(lines) * LINE_INCH + 0.2
        boxes[node] = (width, 2 * height + 0.3) if look(attrs)[1] in MARKERS else (width, height)
    return boxes


def _drawn_box(centre: tuple, size: tuple, artist) -> tuple[tuple, tuple]:
    """Where a node's drawing really is: a marker's label hangs below the marker."""
    if artist.get_bbox_patch() is not None:
        return centre, size
    height = (size[1] - 0.3) / 2
    return (centre[0], centre[1] - height / 2 + 0.1), (size[0], height + 0.3)


def _overlap(a: tuple, a_size: tuple, b: tuple, b_size: tuple) -> bool:
    """True when two boxes given by centre and (width, height) overlap."""
    return (
        abs(a[0] - b[0]) < (a_size[0] + b_size[0]) / 2
        and abs(a[1] - b[1]) < (a_size[1] + b_size[1]) / 2
    )


def _separate(pos: dict, boxes: dict, rounds: int = 400) -> None:
    """Push apart nodes whose boxes overlap, along the line between them (keeps the layout's
    directions), each just far enough that the boxes stop overlapping."""
    nodes = list(pos)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                (xa, ya), (xb, yb) = pos[a], pos[b]
                over_x = (boxes[a][0] + boxes[b][0]) / 2 + GAP - abs(xb - xa)
                over_y = (boxes[a][1] + boxes[b][1]) / 2 + GAP - abs(yb - ya)
                if over_x <= 0 or over_y <= 0:
                    continue
                moved = True
                dx, dy = xb - xa, yb - ya
                length = math.hypot(dx, dy)
                if length < 1e-6:
                    dx, dy, length = 1.0, 0.0, 1.0
                ux, uy = dx / length, dy / length
                step = (
                    min(
                        over_x / abs(ux) if abs(ux) > 1e-6 else math.inf,
                        over_y / abs(uy) if abs(uy) > 1e-6 else math.inf,
                    )
                    / 2
                    + 0.01
                )
                pos[a] = (xa - ux * step, ya - uy * step)
                pos[b] = (xb + ux * step, yb + uy * step)
        if not moved:
            return


def _spring_positions(view_graph, boxes: dict) -> dict[str, tuple[float, float]]:
    """Each connected part laid out by springs, overlaps removed, parts packed in shelves."""
    import networkx as nx

    parts = []
    for part in sorted(nx.weakly_connected_components(view_graph), key=lambda c: min(c)):
        sub = nx.Graph()
        sub.add_nodes_from(sorted(part))
        sub.add_edges_from(sorted((s, o) for s, o in view_graph.subgraph(part).edges()))
        if len(part) == 1:
            pos = {next(iter(part)): (0.0, 0.0)}
        else:
            raw = nx.spring_layout(sub, k=1.8 / math.sqrt(len(part)), iterations=500, seed=7)
            scale = max(0.9, 0.65 * math.sqrt(len(part)))
            pos = {n: (float(x) * scale * 1.5, float(y) * scale) for n, (x, y) in raw.items()}
            _separate(pos, boxes)
        left = min(x - boxes[n][0] / 2 for n, (x, _) in pos.items())
        top = max(y + boxes[n][1] / 2 for n, (_, y) in pos.items())
        pos = {n: (x - left, y - top) for n, (x, y) in pos.items()}
        width = max(x + boxes[n][0] / 2 for n, (x, _) in pos.items())
        height = -min(y - boxes[n][1] / 2 for n, (_, y) in pos.items())
        parts.append((pos, width, height))
    parts.sort(key=lambda p: -p[1] * p[2])
    area = sum((w + GAP * 2) * (h + GAP * 2) for _, w, h in parts)
    shelf_width = max(max((w for _, w, _ in parts), default=1.0), 1.5 * math.sqrt(area))
    positions: dict[str, tuple[float, float]] = {}
    x0 = y0 = shelf_height = 0.0
    for pos, width, height in parts:
        if x0 and x0 + width > shelf_width:
            x0, y0, shelf_height = 0.0, y0 - shelf_height - GAP * 3, 0.0
        positions.update({n: (x0 + x, y0 + y) for n, (x, y) in pos.items()})
        x0 += width + GAP * 3
        shelf_height = max(shelf_height, height)
    return positions


def _positions(view_graph, boxes: dict) -> dict[str, tuple[float, float]]:
    """Node positions in inches: the view's layered positions, else a packed spring layout."""
    nodes = list(view_graph.nodes)
    if nodes and all("x" in view_graph.nodes[n] for n in nodes):
        return {
            n: (view_graph.nodes[n]["x"] * SLOT[0], -view_graph.nodes[n]["y"] * SLOT[1])
            for n in nodes
        }
    return _spring_positions(view_graph, boxes)


def _figure(view_graph, title: str, positions: dict, boxes: dict):
    """A Figure whose axes measure inches, sized to the drawing plus a legend column."""
    from matplotlib.figure import Figure

    left = min((x - boxes[n][0] / 2 for n, (x, _) in positions.items()), default=0.0)
    right = max((x + boxes[n][0] / 2 for n, (x, _) in positions.items()), default=1.0)
    bottom = min((y - boxes[n][1] / 2 for n, (_, y) in positions.items()), default=0.0)
    top = max((y + boxes[n][1] / 2 for n, (_, y) in positions.items()), default=1.0)
    legend = view_graph.graph.get("legend", {})
    legend_width = max((display_width(t) for t in legend.values()), default=10) * CHAR_INCH + 1.0
    margin, title_height = 0.3, 0.8
    width = right - left + 2 * margin + legend_width
    height = max(top - bottom, 0.25 * len(legend) + 0.8) + 2 * margin + title_height
    fig = Figure(figsize=(width, height), dpi=DPI)
    ax = fig.add_axes(
        (margin / width, margin / height, (right - left) / width, (top - bottom) / height)
    )
    ax.set_axis_off()
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    fig.suptitle(
        title,
        x=margin / width,
        y=1 - 0.25 / height,
        ha="left",
        va="top",
        fontsize=16,
        fontweight="bold",
    )
    return fig, ax


def _draw_nodes(ax, view_graph, positions: dict) -> dict:
    """Boxes with the label inside, or a marker with the label below; returns the label texts."""
    artists = {}
    for node, attrs in view_graph.nodes(data=True):
        color, shape = look(attrs)
        x, y = positions[node]
        label = wrap_label(str(attrs.get("label", node)), width=LABEL_WIDTH)
        focus = node == view_graph.graph.get("focus")
        if shape in MARKERS:
            ax.scatter(
                [x],
                [y],
                s=260 if focus else 150,
                marker=MARKERS[shape],
                c=color,
                edgecolors="#444444",
                linewidths=0.8,
                zorder=3,
            )
            artists[node] = ax.text(
                x, y - 0.15, label, ha="center", va="top", fontsize=8.5, color="#222222", zorder=4
            )
            continue
        artists[node] = ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=9.5,
            zorder=4,
            color=text_color(color, shape),
            fontweight="bold" if focus else "normal",
            bbox={
                "boxstyle": BOX_STYLES.get(shape, "square,pad=0.4"),
                "fc": color,
                "ec": "#222222" if focus else "#555555",
                "lw": 2.0 if focus else 0.7,
            },
        )
    return artists


def _draw_edges(ax, view_graph, positions: dict, boxes: dict, artists: dict) -> None:
    """Arrows between node boxes; labels (not for family links) where they have room."""
    with_labels = view_graph.number_of_edges() <= MAX_LABELLED_EDGES
    taken = [_drawn_box(positions[n], boxes[n], artists[n]) for n in view_graph.nodes]
    seen: dict[tuple, int] = {}
    for source, target, attrs in view_graph.edges(data=True):
        pair = tuple(sorted((source, target)))
        index = seen[pair] = seen.get(pair, -1) + 1
        family = attrs.get("kind") == "family"
        ax.annotate(
            "",
            xy=positions[target],
            xytext=positions[source],
            zorder=2,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#9a9a9a" if family else "#555555",
                "lw": 0.7 if family else 1.1,
                "linestyle": "--" if family else "-",
                "mutation_scale": 10,
                "patchA": artists[source].get_bbox_patch(),
                "patchB": artists[target].get_bbox_patch(),
                "shrinkA": 4,
                "shrinkB": 4 if artists[target].get_bbox_patch() else 9,
                "connectionstyle": f"arc3,rad={0.18 * index}",
            },
        )
        text = str(attrs.get("label", ""))
        if not with_labels or family or not text:
            continue
        (x1, y1), (x2, y2) = positions[source], positions[target]
        size = (display_width(text) * CHAR_INCH * 0.8 + 0.1, 0.2)
        spots = [(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t) for t in (0.5, 0.38, 0.62)]
        free = [p for p in spots if not any(_overlap(p, size, c, b) for c, b in taken)]
        if free:
            taken.append((free[0], size))
            ax.text(
                *free[0],
                text,
                fontsize=7.5,
                ha="center",
                va="center",
                color="#333333",
                zorder=3,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            )


def _draw_legend(fig, view_graph, lang: str) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    for _group, text, color, shape, _count in legend_entries(view_graph):
        if shape in MARKERS:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=MARKERS[shape],
                    color="none",
                    label=text,
                    markerfacecolor=color,
                    markeredgecolor="#444444",
                    markersize=9,
                )
            )
        else:
            handles.append(Patch(facecolor=color, edgecolor="#555555", label=text))
    if any(kind == "family" for _, _, kind in view_graph.edges(data="kind")):
        text = "belongs to family" if lang == "en" else "所属ファミリー"
        handles.append(Line2D([], [], color="#9a9a9a", linestyle="--", label=text))
    fig.legend(
        handles=handles,
        loc="upper right",
        fontsize=9,
        frameon=False,
        bbox_to_anchor=(0.995, 0.97),
        title="Legend" if lang == "en" else "凡例",
        title_fontsize=10,
        alignment="left",
    )


def _draw(view_graph, title: str, lang: str):
    """The matplotlib Figure of a view."""
    boxes = _label_boxes(view_graph)
    positions = _positions(view_graph, boxes)
    fig, ax = _figure(view_graph, title, positions, boxes)
    artists = _draw_nodes(ax, view_graph, positions)
    fig.draw_without_rendering()  # places the label boxes the arrows are clipped to
    _draw_edges(ax, view_graph, positions, boxes, artists)
    _draw_legend(fig, view_graph, lang)
    return fig


def render_picture(
    view_graph,
    title: str,
    fmt: str = "png",
    lang: str = "en",
    font_dirs: Sequence[str | Path] | None = None,
) -> bytes:
    """The view drawn as PNG or SVG bytes (warns on stderr when Japanese has no font)."""
    texts = [title, *(str(a.get("label", "")) for _, a in view_graph.nodes(data=True))]
    return figure_bytes(lambda: _draw(view_graph, title, lang), texts, fmt, font_dirs)


def figure_bytes(
    draw: Callable[[], object],
    texts: Sequence[str],
    fmt: str,
    font_dirs: Sequence[str | Path] | None = None,
) -> bytes:
    """PNG or SVG bytes of the matplotlib Figure ``draw()`` makes, drawn with a CJK font (a
    warning on stderr when ``texts`` need one and none is found), reproducibly (no dates)."""
    import matplotlib
    from matplotlib import font_manager

    if fmt not in FORMATS:
        raise UsageError(f"unknown picture format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    font = find_cjk_font(font_dirs)
    family = ["DejaVu Sans"]
    if font is not None:
        if all(entry.fname != str(font) for entry in font_manager.fontManager.ttflist):
            font_manager.fontManager.addfont(str(font))
        family.insert(0, font_manager.FontProperties(fname=str(font)).get_name())
    elif _needs_cjk(list(texts)):
        print(
            "jpllmkg: warning: no font with Japanese glyphs was found, so Japanese labels "
            "will show as empty boxes. Install jpllmkg's dependencies (the "
            f"'{FONT_PACKAGE}' package) or a CJK font such as Debian's fonts-noto-cjk, "
            f"or point ${FONT_ENV} at a folder holding one.",
            file=sys.stderr,
        )
    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": family,
        "svg.hashsalt": "jpllmkg",
        "axes.unicode_minus": False,
    }
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        if font is None:  # already said once above; not once per missing glyph
            warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
        fig = draw()
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def write_picture(
    view_graph,
    path: str | Path,
    title: str,
    fmt: str | None = None,
    lang: str = "en",
    font_dirs: Sequence[str | Path] | None = None,
) -> None:
    """Draw the view and write it to ``path`` atomically (format from ``fmt`` or the suffix)."""
    fmt = fmt or Path(path).suffix.lower().lstrip(".")
    atomic_write(path, render_picture(view_graph, title, fmt, lang, font_dirs))
