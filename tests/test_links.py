"""Relationships the report states are links with their sources, not only notes (issue 10, 7).

The real graph is asked through the public API (saved queries and SPARQL); the QC check for
notes that name an unlinked entity runs through the real `jpllmkg validate` on a copy of the
project with extra Turtle.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jpllmkg
from jpllmkg.graph.namespaces import compact, expand
from jpllmkg.graph.project import find_project
from jpllmkg.query.engine import engine_for
from jpllmkg.query.query_files import read_query_file
from jpllmkg.validate.qc import allow_list_path, read_allow_list, run_quality_checks

CHECK = "notes-naming-entities"
TUNERS = {"jpr:elyza", "jpr:rinna", "jpr:cyberagent"}


@pytest.fixture(scope="module")
def g():
    return jpllmkg.load()


@pytest.fixture(scope="module")
def asserted():
    return jpllmkg.load(inferred=False)


def rows(layer, text: str) -> list[dict]:
    return layer.sparql(text).records()


def support(layer, subject: str, predicate: str) -> list[dict]:
    """The jpllm:Support nodes naming a statement of subject with predicate, one row each
    (object, evidence kind, reasoning, and its sources as a sorted list of CURIEs)."""
    found = rows(
        layer,
        f"""SELECT ?support ?object ?evidence ?reasoning
               (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
              ?support a jpllm:Support ; rdf:subject {subject} ; rdf:predicate {predicate} ;
                       jpllm:evidence ?evidence ; dcterms:source ?source .
              OPTIONAL {{ ?support rdf:object ?object }}
              OPTIONAL {{ ?support jpllm:reasoning ?reasoning }}
            }} GROUP BY ?support ?object ?evidence ?reasoning""",
    )
    for row in found:
        row["sources"] = sorted(compact(iri) for iri in row["sources"].split())
    return found


# ---------------------------------------------------------------------------
# The three relationships of the issue
# ---------------------------------------------------------------------------


def test_elyza_rinna_and_cyberagent_tune_llama_and_qwen_at_organization_level(g):
    for organization in sorted(TUNERS):
        found = g.query("organization-relations", organization=organization).records()
        tuned = {
            r["other"]
            for r in found
            if r["direction"] == "outgoing" and r["property"] == "jpllm:tunesModelsOf"
        }
        assert tuned == {"jpr:llama-family", "jpr:qwen-family"}, organization
        classes = {r["otherClass"] for r in found if r["property"] == "jpllm:tunesModelsOf"}
        assert classes == {"jpllm:ModelFamily"}, organization
    everyone = rows(g, "SELECT DISTINCT ?org WHERE { ?org jpllm:tunesModelsOf ?family }")
    assert {r["org"] for r in everyone} == TUNERS


def test_the_tuning_relation_cites_ref_19_only(g):
    # ELYZA's and CyberAgent's own sources are ref 19 alone, so they support the statement.
    for organization in ("jpr:elyza", "jpr:cyberagent"):
        sources = rows(g, f"SELECT ?s WHERE {{ {organization} dcterms:source ?s }}")
        assert [r["s"] for r in sources] == ["jpr:ref-19"], organization
        assert support(g, organization, "jpllm:tunesModelsOf") == []
    # rinna's node also cites ref 8 (its leaderboard entry): a Support narrows it to ref 19.
    (narrowed,) = support(g, "jpr:rinna", "jpllm:tunesModelsOf")
    assert narrowed["object"] is None  # every value: both families
    assert (narrowed["evidence"], narrowed["sources"]) == (
        "jpv:evidence-report-body",
        ["jpr:ref-19"],
    )


def test_no_model_level_lineage_is_invented_for_the_tuners(g):
    """The report does not say which of their models is built on which base."""
    found = rows(
        g,
        """SELECT ?model ?base WHERE {
             VALUES ?org { jpr:elyza jpr:rinna jpr:cyberagent }
             ?model jpllm:developer ?org .
             FILTER NOT EXISTS { ?model jpllm:evidence jpv:evidence-imported }  # the catalogue says
             { ?model jpllm:baseModel ?base } UNION { ?model prov:qualifiedDerivation ?base }
           }""",
    )
    assert found == []


def test_sb_intuitions_is_part_of_softbank_as_a_curator_inference(g):
    pairs = {(r["organization"], r["related"]) for r in g.query("corporate-structure").records()}
    assert ("jpr:sb-intuitions", "jpr:softbank") in pairs
    assert ("jpr:sb-intuitions", "jpr:softbank-group") not in pairs
    (inferred,) = support(g, "jpr:sb-intuitions", "org:subOrganizationOf")
    assert inferred["object"] == "jpr:softbank"
    assert inferred["evidence"] == "jpv:evidence-curator-inference"
    assert inferred["sources"] == ["jpr:ref-4", "jpr:report"]
    assert "ソフトバンクの Sarashina" in inferred["reasoning"]


def test_cohere_co_develops_takane(g, asserted):
    co = rows(asserted, "SELECT ?model ?who WHERE { ?model jpllm:coDeveloper ?who }")
    assert [(r["model"], r["who"]) for r in co] == [("jpr:takane", "jpr:cohere")]
    takane = "SELECT ?who WHERE { jpr:takane jpllm:developer ?who }"
    # Written: Fujitsu is the developer it is listed under (Table 1's company column) ...
    assert [r["who"] for r in rows(asserted, takane)] == ["jpr:fujitsu"]
    # ... and a co-developer is a developer too (rdfs:subPropertyOf, materialised at load).
    assert {r["who"] for r in rows(g, takane)} == {"jpr:fujitsu", "jpr:cohere"}
    sources = rows(asserted, "SELECT ?s WHERE { jpr:takane dcterms:source ?s }")
    assert sorted(r["s"] for r in sources) == ["jpr:ref-20", "jpr:ref-21"]
    assert support(g, "jpr:takane", "jpllm:coDeveloper") == []


# ---------------------------------------------------------------------------
# The two contradictions between notes and data
# ---------------------------------------------------------------------------


def test_qommons_ai_runs_the_plamo_family_as_the_report_says(asserted):
    models = rows(
        asserted,
        "SELECT ?d ?model WHERE { ?d jpllm:platform jpr:qommons-ai ; jpllm:model ?model }",
    )
    assert [(r["d"], r["model"]) for r in models] == [
        ("jpr:deployment-qommons-ai-plamo-prime", "jpr:plamo-family")
    ]
    # PLaMo Prime stands only in the titles of refs 27 and 28: a title-only statement.
    titles = rows(
        asserted,
        """SELECT ?object ?evidence WHERE {
             ?t a jpllm:TitleOnlyStatement ; rdf:subject jpr:deployment-qommons-ai-plamo-prime ;
                rdf:predicate jpllm:model ; rdf:object ?object ; jpllm:evidence ?evidence }""",
    )
    assert titles == [
        {"object": "jpr:plamo-prime", "evidence": "jpv:evidence-reference-title-only"}
    ]


def test_plamo_translate_release_date_is_ref_29_metadata_only(asserted):
    stated = rows(asserted, "SELECT ?date WHERE { jpr:plamo-translate jpllm:releaseDate ?date }")
    assert stated == []
    found = rows(
        asserted,
        """SELECT ?date ?evidence ?source WHERE {
             ?t a jpllm:TitleOnlyStatement ; rdf:subject jpr:plamo-translate ;
                rdf:predicate jpllm:releaseDate ; rdf:object ?date ;
                jpllm:evidence ?evidence ; dcterms:source ?source }""",
    )
    assert found == [
        {"date": "2025-05", "evidence": "jpv:evidence-reference-metadata", "source": "jpr:ref-29"}
    ]
    (note,) = rows(asserted, "SELECT ?note WHERE { jpr:plamo-translate jpllm:note ?note }")
    assert "No release date is recorded" not in note["note"]
    assert "jpr:title-only-plamo-translate-release-date" in note["note"]


# ---------------------------------------------------------------------------
# The QC check: notes that name an entity no statement links to
# ---------------------------------------------------------------------------

PREFIXES = """\
@prefix jpllm:   <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr:     <https://w3id.org/jpllmkg/resource/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix wd:      <http://www.wikidata.org/entity/> .
"""

NOTED = """
# Names Stockmark and GENIAC phase 3 with no link to either; "GENIAC" only inside the
# longer name, "NTT" only inside the word NTTX.
jpr:test-unlinked a jpllm:Company ;
    rdfs:label "試験用の会社"@ja , "Test company"@en ;
    jpllm:country wd:Q17 ;
    jpllm:note "Works with Stockmark on GENIAC phase 3, unlike NTTX."@en ;
    dcterms:source jpr:report .

