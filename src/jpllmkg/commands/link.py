"""`jpllmkg link wikidata`: propose Wikidata candidates for review, or fetch facts for links."""

from __future__ import annotations

import argparse

from . import add_command, load_graph


def run_link(args: argparse.Namespace) -> int:
    """Run --propose or --fetch against a Wikidata-style SPARQL endpoint."""
    from .. import linking
    from ..wikidata_client import WIKIDATA_SPARQL, client

    kg = load_graph(args)
    endpoint = args.endpoint or WIKIDATA_SPARQL
    sparql = client(endpoint, args.timeout, args.retries)
    if args.propose:
        path = linking.candidates_path(kg, args.out)
        entities, candidates = linking.propose(kg, sparql)
        linking.write_atomically(path, linking.candidates_tsv(candidates))
        matched = len({c.entity.iri for c in candidates})
        print(
            f"{len(entities)} unlinked entities; {len(candidates)} candidate(s) for {matched} of "
            f"them written to {path} for review. Publish a link only with its evidence "
            "(graph/external/wikidata.ttl and mappings.tsv)."
        )
        return 0
    facts, items = linking.fetch(kg, sparql)
    path = linking.write_facts(kg, facts)
    print(
        f"Fetched {len(facts)} triples about {items} linked Wikidata items from {endpoint} "
        f"into {kg.project.relative(path)}."
    )
    return 0


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
        help="write candidates for unlinked entities, with scores, to a TSV (never into graph/)",
    )
    mode.add_argument(
        "--fetch",
        action="store_true",
        help="cache P856/P571/P17 and ja/en labels of linked items in "
        "graph/external/wikidata-facts.ttl",
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
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument(
        "--retries", type=int, default=3, help="retries after a timeout or 429/5xx (backoff)"
    )
