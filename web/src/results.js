// A SPARQL result (W3C JSON) as a table: labels in the page's language, links to entity pages,
// sortable and filterable, with CSV and JSON downloads.
import { LANG, word } from "./words.js";
import { element, pageLink, webLink } from "./dom.js";
import { enhanceTable } from "./tables.js";

/** The text and link of one RDF term of a result. */
export function termCell(term) {
  if (!term) return "";
  const index = window.JPLLMKG_INDEX;
  if (term.type === "uri") {
    const known = index.terms[term.value];
    if (known) {
      const [label, page] = [known[LANG] || known[1 - LANG], known[2]];
      const node = page ? pageLink(page, label) : element("span", {}, [label]);
      node.title = term.value;
      return node;
    }
    return webLink(term.value);
  }
  if (term.type === "bnode") return element("code", {}, ["_:" + term.value]);
  const lang = term["xml:lang"];
  return lang ? element("span", { lang }, [term.value, element("span", { className: "lang" }, ["@" + lang])])
    : term.value;
}

function csvField(text) {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV as in the W3C SPARQL 1.1 CSV results format (term values, no labels). */
export function toCsv(results) {
  const vars = results.head.vars;
  const lines = [vars.map(csvField).join(",")];
  for (const row of results.results.bindings) {
    lines.push(vars.map((v) => csvField(row[v] ? row[v].value : "")).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return element("a", { href: url, download: name, className: "download" }, [name]);
}

/** Render results into ``target``; returns the table (or null for ASK). */
export function showResults(target, results, ms) {
  target.replaceChildren();
  if ("boolean" in results) {
    target.append(element("p", { className: "answer" }, [word("boolean", { b: word(results.boolean ? "yes" : "no") })]));
    return null;
  }
  const vars = results.head.vars;
  const rows = results.results.bindings;
  const head = element("tr", {}, vars.map((v) => element("th", {}, [v])));
  const body = rows.map((row) => element("tr", {}, vars.map((v) => element("td", {}, [termCell(row[v])]))));
  const table = element("table", { className: "results" }, [element("thead", {}, [head]), element("tbody", {}, body)]);
  target.append(
    element("p", { className: "meta" }, [word("rows", { n: rows.length, ms: Math.round(ms) }), " · ",
      download("results.csv", "text/csv", toCsv(results)), " · ",
      download("results.json", "application/sparql-results+json", JSON.stringify(results, null, 1))]),
    table,
  );
  enhanceTable(table);
  return table;
}
