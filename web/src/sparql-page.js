// sparql.html: an editor with SPARQL highlighting and prefix/term completion, the saved queries
// as examples, results as a table; the query travels in the URL fragment (#query=...) and runs
// on load, so a result can be shared as a link.
import { EditorView, basicSetup } from "codemirror";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion } from "@codemirror/autocomplete";
import { word } from "./words.js";
import { element } from "./dom.js";
import { showResults } from "./results.js";

/** Completion of the project's prefixes and of the CURIEs of the graph's terms. */
function completions(context) {
  const before = context.matchBefore(/[A-Za-z][\w-]*:?[\w.-]*/);
  if (!before || (before.from === before.to && !context.explicit)) return null;
  const index = window.JPLLMKG_INDEX;
  const options = Object.keys(index.prefixes).map((p) => ({ label: p + ":", type: "namespace" }));
  for (const [curie, label] of index.curies) options.push({ label: curie, detail: label, type: "variable" });
  return { from: before.from, options, validFor: /^[\w:.-]*$/ };
}

/** The project's prefixes on one line (predeclared: a query's own PREFIX lines override). */
export function prefixLine() {
  const prefixes = window.JPLLMKG_INDEX.prefixes;
  return Object.entries(prefixes).map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join(" ");
}

export function sparqlPage(engine) {
  const status = document.getElementById("engine-status");
  const output = document.getElementById("results");
  const runButton = document.getElementById("run");
  const stopButton = document.getElementById("stop");
  const examples = document.getElementById("examples");
  const share = document.getElementById("share");
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get("query");
  const start = fromUrl ?? `SELECT ?model ?base WHERE {\n  ?model jpllm:baseModel ?base .\n}\nLIMIT 20\n`;
  const editor = new EditorView({
    doc: start,
    extensions: [basicSetup, StreamLanguage.define(sparql), autocompletion({ override: [completions] })],
    parent: document.getElementById("editor"),
  });
  window.jpllmkgEditor = editor;
  for (const [name, query] of Object.entries(window.JPLLMKG_INDEX.queries)) {
    examples.append(element("option", { value: name }, [query.title]));
  }
  examples.addEventListener("change", () => {
    const query = window.JPLLMKG_INDEX.queries[examples.value];
    if (!query) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: query.example } });
  });
  async function run() {
    const text = editor.state.doc.toString();
    const link = "#query=" + encodeURIComponent(text);
    history.replaceState(null, "", link);
    share.href = link;
    runButton.disabled = true;
    stopButton.disabled = false;
    status.textContent = word("running");
    document.body.dataset.state = "running";
    try {
      const { results, ms } = await engine.query(`${prefixLine()}\n${text}`);
      showResults(output, results, ms);
      status.textContent = "";
      document.body.dataset.state = "done";
    } catch (error) {
      output.replaceChildren(element("p", { className: "Violation" }, [word("error", { e: error.message })]));
      status.textContent = "";
      document.body.dataset.state = "failed";
    } finally {
      runButton.disabled = false;
      stopButton.disabled = true;
    }
  }
  runButton.addEventListener("click", run);
  stopButton.addEventListener("click", () => engine.stop());
  editor.contentDOM.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  status.textContent = word("loading");
  engine.ready.then((info) => {
    status.textContent = word("ready", { n: info.triples, ms: Math.round(info.ms) });
    document.body.dataset.state = "ready";
    window.jpllmkgReady = { ...info, pageMs: performance.now() };
    if (fromUrl !== null) run();
  }, (error) => { status.textContent = word("error", { e: error.message }); });
}
