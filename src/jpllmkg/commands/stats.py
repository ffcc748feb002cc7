"""`jpllmkg stats`: network statistics of the whole graph (networkx)."""

from __future__ import annotations

import argparse
import json

from . import add_command, load_graph


def _table(rows: list[dict], columns: list[str]) -> list[str]:
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = (str(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
    return lines


def _entity(row: dict) -> str:
    return f"{row['label']} ({row['iri']})"


def format_text(stats: dict) -> str:
    """The statistics as plain-text tables."""
    out: list[str] = []
    classes = [{"class": k, "entities": v} for k, v in stats["classes"].items()]
    out += ["Entities per class", *_table(classes, ["class", "entities"]), ""]
    relation = stats["relation_graph"]
    components = stats["components"]
    out.append(
        f"Relation graph: {relation['nodes']} entities, {relation['edges']} relations; "
        f"{components['count']} connected components (sizes {components['sizes']}), "
        f"{components['isolated']} isolated."
    )
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
    return "\n".join(out)


def run_stats(args: argparse.Namespace) -> int:
    """Compute and print the statistics."""
    from ..analytics import statistics
    from ..errors import UsageError

    if args.top < 1:
        raise UsageError(f"--top must be 1 or more, got {args.top}.")
    stats = statistics(load_graph(args), top=args.top, lang=args.lang)
    if args.format == "json":
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(format_text(stats))
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
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language")
    parser.add_argument(
        "--top", type=int, default=10, metavar="N", help="rows in each ranking (default 10)"
    )
