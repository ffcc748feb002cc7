"""`jpllmkg link wikidata --fetch` does not trust the endpoint (issue 9, item 7): it keeps only
the declared properties of the items it asked for, in the form each takes, writes them into the
generated graph/generated/wikidata-facts.ttl (never among the curated files, never about our own
nodes) and reports what it dropped; bad arguments and answers give a clear error and exit 2.

The hostile endpoints are a real oxigraph server holding tests/fixtures/wikidata/hostile/, asked
directly or through a proxy that ignores the query and answers every triple of the store, and
tiny HTTP servers for answers no SPARQL store would give."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, XSD
from servers import Oxigraph, Reply, Request, json_results, oxigraph_server, tiny_server

from jpllmkg.graph.namespaces import JPR, WD, WDT

LINKED_ITEMS = FIXTURES / "wikidata" / "linked-items.ttl"
HOSTILE = FIXTURES / "wikidata" / "hostile" / "hostile.ttl"
GENERATED = Path("graph") / "generated" / "wikidata-facts.ttl"
OLD_FACTS = Path("graph") / "external" / "wikidata-facts.ttl"
DECLARED = {WDT.P856, WDT.P571, WDT.P17, RDFS.label}
SOURCE = JPR["ext-wikidata-facts"]
NTT = WD.Q1054787
RESULTS_JSON = {"Content-Type": "application/sparql-results+json"}
# What the type checks drop from the hostile fixture however the endpoint answers.
ILL_FORMED = {
    "website not an http/https IRI": 2,  # javascript:, a string literal
    "inception not a valid date": 3,  # month 13, "last spring", an untyped "1985"
    "country not a Wikidata item": 2,  # a string literal, another site's IRI
    "label with control characters": 2,  # BEL, a right-to-left override
    "label empty or over 250 characters": 2,  # "", 100 000 characters
    "second label in one language": 1,  # a second ja label for Fujitsu
}


def fetch(root: Path, endpoint: str, *extra: str):
    return run_cli("--root", str(root), "link", "wikidata", "--fetch", "--endpoint", endpoint,
                   *extra)  # fmt: skip


def graph_hashes(root: Path) -> dict[str, str]:
    """Every file under graph/ (relative path -> SHA-256)."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((root / "graph").rglob("*"))
        if path.is_file()
    }


def requested_items() -> set[URIRef]:
    """The items the real graph links to (all of them are subjects of linked-items.ttl)."""
    return set(Graph().parse(LINKED_ITEMS).subjects())


def honest_facts() -> set[tuple]:
    """The declared facts of the linked items in linked-items.ttl, plus the two well-formed
    values the hostile fixture adds: what a fetch should write, whatever else is answered."""
    graph = Graph().parse(LINKED_ITEMS)
    kept = {
        (s, p, o)
        for s, p, o in graph
        if p in DECLARED and (p != RDFS.label or o.language in ("ja", "en"))
    }
    return kept | {
        (WD.Q219203, WDT.P571, Literal("1899", datatype=XSD.gYear)),
        (WD.Q971946, WDT.P571, Literal("1984-06-01", datatype=XSD.date)),
    }


@pytest.fixture
def hostile_store(tmp_path: Path):
    """A real oxigraph server with the linked items, the hostile fixture and a 100k label."""
    long_label = tmp_path / "long-label.ttl"
    long_label.write_text(
        f'<{WD.Q186394}> <{RDFS.label}> "{"x" * 100_000}"@en .\n', encoding="utf-8"
    )
    with oxigraph_server([LINKED_ITEMS, HOSTILE, long_label], writable=False) as server:
        yield server


def answering_every_triple(store: Oxigraph):
    """A hostile endpoint: whatever it is asked, it answers every triple of ``store`` (the
    real oxigraph server's answer), shaped as an answer to the fact query."""
    everything = "SELECT ?item ?property ?value WHERE { ?item ?property ?value }"

    def script(request: Request, number: int) -> Reply:
        forwarded = urllib.request.Request(
            store.query,
            data=urllib.parse.urlencode({"query": everything}).encode(),
            headers={"Accept": RESULTS_JSON["Content-Type"]},
        )
        with urllib.request.urlopen(forwarded, timeout=30) as response:
            return 200, RESULTS_JSON, response.read()

    return script


