"""The page frame, the style sheet and links between pages; every text goes through escaping.

Pages are built with :class:`markupsafe.Markup`: ``Markup(template).format(...)`` escapes every
argument that is not itself Markup, so a label holding HTML is shown as text, never run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from jpllmkg import __version__
from jpllmkg.graph.loader import KnowledgeGraph
from jpllmkg.graph.namespaces import JPR, compact
from jpllmkg.site.words import word

SAFE_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
RESERVED_SLUGS = {"index"}
NAV = (
    ("home", "index.html"),
    ("sparql_page", "sparql.html"),
    ("views", "index.html#views"),
    ("queries", "queries/index.html"),
    ("entities", "entities/index.html"),
    ("sources", "sources/index.html"),
    ("validation", "validation.html"),
    ("ontology", "ontology/index.html"),
    ("dumps", "index.html#dumps"),
    ("about", "about.html"),
)
STYLE = """\
:root { --ink: #1d2433; --muted: #5b6475; --line: #d8dce4; --accent: #0b5cad; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK JP", "Noto Sans JP",
    "Hiragino Sans", "Yu Gothic", sans-serif; }
header { background: var(--ink); padding: 0.5rem 1.5rem; }
header nav a { color: #fff; margin-right: 1.1rem; text-decoration: none; font-size: 0.95rem; }
header nav a:first-child { font-weight: 700; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1rem; }
header nav { flex: 1 1 auto; }
header form.search input { padding: 0.2rem 0.5rem; min-width: 12rem; }
th.sortable { cursor: pointer; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
.editor { border: 1px solid var(--line); min-height: 14rem; }
.editor .cm-editor { min-height: 14rem; }
#query-form label { display: block; margin: 0.4rem 0; }
#query-form label input, #query-form label select { display: block; min-width: 18rem;
  max-width: 100%; }
@media (max-width: 40rem) { main { padding: 0.5rem; } table { display: block;
  overflow-x: auto; } }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
footer { color: var(--muted); font-size: 0.85rem; text-align: center; padding: 1rem; }
h1 { font-size: 1.7rem; margin: 0.8rem 0 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, "Noto Sans Mono CJK JP", monospace; font-size: 0.88em; }
pre { background: var(--bg); border: 1px solid var(--line); padding: 0.8rem; overflow-x: auto; }
table { border-collapse: collapse; margin: 0.6rem 0; width: 100%; }
table.narrow { width: auto; min-width: 24rem; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.subtitle { color: var(--muted); margin: 0 0 0.6rem; }
.meta { color: var(--muted); font-size: 0.9rem; }
.lang { color: var(--muted); font-size: 0.75rem; margin-left: 0.2rem; }
.badge { display: inline-block; border: 1px solid var(--line); border-radius: 0.6rem;
  padding: 0 0.45rem; font-size: 0.8rem; color: var(--muted); margin-left: 0.25rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.8rem; }
.card { border: 1px solid var(--line); border-radius: 0.4rem; padding: 0.7rem 0.9rem; }
.card h3 { margin: 0 0 0.3rem; font-size: 1.05rem; }
dl.nested { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0 0.8rem; }
dl.nested dt { color: var(--muted); }
dl.nested dd { margin: 0; }
.Violation { color: #a40e26; font-weight: 600; }
.Warning { color: #8a5a00; }
.answer { font-weight: 600; }
.answer.unknown { color: var(--muted); font-style: italic; }
ul.columns { columns: 3 16rem; }
"""


def _safe_name(local: str, iri: URIRef) -> str:
    """``local`` when it is safe in a file name and a URL, else a name made from a hash."""
    if SAFE_SLUG.fullmatch(local) and local.lower() not in RESERVED_SLUGS:
        return local
    return "h-" + hashlib.sha256(str(iri).encode("utf-8")).hexdigest()[:16]


def entity_slug(iri: URIRef) -> str:
    """The file name (without .html) of an entity page: its jpr: slug when file-safe."""
    return _safe_name(str(iri)[len(str(JPR)) :], iri)


def fragment(iri: URIRef) -> str:
    """An element id (and URL fragment) for a term: its local name when safe."""
    return _safe_name(re.split(r"[/#]", str(iri))[-1], iri)


def relative(depth: int, target: str) -> str:
    """A link from a page ``depth`` folders below the site root to a site path."""
    return "../" * depth + target


def human_size(size: int) -> str:
    """1536 -> '1.5 KB'."""
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def is_web_url(text: str) -> bool:
    """True for http(s) URLs, the only external links pages may carry."""
    return text.startswith(("http://", "https://"))


@dataclass
class Site:
    """What every page needs: the graph, the language, the output folder and the page index."""

    kg: KnowledgeGraph
    lang: str
    out: Path
    entity_pages: dict[URIRef, str] = field(default_factory=dict)
    term_links: dict[URIRef, str] = field(default_factory=dict)

    def label(self, node: Node) -> str:
        """The node's label in the site's language."""
        return self.kg.label(node, self.lang)

    def other_label(self, node: Node) -> str | None:
        """The label in the other language, when it differs."""
        other = self.kg.label(node, "ja" if self.lang == "en" else "en")
        return other if other != self.label(node) else None

    def href(self, node: URIRef, depth: int) -> str | None:
        """The relative link to the page (or ontology anchor) of ``node``, if the site has one."""
        target = self.entity_pages.get(node) or self.term_links.get(node)
        return relative(depth, target) if target else None

    def term(self, node: Node, depth: int) -> Markup:
        """A node as HTML: a relative link to its page, else its label (or CURIE) as text."""
        if isinstance(node, URIRef):
            curie = compact(str(node))
            text = self.label(node)
            link = self.href(node, depth)
            if link:
                return Markup('<a href="{}" title="{}">{}</a>').format(link, curie, text)
            if text in (curie, str(node)):
                return Markup("<code>{}</code>").format(curie)
            return Markup('<span title="{}">{}</span>').format(curie, text)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            return Markup("<code>_:{}</code>").format(str(node))
        return Markup("{}").format(str(node))

    def literal(self, value: Literal) -> Markup:
        """A literal's text, with its language tag; a web address becomes a link."""
        text = str(value)
        if value.datatype == XSD.anyURI and is_web_url(text):
            return Markup('<a href="{}" rel="external noopener">{}</a>').format(text, text)
        if value.language:
            return Markup('<span lang="{}">{}</span><span class="lang">@{}</span>').format(
                value.language, text, value.language
            )
        return Markup("{}").format(text)

    def page(
        self,
        path: str,
        title: str,
        body: Markup,
        subtitle: str | None = None,
        kind: str = "",
        scripts: tuple[str, ...] = (),
    ) -> None:
        """Write one page at the site path ``path`` (e.g. ``entities/takane.html``); ``kind``
        tells the site's script which part to start, ``scripts`` are site paths of the data
        scripts it needs (see :mod:`jpllmkg.site.explorer`)."""
        depth = path.count("/")
        tags = Markup("").join(
            Markup('<script src="{}"></script>\n').format(relative(depth, script))
            for script in (*scripts, "assets/explorer.js")
        )
        search = Markup(
            '<form class="search" action="{}" role="search"><input type="search" name="q" '
            'placeholder="{}" aria-label="{}"></form>'
        ).format(
            relative(depth, "search.html"), word("search", self.lang), word("search", self.lang)
        )
        nav = Markup(" ").join(
            Markup('<a href="{}">{}</a>').format(
                relative(depth, target), "jpllmkg" if key == "home" else word(key, self.lang)
            )
            for key, target in NAV
        )
        html = Markup(
            '<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>{title} · jpllmkg</title>\n"
            '<link rel="icon" href="data:,">\n'
            '<link rel="stylesheet" href="{css}">\n</head>\n'
            '<body data-root="{root}" data-page="{kind}">\n'
            "<header><nav>{nav}</nav>{search}</header>\n<main>\n<h1>{title}</h1>\n{subtitle}"
            "{body}\n</main>\n<footer>{footer} jpllmkg {version}</footer>\n{tags}</body>\n"
            "</html>\n"
        ).format(
            lang=self.lang,
            title=title,
            css=relative(depth, "assets/site.css"),
            nav=nav,
            root=relative(depth, ""),
            kind=kind,
            search=search,
            tags=tags,
            subtitle=Markup('<p class="subtitle">{}</p>\n').format(subtitle) if subtitle else "",
            body=body,
            footer=word("generated", self.lang),
            version=__version__,
        )
        self.write(path, str(html))

    def write(self, path: str, text: str) -> None:
        """Write a file of the site (folders are made as needed)."""
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def table(
    header: list[str], rows: list[list], numeric: set[int] | None = None, narrow: bool = False
) -> Markup:
    """An HTML table; cells are escaped unless they are Markup already."""
    numeric = numeric or set()
    head = Markup("").join(
        Markup("<th{}>{}</th>").format(Markup(' class="num"') if i in numeric else "", h)
        for i, h in enumerate(header)
    )
    body = Markup("").join(
        Markup("<tr>{}</tr>\n").format(
            Markup("").join(
                Markup("<td{}>{}</td>").format(Markup(' class="num"') if i in numeric else "", c)
                for i, c in enumerate(row)
            )
        )
        for row in rows
    )
    return Markup("<table{}>\n<thead><tr>{}</tr></thead>\n<tbody>\n{}</tbody>\n</table>\n").format(
        Markup(' class="narrow"') if narrow else "", head, body
    )


def write_style(site: Site) -> None:
    """The one style sheet, linked relatively from every page."""
    site.write("assets/site.css", STYLE)
