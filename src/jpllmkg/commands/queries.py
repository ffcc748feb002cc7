"""`jpllmkg queries`, `query` and `sparql`: the saved relationship questions and ad-hoc SPARQL."""

from __future__ import annotations

import argparse
import json

from jpllmkg.commands import add_command, add_output_options, checked, seconds_option
from jpllmkg.query.bounds import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, row_cap


def run_queries(args: argparse.Namespace) -> int:
    """List the saved queries with their titles and parameters."""
    from jpllmkg.graph.project import find_project
    from jpllmkg.query.catalogue import QueryCatalogue

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
        from jpllmkg.query.catalogue import catalogue_markdown

        print(catalogue_markdown(catalogue))
        return 0
    width = max(len(e["name"]) for e in entries) if entries else 0
    for entry in entries:
        params = f"  [{' '.join(entry['params'])}]" if entry["params"] else ""
        print(f"{entry['name']:<{width}}  {entry['title']}{params}")
    return 0


def _print_result(result, graph, args: argparse.Namespace) -> None:
    import sys

    from jpllmkg.query.render import render

    sys.stdout.write(render(result, args.format, graph.label, args.lang, wide=args.wide))


def _load(args: argparse.Namespace):
    from jpllmkg.api import load

    return load(
        args.root,
        engine=args.engine,
        endpoint=args.endpoint,
        timeout=args.timeout,
        max_rows=args.max_rows,
        inferred=not args.asserted_only,
    )


def run_query(args: argparse.Namespace) -> int:
    """Run a saved query by name."""
    from jpllmkg.query.params import parse_assignments

    graph = _load(args)
    result = graph.query(args.name, **parse_assignments(args.param))
    _print_result(result, graph, args)
    return 0


def run_sparql(args: argparse.Namespace) -> int:
    """Run an ad-hoc SPARQL query on the loaded graph."""
    from pathlib import Path

    from jpllmkg.errors import UsageError

    if (args.text is None) == (args.file is None):
        raise UsageError("give either a QUERY text or --file FILE, not both and not neither.")
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read query file {args.file}: {error}.") from None
    else:
        text = args.text
    graph = _load(args)
    _print_result(graph.sparql(text), graph, args)
    return 0


def register(subparsers) -> None:
    queries = add_command(
        subparsers, "queries", run_queries, "List the saved queries.", "jpllmkg queries --lang ja"
    )
    queries.add_argument("--lang", choices=("en", "ja"), default="en")
    queries.add_argument("--format", choices=("text", "json", "md"), default="text")

    query = add_command(
        subparsers,
        "query",
        run_query,
        "Run a saved query by name, with typed parameters.",
        "jpllmkg query lineage --param model=jpr:takane --format md",
    )
    query.add_argument("name", help="saved query name (see 'jpllmkg queries')")
    query.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a query parameter"
    )
    add_output_options(query)
    _add_endpoint_option(query)

    sparql = add_command(
        subparsers,
        "sparql",
        run_sparql,
        "Run an ad-hoc SPARQL SELECT or ASK query on the loaded graph (never an update).",
        "jpllmkg sparql 'SELECT ?m WHERE { ?m a jpllm:LanguageModel }'",
    )
    sparql.add_argument(
        "text", nargs="?", help="the query text (prefixes jpllm:, jpr: ... predeclared)"
    )
    sparql.add_argument("--file", help="read the query from a file")
    add_output_options(sparql)
    _add_endpoint_option(sparql)


def _add_endpoint_option(parser: argparse.ArgumentParser) -> None:
    """--endpoint, --asserted-only, and the bounds of every engine: --timeout and --max-rows."""
    parser.add_argument(
        "--asserted-only",
        action="store_true",
        help="see only the triples the project's files state, none of the ontology's inferred "
        "ones (superclass types, superproperties, inverses); an --endpoint holds only those",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="run on this SPARQL endpoint (e.g. http://127.0.0.1:7878/query from 'jpllmkg "
        "serve'); credentials from JPLLMKG_ENDPOINT_USER / JPLLMKG_ENDPOINT_PASSWORD",
    )
    parser.add_argument(
        "--timeout",
        type=seconds_option,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="stop the query after this many seconds, on the embedded engine or per request "
        f"to --endpoint (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-rows",
        type=checked(row_cap),
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"show at most N rows, with a warning when cut (default: {DEFAULT_MAX_ROWS:,}; "
        "0: no cap)",
    )
