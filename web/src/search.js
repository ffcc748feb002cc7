// Site-wide search over every entity's labels (ja and en) and aliases.
import { LANG, word } from "./words.js";
import { pageLink, element } from "./dom.js";

/** Fold full-/half-width (NFKC), katakana to hiragana and Latin case, and drop spaces. */
export function normalise(text) {
  return text.normalize("NFKC").toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/[\s\u3000・･·_-]+/g, " ").trim();
}

let folded = null;

/** Ranked hits: exact before prefix before word-prefix before substring; each entity once. */
export function search(query, limit = 100) {
  const wanted = normalise(query);
  if (!wanted) return [];
  folded ??= window.JPLLMKG_INDEX.entities.map((e) => [e, e.names.map(normalise)]);
  const hits = [];
  for (const [entity, names] of folded) {
    let best = 9;
    for (const name of names) {
      let rank = 9;
      if (name === wanted) rank = 0;
      else if (name.startsWith(wanted)) rank = 1;
      else if (name.includes(" " + wanted)) rank = 2;
      else if (name.includes(wanted)) rank = 3;
      best = Math.min(best, rank);
    }
    if (best < 9) hits.push([best, entity.label[LANG].length, entity]);
  }
  hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].label[LANG].localeCompare(b[2].label[LANG]));
  return hits.slice(0, limit).map((hit) => hit[2]);
}

/** The search page: results for ?q=, live as the user types. */
export function searchPage() {
  const input = document.getElementById("search-input");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  function show() {
    const query = input.value;
    list.replaceChildren();
    if (!query.trim()) { status.textContent = ""; return; }
    const hits = search(query);
    status.textContent = hits.length ? word("hits", { n: hits.length, q: query }) : word("nothing", { q: query });
    for (const entity of hits) {
      const other = entity.label[1 - LANG];
      list.append(element("li", {}, [
        entity.page ? pageLink(entity.page, entity.label[LANG]) : element("span", {}, [entity.label[LANG]]),
        other && other !== entity.label[LANG] ? element("span", { className: "meta" }, [" · " + other]) : "",
        element("span", { className: "badge" }, [entity.cls[LANG]]),
      ]));
    }
  }
  input.value = new URLSearchParams(location.search).get("q") || "";
  input.addEventListener("input", () => {
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    show();
  });
  show();
}
