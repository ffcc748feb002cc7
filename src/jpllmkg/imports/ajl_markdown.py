"""Read the model tables of an awesome-japanese-llm snapshot (``README.md`` in Japanese, the
reference, and ``en/README.md``) with markdown-it-py: rows keyed by the section anchors
(``<a id=...>``) and the header labels, never by column positions or heading texts.

Bold text means different things in different columns (a parameter size in a variant link, a
token count in the training data, a year, a context length), so a cell keeps its bold parts
apart and :mod:`jpllmkg.imports.ajl_rdf` reads them by column. Footnote references
(``[^24]``) are read as footnotes (the footnote plugin), so a licence cell stays
"Apache 2.0" with footnote 24 beside it, and each footnote's text is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from jpllmkg.errors import UsageError

JA_FILE = "README.md"
EN_FILE = "en/README.md"

# The catalogue's sections of text-generation LLMs: anchor -> how a row's model was made.
LLM_SECTIONS = {
    "generative-scratch-general": "from-scratch",
    "generative-scratch-domain-specific": "from-scratch",
    "generative-continual-general": "continued-pretraining",
    "generative-continual-domain-specific": "continued-pretraining",
    "generative-instruction-only-general": "post-training",
    "generative-instruction-only-domain-specific": "post-training",
    "merged-models": "merge",
    "api-based-models": "api-only",
}
# Anchors that group the sections above (they hold no table of their own).
GROUP_ANCHORS = {"full-scratch-models", "english-based-models", "instruction-only-models"}
# The text-generation part of the page runs from this anchor to the next top-level one.
FIRST_ANCHOR, NEXT_PART_ANCHOR = "generative", "autoencoding"

# Header label (ja or en, spaces and line breaks removed, lower case) -> column key.
COLUMNS = {
    "": "name",
    "公開年": "year",
    "releaseyear": "year",
    "アーキテクチャ": "architecture",
    "architecture": "architecture",
    "入出力で扱えるトークン数": "context",
    "maxcontextlength": "context",
    "学習テキスト": "training",
    "trainingdata": "training",
    "開発元": "developer",
    "developer": "developer",
    "ライセンス/利用規約": "licence",
    "ライセンス": "licence",
    "license/termsofuse": "licence",
    "license": "licence",
    "ドメイン": "domain",
    "domain": "domain",
    "ベースのllm": "base",
    "basemodel": "base",
    "マージ元のllm（太字は日本語llm）": "merged-from",
    "originalmodels(japanesellmsinbold)": "merged-from",
    "プラットフォーム": "platform",
    "platform": "platform",
}
ANCHOR = re.compile(r'<a\s+id="([^"]+)"')
HF_HOST = "huggingface.co"
HF_NOT_MODELS = {"datasets", "collections", "blog", "spaces", "papers", "docs", "organizations"}


@dataclass(frozen=True)
class Link:
    """A link in a cell: its text, its target and the bold part of its text (if any)."""

    text: str
    url: str
    bold: str | None = None

    @property
    def hf_repository(self) -> str | None:
        """``https://huggingface.co/ORG/NAME`` when the link is a Hugging Face model repository
        (not a dataset, collection, blog post or space), else None."""
        parts = urlsplit(self.url)
        path = [p for p in parts.path.split("/") if p]
        if parts.netloc != HF_HOST or len(path) < 2 or path[0] in HF_NOT_MODELS:
            return None
        return f"https://{HF_HOST}/{path[0]}/{path[1]}"


@dataclass
class Cell:
    """One table cell: its plain text (line breaks as newlines), its links, the bold parts
    outside links and the footnote labels it refers to."""

    text: str = ""
    links: list[Link] = field(default_factory=list)
    bold: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)


@dataclass
class Row:
    """One table row of an LLM section: where it is (file, 1-based line, anchor) and its cells
    keyed by column (see COLUMNS)."""

    file: str
    line: int
    anchor: str
    cells: dict[str, Cell]

    def cell(self, key: str) -> Cell:
        return self.cells.get(key) or Cell()

    @property
    def links(self) -> list[Link]:
        return [link for cell in self.cells.values() for link in cell.links]


@dataclass
class Warning_:
    """Something in the snapshot that was skipped, with where it is and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.reason}"
            if self.line
            else f"{self.file}: {self.reason}"
        )


