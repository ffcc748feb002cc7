"""Find the project directory (like git does) and list the files in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectNotFoundError

MARKER = Path("ontology") / "jpllm.ttl"


@dataclass(frozen=True)
class Project:
    """A checkout of the knowledge graph: ontology, shapes, facts and queries."""

    root: Path

    @property
    def ontology_files(self) -> list[Path]:
        """The OWL ontology followed by the SKOS vocabularies."""
        return [self.root / MARKER, *sorted((self.root / "ontology" / "vocab").glob("*.ttl"))]

    @property
    def shape_files(self) -> list[Path]:
        """The SHACL shapes, one file per area."""
        return sorted((self.root / "ontology" / "shapes").glob("*.ttl"))

    @property
    def graph_files(self) -> list[Path]:
        """The curated facts, including graph/external/."""
        return sorted((self.root / "graph").rglob("*.ttl"))

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def qc_dir(self) -> Path:
        return self.root / "queries" / "qc"

    def relative(self, path: Path) -> str:
        """A path relative to the project root, for messages."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def find_project(root: str | Path | None = None, start: str | Path | None = None) -> Project:
    """Return the project at ``root``, or the nearest one at or above ``start`` (default: cwd)."""
    if root is not None:
        candidate = Path(root).expanduser().resolve()
        if not (candidate / MARKER).is_file():
            raise ProjectNotFoundError(
                f"{candidate} is not a jpllmkg project: it has no {MARKER}. "
                "Pass --root the directory that holds ontology/, graph/ and queries/."
            )
        return Project(candidate)
    here = Path(start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / MARKER).is_file():
            return Project(directory)
    raise ProjectNotFoundError(
        f"No jpllmkg project found in {here} or any directory above it (looked for {MARKER}). "
        "Run the command inside a checkout of the graph, or pass --root DIR."
    )
