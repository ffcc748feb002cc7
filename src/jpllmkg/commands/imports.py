"""`jpllmkg import ajl`: import a snapshot of the community catalogue awesome-japanese-llm into
the project's generated ``graph/imported/ajl/`` file (or only into ``--out``)."""

from __future__ import annotations

import argparse
import re
import sys

from jpllmkg.commands import add_command, load_graph

CATALOGUES = ("ajl",)
HEX = re.compile(r"^[0-9a-f]{7,40}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def run(args: argparse.Namespace) -> int:
    """Read the snapshot, match it, write the Turtle atomically, print the summary."""
    from pathlib import Path

    from jpllmkg.errors import UsageError
    from jpllmkg.graph.project import find_project
    from jpllmkg.imports.ajl import IMPORT_FILE, import_snapshot, turtle
    from jpllmkg.imports.ajl_rdf import UPSTREAM, SnapshotInfo
    from jpllmkg.shared import Progress, atomic_write

    snapshot = Path(args.snapshot)
    commit = args.commit or (snapshot.name if HEX.match(snapshot.name) else None)
    if commit is None or not HEX.match(commit):
        raise UsageError(
            f"--commit {commit!r} is not a commit hash: give the upstream commit the snapshot was "
            "copied at (7 to 40 hex digits; the full hash for line links), e.g. --commit "
            "903d9dbeb18cc71fe4bc4cab1a908544922457ac."
            if commit
            else f"say which upstream commit {snapshot} was copied at: --commit SHA (its folder "
            "name is not a commit hash)."
        )
    for name in ("issued", "retrieved"):
        value = getattr(args, name)
        if value is not None and not DATE.match(value):
            raise UsageError(f"--{name} {value!r} is not a date: write it as YYYY-MM-DD.")
    info = SnapshotInfo(commit, args.url or UPSTREAM, args.issued, args.retrieved)
    project = find_project(root=args.root)
    out = Path(args.out) if args.out else project.root / IMPORT_FILE
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder: name the Turtle file to write.")
    progress = Progress(3)
    progress.step("load the curated graph")
    kg = load_graph(args, project)
    progress.step(f"read and match {snapshot}")
    graph, summary = import_snapshot(kg, snapshot, info)
    progress.step(f"write {out}")
    atomic_write(out, turtle(graph, info, snapshot.as_posix()))
    progress.finish()
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"imported {snapshot} ({info.short}) into {out}: {len(graph)} triples")
    for line in summary.lines():
        print(line)
    return 0


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "import",
        run,
        "Import a catalogue snapshot (awesome-japanese-llm) into the generated graph/imported/ "
        "part of the graph, every statement with its file and line.",
        "jpllmkg import ajl --snapshot snapshots/awesome-japanese-llm/903d9db "
        "--commit 903d9dbeb18cc71fe4bc4cab1a908544922457ac",
    )
    parser.add_argument("catalogue", choices=CATALOGUES, help="ajl: awesome-japanese-llm")
    parser.add_argument(
        "--snapshot",
        required=True,
        metavar="DIR",
        help="a folder holding the catalogue's README.md (Japanese) and en/README.md",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="write only FILE and touch nothing in graph/ (default: "
        "graph/imported/ajl/awesome-japanese-llm.ttl)",
    )
    parser.add_argument(
        "--commit",
        metavar="SHA",
        help="the upstream commit of the snapshot (default: the folder's name, when it is a hash)",
    )
    parser.add_argument(
        "--url",
        metavar="URL",
        help="the upstream repository (default: https://github.com/llm-jp/awesome-japanese-llm)",
    )
    parser.add_argument("--issued", metavar="DATE", help="the commit's date, YYYY-MM-DD")
    parser.add_argument(
        "--retrieved", metavar="DATE", help="the day the snapshot was read, YYYY-MM-DD"
    )
