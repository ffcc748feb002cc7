// Every table: click a header to sort (again to reverse); a filter box above long tables.
import { word } from "./words.js";
import { element } from "./dom.js";

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function cellKey(cell) {
  const text = cell.dataset.sort ?? cell.textContent.trim();
  const number = Number(text.replace(/,/g, ""));
  return text !== "" && Number.isFinite(number) ? number : text;
}

function compare(a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

export function enhanceTable(table) {
  const body = table.tBodies[0];
  if (!body || !table.tHead || table.dataset.enhanced) return;
  table.dataset.enhanced = "yes";
  const headers = [...table.tHead.rows[0].cells];
  headers.forEach((header, column) => {
    header.classList.add("sortable");
    header.tabIndex = 0;
    const sort = () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach((h) => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const rows = [...body.rows].sort((r1, r2) => compare(cellKey(r1.cells[column]), cellKey(r2.cells[column])));
      if (!ascending) rows.reverse();
      body.append(...rows);
    };
    header.addEventListener("click", sort);
    header.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
  });
  if (body.rows.length < 8) return;
  const count = element("span", { className: "meta" });
  const input = element("input", { type: "search", placeholder: word("filter"), className: "table-filter" });
  const total = body.rows.length;
  const apply = () => {
    const wanted = input.value.normalize("NFKC").toLowerCase().trim();
    let shown = 0;
    for (const row of body.rows) {
      const hit = !wanted || row.textContent.normalize("NFKC").toLowerCase().includes(wanted);
      row.hidden = !hit;
      shown += hit ? 1 : 0;
    }
    count.textContent = " " + word("shown", { n: shown, m: total });
  };
  input.addEventListener("input", apply);
  table.before(element("p", { className: "filter" }, [input, count]));
  apply();
}
