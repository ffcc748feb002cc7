"""The site's own words (headings, column names) in English and Japanese."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # key: (English, Japanese)
    "site": ("Japan's domestic LLM ecosystem", "日本の国産LLMエコシステム"),
    "home": ("Home", "ホーム"),
    "lead": (
        "Who builds which model, what each model derives from, who deploys it where and who "
        "funds it: curated from the research report 2026年日本の国産LLM採用状況 (2026-03-01), "
        "every fact traced to one of its numbered references.",
        "誰がどのモデルを開発し、各モデルが何から派生し、誰がどこで導入し、誰が支援しているか。"
        "調査レポート『2026年日本の国産LLM採用状況』（2026-03-01）から作成し、すべての事実を番号付きの"
        "参考文献にたどれます。",
    ),
    "views": ("Graph views", "グラフ表示"),
    "sparql_page": ("SPARQL", "SPARQL"),
    "sparql_intro": (
        "Ask the whole graph your own question: the query runs in this page (Oxigraph's "
        "WebAssembly build, the engine the CLI uses), offline. The project's prefixes are "
        "declared; Ctrl+Enter runs; the link holds the query.",
        "グラフ全体に自分の問いを投げられます。クエリはこのページ内（CLI と同じ Oxigraph の "
        "WebAssembly 版）でオフライン実行されます。プロジェクトの接頭辞は宣言済み、"
        "Ctrl+Enter で実行、リンクにクエリが入ります。",
    ),
    "examples": ("Examples", "例"),
    "run": ("Run", "実行"),
    "stop": ("Stop", "停止"),
    "share": ("Link to this query", "このクエリへのリンク"),
    "search": ("Search", "検索"),
    "noscript": ("Search needs JavaScript.", "検索には JavaScript が必要です。"),
    "about": ("About", "このサイトについて"),
    "about_intro": (
        "The site's scripts are bundled from these npm packages (pinned in web/package.json and "
        "web/package-lock.json).",
        "このサイトのスクリプトは次の npm パッケージから作られています（web/package.json と "
        "web/package-lock.json で固定）。",
    ),
    "package": ("package", "パッケージ"),
    "version": ("version", "バージョン"),
    "licence": ("licence", "ライセンス"),
    "assets": ("Bundled files", "同梱ファイル"),
    "licence_texts": ("Licence texts", "ライセンス全文"),
    "ask": ("Ask it", "問い合わせる"),
    "ask_intro": (
        "Change the values and run the query in this page.",
        "値を変えて、このページでクエリを実行できます。",
    ),
    "sparql_ran": ("SPARQL that ran", "実行した SPARQL"),
    "queries": ("Saved queries", "保存クエリ"),
    "entities": ("Entities", "エンティティ"),
    "sources": ("Sources", "出典"),
    "validation": ("Validation report", "検証レポート"),
    "ontology": ("Ontology", "オントロジー"),
    "vocabularies": ("Vocabularies", "語彙"),
    "dumps": ("Downloads", "ダウンロード"),
    "holds": ("What the graph holds", "グラフの内容"),
    "triples": ("triples", "トリプル"),
    "fact_triples": ("triples of facts in graph/", "graph/ の事実トリプル"),
    "files": ("files", "ファイル"),
    "fact_nodes": ("fact nodes (with dcterms:source)", "出典付きの事実ノード"),
    "references_cited": ("references cited", "引用された参考文献"),
    "class": ("class", "クラス"),
    "count": ("count", "件数"),
    "nodes": ("nodes", "ノード"),
    "iri": ("IRI", "IRI"),
    "defined_in": ("defined in", "定義ファイル"),
    "attributes": ("Attributes and relations", "属性と関係"),
    "computed": ("Computed facts", "算出された事実"),
    "computed_about": (
        "Computed when the graph is loaded, from the developers' countries and the lineage: "
        "yes, no, or unknown when the recorded facts do not decide it.",
        "グラフの読み込み時に開発者の国と系譜から算出：はい・いいえ、または記録された事実で"
        "決まらない場合は不明。",
    ),
    "domestic": ("domestic", "国産"),
    "foreign_ancestor": ("has a foreign ancestor", "海外由来の祖先モデル"),
    "yes": ("yes", "はい"),
    "no": ("no", "いいえ"),
    "unknown": ("unknown", "不明"),
    "incoming": ("Referred to by", "参照元"),
    "property": ("property", "プロパティ"),
    "value": ("value", "値"),
    "subject": ("subject", "主語"),
    "via": ("via", "経由"),
    "none": ("none", "なし"),
    "parameters": ("Parameters", "パラメータ"),
    "example": ("value on this page", "このページの値"),
    "type": ("type", "型"),
    "use": ("use", "指定"),
    "description": ("description", "説明"),
    "optional": ("optional", "任意"),
    "required": ("required", "必須"),
    "sparql": ("SPARQL", "SPARQL"),
    "results": ("Results", "結果"),
    "row": ("row", "行"),
    "rows": ("rows", "行"),
    "run_it": ("Run it", "実行方法"),
    "example_unfit": (
        "The example parameters do not fit this graph, so the site shows no results:",
        "例のパラメータがこのグラフに合わないため、結果はありません：",
    ),
    "federated": (
        "This query calls a remote SPARQL service (SERVICE). The site is built offline, so it "
        "shows no results: run the query on an endpoint that can reach the service.",
        "このクエリは外部の SPARQL サービス（SERVICE）を呼び出します。サイトはオフラインで生成"
        "されるため結果はありません。サービスに接続できるエンドポイントで実行してください。",
    ),
    "question": ("question", "質問"),
    "name": ("name", "名前"),
    "severity": ("severity", "重大度"),
    "focus": ("focus", "対象"),
    "path": ("path", "パス"),
    "message": ("message", "メッセージ"),
    "check": ("check", "チェック"),
    "file": ("file", "ファイル"),
    "conforms": ("The graph conforms to its shapes.", "グラフはシェイプに適合しています。"),
    "violations": ("violations", "違反"),
    "warnings": ("warnings", "警告"),
    "number": ("no.", "番号"),
    "title": ("title", "表題"),
    "publisher": ("publisher", "発行元"),
    "date": ("date", "日付"),
    "url": ("URL", "URL"),
    "cited_by": ("cited by", "引用数"),
    "format": ("format", "形式"),
    "size": ("size", "サイズ"),
    "dump_ttl": ("Turtle: the whole graph", "Turtle（グラフ全体）"),
    "dump_nt": ("N-Triples: the whole graph", "N-Triples（グラフ全体）"),
    "dump_jsonld": ("JSON-LD: the whole graph", "JSON-LD（グラフ全体）"),
    "dump_trig": (
        "TriG: one named graph per project file",
        "TriG（プロジェクトのファイルごとの名前付きグラフ）",
    ),
    "dump_csv": ("CSV: one file per saved query", "CSV（保存クエリごと）"),
    "ontology_about": (
        "Classes and properties, generated with pyLODE.",
        "クラスとプロパティ（pyLODE で生成）。",
    ),
    "vocabularies_about": (
        "Controlled values (SKOS concept schemes).",
        "統制語彙（SKOS 概念スキーム）。",
    ),
    "concept": ("concept", "概念"),
    "generated": ("Generated by jpllmkg from the curated graph.", "jpllmkg がグラフから生成。"),
    "more": ("Entities, sources, checks and terms", "エンティティ・出典・検証・用語"),
    "all_entities": ("All entities by class", "クラス別の全エンティティ"),
}


def word(key: str, lang: str) -> str:
    """The site's word for ``key`` in ``lang`` (en or ja)."""
    english, japanese = WORDS[key]
    return japanese if lang == "ja" else english
