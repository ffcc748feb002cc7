"""Turn the rows of an awesome-japanese-llm snapshot into statements, each with its line-level
source (a ``jpllm:CatalogueEntry`` per file and line, part of the ``jpllm:CatalogueSnapshot``).

A row is a model (or family) and each repository it lists a variant of it. Rows and variants
that name a node of the curated graph attach to it (:mod:`jpllmkg.imports.matching`): the
import then adds only identifiers and variant links to that node, each with a ``jpllm:Support``
naming its catalogue entry, and where the catalogue and the curated graph disagree it writes a
``jpllm:Discrepancy`` with both readings instead of a second value.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from jpllmkg.graph.namespaces import JPLLM, JPR, JPV, SCHEMA, bind_prefixes
from jpllmkg.imports.ajl_markdown import (
    EN_FILE,
    LLM_SECTIONS,
    Cell,
    Link,
    Row,
    Warning_,
)
from jpllmkg.imports.matching import ALIAS_FILE, Match, Matcher, normalised, slug

UPSTREAM = "https://github.com/llm-jp/awesome-japanese-llm"
LICENCE = URIRef("http://spdx.org/licenses/Apache-2.0")
SPDX = "http://spdx.org/licenses/"
CURATION_CARD = JPR["card-ajl-curation"]
APPROACH = {
    "from-scratch": JPV["approach-from-scratch"],
    "continued-pretraining": JPV["approach-tuned-foreign-base"],
    "post-training": JPV["approach-tuned-foreign-base"],
}
DERIVATION_KIND = {
    "continued-pretraining": JPV["derivation-continued-pretraining"],
    "post-training": JPV["derivation-post-training"],
    "merge": JPV["derivation-merge"],
}
SECTION_MEANING = {
    "from-scratch": "trained from scratch (スクラッチ学習モデル)",
    "continued-pretraining": "continued pre-training of a foreign model "
    "(海外モデルに日本語で継続事前学習を行ったモデル)",
    "post-training": "post-training of a foreign model without continued pre-training, or with "
    "details unknown (継続事前学習なし、または詳細不明)",
    "merge": "a merge of several models (複数のLLMをマージして作成されたモデル)",
    "api-only": "offered as an API (APIとして提供されているモデル)",
}
SIZE = re.compile(r"(?i)^(\d+(?:\.\d+)?)([mbt])(?:-a(\d+(?:\.\d+)?)b)?$")
SIZE_UNIT = {"m": 10**6, "b": 10**9, "t": 10**12}
YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class SnapshotInfo:
    """What the import records about the snapshot: its upstream commit (full hash), the
    repository URL, the commit date and the day it was read (either may be unknown)."""

    commit: str
    url: str = UPSTREAM
    issued: str | None = None
    retrieved: str | None = None

    @property
    def short(self) -> str:
        return self.commit[:7]

    def line_url(self, file: str, line: int) -> str:
        return f"{self.url.rstrip('/')}/blob/{self.commit}/{file}#L{line}"


@dataclass
class Summary:
    """The counts the import prints, and the lists behind them."""

    rows_read: int = 0
    models: int = 0
    variants: int = 0
    organizations: int = 0
    lineage_edges: int = 0
    matched: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: list[Warning_] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    unresolved_bases: Counter = field(default_factory=Counter)
    rows_without_size: int = 0

    def lines(self) -> list[str]:
        """The summary, one line per count, then the lists."""
        out = [
            f"rows read: {self.rows_read} ({self.rows_read - len(self.skipped)} imported, "
            f"{len(self.skipped)} skipped)",
            f"models: {self.models} rows and {self.variants} variants",
            f"organizations: {self.organizations} new",
            f"lineage edges: {self.lineage_edges}",
            f"matched to existing entities: {len(self.matched)}",
            f"conflicts with the curated graph: {len(self.conflicts)}",
            f"rows with no parameter size of their own: {self.rows_without_size}",
            f"base-model texts not in {ALIAS_FILE}: {sum(self.unresolved_bases.values())} "
            f"({len(self.unresolved_bases)} distinct)",
        ]
        out += [f"  matched: {line}" for line in self.matched]
        out += [f"  conflict: {line}" for line in self.conflicts]
        out += [f"  skipped: {warning}" for warning in self.skipped]
        out += [f"  review: {line}" for line in self.review]
        out += [
            f"  unresolved base: {text!r} ({count} rows)"
            for text, count in sorted(self.unresolved_bases.items())
        ]
        return out


@dataclass
class _Model:
    """A model the import writes about: its node, whether it is new, and what it says."""

    node: URIRef
    new: bool
    sources: list[URIRef]


class Importer:
    """Builds the imported graph of one snapshot against the curated graph."""

    def __init__(
        self,
        curated: Graph,
        matcher: Matcher,
        info: SnapshotInfo,
        footnotes: dict[str, dict[str, str]],
    ) -> None:
        self.curated = curated
        self.footnotes = footnotes  # file -> footnote label -> text
        self.matcher = matcher
        self.info = info
        self.graph = Graph()
        bind_prefixes(self.graph)
        self.summary = Summary()
        self.snapshot = JPR[f"ajl-{info.short}"]
        self.organizations: dict[str, URIRef] = {}
        self.row_nodes: dict[str, URIRef] = {}  # normalised row name -> node (for merges, bases)
        self.used_slugs: set[str] = set()
        self.repositories: dict[str, URIRef] = {}  # Hugging Face repository -> imported node

    # -- sources ---------------------------------------------------------------------------

    def add_snapshot(self) -> None:
        g, s, info = self.graph, self.snapshot, self.info
        g.add((s, RDF.type, JPLLM.CatalogueSnapshot))
        g.add((s, RDFS.label, Literal(f"awesome-japanese-llm（{info.short}）", lang="ja")))
        g.add((s, RDFS.label, Literal(f"awesome-japanese-llm at {info.short}", lang="en")))
        g.add(
            (
                s,
                DCTERMS.title,
                Literal(f"awesome-japanese-llm (日本語LLMまとめ) at commit {info.short}"),
            )
        )
        g.add(
            (
                s,
                SCHEMA.url,
                Literal(f"{info.url.rstrip('/')}/tree/{info.commit}", datatype=XSD.anyURI),
            )
        )
        g.add((s, JPLLM.commit, Literal(info.commit)))
        g.add((s, JPLLM.publisherName, Literal("llm-jp/awesome-japanese-llm")))
        g.add((s, DCTERMS.license, LICENCE))
        if info.issued:
            g.add((s, DCTERMS.issued, Literal(info.issued, datatype=XSD.date)))
        if info.retrieved:
            g.add((s, JPLLM.retrievedOn, Literal(info.retrieved, datatype=XSD.date)))

    def entry(self, row: Row) -> URIRef:
        """The catalogue entry (file and line) a row's statements come from."""
        language = "en" if row.file == EN_FILE else "ja"
        node = JPR[f"ajl-{self.info.short}-{language}-l{row.line}"]
        if (node, RDF.type, None) in self.graph:
            return node
        g = self.graph
        g.add((node, RDF.type, JPLLM.CatalogueEntry))
        g.add(
            (
                node,
                RDFS.label,
                Literal(
                    f"awesome-japanese-llm {row.file} {row.line} 行目（{self.info.short}）",
                    lang="ja",
                ),
            )
        )
        g.add(
            (
                node,
                RDFS.label,
                Literal(
                    f"awesome-japanese-llm {row.file} line {row.line} ({self.info.short})",
                    lang="en",
                ),
            )
        )
        g.add(
            (
                node,
                DCTERMS.title,
                Literal(f"awesome-japanese-llm {row.file}, line {row.line}, at {self.info.short}"),
            )
        )
        g.add(
            (node, SCHEMA.url, Literal(self.info.line_url(row.file, row.line), datatype=XSD.anyURI))
        )
        g.add((node, DCTERMS.isPartOf, self.snapshot))
        g.add((node, DCTERMS.source, self.snapshot))
        g.add((node, JPLLM.sourceFile, Literal(row.file)))
        g.add((node, JPLLM.line, Literal(row.line, datatype=XSD.positiveInteger)))
        g.add((node, JPLLM.catalogueSection, Literal(row.anchor)))
        g.add((node, DCTERMS.license, LICENCE))
        if self.info.issued:
            g.add((node, DCTERMS.issued, Literal(self.info.issued, datatype=XSD.date)))
        return node

    def sourced(self, node: URIRef, sources: list[URIRef]) -> None:
        """Mark a new node as imported from ``sources``."""
        self.graph.add((node, JPLLM.evidence, JPV["evidence-imported"]))
        for source in sources:
            self.graph.add((node, DCTERMS.source, source))

    def on_existing(
        self,
        subject: URIRef,
        predicate: URIRef,
        value,
        sources: list[URIRef],
        what: tuple[str, str],
    ) -> None:
        """Add a statement about a curated node, with a Support naming its catalogue entries."""
        if (subject, predicate, value) in self.curated:
            return
        self.graph.add((subject, predicate, value))
        number = sum(1 for _ in self.graph.subjects(RDF.subject, subject)) + 1
        self.support(
            JPR[f"support-{_local(subject)}-ajl-{number}"],
            (
                f"{_local(subject)} の{what[0]}（awesome-japanese-llm）",
                f"{what[1]} of {_local(subject)} (awesome-japanese-llm)",
            ),
            (subject, predicate, value),
            JPV["evidence-imported"],
            sources,
        )

    def support(
        self,
        node: URIRef,
        labels: tuple[str, str],
        statement: tuple,
        evidence: URIRef,
        sources: list[URIRef],
    ) -> None:
        """A jpllm:Support naming ``statement`` (labels ja, en) with its evidence and sources."""
        g = self.graph
        g.add((node, RDF.type, JPLLM.Support))
        g.add((node, RDFS.label, Literal(labels[0], lang="ja")))
        g.add((node, RDFS.label, Literal(labels[1], lang="en")))
        parts = (RDF.subject, RDF.predicate, RDF.object)
        for predicate, value in zip(parts, statement, strict=True):
            g.add((node, predicate, value))
        g.add((node, JPLLM.evidence, evidence))
        for source in sources:
            g.add((node, DCTERMS.source, source))

    # -- rows ------------------------------------------------------------------------------

    def add_rows(self, pairs: list[tuple[Row, Row | None]]) -> None:
        """Import every row: first the names (so a merge or a base can name another row), then
        everything else."""
        self.summary.rows_read = len(pairs)
        planned = []
        for ja, en in pairs:
            name_link, name = _name(ja.cell("name"))
            if not name:
                self.summary.skipped.append(Warning_(ja.file, ja.line, "row without a model name"))
                continue
            sources = [self.entry(ja)] + ([self.entry(en)] if en is not None else [])
            model = self.row_model(ja, name, name_link, sources)
            self.row_nodes.setdefault(normalised(name), model.node)
            planned.append((ja, en, name, name_link, model))
        for ja, en, name, name_link, model in planned:
            self.add_row(ja, en, name, name_link, model)

    def row_model(self, row: Row, name: str, link: Link | None, sources: list[URIRef]) -> _Model:
        repositories = tuple(r for r in [link.hf_repository if link else None] if r)
        found = self.matcher.find("model", [name], repositories)
        if found is not None:
            self.summary.matched.append(
                f"{row.file}:{row.line} {name!r} -> jpr:{_local(found.node)} ({_rule(found)})"
            )
            return _Model(found.node, False, sources)
        node = JPR[self.fresh_slug("ajl-" + (slug(name) or f"{row.anchor}-l{row.line}"))]
        self.summary.models += 1
        return _Model(node, True, sources)

    def fresh_slug(self, wanted: str) -> str:
        """``wanted`` (at most 48 characters, so a table can show it), or ``wanted-2`` ...
        when another row has it."""
        wanted = wanted[:48].rstrip("-")
        candidate, number = wanted, 2
        while candidate in self.used_slugs:
            candidate, number = f"{wanted}-{number}", number + 1
        self.used_slugs.add(candidate)
        return candidate

    def add_row(
        self, row: Row, en: Row | None, name: str, link: Link | None, model: _Model
    ) -> None:
        g, node, sources = self.graph, model.node, model.sources
        approach = LLM_SECTIONS[row.anchor]
        en_name = _name(en.cell("name"))[1] if en is not None else None
        if model.new:
            g.add((node, RDF.type, JPLLM.LanguageModel))
            g.add((node, RDFS.label, Literal(name, lang="ja")))
            if en_name:
                g.add((node, RDFS.label, Literal(en_name, lang="en")))
            self.sourced(node, sources)
            if link is not None and link.hf_repository is None and link.url.startswith("http"):
                g.add((node, SCHEMA.url, Literal(link.url, datatype=XSD.anyURI)))
            if approach in APPROACH:
                g.add((node, JPLLM.developmentApproach, APPROACH[approach]))
            family = self.matcher.family(name)
            if family is not None:
                self.curator_statement(
                    node,
                    JPLLM.family,
                    JPR[family.target],
                    family.line,
                    f"'{name}' starts with '{family.text}'",
                )
        if link is not None and link.hf_repository:
            self.identifier(model, URIRef(link.hf_repository))
        self.add_year(row, model)
        self.add_sizes(row, model)
        self.add_developers(row, en, model)
        self.add_licence(row, model)
        if approach in ("continued-pretraining", "post-training"):
            self.add_bases(row, model, approach, [row.cell("base")])
        elif approach == "merge":
            self.add_merge(row, model)

    def identifier(self, model: _Model, repository: URIRef) -> None:
        self.repositories.setdefault(str(repository), model.node)
        if model.new:
            self.graph.add((model.node, JPLLM.huggingFaceRepository, repository))
        else:
            self.on_existing(
                model.node,
                JPLLM.huggingFaceRepository,
                repository,
                model.sources,
                ("Hugging Face リポジトリ", "Hugging Face repository"),
            )

    def curator_statement(
        self, subject: URIRef, predicate: URIRef, value: URIRef, alias_line: int, why: str
    ) -> None:
        """A statement a rule of the alias table makes, as a curator inference."""
        self.graph.add((subject, predicate, value))
        support = JPR[f"support-{_local(subject)}-{_local(predicate).lower()}"]
        self.support(
            support,
            (
                f"{_local(subject)} の {_local(predicate)}（別名表）",
                f"{_local(predicate)} of {_local(subject)} (alias table)",
            ),
            (subject, predicate, value),
            JPV["evidence-curator-inference"],
            [CURATION_CARD],
        )
        reasoning = Literal(f"{ALIAS_FILE}:{alias_line}: {why}.", lang="en")
        self.graph.add((support, JPLLM.reasoning, reasoning))

    # -- cells -----------------------------------------------------------------------------

    def add_year(self, row: Row, model: _Model) -> None:
        text = row.cell("year").text.strip("* ")
        if not text:
            return
        if not YEAR.match(text):
            self.summary.warnings.append(
                Warning_(row.file, row.line, f"release year {text!r} is not a year: left out")
            )
            return
        year = Literal(text, datatype=XSD.gYear)
        if model.new:
            self.graph.add((model.node, JPLLM.releaseDate, year))
            return
        known = [
            str(v)[:4] for p in (JPLLM.releaseDate,) for v in self.curated.objects(model.node, p)
        ]
        if known and text not in known:
            self.conflict(
                model,
                "release-year",
                "公開年 / release year",
                f"release date {', '.join(sorted(known))}",
                f"release year {text}",
                row,
            )

    def add_sizes(self, row: Row, model: _Model) -> None:
        """Parameter sizes: per variant from the bold part of its link (in the name cell or,
        for from-scratch rows, the architecture cell), and for the row from bold text of the
        architecture cell outside links. Bold in other cells is a token count, a year or a
        context length, and bold in the base-model cell is the base's size: never the row's."""
        variants = [link for link in row.cell("name").links[1:]]
        architecture = row.cell("architecture")
        variants += architecture.links
        row_sizes = [size for size in (_size(b) for b in architecture.bold) if size]
        sized = False
        single = len(variants) == 1
        for link in variants:
            size = _size(link.bold) if link.bold else None
            if single:
                if link.hf_repository:
                    self.identifier(model, URIRef(link.hf_repository))
                if size:
                    row_sizes.append(size)
                continue
            self.add_variant(row, model, link, size)
            sized = sized or size is not None
        for total, active, worded in row_sizes:
            sized = True
            if model.new:
                self.quantity(model.node, JPLLM.totalParameters, total, worded)
                if active:
                    self.quantity(model.node, JPLLM.activeParameters, active, worded)
            else:
                self.compare_parameters(row, model, total, worded)
        if not sized:
            self.summary.rows_without_size += 1

    def add_variant(self, row: Row, model: _Model, link: Link, size) -> None:
        g = self.graph
        repository = link.hf_repository
        label = repository.removeprefix("https://huggingface.co/") if repository else link.text
        found = self.matcher.find("model", [link.text, label], (repository,) if repository else ())
        if found is not None:
            variant = _Model(found.node, False, model.sources)
            self.summary.matched.append(
                f"{row.file}:{row.line} variant {link.text!r} -> jpr:{_local(found.node)} "
                f"({_rule(found)})"
            )
            if (
                found.node,
                JPLLM.family,
                model.node,
            ) not in self.curated and model.node != found.node:
                linking = (
                    JPLLM.family
                    if (model.node, RDF.type, JPLLM.ModelFamily) in self.curated
                    else JPLLM.variantOf
                )
                self.on_existing(
                    found.node, linking, model.node, model.sources, ("バリアント元", "variant link")
                )
            if repository:
                self.identifier(variant, URIRef(repository))
            return
        base = slug(label) or slug(link.text) or "variant"
        node = JPR[self.fresh_slug(f"hf-{base}" if repository else f"{_local(model.node)}-{base}")]
        self.summary.variants += 1
        g.add((node, RDF.type, JPLLM.LanguageModel))
        g.add((node, RDFS.label, Literal(label, lang="ja")))
        g.add((node, RDFS.label, Literal(label, lang="en")))
        linking = (
            JPLLM.family
            if (model.node, RDF.type, JPLLM.ModelFamily) in self.curated
            else JPLLM.variantOf
        )
        g.add((node, linking, model.node))
        self.sourced(node, model.sources)
        if repository:
            g.add((node, JPLLM.huggingFaceRepository, URIRef(repository)))
            self.repositories.setdefault(repository, node)
        elif link.url.startswith("http"):
            g.add((node, SCHEMA.url, Literal(link.url, datatype=XSD.anyURI)))
        if size:
            total, active, worded = size
            self.quantity(node, JPLLM.totalParameters, total, worded, variant=link.text)
            if active:
                self.quantity(node, JPLLM.activeParameters, active, worded, variant=link.text)

    def quantity(
        self, node: URIRef, predicate: URIRef, value: int, worded: str, variant: str | None = None
    ) -> None:
        g, q = self.graph, BNode()
        g.add((node, predicate, q))
        g.add((q, RDF.type, JPLLM.Quantity))
        g.add((q, JPLLM.value, Literal(value, datatype=XSD.integer)))
        g.add((q, JPLLM.unit, JPV["unit-parameters"]))
        g.add((q, JPLLM.valueStatus, JPV["value-as-listed"]))
        g.add((q, JPLLM.asWorded, Literal(worded, lang="ja")))
        if variant:
            g.add((q, JPLLM.variant, Literal(variant)))

    def add_developers(self, row: Row, en: Row | None, model: _Model) -> None:
        names = _split(row.cell("developer").text)
        en_names = _split(en.cell("developer").text) if en is not None else []
        if len(en_names) != len(names):
            en_names = [""] * len(names)
        found_nodes = []
        for ja_name, en_name in zip(names, en_names, strict=True):
            found_nodes.append(self.organization(row, ja_name, en_name, model.sources))
        if model.new:
            for organization in found_nodes:
                self.graph.add((model.node, JPLLM.developer, organization))
            return
        known = set(self.curated.objects(model.node, JPLLM.developer)) | set(
            self.curated.objects(model.node, JPLLM.coDeveloper)
        )
        if known and found_nodes and not known & set(found_nodes):
            self.conflict(
                model,
                "developer",
                "開発元 / developer",
                "developer " + ", ".join(self.label(n) for n in sorted(known)),
                "developer " + ", ".join(names),
                row,
            )

    def organization(self, row: Row, ja_name: str, en_name: str, sources: list[URIRef]) -> URIRef:
        key = normalised(ja_name)
        if key in self.organizations:
            return self.organizations[key]
        found = self.matcher.find("organization", [ja_name] + ([en_name] if en_name else []))
        if found is not None:
            self.summary.matched.append(
                f"{row.file}:{row.line} organization {ja_name!r} -> jpr:{_local(found.node)} "
                f"({_rule(found)})"
            )
            node = found.node
        else:
            node = JPR[
                self.fresh_slug("ajl-org-" + (slug(en_name) or slug(ja_name) or f"l{row.line}"))
            ]
            g = self.graph
            g.add((node, RDF.type, JPLLM.Organization))
            g.add((node, RDFS.label, Literal(ja_name, lang="ja")))
            if en_name:
                g.add((node, RDFS.label, Literal(en_name, lang="en")))
            self.sourced(node, sources)
            self.summary.organizations += 1
        self.organizations[key] = node
        return node

    def add_licence(self, row: Row, model: _Model) -> None:
        cell = row.cell("licence")
        text = cell.text.replace("\n", " / ").strip()
        if not text or text in ("？", "?"):
            return
        alias = self.matcher.alias("licence", text)
        spdx = URIRef(SPDX + alias.target) if alias is not None else None
        notes = [
            f"脚注 [^{label}]（ライセンス）: {self.footnote(row, label)}"
            for label in cell.footnotes
        ]
        if model.new:
            self.graph.add((model.node, JPLLM.licenceText, Literal(text)))
            if spdx is not None:
                self.graph.add((model.node, DCTERMS.license, spdx))
            for note in notes:
                self.graph.add((model.node, JPLLM.note, Literal(note, lang="ja")))
            return
        known = list(self.curated.objects(model.node, JPLLM.licence))
        matches = {m for k in known for m in self.curated.objects(k, SKOS.exactMatch)}
        if known and (spdx is None or spdx not in matches):
            self.conflict(
                model,
                "licence",
                "ライセンス / licence",
                "licence " + ", ".join(self.label(k) for k in known),
                f"licence {text}",
                row,
            )

    def footnote(self, row: Row, label: str) -> str:
        return self.footnotes.get(row.file, {}).get(label, "(no text)")

    # -- lineage ---------------------------------------------------------------------------

    def add_bases(self, row: Row, model: _Model, approach: str, cells: list[Cell]) -> None:
        for cell in cells:
            text = cell.text.replace("\n", " ").strip()
            if not text:
                continue
            head = re.split(r"[(（*]", text, maxsplit=1)[0].strip()
            sizes = [b for b in cell.bold if _size(b)]
            texts = [f"{head} {sizes[0]}"] if sizes else []
            texts.append(head)
            caveats = [f"脚注 [^{label}]: {self.footnote(row, label)}" for label in cell.footnotes]
            self.lineage(row, model, approach, texts, text, caveats)

    def add_merge(self, row: Row, model: _Model) -> None:
        cell = row.cell("merged-from")
        for part in _split(cell.text.replace("\n", " ")):
            head = re.split(r"[(（]", part, maxsplit=1)[0].strip()
            self.lineage(row, model, "merge", [part, head], part, [])

    def lineage(
        self,
        row: Row,
        model: _Model,
        approach: str,
        texts: list[str],
        worded: str,
        caveats: list[str],
    ) -> None:
        base = self.base(texts)
        if base is None:
            self.summary.unresolved_bases[worded] += 1
            if model.new:
                self.graph.add((model.node, JPLLM.baseModelAsWorded, Literal(worded)))
            else:
                self.conflict(
                    model,
                    "base-model",
                    "ベースモデル / base model",
                    self.base_reading(model),
                    f"base model {worded}",
                    row,
                    caveats,
                )
            return
        if not model.new:
            known = set(self.curated.objects(model.node, JPLLM.baseModel))
            if base not in known:
                self.conflict(
                    model,
                    "base-model",
                    "ベースモデル / base model",
                    self.base_reading(model),
                    f"{SECTION_MEANING[approach]} of {worded}",
                    row,
                    caveats,
                )
            return
        g = self.graph
        derivation = JPR[f"ajl-derivation-{_local(model.node).removeprefix('ajl-')}-{_local(base)}"]
        g.add((model.node, JPLLM.baseModel, base))
        g.add((model.node, PROV.qualifiedDerivation, derivation))
        g.add((derivation, RDF.type, JPLLM.Derivation))
        name = self.label(model.node)
        g.add((derivation, RDFS.label, Literal(f"{name} ← {self.label(base)}", lang="ja")))
        g.add((derivation, RDFS.label, Literal(f"{name} from {self.label(base)}", lang="en")))
        g.add((derivation, PROV.entity, base))
        g.add((derivation, JPLLM.derivationKind, DERIVATION_KIND[approach]))
        g.add(
            (
                derivation,
                JPLLM.note,
                Literal(
                    f"The kind is implied by the catalogue's section {row.anchor}: "
                    f"{SECTION_MEANING[approach]}; the base is written '{worded}'.",
                    lang="en",
                ),
            )
        )
        for caveat in caveats:
            g.add((derivation, JPLLM.note, Literal(caveat, lang="ja")))
        self.sourced(derivation, model.sources)
        self.summary.lineage_edges += 1

    def base(self, texts: list[str]) -> URIRef | None:
        """The model a base-model text names: the alias table, then another row of the
        catalogue, then an exact label of the curated graph."""
        for text in texts:
            alias = self.matcher.alias("base", text)
            if alias is not None:
                return JPR[alias.target]
        for text in texts:
            if normalised(text) in self.row_nodes:
                return self.row_nodes[normalised(text)]
            repository = f"https://huggingface.co/{text}"
            if repository in self.repositories:
                return self.repositories[repository]
        found = self.matcher.find("model", texts)
        return found.node if found is not None else None

    def base_reading(self, model: _Model) -> str:
        bases = sorted(self.label(b) for b in self.curated.objects(model.node, JPLLM.baseModel))
        approaches = sorted(
            self.label(a) for a in self.curated.objects(model.node, JPLLM.developmentApproach)
        )
        if bases:
            return "base model " + ", ".join(bases)
        return "no base model" + (
            f" (development approach: {', '.join(approaches)})" if approaches else ""
        )

    def compare_parameters(self, row: Row, model: _Model, total: int, worded: str) -> None:
        known = [
            Decimal(str(v))
            for q in self.curated.objects(model.node, JPLLM.totalParameters)
            for v in self.curated.objects(q, JPLLM.value)
        ]
        if known and all(abs(k - total) > k * Decimal("0.02") for k in known):
            shown = ", ".join(f"{k / 10**9:g}B" for k in sorted(known))
            self.conflict(
                model,
                "parameters",
                "パラメータ数 / parameters",
                f"{shown} parameters",
                f"{worded} parameters",
                row,
            )

    # -- conflicts -------------------------------------------------------------------------

    def conflict(
        self,
        model: _Model,
        topic: str,
        what: str,
        curated: str,
        catalogue: str,
        row: Row,
        caveats: list[str] | None = None,
    ) -> None:
        """A discrepancy between the curated graph and the catalogue, with both readings."""
        g, node = self.graph, JPR[f"discrepancy-ajl-{_local(model.node)}-{topic}"]
        if (node, RDF.type, JPLLM.Discrepancy) in g:
            return
        name = self.label(model.node)
        curated_sources = sorted(self.curated.objects(model.node, DCTERMS.source))
        g.add((node, RDF.type, JPLLM.Discrepancy))
        g.add(
            (
                node,
                RDFS.label,
                Literal(f"{name} の{what.split(' / ')[0]}：レポートとカタログの相違", lang="ja"),
            )
        )
        g.add(
            (
                node,
                RDFS.label,
                Literal(
                    f"{name}: {what.split(' / ')[1]} in the report and in awesome-japanese-llm",
                    lang="en",
                ),
            )
        )
        g.add((node, JPLLM.discrepancyKind, JPV["discrepancy-between-sources"]))
        g.add((node, JPLLM.concerns, model.node))
        for statement, sources in (
            (f"The curated graph records {curated}.", curated_sources),
            (
                f"awesome-japanese-llm ({row.file} line {row.line}) lists {catalogue}.",
                model.sources,
            ),
        ):
            reading = BNode()
            g.add((node, JPLLM.reading, reading))
            g.add((reading, RDF.type, JPLLM.Reading))
            g.add((reading, JPLLM.statement, Literal(statement, lang="en")))
            for source in sources:
                g.add((reading, DCTERMS.source, source))
        for caveat in caveats or []:
            g.add((node, JPLLM.note, Literal(caveat, lang="ja")))
        g.add(
            (
                node,
                JPLLM.recordedAs,
                Literal(
                    "The main graph keeps the curated reading on the node; the catalogue's "
                    "reading is kept only here (generated by `jpllmkg import ajl`).",
                    lang="en",
                ),
            )
        )
        g.add((node, JPLLM.evidence, JPV["evidence-imported"]))
        for source in curated_sources + model.sources:
            g.add((node, DCTERMS.source, source))
        self.summary.conflicts.append(
            f"{name} ({topic}): curated: {curated}; catalogue {row.file}:{row.line}: {catalogue}"
        )

    def label(self, node) -> str:
        for graph in (self.curated, self.graph):
            labels = {label.language: str(label) for label in graph.objects(node, RDFS.label)}
            if labels:
                return labels.get("en") or labels.get("ja") or next(iter(labels.values()))
        return _local(node)


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rule(found: Match) -> str:
    return f"rule {found.rule}" + (f", {found.detail}" if found.detail else "")


def _name(cell: Cell) -> tuple[Link | None, str]:
    """The row's name: its first link's text, or the first line of the cell."""
    if cell.links:
        return cell.links[0], cell.links[0].text.split("\n")[0].strip()
    return None, cell.text.split("\n")[0].strip()


def _split(text: str) -> list[str]:
    """Split a list of names at commas and 、 outside parentheses (so 'Individual (A, B)' stays
    one name); line breaks inside a name become spaces."""
    parts, depth, current = [], 0, []
    for char in text.replace("\n", " "):
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(0, depth - 1)
        if char in ",、" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [re.sub(r"\s+", " ", part).strip() for part in parts if part.strip()]


def _size(bold: str | None) -> tuple[int, int | None, str] | None:
    """A parameter size written in bold ('172b', '1.8b', '150m', '32b-a3b'): total, active and
    the text; None for anything else (a token count such as '2.1T' is in another column)."""
    if not bold:
        return None
    match = SIZE.match(bold.strip())
    if match is None or match.group(2).lower() == "t":
        return None
    unit = SIZE_UNIT[match.group(2).lower()]
    total = int(Decimal(match.group(1)) * unit)
    active = int(Decimal(match.group(3)) * 10**9) if match.group(3) else None
    return total, active, bold.strip()
