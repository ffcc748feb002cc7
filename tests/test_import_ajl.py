"""`jpllmkg import ajl`: the awesome-japanese-llm snapshots imported with a line-level source for
every statement, matched to the report's entities, conflicts as data, and bad input refused."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from jpllmkg.graph.namespaces import JPLLM, JPR
from jpllmkg.imports.ajl import IMPORT_FILE, SNAPSHOTS_DIR, curated_graph
from jpllmkg.imports.matching import normalised

REPO = Path(__file__).resolve().parents[1]
SNAPSHOTS = REPO / SNAPSHOTS_DIR
LATEST = "903d9db"
FULL_HASH = "903d9dbeb18cc71fe4bc4cab1a908544922457ac"


@pytest.fixture(scope="module")
def imported() -> Graph:
    """The committed import of snapshot 903d9db."""
    return Graph().parse(REPO / IMPORT_FILE)


def import_to(cli, snapshot: Path, out: Path, *extra: str):
    return cli("import", "ajl", "--snapshot", str(snapshot), "--out", str(out), *extra)


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_committed_import_is_current(cli, tmp_path, imported):
    """Re-importing the snapshot with the recorded provenance gives the committed graph (compared
    as graphs, not bytes), and --out leaves graph/ untouched."""
    snapshot = next(imported.subjects(RDF.type, JPLLM.CatalogueSnapshot))
    commit = str(imported.value(snapshot, JPLLM.commit))
    issued = str(imported.value(snapshot, DCTERMS.issued))
    retrieved = str(imported.value(snapshot, JPLLM.retrievedOn))
    before = tree_digest(REPO / "graph")
    out = tmp_path / "again.ttl"
    result = import_to(
        cli,
        SNAPSHOTS / commit[:7],
        out,
        "--commit",
        commit,
        "--issued",
        issued,
        "--retrieved",
        retrieved,
    )
    assert result.returncode == 0, result.stderr
    assert tree_digest(REPO / "graph") == before
    assert isomorphic(Graph().parse(out), imported), (
        f"{IMPORT_FILE} is stale: run the command in its header again"
    )


def test_latest_snapshot_counts(cli, tmp_path):
    """All 227 LLM rows of 903d9db are read and imported; the summary counts and lists."""
    result = import_to(cli, SNAPSHOTS / LATEST, tmp_path / "x.ttl", "--commit", FULL_HASH)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "rows read: 227 (227 imported, 0 skipped)" in lines
    assert "models: 224 rows and 332 variants" in lines
    assert "matched to existing entities: 19" in lines
    assert "conflicts with the curated graph: 2" in lines
    assert any(
        line.startswith("lineage edges: ") and int(line.split()[-1]) >= 150 for line in lines
    )
    assert "[1/3] load the curated graph" in result.stderr


@pytest.mark.parametrize(
    ("folder", "rows", "models"), [("3c88a72", 196, 194), ("1681fba", 131, 130)]
)
def test_older_snapshots_import(cli, tmp_path, folder, rows, models):
    """The older layouts (no release-year column in 2024-12) import without error."""
    result = import_to(cli, SNAPSHOTS / folder, tmp_path / "old.ttl")
    assert result.returncode == 0, result.stderr
    assert f"rows read: {rows} ({rows} imported, 0 skipped)" in result.stdout
    assert f"models: {models} rows" in result.stdout
    graph = Graph().parse(tmp_path / "old.ttl")
    entries = set(graph.subjects(RDF.type, JPLLM.CatalogueEntry))
    urls = {str(graph.value(entry, URIRef("https://schema.org/url"))) for entry in entries}
    assert all(f"/blob/{folder}/" in url and "#L" in url for url in urls)


def test_every_imported_statement_has_a_line_level_source(imported):
    """A new node cites catalogue entries (file, line, URL at the commit); a statement about a
    curated node has a Support that names its entry."""
    entries = set(imported.subjects(RDF.type, JPLLM.CatalogueEntry))
    assert entries
    for entry in entries:
        assert imported.value(entry, JPLLM.line) is not None
        assert str(imported.value(entry, URIRef("https://schema.org/url"))).startswith(
            f"https://github.com/llm-jp/awesome-japanese-llm/blob/{FULL_HASH}/"
        )
    supported = {
        (
            imported.value(s, RDF.subject),
            imported.value(s, RDF.predicate),
            imported.value(s, RDF.object),
        )
        for s in imported.subjects(RDF.type, JPLLM.Support)
        if set(imported.objects(s, DCTERMS.source)) & (entries | {JPR["card-ajl-curation"]})
    }
    new_nodes = {s for s in imported.subjects(DCTERMS.source, None) if isinstance(s, URIRef)}
    for s, p, o in imported:
        if not isinstance(s, URIRef) or s in new_nodes or s in entries:
            continue
        if (s, RDF.type, JPLLM.CatalogueSnapshot) in imported:
            continue
        assert (s, p, o) in supported, f"{s} {p} {o} has no source"
    for node in new_nodes - entries:
        sources = set(imported.objects(node, DCTERMS.source))
        assert sources & (entries | {JPR["card-ajl-curation"]}), node


def test_no_report_entity_is_duplicated(kg, imported):
    """No model or organization the import creates carries the label of a curated one."""
    curated = curated_graph(kg)
    curated_labels = {
        normalised(str(label))
        for cls in (JPLLM.LanguageModel, JPLLM.Organization, JPLLM.Company, JPLLM.ModelFamily)
        for node in curated.subjects(RDF.type, cls)
        for label in curated.objects(node, RDFS.label)
    }
    for cls in (JPLLM.LanguageModel, JPLLM.Organization):
        for node in imported.subjects(RDF.type, cls):
            if (node, RDF.type, None) in curated:
                continue
            for label in imported.objects(node, RDFS.label):
                assert normalised(str(label)) not in curated_labels, (node, label)


def test_report_entities_are_matched(imported):
    """Rows and variants that describe the report's entities attach to its nodes."""
    assert (JPR["tsuzumi-2"], JPLLM.huggingFaceRepository, None) not in imported  # no HF repo
    assert (JPR["tsuzumi"], JPLLM.family, JPR["tsuzumi-family"]) not in imported  # already there
    assert (JPR["qwq-bakeneko-32b"], JPLLM.variantOf, JPR["ajl-qwen2-5-bakeneko-32b"]) in imported
    assert (
        JPR["qwq-bakeneko-32b"],
        JPLLM.huggingFaceRepository,
        URIRef("https://huggingface.co/rinna/qwq-bakeneko-32b"),
    ) in imported
    assert (
        JPR["rakuten-ai-3"],
        JPLLM.huggingFaceRepository,
        URIRef("https://huggingface.co/Rakuten/RakutenAI-3.0"),
    ) in imported
    assert (JPR["ajl-qwen2-5-bakeneko-32b"], JPLLM.developer, JPR["rinna"]) in imported
    assert (JPR["ajl-plamo-3"], JPLLM.developer, JPR["pfn"]) in imported
    assert (JPR["ajl-plamo-3"], JPLLM.family, JPR["plamo-family"]) in imported
    assert (JPR["ajl-sarashina2"], JPLLM.developer, JPR["sb-intuitions"]) in imported