@dataclass
class Page:
    """One README of a snapshot: its LLM rows, its footnotes (label -> text) and warnings."""

    file: str
    rows: list[Row]
    footnotes: dict[str, str]
    warnings: list[Warning_]
    skipped: list[Warning_]  # rows read but not imported, with why
    sections: dict[str, int]  # anchor -> rows read there


def read_page(path: Path, file: str) -> Page:
    """Parse one README of a snapshot (``file`` is its name inside the snapshot)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{path} is not UTF-8 text ({error.reason} at byte {error.start}): an "
            "awesome-japanese-llm snapshot holds its README files verbatim; copy them again."
        ) from None
    markdown = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    env: dict = {}
    tokens = markdown.parse(source, env)
    page = Page(file, [], _footnotes(tokens, env), [], [], {})
    anchor, in_part, columns, header_line = None, False, [], 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "html_block" or (token.type == "inline" and token.level == 1):
            # a section anchor: a line of its own, outside any table
            for found in ANCHOR.findall(token.content):
                if found == FIRST_ANCHOR:
                    in_part = True
                elif found == NEXT_PART_ANCHOR:
                    in_part = False
                if in_part:
                    anchor = found
        elif token.type == "thead_open" and in_part:
            index, columns, header_line = _header(tokens, index, page, file)
            if anchor not in LLM_SECTIONS:
                page.warnings.append(
                    Warning_(
                        file,
                        header_line,
                        f"table in an unknown section {anchor!r} (not one of the catalogue's "
                        "text-generation sections): its rows are skipped",
                    )
                )
        elif (
            token.type == "tr_open"
            and in_part
            and columns
            and tokens[index - 1].type != ("thead_open")
        ):
            index, cells = _cells(tokens, index)
            line = token.map[0] + 1 if token.map else header_line
            if anchor not in LLM_SECTIONS:
                page.skipped.append(Warning_(file, line, f"row in an unknown section {anchor!r}"))
                continue
            page.sections[anchor] = page.sections.get(anchor, 0) + 1
            keyed = {key: cell for key, cell in zip(columns, cells, strict=False) if key}
            page.rows.append(Row(file, line, anchor, keyed))
            continue
        elif token.type == "table_close":
            columns = []
        index += 1
    return page


def _header(tokens: list, index: int, page: Page, file: str) -> tuple[int, list, int]:
    """Read a table's header row: the column keys (None for an unknown label, with a warning)."""
    line = (tokens[index].map[0] + 1) if tokens[index].map else 0
    keys: list[str | None] = []
    while tokens[index].type != "thead_close":
        token = tokens[index]
        if token.type == "inline" and tokens[index - 1].type == "th_open":
            label = (
                "".join(c.content for c in token.children or [] if c.type == "text")
                .replace(" ", "")
                .lower()
            )
            key = COLUMNS.get(label)
            if key is None:
                page.warnings.append(
                    Warning_(file, line, f"unknown column {token.content.strip()!r}: ignored")
                )
            keys.append(key)
        index += 1
    return index + 1, keys, line


def _cells(tokens: list, index: int) -> tuple[int, list[Cell]]:
    """Read one body row from its ``tr_open`` token; returns the index after ``tr_close``."""
    cells: list[Cell] = []
    while tokens[index].type != "tr_close":
        token = tokens[index]
        if token.type == "inline" and tokens[index - 1].type == "td_open":
            cells.append(_cell(token.children or []))
        elif token.type == "td_open" and tokens[index + 1].type == "td_close":
            cells.append(Cell())
        index += 1
    return index + 1, cells


def _cell(children: list) -> Cell:
    """One cell from its inline tokens (text, bold, links, line breaks, footnote references)."""
    cell = Cell()
    text: list[str] = []
    bold: list[str] | None = None
    link: dict | None = None
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            text.append(child.content)
            if bold is not None:
                bold.append(child.content)
            if link is not None:
                link["text"].append(child.content)
                if bold is not None:
                    link["bold"].append(child.content)
        elif kind in ("softbreak", "hardbreak") or (
            kind == "html_inline" and child.content.lower().startswith("<br")
        ):
            text.append("\n")
        elif kind == "strong_open":
            bold = []
        elif kind == "strong_close":
            if bold is not None and link is None:
                cell.bold.append("".join(bold).strip())
            bold = None
        elif kind == "link_open":
            link = {"url": child.attrGet("href") or "", "text": [], "bold": []}
        elif kind == "link_close" and link is not None:
            cell.links.append(
                Link(
                    "".join(link["text"]).strip(),
                    str(link["url"]),
                    "".join(link["bold"]).strip() or None,
                )
            )
            link = None
        elif kind == "footnote_ref":
            cell.footnotes.append(str(child.meta.get("label", "")))
    cell.text = re.sub(r"[ \t]+", " ", "".join(text)).strip()
    return cell


