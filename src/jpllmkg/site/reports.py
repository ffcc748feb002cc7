"""The validation report (HTML and JSON) and the list of sources."""

from __future__ import annotations

import json

from markupsafe import Markup
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS

from jpllmkg.graph.classes import instances, source_classes
from jpllmkg.graph.namespaces import JPLLM, SCHEMA, expand
from jpllmkg.site.html import Site, table
from jpllmkg.site.words import word
from jpllmkg.validate.validation import ValidationReport


def write_validation(site: Site, report: ValidationReport) -> None:
    """validation.json (as `jpllmkg validate --format json`) and validation.html."""
    lang = site.lang
    site.write("validation.json", json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    # The build stops before writing anything when there are violations.
    body = Markup('<p>{} {} {}, {} {}. <a href="validation.json">JSON</a></p>\n').format(
        word("conforms", lang),
        len(report.violations),
        word("violations", lang),
        len(report.warnings),
        word("warnings", lang),
    )
    rows = []
    for finding in report.findings:
        iri = expand(finding.focus) if finding.focus else None
        focus = site.term(URIRef(iri), 0) if iri and URIRef(iri) in site.entity_pages else None
        rows.append(
            [
                Markup('<span class="{}">{}</span>').format(finding.severity, finding.severity),
                focus or Markup("{} <code>{}</code>").format(finding.focus_label, finding.focus),
                finding.path or "",
                finding.value or "",
                finding.message,
                Markup("<code>{}</code>").format(finding.check),
                finding.file or "",
            ]
        )
    if rows:
        keys = ("severity", "focus", "path", "value", "message", "check", "file")
        body += table([word(k, lang) for k in keys], rows)
    site.page("validation.html", word("validation", lang), body)


def sources(site: Site) -> list[URIRef]:
    """The sources (classes of role jpllm:SourceRole): the reports and external sources, then
    each report's numbered references in its own reference-number order (numbers are per
    report: another report has its own ref 1)."""
    data = site.kg.data
    found = instances(site.kg, source_classes(site.kg))

    def key(source: URIRef) -> tuple:
        value = data.value(source, JPLLM.referenceNumber)
        report = data.value(source, JPLLM.citedIn)
        if value is None or report is None:
            return (0, "", -1, str(source))
        return (1, str(report), int(value), str(source))

    return sorted(found, key=key)


def write_sources(site: Site) -> int:
    """sources/index.html: every source with its publisher, date, URL and how often it is cited."""
    data, lang, depth = site.kg.data, site.lang, 1
    rows = []
    listed = sources(site)
    for source in listed:
        url = data.value(source, SCHEMA.url)
        title = data.value(source, DCTERMS.title) or data.value(source, RDFS.label)
        rows.append(
            [
                data.value(source, JPLLM.referenceNumber) or "",
                site.term(source, depth) if title is None else _linked(site, source, str(title)),
                data.value(source, JPLLM.publisherName) or "",
                data.value(source, DCTERMS.issued) or "",
                site.literal(url) if url is not None else "",
                len(set(data.subjects(DCTERMS.source, source))),
            ]
        )
    keys = ("number", "title", "publisher", "date", "url", "cited_by")
    site.page(
        "sources/index.html",
        word("sources", lang),
        table([word(k, lang) for k in keys], rows, {0, 5}),
    )
    return len(listed)


def _linked(site: Site, node: URIRef, text: str) -> Markup:
    link = site.href(node, 1)
    if link is None:
        return Markup("{}").format(text)
    return Markup('<a href="{}">{}</a>').format(link, text)
