"""`jpllmkg stats`: network statistics of the whole graph (networkx)."""

from __future__ import annotations

import argparse
import json

from jpllmkg.commands import add_command, load_graph


def _entity(row: dict) -> str:
    return f"{row['label']} ({row['iri']})"


def format_text(stats: dict, width: int | None = None, wide: bool = False) -> str:
    """The statistics as plain-text tables that fit ``width`` columns (default: the terminal's;
    ``wide``: no wrapping)."""

    from jpllmkg.query.render import terminal_width, text_table, wrap

    def _table(rows: list[dict], columns: list[str]) -> list[str]:
        return text_table(columns, [[str(r[c]) for c in columns] for r in rows], width, wide)

    out: list[str] = []
    classes = [{"class": k, "entities": v} for k, v in stats["classes"].items()]
    out += ["Entities per class", *_table(classes, ["class", "entities"]), ""]
    relation = stats["relation_graph"]
    components = stats["components"]
    summary = (
        f"Relation graph: {relation['nodes']} entities, {relation['edges']} relations; "
        f"{components['count']} connected components (sizes {components['sizes']}), "
        f"{components['isolated']} isolated."
    )
    out += [summary] if wide else wrap(summary, terminal_width() if width is None else width)
    out.append("")
    for kind, title in (("organizations", "organizations"), ("models", "models and families")):
        for measure in ("degree", "betweenness"):
            rows = [
                {"rank": i, "entity": _entity(r), measure: r[measure]}
                for i, r in enumerate(stats["centrality"][kind][measure], 1)
            ]
            out += [
                f"Most central {title} by {measure}",
                *_table(rows, ["rank", "entity", measure]),
            ]
            out.append("")
    lineage = stats["lineage"]
    roots = [
        {"root": _entity(r), "depth": r["depth"], "descendants": r["descendants"]}
        for r in lineage["roots"]
    ]
    out += ["Lineage roots", *_table(roots, ["root", "depth", "descendants"]), ""]
    models = [{"model": _entity(r), "depth": r["depth"]} for r in lineage["models"]]
    out += ["Lineage depth of derived models", *_table(models, ["model", "depth"]), ""]
    deployed = [
        {"model": _entity(r), "direct": r["deployments"], "with members": r["including_members"]}
        for r in stats["deployments_per_model"]
    ]
    out += [
        "Most-deployed models and families",
        *_table(deployed, ["model", "direct", "with members"]),
    ]
    out.append("")
    orgs = [
        {
            "organization": _entity(r),
            "relations": r["relations"],
            "by relation": ", ".join(f"{k} {v}" for k, v in r["by_relation"].items()),
        }
        for r in stats["organization_relations"]
    ]
    out += [
        "Organizations with the most relations",
        *_table(orgs, ["organization", "relations", "by relation"]),
    ]
    if "support_kinds" in stats:
        kinds = [{"kind": k, "statements": v} for k, v in stats["support_kinds"].items()]
        out += ["", "Statements per kind of support", *_table(kinds, ["kind", "statements"])]
    return "\n".join(out)


def run_stats(args: argparse.Namespace) -> int:
    """Compute and print the statistics."""
    from jpllmkg.analysis import statistics
    from jpllmkg.errors import UsageError

    if args.top < 1:
        raise UsageError(f"--top must be 1 or more, got {args.top}.")
    from jpllmkg.query.why import statement_kind_counts

    kg = load_graph(args)
    stats = statistics(kg, top=args.top, lang=args.lang)
    stats["support_kinds"] = statement_kind_counts(kg)
    if args.format == "json":
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(format_text(stats, wide=args.wide))
    return 0


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "stats",
        run_stats,
        "Network statistics: entities per class, centrality, lineage, components, deployments.",
        "jpllmkg stats --format json --top 5",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--wide", action="store_true", help="table: one line per row, no wrapping")
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language")
    parser.add_argument(
        "--top", type=int, default=10, metavar="N", help="rows in each ranking (default 10)"
    )
