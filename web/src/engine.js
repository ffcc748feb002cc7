// The in-browser SPARQL engine: Oxigraph (WebAssembly) in a worker made from a Blob, so it
// works from file:// too, and a query that runs too long can be stopped (the worker is ended
// and a new one loads the graph again).
/* global WORKER_SOURCE */

export const TIMEOUT_MS = 30000;

/** The bytes of a base64 text (the gzipped engine and graph the page's scripts carry). */
function decode(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export class Engine {
  constructor() {
    this.pending = new Map();
    this.next = 1;
    this.ready = this.start();
  }

  start() {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    this.worker = new Worker(url);
    URL.revokeObjectURL(url);
    return new Promise((resolve, reject) => {
      this.worker.onmessage = (event) => {
        const message = event.data;
        if ("ready" in message) {
          if (message.ready) resolve(message);
          else reject(new Error(message.error));
          return;
        }
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        clearTimeout(waiting.timer);
        if (message.error) waiting.reject(new Error(message.error));
        else waiting.resolve({ results: JSON.parse(message.json), ms: message.ms });
      };
      this.worker.onerror = (event) => reject(new Error(event.message));
      const wasm = decode(window.JPLLMKG_WASM).buffer;
      const graph = decode(window.JPLLMKG_GRAPH).buffer;
      this.worker.postMessage({ wasm, graph }, [wasm, graph]);
    });
  }

  /** Run a SPARQL query; resolves to {results (W3C JSON), ms}. */
  async query(text) {
    await this.ready;
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.stop(`stopped after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, query: text });
    });
  }

  /** Stop what runs: end the worker, refuse what waits, start a new one. */
  stop(reason = "stopped") {
    this.worker.terminate();
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(reason));
    }
    this.pending.clear();
    this.ready = this.start();
  }
}