# Names Stockmark and links to it.
jpr:test-linked a jpllm:Company ;
    rdfs:label "試験用の子会社"@ja , "Test subsidiary"@en ;
    jpllm:country wd:Q17 ;
    org:subOrganizationOf jpr:stockmark ;
    jpllm:note "A subsidiary of Stockmark."@en ;
    dcterms:source jpr:report .
"""


def project(make_project, allow_lines: tuple[str, ...] = ()) -> Path:
    """The real project with the NOTED nodes and allow_lines added to the check's list."""
    root = make_project(with_real_graph=True)
    (root / "graph" / "test-notes.ttl").write_text(PREFIXES + NOTED, encoding="utf-8")
    allow = root / "queries" / "qc" / f"{CHECK}.allow.tsv"
    with allow.open("a", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in allow_lines)
    return root


def findings(cli, root: Path) -> tuple[int, list[tuple[str, str, str]]]:
    result = cli("--root", str(root), "validate", "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return result.returncode, [
        (f["focus"], f["value"], f["message"])
        for f in report["findings"]
        if f["check"] == f"qc:{CHECK}"
    ]


def test_a_note_naming_an_unlinked_entity_is_found(cli, make_project):
    code, found = findings(cli, project(make_project))
    assert code == 0  # a Warning: reported, validation still conforms
    assert [(focus, value) for focus, value, _ in found] == [
        ("jpr:test-unlinked", "jpr:geniac-phase-3"),
        ("jpr:test-unlinked", "jpr:stockmark"),
    ]
    assert "The note names 'Stockmark'" in found[1][2]
    assert f"queries/qc/{CHECK}.allow.tsv" in found[1][2]