def _footnotes(tokens: list, env: dict) -> dict[str, str]:
    """Footnote label -> its text (the footnote plugin's definitions)."""
    texts: dict[str, str] = {}
    current: str | None = None
    parts: list[str] = []
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta.get("label")
            parts = []
        elif token.type == "inline" and current is not None:
            parts.append(token.content)
        elif token.type == "footnote_close" and current is not None:
            texts[str(current)] = " ".join(parts).strip()
            current = None
    return texts


@dataclass
class Snapshot:
    """A snapshot directory read: the Japanese page (the reference) and the English one (None
    when the snapshot has no ``en/README.md``)."""

    root: Path
    ja: Page
    en: Page | None


def read_snapshot(root: Path) -> Snapshot:
    """Read a snapshot directory; a directory that is not one is a UsageError (exit 2)."""
    ja_path = root / JA_FILE
    if not root.is_dir() or not ja_path.is_file():
        raise UsageError(
            f"{root} is not an awesome-japanese-llm snapshot: it has no {JA_FILE}. Pass --snapshot "
            "a directory holding the catalogue's README.md (and en/README.md), e.g. "
            "snapshots/awesome-japanese-llm/903d9db."
        )
    ja = read_page(ja_path, JA_FILE)
    if not ja.rows:
        raise UsageError(
            f"{ja_path} holds no table of the catalogue's text-generation sections (anchors "
            f"{', '.join(sorted(LLM_SECTIONS))}): it is not an awesome-japanese-llm README."
        )
    en_path = root / EN_FILE
    en = read_page(en_path, EN_FILE) if en_path.is_file() else None
    return Snapshot(root, ja, en)


def pair_rows(snapshot: Snapshot) -> tuple[list[tuple[Row, Row | None]], list[Warning_]]:
    """Pair every Japanese row with its English row: the row of the same section that shares a
    Hugging Face repository, else the row at the same line of the same section, else the row
    with the same announcement link (several rows share one, so it comes last); the Japanese
    row is the reference."""
    if snapshot.en is None:
        return [(row, None) for row in snapshot.ja.rows], [
            Warning_(EN_FILE, 0, "the snapshot has no en/README.md: English labels are left out")
        ]
    by_repository: dict[tuple[str, str], list[Row]] = {}
    by_line: dict[tuple[str, int], Row] = {}
    by_link: dict[tuple[str, str], Row] = {}
    for row in snapshot.en.rows:
        by_line[(row.anchor, row.line)] = row
        for link in row.links:
            if link.hf_repository:
                by_repository.setdefault((row.anchor, link.hf_repository), []).append(row)
            by_link.setdefault((row.anchor, link.url), row)
    pairs, warnings = [], []
    for row in snapshot.ja.rows:
        shared: dict[int, int] = {}  # en line -> repositories shared with this row
        candidates: dict[int, Row] = {}
        for link in row.links:
            for other in by_repository.get((row.anchor, link.hf_repository or ""), []):
                shared[other.line] = shared.get(other.line, 0) + 1
                candidates[other.line] = other
        best = max(shared, key=lambda line: (shared[line], -abs(line - row.line)), default=None)
        match = (
            (candidates.get(best) if best is not None else None)
            or by_line.get((row.anchor, row.line))
            or next(
                (
                    by_link[(row.anchor, link.url)]
                    for link in row.links
                    if (row.anchor, link.url) in by_link
                ),
                None,
            )
        )
        if match is None:
            warnings.append(
                Warning_(
                    row.file, row.line, "no English row shares its links or line: no @en label"
                )
            )
        pairs.append((row, match))
    return pairs, warnings
