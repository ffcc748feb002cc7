// Small DOM helpers: every text from data goes in as a text node, never as HTML.

export function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((child) => child !== "" && child != null));
  return node;
}

/** The relative path from this page to the site root (pages say it in data-root). */
export function root() {
  return document.body.dataset.root || "";
}

/** A link to a site page given by its path from the site root. */
export function pageLink(path, text) {
  return element("a", { href: root() + path }, [text]);
}

/** A link only for http(s) addresses; other text stays text. */
export function webLink(text) {
  return /^https?:\/\//.test(text) ? element("a", { href: text, rel: "external noopener" }, [text]) : text;
}