def written_facts(root: Path) -> Graph:
    return Graph().parse(root / GENERATED)


def reported(stdout: str) -> dict[str, int]:
    """The reasons and counts of the summary line's 'rejected M (reason: n, ...)'."""
    found = re.search(r"rejected \d+ \(([^)]*)\)", stdout)
    assert found, stdout
    return {
        reason: int(count)
        for reason, count in (part.rsplit(": ", 1) for part in found.group(1).split(", "))
    }


def assert_only_accepted_facts(facts: Graph, expected: set[tuple]) -> None:
    """The file holds exactly ``expected`` about the items, their source links and provenance."""
    about_items = {(s, p, o) for s, p, o in facts if s != SOURCE and p != DCTERMS.source}
    assert about_items == expected
    assert {s for s in facts.subjects() if str(s).startswith(str(JPR))} == {SOURCE}
    assert set(facts.subjects(DCTERMS.source, SOURCE)) == {s for s, _, _ in expected} | {SOURCE}


# --------------------------------------------------------------------------- hostile answers


def test_fetch_from_an_endpoint_answering_every_triple_keeps_only_the_declared_facts(
    hostile_store, make_project
):
    root = make_project(with_real_graph=True)
    before = graph_hashes(root)
    with tiny_server(answering_every_triple(hostile_store)) as proxy:
        result = fetch(root, proxy.url)
    assert result.returncode == 0, result.stderr
    facts = written_facts(root)
    assert_only_accepted_facts(facts, honest_facts())
    text = (root / GENERATED).read_text(encoding="utf-8")
    for hostile in ("takane", "evil", "javascript:", "Q999999991", "P31", "P1448", "xxxxx"):
        assert hostile not in text.replace("ext-wikidata-facts", ""), hostile
    served = Graph().parse(LINKED_ITEMS) + Graph().parse(HOSTILE)
    asked = requested_items()
    undeclared = sum(1 for s, p, _ in served if s in asked and p not in DECLARED)
    unrequested = sum(1 for s in served.subjects() if s not in asked)
    assert reported(result.stdout) == {
        **ILL_FORMED,
        "unrequested item": unrequested,  # jpr:takane's three, the stray item's two
        "undeclared property": undeclared,  # the P31 classes, P1448, owl:sameAs
        "label not a ja/en string": 1,  # the @fr label
    }
    assert f"accepted {len(honest_facts())}," in result.stdout
    after = graph_hashes(root)
    assert GENERATED.as_posix() in after
    del after[GENERATED.as_posix()]
    assert after == before, "no curated file changed"
    assert [p.name for p in (root / GENERATED).parent.iterdir()] == ["wikidata-facts.ttl"]
    validated = run_cli("--root", str(root), "validate")
    assert validated.returncode == 0, validated.stdout[-2000:]


def test_fetch_from_a_store_with_ill_formed_values_keeps_the_well_formed_ones(
    hostile_store, make_project
):
    root = make_project(with_real_graph=True)
    result = fetch(root, hostile_store.query)
    assert result.returncode == 0, result.stderr
    assert reported(result.stdout) == ILL_FORMED
    facts = written_facts(root)
    assert_only_accepted_facts(facts, honest_facts())
    assert set(facts.objects(WD.Q186394, RDFS.label)) == {
        Literal("富士通", lang="ja"),
        Literal("Fujitsu", lang="en"),
    }


