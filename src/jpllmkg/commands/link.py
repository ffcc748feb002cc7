"""`jpllmkg link wikidata`: propose Wikidata candidates for review, or fetch facts for links."""

from __future__ import annotations

import argparse

from ..errors import UsageError
from . import add_command, load_graph, seconds_option

MAX_RETRIES = 10


def run_link(args: argparse.Namespace) -> int:
    """Run --propose or --fetch against a Wikidata-style SPARQL endpoint."""
    from .. import linking
    from ..sparql_client import shown
    from ..viz_html import atomic_write
    from ..wikidata_client import WIKIDATA_SPARQL, client

    if args.fetch and args.out:
        raise UsageError(
            f"--out is for --propose only; --fetch always writes {linking.FACTS_FILE} (a "
            "generated file). Leave --out out, or use --propose."
        )
    kg = load_graph(args)
    endpoint = args.endpoint or WIKIDATA_SPARQL
    sparql = client(endpoint, args.timeout, args.retries)
    if args.propose:
        path = linking.candidates_path(kg, args.out)
        entities, candidates = linking.propose(kg, sparql)
        atomic_write(path, linking.candidates_tsv(candidates))
        matched = len({c.entity.iri for c in candidates})
        print(
            f"{len(entities)} unlinked entities; {len(candidates)} candidate(s) for {matched} of "
            f"them written to {path} for review. Publish a link only with its evidence "
            "(graph/external/wikidata.ttl and mappings.tsv)."
        )
        return 0
    report = linking.fetch(kg, sparql)
    path, old_file = linking.write_facts(kg, report.facts)
    print(
        f"Fetched facts about {report.items} linked Wikidata items from {shown(sparql.url)}: "
        f"{report.summary()}; wrote {len(report.facts)} triples to {kg.project.relative(path)}"
        + (f"; {old_file}" if old_file else ".")
    )
    return 0


def retry_count(text: str) -> int:
    """An argparse type: a whole number of retries from 0 to MAX_RETRIES."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_RETRIES:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of retries: give a whole number from 0 to {MAX_RETRIES}"
        )
    return value


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "link",
        run_link,
        "Reconcile entities with Wikidata (candidates for review) or fetch facts for linked ones.",
        "jpllmkg link wikidata --propose --out candidates.tsv",
    )
    parser.add_argument("target", choices=("wikidata",), help="the dataset to link to")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--propose",
        action="store_true",
        help="write candidates for unlinked entities, with scores, to a TSV (never into graph/, "
        "ontology/ or queries/)",
    )
    mode.add_argument(
        "--fetch",
        action="store_true",
        help="cache checked P856/P571/P17 values and ja/en labels of linked items in the "
        "generated file graph/generated/wikidata-facts.ttl; anything else the endpoint answers "
        "is counted and dropped",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="Wikidata-style SPARQL endpoint (default: Wikidata's query service, "
        "https://query.wikidata.org/sparql)",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="candidates TSV (default dist/wikidata-candidates.tsv)"
    )
    parser.add_argument(
        "--timeout",
        type=seconds_option,
        default=60.0,
        help="seconds per request (above 0)",
    )
    parser.add_argument(
        "--retries",
        type=retry_count,
        default=3,
        help=f"retries after a timeout or 429/5xx, with backoff (0 to {MAX_RETRIES})",
    )
