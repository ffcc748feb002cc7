"""Tests of the data itself: every record is checked, and a failure names the IRI."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import REPO
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from jpllmkg.graph.classes import source_classes
from jpllmkg.graph.namespaces import JPLLM, JPR, JPV, SCHEMA, WD

REPORT = REPO / "docs" / "report" / "2026-03-01-jp-domestic-llm-report.txt"

# Table 1 of the report, row by row: model, developer, parameter values, approach, licence, ref.
TABLE_1 = [
    ("tsuzumi-2", "ntt", {Decimal(30_000_000_000)}, "from-scratch", "proprietary", 1),
    (
        "plamo-2-2-prime",
        "pfn",
        {Decimal(8_000_000_000), Decimal(31_000_000_000)},
        "from-scratch",
        "conditional-commercial",
        14,
    ),
    ("cotomi-v3", "nec", set(), "in-house", "proprietary", 3),
    ("takane", "fujitsu", {Decimal(100_000_000_000)}, "joint-development", "proprietary", 20),
    ("sarashina", "sb-intuitions", {Decimal(460_000_000_000)}, "from-scratch", "api-access", 4),
    (
        "rakuten-ai-3",
        "rakuten",
        {Decimal(700_000_000_000)},
        "publicly-funded",
        "planned-open-release",
        9,
    ),
    ("stockmark-2-100b", "stockmark", {Decimal(100_000_000_000)}, "from-scratch", "mit", 17),
]
STATUS = {"takane": "estimated", "cotomi-v3": "undisclosed"}
# A catalogue snapshot is the outermost source of an import: what it says of itself (commit,
# URL, dates) is given to the import, and each of its entries cites it.
# A curators' card is its own source.
FACT_CLASSES_WITHOUT_SOURCE = {
    JPLLM.Quantity,
    JPLLM.Reading,
    JPLLM.CatalogueSnapshot,
    JPLLM.CuratorCard,
}


def typed_resources(data):
    return sorted({s for s in data.subjects(RDF.type, None) if str(s).startswith(str(JPR))})


@pytest.mark.parametrize("row", TABLE_1, ids=[r[0] for r in TABLE_1])
def test_table_1_row(kg, row):
    slug, developer, values, approach, licence, ref = row
    data, model = kg.data, JPR[slug]
    assert (model, RDF.type, JPLLM.LanguageModel) in data, slug
    assert (model, JPLLM.inTable1, Literal(True)) in data, slug
    assert data.value(model, JPLLM.developer) == JPR[developer], slug
    assert data.value(model, JPLLM.developmentApproach) == JPV[f"approach-{approach}"], slug
    assert data.value(model, JPLLM.licence) == JPV[f"licence-{licence}"], slug
    assert (model, DCTERMS.source, JPR[f"ref-{ref}"]) in data, slug
    quantities = list(data.objects(model, JPLLM.totalParameters))
    assert quantities, f"{slug} has no totalParameters quantity"
    found = {
        data.value(q, JPLLM.value).toPython() for q in quantities if data.value(q, JPLLM.value)
    }
    assert found == values, slug
    statuses = {s for q in quantities for s in data.objects(q, JPLLM.valueStatus)}
    expected = JPV[f"value-{STATUS.get(slug, 'official')}"]
    assert expected in statuses, f"{slug}: parameters should be {expected}"
    for cell in (JPLLM.parametersAsWorded, JPLLM.approachAsWorded, JPLLM.licenceAsWorded):
        assert data.value(model, cell) is not None, f"{slug} lacks the verbatim cell {cell}"


def test_rakuten_ai_3_is_moe_with_about_40b_active(kg):
    data, model = kg.data, JPR["rakuten-ai-3"]
    assert data.value(model, JPLLM.architecture) == JPV["architecture-moe"]
    active = data.value(model, JPLLM.activeParameters)
    assert data.value(active, JPLLM.value).toPython() == Decimal(40_000_000_000)
    assert (active, JPLLM.valueStatus, JPV["value-approximate"]) in data


def test_takane_derives_from_command_r_plus_by_cohere_with_reference_20(kg):
    data = kg.data
    takane, base = JPR.takane, JPR["command-r-plus"]
    assert (takane, JPLLM.baseModel, base) in data
    derivations = [
        d for d in data.objects(takane, PROV.qualifiedDerivation) if (d, PROV.entity, base) in data
    ]
    assert len(derivations) == 1
    (derivation,) = derivations
    assert data.value(derivation, JPLLM.derivationKind) == JPV["derivation-joint-development"]
    assert (derivation, DCTERMS.source, JPR["ref-20"]) in data
    assert data.value(base, JPLLM.developer) == JPR.cohere


def test_every_typed_resource_has_one_label_in_ja_and_in_en(kg):
    problems = []
    for node in typed_resources(kg.data):
        languages = [lbl.language for lbl in kg.data.objects(node, RDFS.label)]
        if sorted(languages) != ["en", "ja"]:
            problems.append(f"{node}: labels in {languages}")
    assert not problems, "\n".join(problems)


def test_every_fact_node_has_a_source(kg):
    problems = []
    for node in typed_resources(kg.data):
        classes = set(kg.data.objects(node, RDF.type))
        if classes & FACT_CLASSES_WITHOUT_SOURCE:
            continue
        sources = list(kg.data.objects(node, DCTERMS.source))
        if not sources:
            problems.append(f"{node} ({kg.origin_of(node)}) has no dcterms:source")
        for source in sources:
            if not any((source, RDF.type, c) in kg.data for c in source_classes(kg)):
                problems.append(f"{node}: dcterms:source {source} is not a declared source")
    assert not problems, "\n".join(problems)


def test_every_reading_of_a_discrepancy_has_a_source(kg):
    problems = []
    for discrepancy in kg.data.subjects(RDF.type, JPLLM.Discrepancy):
        readings = list(kg.data.objects(discrepancy, JPLLM.reading))
        if len(readings) < 2:
            problems.append(f"{discrepancy}: {len(readings)} reading(s)")
        problems += [
            f"{discrepancy}: a reading without source"
            for r in readings
            if not list(kg.data.objects(r, DCTERMS.source))
        ]
    assert not problems, "\n".join(problems)


def bibliography() -> dict[int, str]:
    text = REPORT.read_text(encoding="utf-8").split("参考文献", 1)[1]
    parts = re.split(r"\n\s*(?:- )?\[(\d+)\]\s*", text)
    return {
        int(parts[i]): re.search(r"https?://[^\s>]+", parts[i + 1]).group(0)
        for i in range(1, len(parts), 2)
    }


def test_all_54_references_with_their_urls(kg):
    """The one place that states the report's length as a fact: its bibliography has 54 entries,
    and jpr:report declares that count (every check reads the declared count, not 54)."""
    urls = bibliography()
    assert sorted(urls) == list(range(1, 55))
    assert kg.data.value(JPR.report, JPLLM.referenceCount).toPython() == 54
    numbered = set(kg.data.subjects(JPLLM.citedIn, JPR.report))
    assert len(numbered) == 54
    for number, url in urls.items():
        ref = JPR[f"ref-{number}"]
        assert (ref, RDF.type, JPLLM.Source) in kg.data, ref
        assert kg.data.value(ref, JPLLM.referenceNumber).toPython() == number, ref
        assert str(kg.data.value(ref, SCHEMA.url)) == url, ref
        assert kg.data.value(ref, DCTERMS.title) is not None, ref


def test_references_are_all_cited(kg, validation_report):
    summary = validation_report.summary
    declared = sum(int(n) for n in kg.data.objects(None, JPLLM.referenceCount))
    assert declared > 0
    assert (summary.references_cited, summary.references_total) == (declared, declared)
    assert summary.references_uncited == []


def test_dates_use_the_precision_types(kg):
    date_types = {XSD.date, XSD.gYearMonth, XSD.gYear}
    properties = [
        JPLLM.releaseDate,
        JPLLM.startDate,
        JPLLM.eventDate,
        JPLLM.enactedDate,
        JPLLM.inForceDate,
        JPLLM.decisionDate,
        JPLLM.deadline,
        DCTERMS.issued,
    ]
    problems = [
        f"{s} {p} {o!r}"
        for p in properties
        for s, o in kg.data.subject_objects(p)
        if not (isinstance(o, Literal) and o.datatype in date_types)
    ]
    assert not problems, "\n".join(problems)


def test_vagueness_is_recorded_not_rounded(kg):
    data = kg.data
    qommons = JPR["deployment-qommons-ai-plamo-prime"]
    scale = data.value(qommons, JPLLM.scale)
    target = data.value(qommons, JPLLM.targetScale)
    assert (scale, JPLLM.valueStatus, JPV["value-approximate"]) in data
    assert data.value(scale, JPLLM.value).toPython() == 150
    assert (target, JPLLM.valueStatus, JPV["value-target"]) in data
    assert data.value(target, JPLLM.value).toPython() == 800
    cotomi = data.value(JPR["cotomi-v3"], JPLLM.totalParameters)
    assert data.value(cotomi, JPLLM.value) is None
    assert (cotomi, JPLLM.valueStatus, JPV["value-undisclosed"]) in data


def test_quantities_are_blank_nodes_with_unit_and_status(kg):
    problems = []
    for quantity in kg.data.subjects(RDF.type, JPLLM.Quantity):
        if not isinstance(quantity, BNode):
            problems.append(f"{quantity} is named; quantities are blank nodes")
        if kg.data.value(quantity, JPLLM.unit) is None:
            problems.append(f"a quantity of {kg.named_owner(quantity)} has no unit")
        if kg.data.value(quantity, JPLLM.valueStatus) is None:
            problems.append(f"a quantity of {kg.named_owner(quantity)} has no status")
    assert not problems, "\n".join(problems)


def test_countries_are_wikidata_items_with_evidence(kg):
    countries = set(kg.data.objects(None, JPLLM.country))
    assert countries <= {WD.Q17, WD.Q30, WD.Q16, WD.Q148}
    assert kg.data.value(JPR.cohere, JPLLM.country) == WD.Q16
    assert isinstance(kg.data.value(JPR.ntt, JPLLM.country), URIRef)
