"""`jpllmkg viz`: a view of the graph as an offline interactive HTML page or a PNG/SVG picture."""

from __future__ import annotations

import argparse
from pathlib import Path

from jpllmkg.commands import add_command, load_graph

FORMATS = ("html", "png", "svg")

DESCRIPTION = """Draw a view of the graph as a self-contained interactive HTML page (no network
needed) or as a PNG/SVG picture for slides.

views:
{views}

The format comes from --format, else from the --out suffix (.html, .png, .svg), else html.
The default output is ./VIEW.FORMAT; the path written is printed."""


def _format(args: argparse.Namespace) -> str:
    from jpllmkg.errors import UsageError

    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    if args.format and suffix in FORMATS and suffix != args.format:
        raise UsageError(
            f"--format {args.format} does not match the --out suffix .{suffix}; "
            "give one or make them agree."
        )
    return args.format or (suffix if suffix in FORMATS else "html")


def run_viz(args: argparse.Namespace) -> int:
    """Build the view and write it as HTML, PNG or SVG."""
    from jpllmkg.export import refuse_source_folder
    from jpllmkg.graph.project import find_project
    from jpllmkg.show.views import build_view, check_view

    check_view(args.view)
    fmt = _format(args)
    out = Path(args.out) if args.out else Path(f"{args.view}.{fmt}")
    project = find_project(root=args.root)
    refuse_source_folder(out, project, f"dist/{out.name}")
    kg = load_graph(args, project)
    graph = build_view(kg, args.view, focus=args.focus, depth=args.depth, lang=args.lang)
    title = graph.graph["title"]
    if fmt == "html":
        from jpllmkg.show.viz_html import write_html

        write_html(graph, out, title, lang=args.lang)
    else:
        from jpllmkg.show.pictures import write_picture

        write_picture(graph, out, title, fmt=fmt, lang=args.lang)
    print(out)
    return 0


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "viz",
        run_viz,
        "Draw a view of the graph (interactive HTML, or PNG/SVG for slides).",
        "jpllmkg viz ego --focus jpr:pfn --depth 1 --lang ja\n"
        "  jpllmkg viz lineage --format png --lang ja --out lineage.png",
    )
    from jpllmkg.show.catalogue import VIEWS, views_help

    parser.description = DESCRIPTION.format(views=views_help())
    parser.add_argument("view", metavar="VIEW", help=", ".join(VIEWS))
    parser.add_argument("--focus", metavar="IRI", help="entity to centre on (IRI or CURIE)")
    parser.add_argument(
        "--depth", type=int, default=2, metavar="N", help="steps from --focus (default 2)"
    )
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language")
    parser.add_argument("--format", choices=FORMATS, help="html (default), png or svg")
    parser.add_argument("--out", metavar="FILE", help="output file (default ./VIEW.FORMAT)")
