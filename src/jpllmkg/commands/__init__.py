"""The subcommands of `jpllmkg`, one module each; a module only imports heavy code when run.

Each module has ``register(subparsers)``, which adds its verb(s) with :func:`add_command`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

MODULES = (
    "validate",
    "queries",
    "why",
    "endpoint",
    "link",
    "imports",
    "build",
    "export",
    "viz",
    "chart",
    "stats",
)
# The result formats of jpllmkg.query.render.FORMATS (kept here so building the parser stays light).
OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "md")


def add_command(
    subparsers, name: str, handler: Callable, help_text: str, example: str
) -> argparse.ArgumentParser:
    """Add one verb with its help text and an example in its --help."""
    parser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def checked(convert: Callable) -> Callable[[str], object]:
    """An argparse type from a converter that raises UsageError (e.g.
    :mod:`jpllmkg.query.bounds`)."""
    from jpllmkg.errors import UsageError

    def parse(text: str):
        try:
            return convert(text)
        except UsageError as error:
            raise argparse.ArgumentTypeError(str(error).removesuffix(".")) from None

    parse.__name__ = convert.__name__
    return parse


def seconds_option(text: str) -> float:
    """An argparse type for --timeout: see :func:`jpllmkg.query.bounds.timeout_seconds`."""
    from jpllmkg.query.bounds import timeout_seconds

    return checked(timeout_seconds)(text)


def load_graph(args: argparse.Namespace, project=None):
    """Load ``project``, or the one named by --root (or found from the current directory):
    the one way every verb gets its loaded graph (:func:`jpllmkg.graph.loader.load`)."""
    from jpllmkg.graph.loader import load
    from jpllmkg.graph.project import find_project

    return load(project or find_project(root=args.root))


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """--format, --wide, --lang and --engine for verbs that print query results."""
    parser.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        default="table",
        help="table (for people, the default), md, or the W3C SPARQL results formats json, csv "
        "and tsv (with an extra NAME_label variable beside each IRI variable)",
    )
    parser.add_argument(
        "--wide",
        action="store_true",
        help="table: one line per row at full width, no wrapping (e.g. for 'less -S')",
    )
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language")
    parser.add_argument("--engine", default=None, help="embedded SPARQL engine")
