// Bundles the browser side of the site into one folder (argv[2]) as classic scripts, so that
// every page also works from file:// (Chromium refuses ES modules and fetch() of .wasm there):
//   explorer.js   the site's pages (SPARQL editor, query forms, search, tables)
//   views.js/.css the graph views (vis-network)
//   oxigraph-wasm.js  Oxigraph's WebAssembly bytes, gzipped and base64, as window.JPLLMKG_WASM
//   licences.json the bundled npm packages with their version, licence and licence text
// The engine's worker is bundled first and carried inside explorer.js as text (a Blob worker).
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node bundle.mjs OUT_FOLDER");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const common = { bundle: true, format: "iife", minify: true, target: "es2020", logLevel: "error",
  legalComments: "none", absWorkingDir: here };

const worker = await build({ ...common, entryPoints: ["src/worker.js"], write: false });
await build({ ...common, entryPoints: { explorer: "src/explorer.js", views: "src/views.js" },
  outdir: out, define: { WORKER_SOURCE: JSON.stringify(worker.outputFiles[0].text) } });

const wasm = gzipSync(readFileSync(join(here, "node_modules/oxigraph/web_bg.wasm")), { level: 9 })
  .toString("base64");
writeFileSync(join(out, "oxigraph-wasm.js"), `window.JPLLMKG_WASM="${wasm}";\n`);

const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
const licences = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path || entry.dev) continue;
  const folder = join(here, path);
  const text = existsSync(folder)
    ? readdirSync(folder).filter((name) => /^(licen[cs]e|copying)/i.test(name))
        .map((name) => readFileSync(join(folder, name), "utf8")).join("\n")
    : "";
  licences.push({ name: path.replace(/^.*node_modules\//, ""), version: entry.version,
    licence: entry.license || "", text });
}
licences.sort((a, b) => a.name.localeCompare(b.name));
writeFileSync(join(out, "licences.json"), JSON.stringify(licences, null, 1) + "\n");