def test_conflicts_are_discrepancies_with_both_readings(imported):
    """Rakuten AI 3.0: the report records no base model, the catalogue lists it under post-training
    of DeepSeek-V3, with its own caveat (footnote 24: read from config.json)."""
    node = JPR["discrepancy-ajl-rakuten-ai-3-base-model"]
    assert (node, RDF.type, JPLLM.Discrepancy) in imported
    readings = list(imported.objects(node, JPLLM.reading))
    assert len(readings) == 2
    sources = {s for r in readings for s in imported.objects(r, DCTERMS.source)}
    assert JPR["ref-9"] in sources and JPR["ajl-903d9db-ja-l235"] in sources
    notes = " ".join(str(n) for n in imported.objects(node, JPLLM.note))
    assert "config.json" in notes and "[^24]" in notes


def test_lineage_reaches_foreign_ancestors(kg):
    """Catalogue lineage feeds the computed answers: ELYZA's Llama 2 models have a foreign
    ancestor (Llama 2, by Meta)."""
    from jpllmkg.graph.inference import HAS_FOREIGN_ANCESTOR, answer

    node = JPR["ajl-elyza-japanese-llama-2-7b"]
    assert (node, JPLLM.baseModel, JPR["llama-2"]) in kg.data
    assert answer(kg, node, HAS_FOREIGN_ANCESTOR) is True


