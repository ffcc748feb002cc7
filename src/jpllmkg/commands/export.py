"""`jpllmkg export`: the loaded graph as Turtle, N-Triples, JSON-LD or TriG; a query as CSV."""

from __future__ import annotations

import argparse
import sys

from jpllmkg.commands import add_command, load_graph

FORMATS = ("ttl", "nt", "jsonld", "trig", "csv")


def run(args: argparse.Namespace) -> int:
    """Write the dump (or the saved query's CSV) to --out, or to stdout without --out."""
    from pathlib import Path

    from jpllmkg.errors import UsageError
    from jpllmkg.export import dump, refuse_source_folder
    from jpllmkg.graph.project import find_project
    from jpllmkg.query.local import Graph
    from jpllmkg.query.params import parse_assignments
    from jpllmkg.query.render import as_csv
    from jpllmkg.shared import atomic_write

    if args.format == "csv" and not args.query:
        raise UsageError(
            "--format csv writes the result of a saved query: add --query NAME (and --param "
            "NAME=VALUE for its parameters); 'jpllmkg queries' lists them."
        )
    if args.format != "csv" and (args.query or args.param):
        raise UsageError(
            f"--query and --param go with --format csv only; --format {args.format} writes the "
            "whole graph."
        )
    out = Path(args.out) if args.out else None
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        raise UsageError(
            f"--out {out} must name a file in an existing folder "
            f"({'it is a folder' if out.is_dir() else 'its folder does not exist'})."
        )
    project = find_project(root=args.root)
    if out is not None:
        refuse_source_folder(out, project, "dist/graph.ttl")
    kg = load_graph(args, project)
    if args.format == "csv":
        graph = Graph(kg)
        result = graph.query(args.query, **parse_assignments(args.param))
        text = as_csv(result, graph.label, args.lang)
    else:
        text = dump(kg, args.format)
    if out is None:
        sys.stdout.write(text)
    else:
        atomic_write(out, text)
    return 0


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "export",
        run,
        "Write the whole graph as Turtle, N-Triples, JSON-LD or TriG, or a saved query as CSV.",
        "jpllmkg export --format trig --out graph.trig",
    )
    parser.add_argument("--format", choices=FORMATS, required=True, help="output format")
    parser.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    parser.add_argument("--query", metavar="NAME", help="saved query (with --format csv)")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a query parameter"
    )
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="CSV label language")
