"""How catalogue text finds the graph's nodes: the alias table (``graph/external/ajl-aliases.tsv``,
kept as data), Hugging Face repository identifiers and exact normalised labels, in that order,
each match saying which rule made it. A text that two nodes answer is ambiguous: listed for
review, never guessed."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef

from jpllmkg.errors import InputFileError
from jpllmkg.graph.namespaces import JPLLM, JPR

ALIAS_FILE = Path("graph/external/ajl-aliases.tsv")
ALIAS_KINDS = ("base", "model", "organization", "family", "licence")
ALIAS_COLUMNS = ("kind", "text", "target", "note")


def normalised(text: str) -> str:
    """The matching key of a name: NFKC (full-width to half-width), case folded, without spaces,
    hyphens, dots, underscores or slashes ("Qwen 2.5" and "Qwen2.5" meet)."""
    return re.sub(r"[\s\-_.・/]+", "", unicodedata.normalize("NFKC", text).casefold())


def slug(text: str) -> str:
    """A readable kebab-case slug of a name (ASCII letters and digits), '' when it has none."""
    ascii_text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@dataclass(frozen=True)
class Alias:
    """One row of the alias table: its kind, the catalogue's text, the target and the line."""

    kind: str
    text: str
    target: str
    note: str
    line: int


@dataclass(frozen=True)
class Match:
    """A node found for a text and the rule that found it (alias, hugging-face-id, label)."""

    node: URIRef
    rule: str
    detail: str = ""


@dataclass
class Matcher:
    """The graph's nodes by alias, Hugging Face repository and normalised label."""

    aliases: dict[tuple[str, str], Alias]
    by_repository: dict[str, URIRef]
    by_label: dict[tuple[str, str], set[URIRef]]  # (kind, normalised label) -> nodes
    families: list[Alias]
    ambiguous: list[str] = field(default_factory=list)

    def alias(self, kind: str, text: str) -> Alias | None:
        return self.aliases.get((kind, normalised(text)))

    def find(self, kind: str, texts: list[str], repositories: tuple[str, ...] = ()) -> Match | None:
        """The node one of ``texts`` (tried in order) or ``repositories`` names, by the first
        rule that answers; None when none does or the label is ambiguous."""
        for text in texts:
            alias = self.alias(kind, text)
            if alias is not None:
                return Match(JPR[alias.target], "alias", f"{ALIAS_FILE}:{alias.line}")
        for repository in repositories:
            if repository in self.by_repository:
                return Match(self.by_repository[repository], "hugging-face-id", repository)
        for text in texts:
            nodes = self.by_label.get((kind, normalised(text)), set())
            if len(nodes) == 1:
                return Match(next(iter(nodes)), "label", text)
            if len(nodes) > 1:
                named = ", ".join(sorted(str(node).rsplit("/", 1)[-1] for node in nodes))
                self.ambiguous.append(f"{text!r} matches several nodes by label ({named})")
                return None
        return None

    def family(self, name: str) -> Alias | None:
        """The family a row's name places it in (an alias of kind family: a name prefix)."""
        key = normalised(name)
        return next((a for a in self.families if key.startswith(normalised(a.text))), None)


def read_aliases(root: Path) -> list[Alias]:
    """The alias table; a malformed row is an InputFileError naming its line."""
    path = root / ALIAS_FILE
    if not path.is_file():
        return []
    rows: list[Alias] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        if header is None or tuple(header[: len(ALIAS_COLUMNS)]) != ALIAS_COLUMNS:
            raise InputFileError(
                f"{ALIAS_FILE}:1: the header must be {' | '.join(ALIAS_COLUMNS)} (tab-separated)."
            )
        for number, cells in enumerate(reader, start=2):
            if not any(cells):
                continue
            if len(cells) < 3 or cells[0] not in ALIAS_KINDS or not cells[1] or not cells[2]:
                raise InputFileError(
                    f"{ALIAS_FILE}:{number}: a row needs a kind ({', '.join(ALIAS_KINDS)}), the "
                    "catalogue's text and a target (a jpr: slug, or an SPDX id for a licence)."
                )
            rows.append(
                Alias(cells[0], cells[1], cells[2], cells[3] if len(cells) > 3 else "", number)
            )
    return rows


def matcher(curated: Graph, aliases: list[Alias], classes: dict[str, set[URIRef]]) -> Matcher:
    """Index the curated graph (everything but graph/imported/) for matching: ``classes``
    gives the classes whose instances a text of each kind ("model", "organization") may name."""
    by_label: dict[tuple[str, str], set[URIRef]] = {}
    for kind, kind_classes in classes.items():
        for cls in kind_classes:
            for node in curated.subjects(RDF.type, cls):
                if isinstance(node, URIRef):
                    for label in curated.objects(node, RDFS.label):
                        by_label.setdefault((kind, normalised(str(label))), set()).add(node)
    by_repository = {
        str(repository): node
        for node, repository in curated.subject_objects(JPLLM.huggingFaceRepository)
        if isinstance(node, URIRef)
    }
    return Matcher(
        {(a.kind, normalised(a.text)): a for a in aliases if a.kind != "family"},
        by_repository,
        by_label,
        [a for a in aliases if a.kind == "family"],
    )
