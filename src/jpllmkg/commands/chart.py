"""`jpllmkg chart`: a saved query's answer drawn as a chart (PNG or SVG)."""

from __future__ import annotations

import argparse
from pathlib import Path

from jpllmkg.commands import add_command, load_graph

FORMATS = ("png", "svg")


def run_chart(args: argparse.Namespace) -> int:
    """Run the chart's saved query and draw it."""
    from jpllmkg.errors import UsageError
    from jpllmkg.export import refuse_source_folder
    from jpllmkg.graph.project import find_project
    from jpllmkg.query.local import Graph
    from jpllmkg.show.catalogue import CHARTS
    from jpllmkg.show.charts import write_chart

    if args.chart not in CHARTS:
        raise UsageError(f"no chart {args.chart!r}; the charts are: {', '.join(CHARTS)}.")
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    fmt = args.format or (suffix if suffix in FORMATS else "png")
    if args.out and suffix in FORMATS and suffix != fmt:
        raise UsageError(f"--format {fmt} does not match the --out suffix .{suffix}.")
    out = Path(args.out) if args.out else Path(f"{args.chart}.{fmt}")
    project = find_project(root=args.root)
    refuse_source_folder(out, project, f"dist/{out.name}")
    write_chart(Graph(load_graph(args, project)), args.chart, out, fmt, args.lang)
    print(out)
    return 0


def register(subparsers) -> None:
    from jpllmkg.show.catalogue import CHARTS

    parser = add_command(
        subparsers,
        "chart",
        run_chart,
        "Draw a saved query's answer as a chart (PNG or SVG): "
        + "; ".join(f"{c.name} ({c.text('title', 'en')})" for c in CHARTS.values()),
        "jpllmkg chart models-per-year --format svg --lang ja --out per-year.svg",
    )
    parser.add_argument("chart", metavar="CHART", help=", ".join(CHARTS))
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language")
    parser.add_argument("--format", choices=FORMATS, help="png (default) or svg")
    parser.add_argument("--out", metavar="FILE", help="output file (default ./CHART.FORMAT)")
