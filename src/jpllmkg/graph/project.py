"""Find the project directory (like git does), check that it is complete, and list its files."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from jpllmkg.errors import InputFileError, ProjectIncompleteError, ProjectNotFoundError

ONTOLOGY = Path("ontology")
MARKER = ONTOLOGY / "jpllm.ttl"
SHAPES = ONTOLOGY / "shapes"
VOCAB = ONTOLOGY / "vocab"
GRAPH = Path("graph")
QUERIES = Path("queries")
QC = QUERIES / "qc"

# What a project must have, and what each part is for (in the order they are checked).
REQUIRED_PARTS: dict[Path, str] = {
    MARKER: "the OWL ontology",
    VOCAB: "the SKOS vocabularies, at least one *.ttl file",
    SHAPES: "the SHACL shapes, at least one *.ttl file",
    GRAPH: "the curated facts",
    QUERIES: "the saved queries",
    QC: "the quality-check queries",
}

_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True)
class Project:
    """A checkout of the knowledge graph: ontology, shapes, facts and queries.

    The file lists hold regular files only, and raise :class:`ProjectIncompleteError` when the
    part they come from is missing (a missing part is an input error, never an empty list).
    """

    root: Path

    @property
    def ontology_files(self) -> list[Path]:
        """The core OWL ontology, its modules, then the SKOS vocabularies."""
        self.require(VOCAB)
        return [self.root / MARKER, *self.ontology_modules, *turtle_files(self.root / VOCAB, self)]

    @property
    def ontology_modules(self) -> list[Path]:
        """The optional ontology modules: every ``ontology/*.ttl`` beside the core
        (e.g. ``ontology/transcription.ttl``). A module may use the core's terms; the core
        never uses a module's, so a project without them loads and validates."""
        core = self.root / MARKER
        return [path for path in turtle_files(self.root / ONTOLOGY, self) if path != core]

    @property
    def shape_files(self) -> list[Path]:
        """The SHACL shapes, one file per area."""
        self.require(SHAPES)
        return turtle_files(self.root / SHAPES, self)

    @property
    def graph_files(self) -> list[Path]:
        """The curated facts, including graph/external/ and every other subdirectory."""
        self.require(GRAPH)
        return turtle_files(self.root / GRAPH, self, recursive=True)

    @property
    def queries_dir(self) -> Path:
        self.require(QUERIES)
        return self.root / QUERIES

    @property
    def qc_dir(self) -> Path:
        self.require(QC)
        return self.root / QC

    def missing_parts(self) -> list[Path]:
        """The required parts (see REQUIRED_PARTS) this project does not have."""
        return [part for part in REQUIRED_PARTS if not self._has(part)]

    def require(self, *parts: Path) -> None:
        """Raise one error naming every one of ``parts`` (default: all) that is missing."""
        missing = [part for part in parts or REQUIRED_PARTS if not self._has(part)]
        if missing:
            what = "; ".join(f"{_shown(p)} ({REQUIRED_PARTS[p]}) is missing" for p in missing)
            needed = ", ".join(_shown(part) for part in REQUIRED_PARTS)
            raise ProjectIncompleteError(
                f"{self.root} is not a complete jpllmkg project: {what}. Every project needs "
                f"{needed}: restore what is missing (in a git checkout, `git restore "
                f"{missing[0]}`) or pass --root the directory of a complete project."
            )

    def _has(self, part: Path) -> bool:
        path = self.root / part
        if part == MARKER:
            return path.is_file()
        if part in (SHAPES, VOCAB):
            return path.is_dir() and any(path.glob("*.ttl"))
        return path.is_dir()

    def relative(self, path: Path) -> str:
        """A path relative to the project root, for messages (symbolic links not followed)."""
        absolute = Path(os.path.abspath(path))
        try:
            return str(absolute.relative_to(self.root))
        except ValueError:
            return str(path)


def _shown(part: Path) -> str:
    return str(part) if part == MARKER else f"{part}/"


def turtle_files(directory: Path, project: Project, recursive: bool = False) -> list[Path]:
    """The ``*.ttl`` files of ``directory`` (and its subdirectories if ``recursive``), sorted.

    Names starting with a dot (editor and VCS files) are skipped. Subdirectories reached
    through a symbolic link are read once; a link back to a directory already read (a loop)
    is an error, and so is a ``*.ttl`` that is not a regular file (a FIFO would block forever).
    """
    found: list[Path] = []
    visited: set[str] = set()
    pending = [directory]
    while pending:
        current = pending.pop()
        real = os.path.realpath(current)
        if real in visited:
            raise InputFileError(
                f"{project.relative(current)} is a symbolic link to a directory read already "
                f"({project.relative(Path(real))}/), a loop or a duplicate. Remove the link."
            )
        visited.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as error:
            raise InputFileError(
                f"{project.relative(current)}: cannot list this directory ({error.strerror}). "
                "Check that it exists and is readable."
            ) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if recursive and _is_directory(entry):
                pending.append(path)
            elif entry.name.endswith(".ttl"):
                _require_regular_file(path, project)
                found.append(path)
    return sorted(found)


def _is_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symbolic link loop: reported by _require_regular_file
        return False


def _require_regular_file(path: Path, project: Project) -> None:
    """Raise a clear error unless ``path`` (followed through links) is a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            what = "a symbolic link loop"
        else:
            what = "a broken symbolic link" if path.is_symlink() else "not readable"
        raise InputFileError(
            f"{project.relative(path)} is {what} ({error.strerror}). Only regular *.ttl files "
            "are read: point the link at a real file, or remove it."
        ) from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
        raise InputFileError(
            f"{project.relative(path)} is {kind}, not a regular file: only regular *.ttl files "
            "are read. Remove it or rename it so that its name does not end in .ttl."
        )


def find_project(root: str | Path | None = None, start: str | Path | None = None) -> Project:
    """Return the project at ``root``, or the nearest one at or above ``start`` (default: cwd)."""
    if root is not None:
        candidate = Path(root).expanduser().resolve()
        if not candidate.exists():
            raise ProjectNotFoundError(
                f"--root {root}: {candidate} does not exist. "
                "Pass --root the directory that holds ontology/, graph/ and queries/."
            )
        if not candidate.is_dir():
            raise ProjectNotFoundError(
                f"--root {root}: {candidate} is not a directory. "
                "Pass --root the directory that holds ontology/, graph/ and queries/."
            )
        if not (candidate / MARKER).is_file():
            raise ProjectNotFoundError(
                f"{candidate} is not a jpllmkg project: it has no {MARKER}. "
                "Pass --root the directory that holds ontology/, graph/ and queries/."
            )
        return Project(candidate)
    try:
        here = Path(start or Path.cwd()).resolve()
    except FileNotFoundError:
        raise ProjectNotFoundError(
            "The current directory no longer exists. Change to a checkout of the graph, "
            "or pass --root DIR."
        ) from None
    for directory in (here, *here.parents):
        if (directory / MARKER).is_file():
            return Project(directory)
    raise ProjectNotFoundError(
        f"No jpllmkg project found in {here} or any directory above it (looked for {MARKER}). "
        "Run the command inside a checkout of the graph, or pass --root DIR."
    )
