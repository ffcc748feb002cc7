// The page texts the scripts write, in both languages.
const WORDS = {
  run: ["Run", "実行"], stop: ["Stop", "停止"], loading: ["Loading the graph…", "グラフを読み込み中…"],
  ready: ["Ready: {n} triples loaded in {ms} ms.", "準備完了: {n} トリプルを {ms} ms で読み込み。"],
  running: ["Running…", "実行中…"], rows: ["{n} rows in {ms} ms", "{n} 行（{ms} ms）"],
  error: ["The query failed: {e}", "クエリが失敗しました: {e}"], examples: ["Examples", "例"],
  share: ["Link to this query", "このクエリへのリンク"], filter: ["Filter rows…", "行を絞り込む…"],
  shown: ["{n} of {m} rows shown", "{m} 行中 {n} 行を表示"], yes: ["yes", "はい"], no: ["no", "いいえ"],
  nothing: ["Nothing matches “{q}”.", "「{q}」に一致するものはありません。"],
  hits: ["{n} matches for “{q}”", "「{q}」の検索結果 {n} 件"], ran: ["SPARQL that ran", "実行した SPARQL"],
  choose: ["(any)", "（指定なし）"], bad: ["{p}: {e}", "{p}: {e}"],
  needs: ["a value is required", "値が必要です"], notiri: ["not an entity of the graph, a CURIE or an IRI",
    "グラフのエンティティ、CURIE、IRI のいずれでもありません"], notdate: ["a date as YYYY-MM-DD, YYYY-MM or YYYY",
    "日付は YYYY-MM-DD、YYYY-MM、YYYY の形式で"], notnumber: ["a number", "数値"],
  boolean: ["Answer: {b}", "答え: {b}"], graph: ["Show as a graph", "グラフで表示"],
};

export const LANG = document.documentElement.lang === "ja" ? 1 : 0;

export function word(key, values = {}) {
  return WORDS[key][LANG].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}
