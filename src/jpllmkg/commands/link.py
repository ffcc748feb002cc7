"""`jpllmkg link DATASET`: generate the links to an external dataset from its mapping table,
propose candidates for review, or fetch facts for the links (any dataset registered in
:mod:`jpllmkg.link`, through its interface :class:`jpllmkg.link.dataset.ExternalDataset`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from jpllmkg.commands import add_command, load_graph, seconds_option
from jpllmkg.errors import UsageError
from jpllmkg.link import DATASETS

if TYPE_CHECKING:
    from jpllmkg.link.dataset import ExternalDataset

MAX_RETRIES = 10


def run_link(args: argparse.Namespace) -> int:
    """Run --write-links, or --propose or --fetch against the dataset's SPARQL endpoint."""
    from jpllmkg.graph.project import find_project
    from jpllmkg.link import dataset
    from jpllmkg.link.facts import fetch, write_facts
    from jpllmkg.link.mappings import write_links
    from jpllmkg.link.reconcile import candidates_path, candidates_tsv, propose
    from jpllmkg.query.sparql_client import shown
    from jpllmkg.shared import atomic_write

    target = dataset(args.target)
    if args.out and not args.propose:
        written = target.facts_file if args.fetch else target.links_file
        raise UsageError(
            f"--out is for --propose only; {'--fetch' if args.fetch else '--write-links'} always "
            f"writes {written} (a generated file). Leave --out out, or use --propose."
        )
    if args.write_links:
        project = find_project(root=args.root)
        path, count = write_links(target, project.root)
        print(
            f"wrote {count} links from {target.mappings_file} to {project.relative(path)}; "
            "'jpllmkg validate' checks them with the rest of the graph."
        )
        return 0
    kg = load_graph(args)
    sparql = target.client(args.endpoint or target.endpoint, args.timeout, args.retries)
    if args.propose:
        path = candidates_path(target, kg, args.out)
        entities, candidates = propose(target, kg, sparql)
        atomic_write(path, candidates_tsv(candidates))
        matched = len({c.entity.iri for c in candidates})
        print(
            f"{len(entities)} unlinked entities; {len(candidates)} candidate(s) for {matched} of "
            f"them written to {path} for review. Publish a link only with its evidence: a row "
            f"of {target.mappings_file}, then 'jpllmkg link {target.name} --write-links'."
        )
        return 0
    report = fetch(target, kg, sparql)
    path, old_file = write_facts(target, kg, report.facts)
    print(
        f"Fetched facts about {report.items} linked {target.title} items from "
        f"{shown(sparql.url)}: {report.summary()}; wrote {len(report.facts)} triples to "
        f"{kg.project.relative(path)}" + (f"; {old_file}" if old_file else ".")
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


class DatasetsHelp(argparse.RawDescriptionHelpFormatter):
    """The verb's help, with what each registered dataset declares (its files, facts and
    default endpoint) after the help of the target; the implementations are imported only when
    the help is shown, never to build the parser."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = super()._get_help_string(action) or ""
        if action.dest != "target":
            return text
        from jpllmkg.link import dataset

        described = "; ".join(describe(dataset(name)) for name in DATASETS)
        return f"{text}; {described.replace('%', '%%')}"


def describe(target: ExternalDataset) -> str:
    """One dataset in the help: its name, files, facts and default endpoint."""
    return (
        f"{target.name} ({target.title}): links {target.links_file.as_posix()} generated from "
        f"{target.mappings_file.as_posix()}, facts ({target.facts_text}) in "
        f"{target.facts_file.as_posix()}, candidates by default in "
        f"{target.candidates_file.as_posix()}, default endpoint {target.endpoint}"
    )


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "link",
        run_link,
        "Generate the links to an external Linked Data dataset from their table, reconcile "
        "entities with the dataset (candidates for review) or fetch facts for linked ones.",
        "jpllmkg link wikidata --propose --out candidates.tsv",
    )
    parser.add_argument("target", choices=DATASETS, help="the dataset to link to")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--write-links",
        action="store_true",
        help="generate the dataset's links file from its mapping table, the only hand-edited "
        "copy of each link (no endpoint is contacted)",
    )
    mode.add_argument(
        "--propose",
        action="store_true",
        help="write candidates for unlinked entities, with scores, to a TSV (never into graph/, "
        "ontology/ or queries/)",
    )
    mode.add_argument(
        "--fetch",
        action="store_true",
        help="cache checked values of the dataset's declared facts about linked items in its "
        "generated facts file; anything else the endpoint answers is counted and dropped",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="the dataset's SPARQL endpoint, or a copy shaped like it (default: its public "
        "query service)",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="candidates TSV (default: the dataset's candidates file)"
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
    # Set last: a formatter used while arguments are added must not import the datasets.
    parser.formatter_class = DatasetsHelp
