"""`jpllmkg build`: validate, then write the offline explorer site into a folder (``dist/``).

The graph is loaded and validated once; on any violation nothing is written. The site is
written into a temporary folder beside ``--out`` and swapped in by renaming, so a failed
build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .api import Graph
from .errors import UsageError
from .export import DUMP_FORMATS, current_umask, dump
from .loader import KnowledgeGraph, load
from .progress import Progress
from .project import Project
from .site.entities import plan_entity_pages, write_entity_pages
from .site.html import Site, write_style
from .site.index import write_index
from .site.ontology import plan_vocabulary_links, write_ontology_docs
from .site.queries import write_query_pages
from .site.reports import write_sources, write_validation
from .site.views import write_views
from .validation import ValidationReport, validate

MANIFEST = "build.json"
STEPS = (
    "load",
    "validate",
    "ontology docs",
    "graph views",
    "entity pages",
    "query pages",
    "sources",
    "validation report",
    "dumps",
    "index",
    "swap in",
)
SOURCE_FOLDERS = ("ontology", "graph", "queries")


@dataclass
class BuildResult:
    """What a build did: the validation report, and (when written) what the site holds."""

    out: Path
    report: ValidationReport
    written: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    pages: int = 0
    size: int = 0


def check_out(out: Path, project: Project) -> Path:
    """The absolute output folder, refusing one the build must not replace (exit 2)."""
    out = out.expanduser().resolve()
    root = project.root.resolve()
    if out == root or out in root.parents:
        raise UsageError(
            f"--out {out} is the project or a folder above it; the build replaces --out as a "
            "whole. Give a folder of its own, such as dist/."
        )
    for name in SOURCE_FOLDERS:
        if out == root / name or (root / name) in out.parents:
            raise UsageError(
                f"--out {out} is inside the project's {name}/ folder, which holds curated input "
                "that the next load would read. Give a folder outside it, such as dist/."
            )
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder. Give a folder path, such as dist/.")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise UsageError(
            f"--out {out} is a folder with files in it that no earlier build wrote (it has no "
            f"{MANIFEST}). The build replaces --out as a whole, so it will not delete it: give a "
            "new or empty folder, or remove this one yourself."
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create the folder {out.parent} for --out ({error}).") from None
    if not os.access(out.parent, os.W_OK):
        raise UsageError(f"cannot write into {out.parent} (no permission) to create --out {out}.")
    return out


def build(
    project: Project, out: Path, lang: str = "en", progress: Progress | None = None
) -> BuildResult:
    """Load, validate and, when there is no violation, write the site to ``out`` atomically."""
    progress = progress or Progress(len(STEPS), enabled=False)
    out = check_out(out, project)
    progress.step("load")
    kg = load(project)
    progress.step("validate")
    report = validate(kg)
    result = BuildResult(out=out, report=report)
    if report.violations:
        progress.finish()
        return result
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        os.chmod(staging, 0o777 & ~current_umask())
        result.counts = write_site(kg, report, staging, lang, progress)
        progress.step("swap in")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        progress.finish()
    files = [p for p in out.rglob("*") if p.is_file()]
    result.written, result.files = True, len(files)
    result.pages = sum(1 for p in files if p.suffix == ".html")
    result.size = sum(p.stat().st_size for p in files)
    return result


def write_site(
    kg: KnowledgeGraph, report: ValidationReport, folder: Path, lang: str, progress: Progress
) -> dict[str, int]:
    """Write every page, dump and report of the site into ``folder``.

    Returns how many views, entity pages, query pages and sources it wrote.
    """
    site = Site(kg=kg, lang=lang, out=folder)
    graph = Graph(kg)
    write_style(site)
    plan_entity_pages(site)
    plan_vocabulary_links(site)
    progress.step("ontology docs")
    write_ontology_docs(site)
    progress.step("graph views")
    views = write_views(site, progress.count)
    counts = {"views": len(views)}
    progress.step("entity pages")
    counts["entities"] = write_entity_pages(site, progress.count)
    progress.step("query pages")
    counts["queries"] = write_query_pages(site, graph, progress.count)
    progress.step("sources")
    counts["sources"] = write_sources(site)
    progress.step("validation report")
    write_validation(site, report)
    progress.step("dumps")
    write_dumps(site)
    progress.step("index")
    write_index(site, report.summary, graph, views)
    manifest = {
        "tool": "jpllmkg",
        "version": __version__,
        "lang": lang,
        "triples": len(kg.data),
        "counts": counts,
        "view_nodes": views,
    }
    site.write(MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return counts


def write_dumps(site: Site) -> None:
    """dumps/graph.{ttl,nt,jsonld,trig}: the whole loaded graph."""
    for fmt in DUMP_FORMATS:
        site.write(f"dumps/graph.{fmt}", dump(site.kg, fmt))


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` in place of ``out``; the old site is only removed once the new one is in."""
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, retired / out.name)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(retired / out.name, out)
        retired.rmdir()
        raise
    shutil.rmtree(retired, ignore_errors=True)
