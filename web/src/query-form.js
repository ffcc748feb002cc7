// A saved query's page: its parameters as a form that runs the query in the page (the values
// are bound as the CLI binds them: a VALUES block at the top of the WHERE group), showing the
// SPARQL it ran.
import { word } from "./words.js";
import { element } from "./dom.js";
import { showResults } from "./results.js";

const DATE_FORMS = [[/^\d{4}-\d{2}-\d{2}$/, "date"], [/^\d{4}-\d{2}$/, "gYearMonth"], [/^\d{4}$/, "gYear"]];
const IRI_FORBIDDEN = /[\s\x00-\x20<>"{}|\\^`]/;
const XSD = "http://www.w3.org/2001/XMLSchema#";

function realDate(text) {
  const [y, m = 1, d = 1] = text.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function quoted(text) {
  return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
}

/** An IRI from a CURIE, a full IRI, or the label of an entity (as picked from the list). */
function toIri(text) {
  const index = window.JPLLMKG_INDEX;
  const byLabel = index.entities.find((e) => e.label[0] === text || e.label[1] === text);
  if (byLabel) return byLabel.iri;
  const match = /^([A-Za-z][\w-]*):(.*)$/.exec(text);
  if (match && index.prefixes[match[1]] && !match[2].startsWith("//")) return index.prefixes[match[1]] + match[2];
  return /^https?:\/\//.test(text) ? text : null;
}

/** The RDF term (SPARQL syntax) of one value, or throws a message. */
export function termFor(param, text) {
  if (param.type === "IRI") {
    const iri = toIri(text);
    if (!iri || IRI_FORBIDDEN.test(iri)) throw new Error(word("notiri"));
    return `<${iri}>`;
  }
  if (param.type === "date") {
    for (const [pattern, type] of DATE_FORMS) {
      if (pattern.test(text) && realDate(text)) return `${quoted(text)}^^<${XSD}${type}>`;
    }
    throw new Error(word("notdate"));
  }
  if (param.type === "number") {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/.test(text)) throw new Error(word("notnumber"));
    return `${quoted(text)}^^<${XSD}decimal>`;
  }
  return quoted(text);
}

/** The query text with the values bound (as jpllmkg.query.binding.bind_values). */
export function bind(query, values) {
  const names = Object.keys(values);
  if (!names.length) return query.text;
  const block = `\n  VALUES (${names.map((n) => "?" + n).join(" ")}) { (${names.map((n) => values[n]).join(" ")}) }\n`;
  return query.text.slice(0, query.brace + 1) + block + query.text.slice(query.brace + 1);
}

function input(param) {
  if (param.options) {
    const select = element("select", { name: param.name, id: "param-" + param.name });
    if (!param.required) select.append(element("option", { value: "" }, [word("choose")]));
    for (const [value, label] of param.options) select.append(element("option", { value }, [label]));
    return select;
  }
  const props = { name: param.name, id: "param-" + param.name, required: param.required };
  if (param.type === "number") Object.assign(props, { type: "number", step: "any" });
  else if (param.type === "date") Object.assign(props, { type: "text", placeholder: "YYYY-MM-DD / YYYY-MM / YYYY", pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?" });
  else Object.assign(props, { type: "text", maxLength: param.type === "IRI" ? 2000 : 1000 });
  const field = element("input", props);
  if (param.type === "IRI") field.setAttribute("list", "entity-names");
  return field;
}

export function queryForm(engine) {
  const form = document.getElementById("query-form");
  const name = form.dataset.query;
  const query = window.JPLLMKG_INDEX.queries[name];
  const fields = form.querySelector(".fields");
  if (query.params.some((p) => p.type === "IRI" && !p.options)) {
    const list = element("datalist", { id: "entity-names" });
    for (const entity of window.JPLLMKG_INDEX.entities) list.append(element("option", { value: entity.label[document.documentElement.lang === "ja" ? 1 : 0] }));
    form.append(list);
  }
  for (const param of query.params) {
    const field = input(param);
    if (query.given[param.name] !== undefined) field.value = query.given[param.name];
    fields.append(element("label", { htmlFor: field.id }, [
      element("code", {}, [param.name]), " ", element("span", { className: "meta" }, [param.description]), field]));
  }
  const output = document.getElementById("form-results");
  const ran = document.getElementById("form-sparql");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = {};
    const problems = [];
    for (const param of query.params) {
      const text = form.elements[param.name].value.trim();
      if (!text) {
        if (param.required) problems.push(word("bad", { p: param.name, e: word("needs") }));
        continue;
      }
      try { values[param.name] = termFor(param, text); } catch (error) { problems.push(word("bad", { p: param.name, e: error.message })); }
    }
    if (problems.length) {
      output.replaceChildren(element("p", { className: "Violation" }, [problems.join("; ")]));
      return;
    }
    const text = bind(query, values);
    ran.textContent = text;
    document.body.dataset.state = "running";
    try {
      const { results, ms } = await engine.query(text);
      showResults(output, results, ms);
      window.jpllmkgLastQuery = { ms };
      document.body.dataset.state = "done";
    } catch (error) {
      output.replaceChildren(element("p", { className: "Violation" }, [word("error", { e: error.message })]));
      document.body.dataset.state = "failed";
    }
  });
  engine.ready.then(() => { form.querySelector("button").disabled = false; document.body.dataset.state = "ready"; });
}
