"""`jpllmkg build`: validate, then write the offline explorer site into a folder (``dist/``).

The graph is loaded and validated once; on any violation nothing is written. The site is
switched in by one atomic step, so that at every moment ``--out`` is either the previous complete
site or the new complete one, even when the build is killed:

- ``--out`` (say ``dist``) is a symbolic link to a folder ``.dist-builds/<build>/`` beside it.
  The new site is written into a new folder there, then a new link is renamed over ``dist``
  (``os.replace``, one atomic rename); older builds, and whatever a killed build left in
  ``.dist-builds/``, are removed afterwards.
- One build at a time per ``--out``: a build takes an exclusive lock (``fcntl.flock`` on
  ``.dist-builds/lock``); a second build waits for the first to finish, then builds.
- Files in the site that no build wrote: ``.git``, ``CNAME`` and ``.nojekyll`` (what a
  static-site host such as GitHub Pages needs) are copied into every new build. Anything else
  stops the build with exit 2, naming the files, before any work; nothing is deleted.
- A ``dist/`` that is a real folder written by an older version (it has a ``build.json``) is
  moved into ``.dist-builds/`` and replaced by the link (that one time, by two renames). A
  folder without ``build.json`` that holds files, a mount point, a file, or a link to somewhere
  else is refused with exit 2.

``build.json`` holds the one build timestamp (``built``, UTC; ``SOURCE_DATE_EPOCH`` sets it):
every other byte of the site is the same for the same input.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jpllmkg import __version__
from jpllmkg.errors import UsageError
from jpllmkg.export import DUMP_FORMATS, dump, refuse_source_folder
from jpllmkg.graph.loader import KnowledgeGraph, load
from jpllmkg.graph.project import Project
from jpllmkg.query.local import Graph
from jpllmkg.shared import Progress, current_umask
from jpllmkg.site.entities import plan_entity_pages, write_entity_pages
from jpllmkg.site.explorer import write_explorer
from jpllmkg.site.html import Site, write_style
from jpllmkg.site.index import write_index
from jpllmkg.site.ontology import plan_vocabulary_links, write_ontology_docs
from jpllmkg.site.queries import write_query_pages
from jpllmkg.site.reports import write_sources, write_validation
from jpllmkg.site.views import write_views
from jpllmkg.validate.validation import ValidationReport, validate

MANIFEST = "build.json"
STEPS = (
    "load",
    "validate",
    "ontology docs",
    "graph views",
    "entity pages",
    "query pages",
    "explorer",
    "sources",
    "validation report",
    "dumps",
    "index",
    "swap in",
)
# Files a user may keep in the site; every build carries them over (see the module docstring).
CARRIED = (".git", "CNAME", ".nojekyll")
# What a build writes at the top of the site (how files of an older build's real folder are told
# from the user's; tests check it against a real build).
SITE_ENTRIES = frozenset(
    {"assets", "dumps", "entities", "index.html", "ontology", "queries", "sources", "views"}
    | {"sparql.html", "search.html", "about.html"}
    | {"validation.html", "validation.json", MANIFEST}
)
LOCK = "lock"


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


def builds_folder(out: Path) -> Path:
    """The folder beside ``out`` that holds its builds and lock (``.dist-builds`` for ``dist``)."""
    return out.parent / f".{out.name}-builds"


def check_out(out: Path, project: Project) -> Path:
    """The absolute output path (its folder resolved, not the link itself), refusing one the
    build must not replace (exit 2)."""
    given = Path(os.path.abspath(out.expanduser()))
    if given.name in ("", ".", ".."):
        raise UsageError(f"--out {out} names no folder of its own; give one, such as dist/.")
    out = given.parent.resolve() / given.name
    root = project.root.resolve()
    if out == root or out in root.parents:
        raise UsageError(
            f"--out {out} is the project or a folder above it; the build replaces --out as a "
            "whole. Give a folder of its own, such as dist/."
        )
    refuse_source_folder(out, project, "dist/")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create the folder {out.parent} for --out ({error}).") from None
    if not os.access(out.parent, os.W_OK):
        raise UsageError(f"cannot write into {out.parent} (no permission) to create --out {out}.")
    return out


def check_replaceable(out: Path) -> None:
    """Refuse an ``out`` that the switch cannot or must not replace, or that holds files no
    build wrote (other than :data:`CARRIED`); exit 2, before any work."""
    if out.is_symlink():
        target = os.readlink(out)
        if not _is_build_link(out, target):
            raise UsageError(
                f"--out {out} is a symbolic link to {target}, which no build made (a build's "
                f"link points into {builds_folder(out).name}/). Give the real folder as --out, "
                "or remove the link."
            )
    elif out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder. Give a folder path, such as dist/.")
    elif out.is_dir():
        if os.path.ismount(out):
            raise UsageError(
                f"--out {out} is a mount point; the build switches --out atomically by renaming "
                f"a link over it, which a mount point cannot be. Give a folder inside it (such "
                f"as --out {out / 'site'}) or beside it."
            )
        if any(out.iterdir()) and not (out / MANIFEST).is_file():
            raise UsageError(
                f"--out {out} is a folder with files in it that no earlier build wrote (it has "
                f"no {MANIFEST}). The build replaces --out as a whole, so it will not delete it: "
                "give a new or empty folder, or remove this one yourself."
            )
    foreign = foreign_files(out)
    if foreign:
        shown = ", ".join(foreign[:10]) + (f" and {len(foreign) - 10} more" if foreign[10:] else "")
        raise UsageError(
            f"--out {out} holds files that no build wrote: {shown}. The build replaces the "
            f"site as a whole and keeps only {', '.join(CARRIED)}; move these files out of "
            f"{out.name}/ (nothing was changed) and run the build again."
        )


def _is_build_link(out: Path, target: str) -> bool:
    """True for the link a build makes: ``.NAME-builds/<build>`` beside ``out``."""
    folder, _, build = target.partition("/")
    return folder == builds_folder(out).name and bool(build) and "/" not in build


def foreign_files(out: Path) -> list[str]:
    """The site's paths that no build wrote and that are not carried over, sorted."""
    if not out.is_dir():
        return []
    try:
        written = set(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        written = None  # a site of an older version: it listed nothing
    found = []
    for path in out.iterdir():
        if path.name in CARRIED:
            continue
        if written is None:
            if path.name not in SITE_ENTRIES:
                found.append(path.name)
            continue
        paths = [path] if not path.is_dir() or path.is_symlink() else sorted(path.rglob("*"))
        for item in paths:
            relative = item.relative_to(out).as_posix()
            if (item.is_file() or item.is_symlink()) and relative not in written:
                found.append(relative)
    return sorted(found)


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the lock of ``out``'s builds; wait (saying so) while another build holds it."""
    folder = builds_folder(out)
    try:
        folder.mkdir(exist_ok=True)
        handle = open(folder / LOCK, "a+b")  # noqa: SIM115 - held for the whole build
    except OSError as error:
        raise UsageError(f"cannot create {folder} for the builds of --out ({error}).") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"jpllmkg: another build into {out} is running; waiting for it to finish.",
                file=sys.stderr,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def build(
    project: Project, out: Path, lang: str = "en", progress: Progress | None = None
) -> BuildResult:
    """Load, validate and, when there is no violation, switch ``out`` to the new site."""
    progress = progress or Progress(len(STEPS), enabled=False)
    out = check_out(out, project)
    check_replaceable(out)  # before the lock, which makes .NAME-builds/
    with build_lock(out):
        check_replaceable(out)  # again: the build that held the lock may have changed it
        progress.step("load")
        kg = load(project)
        progress.step("validate")
        report = validate(kg)
        result = BuildResult(out=out, report=report)
        if report.violations:
            progress.finish()
            return result
        builds = builds_folder(out)
        staging = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
        try:
            os.chmod(staging, 0o777 & ~current_umask())
            result.counts = write_site(kg, report, staging, lang, progress)
            files = [p for p in staging.rglob("*") if p.is_file()]
            result.written, result.files = True, len(files)
            result.pages = sum(1 for p in files if p.suffix == ".html")
            result.size = sum(p.stat().st_size for p in files)
            _carry_over(out, staging)
            progress.step("swap in")
            _switch(out, staging)
        except BaseException:
            if not _is_live(out, staging):
                shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            progress.finish()
        _remove_other_builds(builds, staging)
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
    progress.step("explorer")
    assets = write_explorer(site, graph)
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
        "built": build_time(),
        "lang": lang,
        "triples": len(kg.data),
        "counts": counts,
        "view_nodes": views,
        "assets": assets,
        "files": sorted(
            [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
            + [MANIFEST]
        ),
    }
    site.write(MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return counts


def build_time() -> str:
    """The build's timestamp (UTC, ISO 8601): now, or ``SOURCE_DATE_EPOCH`` when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        seconds = int(epoch) if epoch else time.time()
    except ValueError:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970; unset it or "
            "give an integer."
        ) from None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def write_dumps(site: Site) -> None:
    """dumps/graph.{ttl,nt,jsonld,trig}: the whole loaded graph."""
    for fmt in DUMP_FORMATS:
        site.write(f"dumps/graph.{fmt}", dump(site.kg, fmt))


def _carry_over(out: Path, staging: Path) -> None:
    """Copy the :data:`CARRIED` files of the current site into the new one."""
    for name in CARRIED:
        source = out / name
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, staging / name, symlinks=True)
        elif source.is_file() or source.is_symlink():
            shutil.copy2(source, staging / name, follow_symlinks=False)


def _switch(out: Path, staging: Path) -> None:
    """Point ``out`` at ``staging`` by renaming a new link over it: one atomic step."""
    builds = staging.parent
    link = builds / f"link-{staging.name}"
    os.symlink(f"{builds.name}/{staging.name}", link)
    retired = None
    try:
        if out.is_dir() and not out.is_symlink():  # a site of an older version, or empty
            retired = builds / f"old-{staging.name}"
            os.rename(out, retired)
        os.replace(link, out)
    except OSError as error:
        link.unlink(missing_ok=True)
        if retired is not None and not out.exists():
            os.rename(retired, out)
        raise UsageError(
            f"cannot switch --out {out} to the new build ({error.strerror or error}); the "
            "previous site was left as it was. Check that --out and its folder can be renamed "
            "(not a mount point, not busy) and run the build again."
        ) from None


def _is_live(out: Path, staging: Path) -> bool:
    """True when ``out`` already points at ``staging`` (it must then not be removed)."""
    return out.is_symlink() and os.readlink(out) == f"{staging.parent.name}/{staging.name}"


def _remove_other_builds(builds: Path, current: Path) -> None:
    """Remove older builds and whatever killed builds left; keep the current one and the lock."""
    for entry in builds.iterdir():
        if entry.name in (current.name, LOCK):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
