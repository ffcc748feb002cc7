"""Scale the real graph's shape to a synthetic project of about N triples (seeded, reproducible).

The synthetic project copies ontology/ and queries/ and the real graph/, then adds
graph/synthetic-*.ttl: organizations, models with lineage chains and qualified derivations,
deployments, funding programmes, market statistics and sources, every node labelled @ja and
@en and sourced, as in the curated data. A known share of records is deliberately invalid
(one defect each, from a fixed list), so validation has findings to report.

    python benchmarks/generate.py --triples 100000 --out /tmp/jpllmkg-100k
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PREFIXES = """@prefix jpllm:   <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr:     <https://w3id.org/jpllmkg/resource/> .
@prefix jpv:     <https://w3id.org/jpllmkg/vocab/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
@prefix wd:      <http://www.wikidata.org/entity/> .

"""
# Triples one "unit" adds: 1 source, 2 organizations, 6 models (with derivations), 3 deployments,
# 0.5 programmes and 1 statistic; measured from the writer below.
TRIPLES_PER_UNIT = 194
INVALID_SHARE = 0.005
DEFECTS = ("missing-ja-label", "from-scratch-with-base", "missing-source", "bad-date")
ANY_RECORD_DEFECTS = ("missing-ja-label", "missing-source")  # the ones that apply to every kind
SECTORS = ("finance", "public-sector", "local-government", "healthcare", "electric-power")
STATUSES = ("poc", "production", "planned", "joint-research")
APPROACHES = ("from-scratch", "in-house", "joint-development", "tuned-foreign-base")
COUNTRIES = ("wd:Q17", "wd:Q17", "wd:Q17", "wd:Q30", "wd:Q16")


@dataclass
class Counter:
    """How many records were written, and how many of them are deliberately invalid."""

    records: int = 0
    invalid: int = 0


def _date(rng: random.Random) -> str:
    year, month = rng.randint(2019, 2026), rng.randint(1, 12)
    return f'"{year}-{month:02d}"^^xsd:gYearMonth'


def _labels(ja: str, en: str, defect: str | None) -> str:
    if defect == "missing-ja-label":
        return f'rdfs:label "{en}"@en'
    return f'rdfs:label "{ja}"@ja , "{en}"@en'


def write_unit(out, u: int, rng: random.Random, counter: Counter) -> None:
    """One unit of the graph's shape: a source, organizations, a model family tree, adoption."""

    def defect(possible: tuple[str, ...] = ANY_RECORD_DEFECTS) -> str | None:
        """A defect for this record (one that applies to its kind), or None."""
        counter.records += 1
        if rng.random() < INVALID_SHARE:
            counter.invalid += 1
            return rng.choice(possible)
        return None

    source = f"jpr:syn-source-{u}"
    out.write(
        f"{source} a jpllm:ExternalSource ;\n"
        f'    rdfs:label "合成出典 {u}"@ja , "Synthetic source {u}"@en ;\n'
        f'    dcterms:title "Synthetic source {u}" ; jpllm:publisherName "Synthetic" ;\n'
        f'    schema:url "https://example.org/source/{u}"^^xsd:anyURI ;\n'
        f"    dcterms:issued {_date(rng)} ; dcterms:source jpr:report .\n\n"
    )
    orgs = []
    for k in range(2):
        org, bad = f"jpr:syn-org-{u}-{k}", defect()
        orgs.append(org)
        src = "" if bad == "missing-source" else f" ;\n    dcterms:source {source}"
        labels = _labels(f"合成企業 {u}-{k}", f"Synthetic company {u}-{k}", bad)
        out.write(
            f"{org} a jpllm:Company ; {labels} ;\n"
            f"    jpllm:country {rng.choice(COUNTRIES)}{src} .\n\n"
        )
    previous = None
    for k in range(6):
        model, bad = f"jpr:syn-model-{u}-{k}", defect(DEFECTS)
        approach = "from-scratch" if previous is None else rng.choice(APPROACHES[1:])
        if bad == "from-scratch-with-base":
            approach = "from-scratch"
        release = '"2026-13"^^xsd:gYearMonth' if bad == "bad-date" else _date(rng)
        lines = [
            f"{model} a jpllm:LanguageModel ;",
            f"    {_labels(f'合成モデル {u}-{k}', f'Synthetic model {u}-{k}', bad)} ;",
            f"    jpllm:developer {orgs[k % 2]} ; jpllm:releaseDate {release} ;",
            f"    jpllm:developmentApproach jpv:approach-{approach} ;",
            "    jpllm:totalParameters [ a jpllm:Quantity ;"
            f" jpllm:value {rng.choice((7, 13, 30, 70, 100))}000000000 ;",
            "        jpllm:unit jpv:unit-parameters ; jpllm:valueStatus jpv:value-"
            f"{rng.choice(('official', 'estimated', 'approximate'))} ]",
        ]
        if previous is not None:
            derivation = f"jpr:syn-derivation-{u}-{k}"
            lines[-1] += (
                f" ;\n    jpllm:baseModel {previous} ; prov:qualifiedDerivation {derivation}"
            )
            out.write(
                f"{derivation} a jpllm:Derivation ;"
                f' rdfs:label "派生 {u}-{k}"@ja , "Derivation {u}-{k}"@en ;\n'
                f"    prov:entity {previous} ; jpllm:derivationKind jpv:derivation-fine-tuning ;"
                f" dcterms:source {source} .\n\n"
            )
        elif bad == "from-scratch-with-base":
            lines[-1] += " ;\n    jpllm:baseModel jpr:command-r-plus"
        if bad != "missing-source":
            lines[-1] += f" ;\n    dcterms:source {source}"
        out.write("\n".join(lines) + " .\n\n")
        previous = model
    for k in range(3):
        deployment, bad = f"jpr:syn-deployment-{u}-{k}", defect()
        src = "" if bad == "missing-source" else f" ;\n    dcterms:source {source}"
        out.write(
            f"{deployment} a jpllm:Deployment ;\n"
            f"    {_labels(f'合成導入 {u}-{k}', f'Synthetic deployment {u}-{k}', bad)} ;\n"
            f"    jpllm:adopter {orgs[(k + 1) % 2]} ; jpllm:model jpr:syn-model-{u}-{k * 2} ;\n"
            f"    jpllm:sector jpv:sector-{rng.choice(SECTORS)} ;"
            f" jpllm:deploymentStatus jpv:status-{rng.choice(STATUSES)} ;\n"
            f'    jpllm:useCase "合成用途 {u}-{k}"@ja , "Synthetic use case {u}-{k}"@en ;\n'
            f"    jpllm:startDate {_date(rng)} ;\n"
            "    jpllm:scale [ a jpllm:Quantity ; jpllm:value"
            f" {rng.randint(1, 900)} ; jpllm:unit jpv:unit-municipalities ;"
            f" jpllm:valueStatus jpv:value-approximate ]{src} .\n\n"
        )
    if u % 2 == 0:
        programme = f"jpr:syn-programme-{u}"
        out.write(
            f"{programme} a jpllm:FundingProgramme ;"
            f' rdfs:label "合成支援 {u}"@ja , "Synthetic programme {u}"@en ;\n'
            f"    jpllm:funder jpr:meti ; jpllm:participant {orgs[0]} , {orgs[1]} ;\n"
            f"    jpllm:startDate {_date(rng)} ; dcterms:source {source} .\n"
            f"jpr:syn-model-{u}-5 jpllm:fundedBy {programme} .\n\n"
        )
    year = rng.randint(2020, 2030)
    out.write(
        f"jpr:syn-stat-{u} a jpllm:MarketStatistic ;"
        f' rdfs:label "合成統計 {u}"@ja , "Synthetic statistic {u}"@en ;\n'
        f'    jpllm:measure jpv:measure-market-size ; jpllm:year "{year}"^^xsd:gYear ;\n'
        f"    jpllm:isForecast {'true' if year > 2025 else 'false'} ;\n"
        "    jpllm:statisticValue [ a jpllm:Quantity ; jpllm:value"
        f" {rng.randint(1, 5000)}00000000 ; jpllm:unit jpv:unit-jpy ;"
        f" jpllm:valueStatus jpv:value-{'forecast' if year > 2025 else 'official'} ] ;\n"
        f"    dcterms:source {source} .\n\n"
    )


def generate(triples: int, out: Path, seed: int = 20260301, files: int = 4) -> Counter:
    """Write a synthetic project of about ``triples`` triples into ``out``; return the counts."""
    if out.exists():
        shutil.rmtree(out)
    for part in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / part, out / part)
    rng = random.Random(seed)
    counter = Counter()
    units = max(1, triples // TRIPLES_PER_UNIT)
    per_file = -(-units // files)
    for index in range(files):
        with (out / "graph" / f"synthetic-{index}.ttl").open("w", encoding="utf-8") as handle:
            handle.write(PREFIXES)
            for u in range(index * per_file, min(units, (index + 1) * per_file)):
                write_unit(handle, u, rng, counter)
    return counter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many triples")
    parser.add_argument("--out", type=Path, required=True, help="directory of the new project")
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args()
    counter = generate(args.triples, args.out, args.seed)
    print(
        f"{args.out}: {counter.records} synthetic records, {counter.invalid} deliberately invalid"
    )


if __name__ == "__main__":
    main()
