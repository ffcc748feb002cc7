// The graph views (views/<view>.html and `jpllmkg viz --format html`): vis-network draws the
// graph that jpllmkg.show.viz_html puts in <script type="application/json" id="jpllmkg-data">.
// Every text from the data is set as textContent (tooltips are DOM elements), and a node's
// entity page is opened through location.href only when it is a relative or http(s) link.
// The page exposes window.network (the vis Network) and window.jpllmkgView.
import { Network } from "vis-network/peer";
import { DataSet } from "vis-data/peer";
import "vis-network/styles/vis-network.css";

const MIN_LABEL_PX = 11; // the smallest on-screen label size the first view allows

// A relative link or an http(s) one; anything with another scheme (javascript:, data:) is not.
function safeHref(href) {
  if (typeof href !== "string" || !href) return null;
  if (/^https?:\/\//i.test(href)) return href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//") || /[\u0000-\u001f]/.test(href))
    return null;
  return href;
}

function normalise(text) {
  return String(text).normalize("NFKC").toLowerCase().trim();
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
}

function tip(text) {
  const element = document.createElement("div");
  element.className = "jpllmkg-tip";
  element.textContent = text;
  return element;
}

function start() {
  const holder = document.getElementById("jpllmkg-data");
  const container = document.getElementById("network");
  if (!holder || !container) return;
  const data = JSON.parse(holder.textContent);
  const words = data.text;
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const degree = new Map(data.nodes.map((n) => [n.id, 0]));
  for (const e of data.edges) {
    degree.set(e.from, (degree.get(e.from) || 0) + 1);
    degree.set(e.to, (degree.get(e.to) || 0) + 1);
  }

  const nodes = new DataSet(
    data.nodes.map((n) => {
      const node = {
        id: n.id,
        label: n.label,
        title: tip(n.title),
        shape: n.shape,
        color: {
          background: n.color,
          border: "#555555",
          highlight: { background: n.color, border: "#000000" },
          hover: { background: n.color, border: "#000000" },
        },
        font: { color: n.fontColor },
      };
      if (n.x !== undefined) {
        node.x = n.x;
        node.y = n.y;
      }
      if (n.focus) {
        node.borderWidth = 4;
        node.font.size = 18;
      }
      return node;
    }),
  );
  const edges = new DataSet(
    data.edges.map((e, i) => ({
      id: "e" + i,
      from: e.from,
      to: e.to,
      label: e.label,
      title: tip(e.title),
      dashes: e.dashes,
      smooth: e.smooth,
    })),
  );
  const network = new Network(container, { nodes, edges }, data.options);
  const view = {
    view: data.view,
    lang: data.lang,
    nodes: nodes.length,
    edges: edges.length,
    visible: nodes.length,
    ready: false,
  };
  window.network = network;
  window.jpllmkgView = view;

  // First view: the whole graph when its labels are readable so, else readable labels around
  // the focus (or the most connected node).
  const fontSize = (data.options.nodes && data.options.nodes.font && data.options.nodes.font.size) || 14;
  function centre() {
    if (data.nodes.some((n) => n.focus)) return data.nodes.find((n) => n.focus).id;
    let best = null;
    for (const n of data.nodes) {
      if (best === null || degree.get(n.id) > degree.get(best)) best = n.id;
    }
    return best;
  }
  function firstView() {
    network.fit({ animation: false });
    const scale = network.getScale() * 0.9;
    const readable = MIN_LABEL_PX / fontSize;
    if (scale >= readable || !data.nodes.length) {
      network.moveTo({ scale, animation: false });
    } else {
      const position = network.getPositions([centre()])[centre()];
      network.moveTo({ position, scale: readable, animation: false });
    }
  }
  function settle() {
    if (view.ready) return;
    network.setOptions({ physics: { enabled: false } });
    firstView();
    view.ready = true;
  }
  if (data.options.physics && data.options.physics.enabled === false) {
    settle();
  } else {
    network.once("stabilizationIterationsDone", settle);
    network.once("stabilized", settle);
  }

  // Opening a node's entity page.
  network.on("click", (params) => {
    if (params.nodes.length !== 1) return;
    const node = byId.get(params.nodes[0]);
    const href = node && safeHref(node.href);
    if (href) window.location.href = href;
  });
  network.on("hoverNode", (params) => {
    const node = byId.get(params.node);
    container.style.cursor = node && safeHref(node.href) ? "pointer" : "";
  });
  network.on("blurNode", () => {
    container.style.cursor = "";
  });

  // Filters: legend entries (groups), sector, status, date range.
  const hiddenGroups = new Set();
  const sectorSelect = document.getElementById("filter-sector");
  const statusSelect = document.getElementById("filter-status");
  const dateFrom = document.getElementById("filter-from");
  const dateTo = document.getElementById("filter-to");
  const shown = document.getElementById("shown");

  function passes(n) {
    if (hiddenGroups.has(n.group)) return false;
    const sector = sectorSelect ? sectorSelect.value : "";
    if (sector && n.sectors && !n.sectors.includes(sector)) return false;
    const status = statusSelect ? statusSelect.value : "";
    if (status && n.status && n.status !== status) return false;
    if (n.date) {
      if (dateFrom && dateFrom.value && n.date < dateFrom.value.slice(0, n.date.length)) return false;
      if (dateTo && dateTo.value && n.date.slice(0, dateTo.value.length) > dateTo.value) return false;
    }
    return true;
  }
  function apply() {
    const changes = [];
    let visible = 0;
    for (const n of data.nodes) {
      const hidden = !passes(n);
      if (!hidden) visible += 1;
      if (Boolean(nodes.get(n.id).hidden) !== hidden) changes.push({ id: n.id, hidden });
    }
    if (changes.length) nodes.update(changes);
    view.visible = visible;
    if (shown) shown.textContent = fill(words.shown, { shown: visible, total: data.nodes.length });
  }
  for (const button of document.querySelectorAll("#legend button[data-group]")) {
    button.addEventListener("click", () => {
      const group = button.dataset.group;
      if (hiddenGroups.has(group)) hiddenGroups.delete(group);
      else hiddenGroups.add(group);
      button.setAttribute("aria-pressed", String(!hiddenGroups.has(group)));
      apply();
    });
  }
  for (const control of [sectorSelect, statusSelect, dateFrom, dateTo]) {
    if (control) control.addEventListener("change", apply);
  }
  const reset = document.getElementById("reset");
  if (reset) {
    reset.addEventListener("click", () => {
      hiddenGroups.clear();
      for (const button of document.querySelectorAll("#legend button[data-group]"))
        button.setAttribute("aria-pressed", "true");
      for (const control of [sectorSelect, statusSelect, dateFrom, dateTo]) {
        if (control) control.value = "";
      }
      apply();
    });
  }
  const whole = document.getElementById("whole");
  if (whole) whole.addEventListener("click", () => network.fit({ animation: true }));
  apply();

  // Search by label (case-insensitive, NFKC); Enter again goes to the next match.
  const form = document.getElementById("find");
  const search = document.getElementById("search");
  const status = document.getElementById("search-status");
  let last = { query: null, index: -1 };
  function show(node) {
    network.selectNodes([node.id]);
    network.focus(node.id, { scale: Math.max(network.getScale(), 1.2), animation: true });
  }
  function say(text, node) {
    status.textContent = text;
    const href = node && safeHref(node.href);
    if (href) {
      const link = document.createElement("a");
      link.setAttribute("href", href);
      link.textContent = words.open;
      status.append(" ", link);
    }
  }
  function find() {
    const query = normalise(search.value);
    if (!query) {
      status.textContent = "";
      return;
    }
    const matching = data.nodes.filter((n) => normalise(n.name).includes(query) || n.id === search.value.trim());
    matching.sort((a, b) => (normalise(b.name) === query) - (normalise(a.name) === query));
    const hits = matching.filter((n) => !nodes.get(n.id).hidden);
    if (!matching.length) {
      say(fill(words.nothing, { query: search.value.trim() }));
      return;
    }
    if (!hits.length) {
      say(fill(words.hidden, { query: search.value.trim() }));
      return;
    }
    last = { query, index: last.query === query ? (last.index + 1) % hits.length : 0 };
    const node = hits[last.index];
    show(node);
    say(fill(words.found, { label: node.name, n: last.index + 1, total: hits.length }), node);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    find();
  });
  search.addEventListener("input", (event) => {
    // a name picked from the list (not typed): go there at once
    if (event.inputType && event.inputType !== "insertReplacementText") return;
    const query = normalise(search.value);
    if (data.nodes.some((n) => normalise(n.name) === query)) {
      last = { query: null, index: -1 };
      find();
    }
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
