// The site's script: every page gets sortable, filterable tables; the SPARQL page, the saved
// query forms and the search page get their own parts (the page says which in data-page).
import { Engine } from "./engine.js";
import { enhanceTable } from "./tables.js";
import { sparqlPage } from "./sparql-page.js";
import { queryForm } from "./query-form.js";
import { searchPage } from "./search.js";

function start() {
  for (const table of document.querySelectorAll("main table")) enhanceTable(table);
  const page = document.body.dataset.page;
  if (page === "search") searchPage();
  if (page === "sparql") sparqlPage(new Engine());
  if (document.getElementById("query-form")) queryForm(new Engine());
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