def test_an_allow_listed_pair_is_left_out(cli, make_project):
    root = project(make_project, ("jpr:test-unlinked\tjpr:stockmark\tA test exception.",))
    _, found = findings(cli, root)
    assert [(focus, value) for focus, value, _ in found] == [
        ("jpr:test-unlinked", "jpr:geniac-phase-3")
    ]


def test_an_allow_list_entry_without_a_reason_is_refused(cli, make_project):
    root = project(make_project, ("jpr:test-unlinked\tjpr:stockmark",))
    result = cli("--root", str(root), "validate")
    assert result.returncode == 2
    allow = root / "queries" / "qc" / f"{CHECK}.allow.tsv"
    line = len(allow.read_text(encoding="utf-8").splitlines())
    assert f"queries/qc/{CHECK}.allow.tsv:{line}:" in result.stderr
    assert "a reason" in result.stderr and "Traceback" not in result.stderr


def test_the_real_graph_has_only_allow_listed_findings(kg):
    assert [f for f in run_quality_checks(kg) if f.check == f"qc:{CHECK}"] == []
    # ... and the allow-list is exactly what the check finds: every entry is still needed.
    query = read_query_file(find_project().qc_dir / f"{CHECK}.rq")
    raw = {
        (str(r["focus"]), str(r["value"]))
        for r in engine_for(kg, inferred=False).select(query.text, where=CHECK)
    }
    entries = read_allow_list(allow_list_path(query), CHECK)
    assert raw == {(expand(focus), expand(value)) for focus, value in entries}
    assert len(entries) == 36
