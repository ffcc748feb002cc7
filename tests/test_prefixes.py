"""The project's prefixes are declared once (:data:`jpllmkg.graph.namespaces.PREFIXES`).

Saved queries and quality checks use them without PREFIX lines; a query may still declare a
prefix of its own, which wins. Every text that leaves the project declares each of ours it
uses: the text sent to an endpoint (a real oxigraph server, which predeclares no prefix), the
one ``query_text()`` gives a user, and the one a site page shows.
"""

from __future__ import annotations

import itertools
import urllib.parse
from html.parser import HTMLParser

import pyoxigraph
import pytest
from browser import build_once
from conftest import REPO
from rdflib.plugins.sparql.parser import parseQuery
from servers import basic_auth_proxy, tiny_server

import jpllmkg
from jpllmkg.api import load as load_api
from jpllmkg.graph.namespaces import PREFIX_IRIS
from jpllmkg.publish import push
from jpllmkg.query.federation import uses_service
from jpllmkg.query.query_files import example_params, read_query_file
from jpllmkg.query.sparql_client import PASSWORD_ENV, USER_ENV
from jpllmkg.query.sparql_text import read_query

QUERY_FILES = sorted([*(REPO / "queries").glob("*.rq"), *(REPO / "queries" / "qc").glob("*.rq")])
USER, PASSWORD = "reader", "prefix-test-secret"


def assert_runs_without_predeclared_prefixes(text: str, where: str) -> None:
    """pyoxigraph without ``prefixes=`` knows none, as an endpoint knows none of ours. A SELECT
    is only prepared here (its solutions are never read), so a SERVICE is never called."""
    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as error:
        pytest.fail(f"{where} does not declare a prefix it uses: {error}")


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.stem)
def test_no_query_file_repeats_a_predeclared_prefix(path):
    text = path.read_text(encoding="utf-8")
    declared = [(d["prefix"], str(d["iri"])) for d in parseQuery(text)[0] if d.name == "PrefixDecl"]
    assert [name for name, iri in declared if PREFIX_IRIS.get(name) == iri] == []
    assert read_query(text, path.name).undeclared, "it uses the project's predeclared prefixes"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.stem)
def test_full_text_declares_its_prefixes_below_the_header(path):
    saved = read_query_file(path)
    checked = read_query(saved.text, path.name)
    lines = saved.text.splitlines(keepends=True)
    header = "".join(itertools.takewhile(lambda line: line.startswith("#"), lines))
    assert header.startswith("# title:") and checked.full_text.startswith(header)
    declarations = checked.full_text[len(header) :].splitlines()[: len(checked.undeclared)]
    assert declarations == [f"PREFIX {p}: <{PREFIX_IRIS[p]}>" for p in checked.undeclared]
    assert checked.full_text.endswith(saved.text[len(header) :])
    assert_runs_without_predeclared_prefixes(checked.full_text, path.name)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_may_declare_a_prefix_of_its_own_and_it_wins(engine):
    graph = jpllmkg.load(REPO, engine=engine)
    ask = "ASK { jpr:takane a jpllm:LanguageModel }"
    assert graph.sparql(ask).rows[0]["ask"].toPython() is True
    mine = "PREFIX jpr: <urn:elsewhere:>\n" + ask
    assert graph.sparql(mine).rows[0]["ask"].toPython() is False
    checked = read_query(mine, "ad-hoc query")
    assert checked.undeclared == ("jpllm",)
    assert checked.full_text.count("PREFIX jpr:") == 1


def test_query_text_given_to_a_user_runs_where_no_prefix_is_predeclared():
    graph = jpllmkg.load(REPO)
    for query in graph.catalogue:
        text = graph.query_text(query.name, **example_params(query, query.name))
        assert_runs_without_predeclared_prefixes(text, f"query_text({query.name!r})")


def test_text_sent_to_an_endpoint_declares_every_prefix_it_uses(kg, graph_server, monkeypatch):
    assert push(kg, graph_server.store).ok
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with tiny_server(basic_auth_proxy(graph_server.url, USER, PASSWORD)) as proxy:
        remote = load_api(REPO, endpoint=f"{proxy.url}/query")
        given = []
        for query in remote.catalogue:
            if uses_service(query.text):  # the oxigraph server would call Wikidata
                continue
            params = example_params(query, query.name)
            given.append(remote.query_text(query.name, **params))
            remote.query(query.name, **params)
        remote.sparql("SELECT ?model WHERE { ?model a jpllm:LanguageModel }")
    sent = [
        urllib.parse.parse_qs(request.body.decode())["query"][0]
        for request in proxy.requests
        if request.method == "POST" and "Authorization" in request.headers
    ]
    assert len(given) == len(remote.catalogue) - 1
    for text in given:
        assert_runs_without_predeclared_prefixes(text, "a saved query's text")
        assert any(body.endswith(text) for body in sent), "the text given is the text sent"
    for body in sent:  # saved queries, IRI checks, label queries and the ad-hoc query
        assert_runs_without_predeclared_prefixes(body, "a text sent to the endpoint")
    assert any("PREFIX jpllm:" in body and "?model a jpllm:LanguageModel" in body for body in sent)


class _PreBlocks(HTMLParser):
    """The texts of a page's ``<pre>`` elements, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.inside = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "pre":
            self.inside = True
            self.blocks.append("")

    def handle_endtag(self, tag) -> None:
        if tag == "pre":
            self.inside = False

    def handle_data(self, data) -> None:
        if self.inside:
            self.blocks[-1] += data


def test_site_query_pages_show_the_text_a_user_can_paste(tmp_path_factory):
    built = build_once("real", REPO, tmp_path_factory.getbasetemp())
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    catalogue = jpllmkg.load(REPO).catalogue
    for query in catalogue:
        page = _PreBlocks()
        page.feed((built.dist / "queries" / f"{query.name}.html").read_text(encoding="utf-8"))
        shown = page.blocks[-1]  # the page ends with the SPARQL text
        assert shown == read_query(query.text, query.name).full_text
        assert_runs_without_predeclared_prefixes(shown, f"queries/{query.name}.html")