def crafted_answer(request: Request, number: int) -> Reply:
    """Cells no SPARQL store would give: an IRI that would break out of Turtle, a lone
    surrogate, a blank-node item, a missing cell, a country IRI with a space."""
    uri = lambda value: {"type": "uri", "value": value}  # noqa: E731
    label = {"type": "literal", "value": "\ud800", "xml:lang": "ja"}
    breakout = f'https://evil.example/> . <{JPR.takane}> <{RDFS.label}> "hijacked" . <x:'
    rows = [
        {"item": uri(NTT), "property": uri(WDT.P856), "value": uri(breakout)},
        {"item": {"type": "bnode", "value": "b0"}, "property": uri(WDT.P856),
         "value": uri("https://example.org/b")},
        {"item": uri(NTT), "property": uri(RDFS.label), "value": label},
        {"item": uri(NTT), "value": uri("https://example.org/no-property")},
        {"item": uri(NTT), "property": uri(WDT.P17), "value": uri(f"{WD.Q17} ")},
        {"item": uri(NTT), "property": uri(WDT.P856), "value": uri("https://example.org/ntt")},
    ]  # fmt: skip
    return json_results(["item", "property", "value"], rows)


def test_fetch_drops_cells_that_would_break_the_file_or_name_other_nodes(make_project):
    root = make_project(with_real_graph=True)
    with tiny_server(crafted_answer) as server:
        result = fetch(root, server.url)
    assert result.returncode == 0, result.stderr
    assert reported(result.stdout) == {
        "website not an http/https IRI": 1,
        "unrequested item": 1,
        "label with control characters": 1,
        "incomplete row": 1,
        "country not a Wikidata item": 1,
    }
    assert "accepted 1," in result.stdout
    facts = written_facts(root)
    expected = {(NTT, WDT.P856, URIRef("https://example.org/ntt"))}
    assert_only_accepted_facts(facts, expected)


def test_fetch_refuses_an_answer_too_big_for_the_question(make_project):
    root = make_project(with_real_graph=True)
    before = graph_hashes(root)
    row = {
        "item": {"type": "uri", "value": str(NTT)},
        "property": {"type": "uri", "value": str(WDT.P856)},
        "value": {"type": "uri", "value": "https://example.org/ntt"},
    }
    big = json_results(["item", "property", "value"], [row] * 1801)
    with tiny_server(lambda request, number: big) as server:
        result = fetch(root, server.url)
    assert result.returncode == 2
    assert "with 1801 rows for 18 values asked, more than the 1800" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert graph_hashes(root) == before


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "not SPARQL JSON results"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not SPARQL JSON results"),
        (json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 1}]}}).encode(),
         "not SPARQL JSON results"),
    ],
    ids=["html", "binary", "ill-formed-cell"],
)  # fmt: skip
def test_fetch_reports_an_answer_that_is_not_results(body, expected, make_project):
    root = make_project(with_real_graph=True)
    before = graph_hashes(root)
    with tiny_server(lambda request, number: (200, RESULTS_JSON, body)) as server:
        result = fetch(root, server.url)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert graph_hashes(root) == before


def test_an_answer_with_nothing_acceptable_keeps_the_previous_facts(wikidata_server, make_project):
    root = make_project(with_real_graph=True)
    assert fetch(root, wikidata_server.query).returncode == 0
    before = graph_hashes(root)
    ask = (200, RESULTS_JSON, b'{"boolean": true}')  # an ASK answer to a SELECT
    with tiny_server(lambda request, number: ask) as server:
        result = fetch(root, server.url)
    assert result.returncode == 2
    assert "with no value that passes the checks (accepted 0, rejected 1 (incomplete row: 1))" in (
        result.stderr
    )
    assert graph_hashes(root) == before


# --------------------------------------------------------------------------- where it writes


def test_fetch_removes_the_facts_file_an_earlier_version_wrote_among_curated_files(
    wikidata_server, make_project
):
    root = make_project(with_real_graph=True)
    old = root / OLD_FACTS
    old.write_text(
        "# Generated by 'jpllmkg link wikidata --fetch': facts cached from a Wikidata SPARQL\n"
        f'<{JPR.takane}> <{RDFS.label}> "hijacked"@en .\n',
        encoding="utf-8",
    )
    result = fetch(root, wikidata_server.query)
    assert result.returncode == 0, result.stderr
    assert not old.exists()
    assert f"removed {OLD_FACTS}" in result.stdout
    assert (root / GENERATED).is_file()


