"""`jpllmkg validate`: SHACL shapes, the shapes graph itself, and the QC queries."""

from __future__ import annotations

import argparse
import json

from jpllmkg.commands import add_command, load_graph


def run(args: argparse.Namespace) -> int:
    """Validate; exit 1 on violations (warnings are reported but allowed)."""
    from jpllmkg.validate.validation import validate
    from jpllmkg.validate.validation_text import render_validation

    kg = load_graph(args)
    report = validate(kg, args.shacl_engine)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_validation(report, str(kg.project.root), verbose=args.verbose))
    return report.exit_code


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "validate",
        run,
        "Validate the graph with the SHACL shapes and the quality-check queries.",
        "jpllmkg validate --format json",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="text: also list every warning and the entities per class (violations are always "
        "listed)",
    )
    parser.add_argument(
        "--shacl-engine",
        choices=("turbo", "pyshacl"),
        default="turbo",
        help="SHACL validator: pyshacl-turbo (fast, default) or pySHACL (reference)",
    )
