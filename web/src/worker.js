// The SPARQL engine's worker: Oxigraph (WebAssembly) holding the whole graph. Messages in:
// {wasm, graph} once (gzipped WebAssembly and N-Triples, as ArrayBuffers), then {id, query}. Messages out: {ready, ms,
// triples} once, then {id, json} (W3C SPARQL results JSON) or {id, error}. It only queries:
// Oxigraph's query() parses SPARQL queries, so an update is refused as a syntax error.
import { initSync, Store } from "oxigraph/web.js";

let store = null;

async function gunzip(buffer) {
  const stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.wasm) {
    const started = performance.now();
    try {
      initSync({ module: await gunzip(message.wasm) });
      store = new Store();
      store.load(await gunzip(message.graph), { format: "application/n-triples", no_transaction: true });
      self.postMessage({ ready: true, ms: performance.now() - started, triples: store.size });
    } catch (error) {
      self.postMessage({ ready: false, error: String(error) });
    }
    return;
  }
  try {
    const started = performance.now();
    const answer = store.query(message.query, { results_format: "application/sparql-results+json" });
    const text = typeof answer === "string" ? answer : JSON.stringify({ boolean: answer });
    self.postMessage({ id: message.id, json: text, ms: performance.now() - started });
  } catch (error) {
    self.postMessage({ id: message.id, error: String(error) });
  }
};
