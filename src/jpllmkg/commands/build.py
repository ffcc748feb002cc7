"""`jpllmkg build`: validate, then write the offline explorer site (the project's main job)."""

from __future__ import annotations

import argparse
import sys

from jpllmkg.commands import add_command


def run(args: argparse.Namespace) -> int:
    """Build the site into --out; exit 1 (writing nothing) when the graph has violations."""
    from pathlib import Path

    from jpllmkg.errors import EXIT_FINDINGS
    from jpllmkg.graph.project import find_project
    from jpllmkg.shared import Progress
    from jpllmkg.site.build import STEPS, build
    from jpllmkg.site.html import human_size
    from jpllmkg.validate.validation_text import render_validation

    project = find_project(root=args.root)
    out = Path(args.out) if args.out else project.root / "dist"
    progress = Progress(len(STEPS), enabled=not args.quiet)
    result = build(project, out, lang=args.lang, progress=progress)
    if not result.written:
        print(render_validation(result.report, str(project.root)))
        print(
            f"jpllmkg: build stopped: {len(result.report.violations)} violation(s); nothing was "
            f"written and {result.out} was left as it was.",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    counts = result.counts
    print(f"built {result.out}")
    print(
        f"  {progress.elapsed():.1f} s, {result.files} files, {human_size(result.size)}: "
        f"{result.pages} HTML pages ({counts['entities']} entities, {counts['queries']} "
        f"queries, {counts['views']} views), {counts['sources']} sources listed, "
        f"{len(result.report.warnings)} validation warning(s)"
    )
    return 0


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "build",
        run,
        "Validate the graph, then write the offline explorer site (HTML, dumps, reports).",
        "jpllmkg build --out dist --lang ja",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        help=(
            "output site (default: PROJECT/dist): a link to the newest build in .DIR-builds/ "
            "beside it, switched in one atomic step; a second build into the same DIR waits "
            "for the first. Of files no build wrote, .git, CNAME and .nojekyll are carried "
            "into every new build; any other stops the build (exit 2), nothing deleted"
        ),
    )
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language")
    parser.add_argument("--quiet", action="store_true", help="no progress display on stderr")
