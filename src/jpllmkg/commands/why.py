"""`jpllmkg why ENTITY`: every statement about an entity with its sources
(:mod:`jpllmkg.query.why`)."""

from __future__ import annotations

import argparse

from jpllmkg.commands import add_command, load_graph, seconds_option
from jpllmkg.query.bounds import DEFAULT_TIMEOUT

FORMATS = ("text", "json", "md")  # jpllmkg.query.why.FORMATS (kept here so the parser stays light)


def run_why(args: argparse.Namespace) -> int:
    """Print the statements about the entity in the chosen format."""
    import sys

    from jpllmkg.query import why

    kg = load_graph(args)
    entity = kg.resolve(args.entity)
    statements = why.why(kg, entity, lang=args.lang, inferred=args.inferred, timeout=args.timeout)
    writers = {"text": why.as_text, "json": why.as_json, "md": why.as_markdown}
    sys.stdout.write(writers[args.format](kg, entity, statements, args.lang))
    return 0


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "why",
        run_why,
        "Why do we believe this? Every statement about an entity, each with its sources, kind "
        "of support (stated in the report body, only in a reference's title or metadata, a "
        "curator's inference with its reasoning, computed with its rule), quote, and the "
        "file:line where it is written.",
        "jpllmkg why jpr:rakuten-ai-3 --format md",
    )
    parser.add_argument("entity", metavar="ENTITY", help="a CURIE (jpr:takane) or full IRI")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language")
    parser.add_argument(
        "--inferred",
        action="store_true",
        help="also list the ontology's entailments (superclass types, superproperties, "
        "inverses) with their rule; the computed yes/no answers are always listed",
    )
    parser.add_argument(
        "--timeout",
        type=seconds_option,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop each query after this many seconds (default: {DEFAULT_TIMEOUT:g})",
    )
