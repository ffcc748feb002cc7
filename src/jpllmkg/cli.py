"""The `jpllmkg` command line: one verb per step of the flow (heavy imports happen lazily)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from .errors import EXIT_USAGE, JpllmkgError

EPILOG = """examples:
  jpllmkg validate                 check the graph in the current checkout
  jpllmkg validate --format json   the same, machine-readable
  jpllmkg --root ~/jpllmkg validate
"""


def _load(args: argparse.Namespace):
    from .loader import load
    from .project import find_project

    return load(find_project(root=args.root))


def cmd_validate(args: argparse.Namespace) -> int:
    """Run SHACL and the QC queries; exit 1 on violations."""
    from .validation import validate
    from .validation_text import render_validation

    kg = _load(args)
    report = validate(kg)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_validation(report, str(kg.project.root)))
    return report.exit_code


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit 2 with one clear paragraph."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}. See '{self.prog} --help'.\n")


def _add(sub, name: str, handler: Callable, help_text: str, example: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


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
    validate = _add(
        sub,
        "validate",
        cmd_validate,
        "Validate the graph with the SHACL shapes and the quality-check queries.",
        "jpllmkg validate --format json",
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _version() -> str:
    from . import __version__

    return f"jpllmkg {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
