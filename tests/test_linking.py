"""Links to Wikidata: every published link has its evidence row, no known look-alike is used,
and `jpllmkg link wikidata` proposes and fetches against a local server holding a small
Wikidata-shaped fixture (Wikidata itself is never contacted). Wikidata is one implementation of
the dataset interface: a second one, defined here, gets its own links through the same code."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from servers import free_port, json_results, malformed, slow, tiny_server

from jpllmkg.errors import UsageError
from jpllmkg.graph.loader import load
from jpllmkg.graph.namespaces import JPLLM, JPR, WD, expand
from jpllmkg.graph.project import find_project
from jpllmkg.link.dataset import ExternalDataset
from jpllmkg.link.facts import label_problem
from jpllmkg.link.mappings import links, read_mappings, write_links
from jpllmkg.link.reconcile import normalise, similarity
from jpllmkg.link.wikidata import DATASET as WIKIDATA
from jpllmkg.query.sparql_client import EndpointError, SparqlClient

MAPPINGS = REPO / "graph" / "external" / "mappings.tsv"
LINKS_FILE = REPO / "graph" / "external" / "wikidata.ttl"
REFERENCE_LIST = REPO / "docs" / "reference" / "wikidata-ids.md"  # copy of the shared list
# Identifiers the reference list names as WRONG for our entities, and SoftBank Corp.'s
# unconfirmed one (labelled as the mobile brand) and SoftBank Telecom's (defunct).
NEVER = {
    "Q2882956", "Q6884801", "Q97311741", "Q853958", "Q11527212", "Q11628418",
    "Q30291745", "Q2908845", "Q26708", "Q2214105", "Q7553832",
}  # fmt: skip
LOOSE = {"jpr:pfn", "jpr:sagamihara", "jpr:kobe"}


jpllmkg_cli = run_cli


def mapping_rows() -> list[dict[str, str]]:
    lines = [
        line
        for line in MAPPINGS.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


def published() -> set[tuple[str, str, str]]:
    graph = Graph().parse(LINKS_FILE)
    return {
        (str(s), str(p), str(o))
        for p in (OWL.sameAs, SKOS.exactMatch)
        for s, o in graph.subject_objects(p)
    }


# --------------------------------------------------------------------------- published links


def test_every_published_link_has_exactly_one_evidence_row():
    rows = mapping_rows()
    table = {
        (expand(r["subject_id"]), expand(r["predicate_id"]), expand(r["object_id"])) for r in rows
    }
    assert len(table) == len(rows), "one row per link"
    assert table == published()
    assert len(rows) >= 18


def test_evidence_rows_say_how_when_and_where(kg):
    for row in mapping_rows():
        subject = row["subject_id"]
        assert row["mapping_justification"] == "semapv:ManualMappingCuration", subject
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["mapping_date"]), subject
        assert row["author_label"] and len(row["comment"]) > 20, subject
        sources = row["see_also"].split("|")
        assert "jpr:ext-wikidata-ids" in sources, subject
        for source in sources:
            assert (URIRef(expand(source)), RDF.type, JPLLM.ExternalSource) in kg.data, source
            assert (URIRef(expand(subject)), URIRef("http://purl.org/dc/terms/source"),
                    URIRef(expand(source))) in kg.data, f"{subject} cites {source}"  # fmt: skip


def test_no_wrong_or_unconfirmed_identifier_is_published():
    used = {o.removeprefix(str(WD)) for _, _, o in published()}
    assert not used & NEVER


def test_loose_identities_are_exact_matches_not_same_as():
    kinds = {s.removeprefix(str(JPR)): p for s, p, _ in published()}
    for slug in (s.removeprefix("jpr:") for s in LOOSE):
        assert kinds[slug] == str(SKOS.exactMatch), slug
    assert kinds["ntt"] == kinds["fujitsu"] == kinds["claude-family"] == str(OWL.sameAs)


def test_every_identifier_comes_from_the_reference_list():
    reference = REFERENCE_LIST.read_text(encoding="utf-8")
    for _, _, item in published():
        qid = item.removeprefix(str(WD))
        assert re.search(rf"\|\s*{qid}\s*\|", reference), f"{qid} is not in the reference list"


def test_the_graph_with_its_links_validates(kg, validation_report):
    assert "graph/external/wikidata.ttl" in kg.file_triples
    assert not validation_report.violations
    assert len(links(WIKIDATA, kg)) == len(published())


def test_label_similarity_ignores_case_width_and_company_suffixes():
    assert normalise("ＮＥＣ Corporation") == normalise("nec") == "nec"
    assert normalise("株式会社 Preferred Networks") == "preferrednetworks"
    assert similarity({"ja": "楽天"}, {"ja": "楽天", "en": "Rakuten"}) == 1.0
    assert similarity({"en": "AI Promotion Act"}, {"ja": "人工知能"}) == 0.0


# --------------------------------------------------------------------------- write links


def test_write_links_generates_the_links_file_from_the_table(make_project):
    root = make_project(with_real_graph=True)
    table, links_file = root / MAPPINGS.relative_to(REPO), root / LINKS_FILE.relative_to(REPO)
    before = Graph().parse(links_file)
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text("".join(x for x in lines if not x.startswith("jpr:kobe\t")), "utf-8")
    result = jpllmkg_cli("--root", str(root), "link", "wikidata", "--write-links")
    assert result.returncode == 0, result.stderr
    assert "wrote 17 links from graph/external/mappings.tsv" in result.stdout
    after = Graph().parse(links_file)
    assert set(before) - set(after) == set(before.triples((JPR.kobe, None, None)))
    assert len(set(before.triples((JPR.kobe, None, None)))) == 3  # the link and two sources
    assert set(after) <= set(before)
    assert [p.name for p in links_file.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("wd:Q48320\t", "wd:P31\t", "object_id 'wd:P31' is not a Wikidata item"),
        ("\tskos:exactMatch\twd:Q48320", "\towl:differentFrom\twd:Q48320", "owl:sameAs or"),
        ("semapv:ManualMappingCuration\tjpllmkg curators\t2026-11-29\tjpr:ext-wikidata-ids|"
         "jpr:ext-osm-name-suggestion-index\tname-suggestion-index operator 神戸市",
         "semapv:LexicalMatching\tjpllmkg curators\t2026-11-29\tjpr:ext-wikidata-ids|"
         "jpr:ext-osm-name-suggestion-index\tname-suggestion-index operator 神戸市",
         "a published link is semapv:ManualMappingCuration"),
        ("jpr:kobe\tKobe", "jpr:sagamihara\tKobe", "links jpr:sagamihara again (line"),
    ],
    ids=["not-an-item", "not-a-link-predicate", "not-curated", "second-row"],
)  # fmt: skip
def test_write_links_refuses_a_bad_row_and_writes_nothing(make_project, old, new, expected):
    root = make_project(with_real_graph=True)
    table, links_file = root / MAPPINGS.relative_to(REPO), root / LINKS_FILE.relative_to(REPO)
    text = table.read_text(encoding="utf-8")
    assert text.count(old) == 1
    table.write_text(text.replace(old, new), encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if x.startswith("jpr:kobe\t"))
    published_before = links_file.read_bytes()
    result = jpllmkg_cli("--root", str(root), "link", "wikidata", "--write-links")
    assert result.returncode == 2
    assert expected in result.stderr and f"mappings.tsv, line {line}" in result.stderr
    assert "Traceback" not in result.stderr
    assert links_file.read_bytes() == published_before


def test_write_links_takes_no_out():
    result = jpllmkg_cli("link", "wikidata", "--write-links", "--out", "x.ttl")
    assert result.returncode == 2
    assert "--out is for --propose only; --write-links always writes" in result.stderr


CATALOGUE_ITEMS = Namespace("http://example.org/catalogue/item/")


class Catalogue(ExternalDataset):
    """A second, made-up dataset: numbered items, links in their own table and file."""

    name = "catalogue"
    title = "Catalogue"
    namespace = CATALOGUE_ITEMS
    prefix = "cat"
    item = re.compile(re.escape(str(CATALOGUE_ITEMS)) + "[1-9][0-9]*")
    item_text = "a catalogue item"
    endpoint = "http://127.0.0.1:9/sparql"  # never asked: write-links needs no endpoint
    batch = 10
    max_rows_per_value = 10
    mappings_file = Path("graph") / "external" / "catalogue-mappings.tsv"
    links_file = Path("graph") / "external" / "catalogue.ttl"
    links_comment = "# Links to the catalogue; edit the table instead.\n"
    candidates_file = Path("dist") / "catalogue-candidates.tsv"
    facts_file = Path("graph") / "generated" / "catalogue-facts.ttl"
    facts_comment = "# Labels from the catalogue.\n"
    facts_source = JPR["ext-catalogue-facts"]
    facts_text = "the ja/en labels"
    fact_properties = (RDFS.label,)
    class_hint = JPLLM.wikidataClass

    def label_query(self, texts):
        values = " ".join(text.n3() for text in texts)
        return f"SELECT ?text ?item {{ VALUES ?text {{ {values} }} ?item <{RDFS.label}> ?text }}"

    def facts_query(self, items):
        values = " ".join(item.n3() for item in items)
        return f"SELECT * {{ VALUES ?item {{ {values} }} ?item ?property ?value }}"

    def rejection(self, prop, value):
        return label_problem(value, 100)


CATALOGUE_TABLE = (
    "# curie_map: jpr: https://w3id.org/jpllmkg/resource/\n"
    "subject_id\tpredicate_id\tobject_id\tmapping_justification\tsee_also\n"
    f"jpr:ntt\towl:sameAs\t<{CATALOGUE_ITEMS}7>\tsemapv:ManualMappingCuration\tjpr:ext-ror\n"
    f"jpr:nec\tskos:exactMatch\t<{CATALOGUE_ITEMS}12>\tsemapv:ManualMappingCuration\t"
    "jpr:ext-ror|jpr:ext-wikidata-ids\n"
)  # fmt: skip


def test_a_second_dataset_gets_its_own_links_through_the_same_interface(make_project):
    root = make_project(with_real_graph=True)
    catalogue = Catalogue()
    wikidata_links = (root / WIKIDATA.links_file).read_bytes()
    (root / catalogue.mappings_file).write_text(CATALOGUE_TABLE, encoding="utf-8")
    path, count = write_links(catalogue, root)
    assert (path, count) == (root / "graph" / "external" / "catalogue.ttl", 2)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Generated by 'jpllmkg link catalogue --write-links' from "
        "graph/external/catalogue-mappings.tsv.\n# Links to the catalogue; edit the table instead."
    )
    assert set(Graph().parse(path)) == {
        (JPR.ntt, OWL.sameAs, CATALOGUE_ITEMS["7"]),
        (JPR.ntt, DCTERMS.source, JPR["ext-ror"]),
        (JPR.nec, SKOS.exactMatch, CATALOGUE_ITEMS["12"]),
        (JPR.nec, DCTERMS.source, JPR["ext-ror"]),
        (JPR.nec, DCTERMS.source, JPR["ext-wikidata-ids"]),
    }
    assert (root / WIKIDATA.links_file).read_bytes() == wikidata_links, "Wikidata's untouched"
    kg = load(find_project(root=root))
    assert links(catalogue, kg) == {
        JPR.ntt: (OWL.sameAs, CATALOGUE_ITEMS["7"]),
        JPR.nec: (SKOS.exactMatch, CATALOGUE_ITEMS["12"]),
    }
    assert links(WIKIDATA, kg)[JPR.ntt] == (OWL.sameAs, WD.Q1054787), "each its own items"
    # Each dataset checks the table with its own item pattern: a Wikidata item is refused.
    table = root / catalogue.mappings_file
    table.write_text(CATALOGUE_TABLE.replace(f"<{CATALOGUE_ITEMS}12>", "wd:Q219203"), "utf-8")
    with pytest.raises(UsageError, match=r"line 4: object_id 'wd:Q219203' is not a catalogue"):
        read_mappings(catalogue, table)
    assert path.read_text(encoding="utf-8") == text
    # An implementation that declares nothing fails at once, naming what it lacks.
    bare = type(
        "Bare",
        (ExternalDataset,),
        dict.fromkeys(("label_query", "facts_query", "rejection"), Catalogue.rejection),
    )
    with pytest.raises(TypeError, match=r"Bare does not set name, title, namespace, .*class_hint$"):
        bare()


# --------------------------------------------------------------------------- propose


def read_candidates(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t"))


def test_propose_scores_candidates_for_unlinked_entities(wikidata_server, tmp_path):
    out = tmp_path / "candidates.tsv"
    result = jpllmkg_cli(
        "link", "wikidata", "--propose", "--endpoint", wikidata_server.query, "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert f"written to {out}" in result.stdout
    rows = read_candidates(out)
    by_subject: dict[str, list[dict]] = {}
    for row in rows:
        by_subject.setdefault(row["subject_id"], []).append(row)
    best = by_subject["jpr:digital-agency"][0]
    assert (best["object_id"], best["confidence"]) == ("wd:Q900000001", "1.000")
    decoy = by_subject["jpr:digital-agency"][1]
    assert decoy["object_id"] == "wd:Q900000002" and decoy["type_agreement"] == "0.0"
    assert by_subject["jpr:softbank"][0]["type_agreement"] == "0.0", "a brand is not a company"
    assert by_subject["jpr:nedo"][0]["type_agreement"] == "0.5", "no P31: unknown"
    rakuten = by_subject["jpr:rakuten"][0]
    assert rakuten["match_string"] == "Rakuten|楽天" and float(rakuten["confidence"]) > 0.8
    law = by_subject["jpr:ai-promotion-act"][0]
    assert law["type_agreement"] == "1.0" and float(law["similarity_score"]) < 0.5
    assert all(r["mapping_justification"] == "semapv:LexicalMatching" for r in rows)
    assert not {"jpr:ntt", "jpr:pfn", "jpr:kobe"} & set(by_subject), "linked ones are skipped"
    assert not any(re.match(r"wd:[LP]\d", r["object_id"]) for r in rows), "items only"


def test_propose_never_writes_into_graph(wikidata_server):
    target = REPO / "graph" / "candidates.tsv"
    result = jpllmkg_cli(
        "link", "wikidata", "--propose", "--endpoint", wikidata_server.query, "--out", str(target)
    )
    assert result.returncode == 2
    assert "never go into graph/" in result.stderr
    assert not target.exists()


def test_propose_sends_batched_values_queries_with_a_descriptive_user_agent(tmp_path):
    with tiny_server(lambda request, number: json_results(["text", "item"], [])) as server:
        result = jpllmkg_cli(
            "link", "wikidata", "--propose", "--endpoint", server.url, "--out", str(tmp_path / "c")
        )
        requests = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert "0 candidate(s)" in result.stdout
    assert len(requests) >= 2, "the labels go in several batches"
    for request in requests:
        agent = request.headers["User-Agent"]
        assert re.match(r"jpllmkg/\d+\.\d+\.\d+ \(https?://\S+; Linked Data links", agent), agent
        body = request.body.decode()
        assert "VALUES+%3Ftext" in body or "VALUES ?text" in body


# --------------------------------------------------------------------------- fetch


def test_fetch_caches_declared_facts_with_provenance(wikidata_server, make_project):
    root = make_project(with_real_graph=True)
    result = jpllmkg_cli("--root", str(root), "link", "wikidata", "--fetch", "--endpoint",
                         wikidata_server.query)  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = root / "graph" / "generated" / "wikidata-facts.ttl"
    facts = Graph().parse(path)
    ntt = WD.Q1054787
    source = JPR["ext-wikidata-facts"]
    assert (source, RDF.type, JPLLM.ExternalSource) in facts
    assert str(facts.value(source, URIRef("https://schema.org/url"))) == wikidata_server.query
    assert facts.value(source, URIRef("http://www.w3.org/ns/prov#generatedAtTime")) is not None
    assert str(facts.value(ntt, URIRef("http://www.wikidata.org/prop/direct/P856"))) == (
        "https://example.org/wikidata-fixture/ntt"
    )
    assert (ntt, URIRef("http://purl.org/dc/terms/source"), source) in facts
    predicates = {str(p) for p in facts.predicates(ntt, None)}
    assert not any(p.endswith("P31") for p in predicates), "only the declared properties"
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []
    validated = jpllmkg_cli("--root", str(root), "validate")
    assert validated.returncode == 0, validated.stdout[-2000:]


@pytest.mark.parametrize(
    ("script", "expected"),
    [(malformed, "not SPARQL JSON results"), (slow(3), "did not answer the fact query within 1 s")],
    ids=["malformed", "slow"],
)
def test_fetch_errors_leave_no_file_behind(script, expected, make_project):
    root = make_project(with_real_graph=True)
    with tiny_server(script) as server:
        result = jpllmkg_cli("--root", str(root), "link", "wikidata", "--fetch", "--endpoint",
                             server.url, "--timeout", "1", "--retries", "1")  # fmt: skip
    assert result.returncode == 2
    assert expected in result.stderr
    assert not (root / "graph" / "generated" / "wikidata-facts.ttl").exists()


def test_link_endpoint_that_is_down():
    result = jpllmkg_cli("link", "wikidata", "--fetch", "--endpoint",
                         f"http://127.0.0.1:{free_port()}/sparql")  # fmt: skip
    assert result.returncode == 2
    assert "connection was refused" in result.stderr


def test_default_endpoint_is_wikidata_and_left_alone_by_tests():
    result = jpllmkg_cli("link", "--help")
    assert "https://query.wikidata.org/sparql" in result.stdout


def test_retries_back_off_then_succeed():
    def flaky(request, number):
        if number < 3:
            return 503, {"Retry-After": "0"}, b"busy"
        return json_results(["x"], [{"x": {"type": "literal", "value": "ok"}}])

    waits = []
    with tiny_server(flaky) as server:
        client = SparqlClient(server.url, timeout=5, retries=2, backoff=0.01)
        client.on_retry = lambda error, delay: waits.append(delay)
        assert client.select("SELECT ?x WHERE {}").column("x") == ["ok"]
        assert len(server.requests) == 3
    assert len(waits) == 2


def test_retries_are_bounded():
    with tiny_server(lambda request, number: (503, {}, b"busy")) as server:
        client = SparqlClient(server.url, timeout=5, retries=2, backoff=0.01)
        with pytest.raises(EndpointError, match="HTTP 503"):
            client.select("SELECT ?x WHERE {}")
        assert len(server.requests) == 3
