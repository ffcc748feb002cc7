"""The `jpllmkg` command line: one verb per step of the flow (heavy imports happen lazily)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence

from .errors import EXIT_USAGE, JpllmkgError

EPILOG = """examples:
  jpllmkg validate                          check the graph in the current checkout
  jpllmkg queries                           list the saved relationship questions
  jpllmkg query foreign-base-models         run one (table, csv, json or md)
  jpllmkg query lineage --param model=jpr:takane --lang ja
  jpllmkg --root ~/jpllmkg validate --format json
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


def cmd_queries(args: argparse.Namespace) -> int:
    """List the saved queries with their titles and parameters."""
    from .catalogue import QueryCatalogue
    from .project import find_project

    catalogue = QueryCatalogue(find_project(root=args.root))
    entries = [
        {
            "name": q.name,
            "title": q.title(args.lang),
            "params": [f"{p.name}:{p.type}{'' if p.required else '?'}" for p in q.params],
        }
        for q in catalogue
    ]
    if args.format == "json":
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    if args.format == "md":
        from .catalogue import catalogue_markdown

        print(catalogue_markdown(catalogue))
        return 0
    width = max(len(e["name"]) for e in entries) if entries else 0
    for entry in entries:
        params = f"  [{' '.join(entry['params'])}]" if entry["params"] else ""
        print(f"{entry['name']:<{width}}  {entry['title']}{params}")
    return 0


def _print_result(result, graph, args: argparse.Namespace) -> None:
    from .render import render

    print(render(result, args.format, graph.label, args.lang))


def cmd_query(args: argparse.Namespace) -> int:
    """Run a saved query by name."""
    from .api import load
    from .params import parse_assignments

    graph = load(args.root, engine=args.engine)
    result = graph.query(args.name, **parse_assignments(args.param))
    _print_result(result, graph, args)
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    """Run an ad-hoc SPARQL query on the loaded graph."""
    from pathlib import Path

    from .api import load
    from .errors import UsageError

    if (args.text is None) == (args.file is None):
        raise UsageError("give either a QUERY text or --file FILE, not both and not neither.")
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read query file {args.file}: {error}.") from None
    else:
        text = args.text
    graph = load(args.root, engine=args.engine)
    _print_result(graph.sparql(text), graph, args)
    return 0


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv", "json", "md"), default="table")
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language")
    parser.add_argument("--engine", default=None, help="embedded SPARQL engine")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit 2 with one clear paragraph."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}. See '{self.prog} --help'.\n")


def _add(
    sub, name: str, handler: Callable, help_text: str, example: str
) -> argparse.ArgumentParser:
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

    queries = _add(
        sub, "queries", cmd_queries, "List the saved queries.", "jpllmkg queries --lang ja"
    )
    queries.add_argument("--lang", choices=("en", "ja"), default="en")
    queries.add_argument("--format", choices=("text", "json", "md"), default="text")

    query = _add(
        sub,
        "query",
        cmd_query,
        "Run a saved query by name, with typed parameters.",
        "jpllmkg query lineage --param model=jpr:takane --format md",
    )
    query.add_argument("name", help="saved query name (see 'jpllmkg queries')")
    query.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a query parameter"
    )
    _output_options(query)

    sparql = _add(
        sub,
        "sparql",
        cmd_sparql,
        "Run an ad-hoc SPARQL SELECT or ASK query on the loaded graph.",
        "jpllmkg sparql 'SELECT ?m WHERE { ?m a jpllm:LanguageModel }'",
    )
    sparql.add_argument(
        "text", nargs="?", help="the query text (prefixes jpllm:, jpr: ... predeclared)"
    )
    sparql.add_argument("--file", help="read the query from a file")
    _output_options(sparql)
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
