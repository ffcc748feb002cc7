"""The `jpllmkg` command line: one verb per step of the flow (heavy imports happen lazily)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import import_module

from .commands import MODULES
from .errors import EXIT_USAGE, JpllmkgError

EPILOG = """examples:
  jpllmkg validate                          check the graph in the current checkout
  jpllmkg queries                           list the saved relationship questions
  jpllmkg query foreign-base-models         run one (table, csv, json or md)
  jpllmkg query lineage --param model=jpr:takane --lang ja
  jpllmkg --root ~/jpllmkg validate --format json
"""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit 2 with one clear paragraph."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}. See '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = _Parser(
        prog="jpllmkg",
        description="A knowledge graph of Japan's domestic LLM ecosystem.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--root", metavar="DIR", help="project directory (default: found from the current one)"
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in MODULES:
        import_module(f"{__package__}.commands.{name}").register(sub)
    return parser


def _version() -> str:
    from . import __version__

    return f"jpllmkg {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # rdflib logs a traceback for ill-typed literals; validation reports them as findings.
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except JpllmkgError as error:
        print(f"jpllmkg: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("jpllmkg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