def write_snapshot(folder: Path, ja: str, en: str | None) -> Path:
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(ja, encoding="utf-8")
    if en is not None:
        (folder / "en").mkdir()
        (folder / "en" / "README.md").write_text(en, encoding="utf-8")
    return folder


TABLE = """<a id="generative"></a>
## テキスト生成

<a id="generative-scratch-general"></a>
#### 汎用

|    | 公開年 |  アーキテクチャ  |  開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|
| [Alpha LM](ALPHA_URL) | 2024 | Llama ([**7b**](ALPHA_REPO)) | ExampleCo | Apache 2.0[^1] |
| [Beta LM](https://example.org/beta) | 20x4 | Llama | ExampleCo | MIT |
|  | 2024 | Llama | ExampleCo | MIT |

<a id="generative-mystery"></a>
#### ??

|    | 公開年 | 開発元 |
|:---|:---:|:---:|
| [Gamma LM](https://example.org/gamma) | 2025 | ExampleCo |

<a id="autoencoding"></a>
## その他

[^1]: 脚注の本文。
""".replace("ALPHA_REPO", "https://huggingface.co/ex/alpha-7b").replace(
    "ALPHA_URL", "https://example.org/alpha"
)


def test_bad_rows_are_warned_counted_and_skipped(cli, tmp_path):
    """An unknown section, a row without a name and a year that is not one each get a warning
    naming file:line; the rest imports; without en/README.md the ja labels are kept."""
    snapshot = write_snapshot(tmp_path / "abcdef1", TABLE, None)
    out = tmp_path / "out.ttl"
    result = import_to(cli, snapshot, out)
    assert result.returncode == 0, result.stderr
    assert "README.md:10: release year '20x4' is not a year: left out" in result.stderr
    assert "en/README.md: the snapshot has no en/README.md" in result.stderr
    assert "rows read: 4 (2 imported, 2 skipped)" in result.stdout
    assert "skipped: README.md:11: row without a model name" in result.stdout
    assert "skipped: README.md:18: row in an unknown section 'generative-mystery'" in result.stdout
    graph = Graph().parse(out)
    alpha = JPR["ajl-alpha-lm"]
    assert {str(label) for label in graph.objects(alpha, RDFS.label)} == {"Alpha LM"}
    assert (alpha, DCTERMS.license, URIRef("http://spdx.org/licenses/Apache-2.0")) in graph
    assert "脚注の本文。" in " ".join(str(n) for n in graph.objects(alpha, JPLLM.note))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "is not an awesome-japanese-llm snapshot: it has no README.md"),
        ("no-tables", "holds no table of the catalogue's text-generation sections"),
        ("bad-commit", "is not a commit hash"),
    ],
)
def test_not_a_snapshot_is_a_clear_error(cli, tmp_path, setup, message):
    """Exit 2, one paragraph naming the folder, no traceback and no file written."""
    folder = tmp_path / "notasnapshot"
    folder.mkdir()
    extra = ["--commit", "abcdef1"]
    if setup == "no-tables":
        (folder / "README.md").write_text("# just a page\n", encoding="utf-8")
    if setup == "bad-commit":
        shutil.copytree(SNAPSHOTS / LATEST, folder, dirs_exist_ok=True)
        extra = ["--commit", "main"]
    out = tmp_path / "out.ttl"
    result = import_to(cli, folder, out, *extra)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