def test_fetch_leaves_a_file_it_did_not_write_alone(wikidata_server, make_project):
    root = make_project(with_real_graph=True)
    old = root / OLD_FACTS
    old.write_text(f'<{WD.Q17}> <{RDFS.label}> "日本"@ja .\n', encoding="utf-8")
    result = fetch(root, wikidata_server.query)
    assert result.returncode == 0, result.stderr
    assert old.exists()
    assert f"{OLD_FACTS} was not written by this command" in result.stdout


def test_the_generated_file_says_it_is_generated_and_where_it_came_from(
    wikidata_server, make_project
):
    root = make_project(with_real_graph=True)
    assert fetch(root, wikidata_server.query).returncode == 0
    text = (root / GENERATED).read_text(encoding="utf-8")
    assert text.startswith("# Generated by 'jpllmkg link wikidata --fetch', do not edit")
    facts = written_facts(root)
    assert str(facts.value(SOURCE, URIRef("https://schema.org/url"))) == wikidata_server.query
    assert facts.value(SOURCE, URIRef("http://www.w3.org/ns/prov#generatedAtTime")) is not None


# --------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        (
            ("--timeout", "-1"),
            "seconds greater than 0 and at most 86,400 (e.g. 60), got '-1'",
        ),
        (
            ("--timeout", "0"),
            "seconds greater than 0 and at most 86,400 (e.g. 60), got '0'",
        ),
        (
            ("--timeout", "nan"),
            "seconds greater than 0 and at most 86,400 (e.g. 60), got 'nan'",
        ),
        (
            ("--timeout", "inf"),
            "seconds greater than 0 and at most 86,400 (e.g. 60), got 'inf'",
        ),
        (("--retries", "-1"), "argument --retries: '-1' is not a number of retries"),
        (("--retries", "1.5"), "argument --retries: '1.5' is not a number of retries"),
        (("--out", "facts.ttl"), "--out is for --propose only"),
    ],
    ids=lambda value: "_".join(value) if isinstance(value, tuple) else None,
)
def test_fetch_refuses_bad_arguments_before_any_request(argument, expected, make_project):
    root = make_project(with_real_graph=True)
    with tiny_server(lambda request, number: json_results(["item"], [])) as server:
        result = fetch(root, server.url, *argument)
        assert server.requests == []
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert not (root / GENERATED).exists()


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("ftp://127.0.0.1/sparql", "must be an http(s) URL"),
        ("file:///etc/passwd", "must be an http(s) URL"),
        ("javascript:alert(1)", "must be an http(s) URL"),
        ("http://[::1/sparql", "Invalid IPv6 URL"),
        ("http://127.0.0.1:99999/sparql", "is not a valid URL"),
    ],
)
@pytest.mark.parametrize("mode", ["--fetch", "--propose"])
def test_link_refuses_an_endpoint_that_is_not_an_http_url(endpoint, expected, mode, tmp_path):
    out = ["--out", str(tmp_path / "c.tsv")] if mode == "--propose" else []
    result = run_cli("link", "wikidata", mode, "--endpoint", endpoint, *out)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("folder", ["graph", "ontology", "queries"])
def test_propose_never_writes_into_a_curated_folder(folder, wikidata_server, make_project):
    root = make_project(with_real_graph=True)
    target = root / folder / "candidates.tsv"
    result = run_cli("--root", str(root), "link", "wikidata", "--propose", "--endpoint",
                     wikidata_server.query, "--out", str(target))  # fmt: skip
    assert result.returncode == 2
    assert f"is inside {folder}/: candidates are for review" in result.stderr
    assert not target.exists()


def test_propose_into_a_directory_is_refused(wikidata_server, tmp_path):
    result = run_cli("link", "wikidata", "--propose", "--endpoint", wikidata_server.query,
                     "--out", str(tmp_path))  # fmt: skip
    assert result.returncode == 2
    assert "is a directory; give the name of the TSV file" in result.stderr
