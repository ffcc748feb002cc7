"""The `jpllmkg` command line: one verb per step of the flow (heavy imports happen lazily)."""

from __future__ import annotations

import argparse
import logging
import os
import select
import sys
import traceback
import warnings
from collections.abc import Sequence
from importlib import import_module

from jpllmkg.commands import MODULES
from jpllmkg.errors import EXIT_INTERRUPTED, EXIT_USAGE, JpllmkgError

# A reader that stops early (`jpllmkg query x | head -1`): stop quietly, with the status a
# shell reports for a writer ended by SIGPIPE (128 + 13), as other Unix tools do.
EXIT_BROKEN_PIPE = 141

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
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the full traceback of an unexpected error (to attach to a bug report)",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in MODULES:
        import_module(f"{__package__}.commands.{name}").register(sub)
    return parser


def _version() -> str:
    from jpllmkg import __version__

    return f"jpllmkg {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script: the exit code, never a traceback (unless --debug).

    0 success, 1 SHACL/QC findings, 2 bad input or an internal error, 130 interrupted,
    141 the reader of the output went away.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(argv)
    except JpllmkgError as error:
        print(f"jpllmkg: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("jpllmkg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        if not _stdout_is_closed():
            return _internal_error("--debug" in argv)
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except Exception:  # the last resort: any other exception is a bug of jpllmkg
        return _internal_error("--debug" in argv)


def _run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # rdflib logs a traceback (and warns) for ill-typed literals; validation reports them.
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib\.")
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    code = args.handler(args)
    sys.stdout.flush()  # a closed pipe shows here, inside the handlers above
    return code


def _internal_error(debug: bool) -> int:
    """Report an unexpected exception in one paragraph (or as a traceback with --debug)."""
    error = sys.exc_info()[1]
    if debug:
        traceback.print_exc()
    else:
        print(
            f"jpllmkg: internal error: {type(error).__name__}: {error}. This is a bug in "
            "jpllmkg, not a fault of your input: please report it with the command you ran "
            "and the traceback that 'jpllmkg --debug ...' prints.",
            file=sys.stderr,
        )
    return EXIT_USAGE


def _stdout_is_closed() -> bool:
    """Whether standard output is a pipe or socket whose reader has gone away."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError):
        return False


def _discard_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
