"""Class hints (the "Class hints" block of ontology/jpllm.ttl, read by jpllmkg.graph.classes):
the one home of which classes are entities, sources or bookkeeping and how views show them."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from conftest import FIXTURES, REPO
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from jpllmkg.analysis import relation_graph
from jpllmkg.graph.classes import (
    BOOKKEEPING_ROLE,
    ENTITY_ROLE,
    SOURCE_ROLE,
    entities,
    is_entity,
    resources,
    role_of,
    source_classes,
    style_of,
)
from jpllmkg.graph.loader import load
from jpllmkg.graph.namespaces import JPLLM, JPR
from jpllmkg.graph.project import find_project
from jpllmkg.show.pictures import BOX_STYLES, MARKERS
from jpllmkg.show.views import build_view
from jpllmkg.validate.qc import run_quality_checks
from jpllmkg.validate.validation import validate

# A throwaway class, as the recipe "add a class" writes it: one ontology edit (the class, its
# property and its hints), its shape, and instances.
NEW_CLASS = """
jpllm:StudyGroup a owl:Class ;
    rdfs:subClassOf jpllm:Entity ;
    rdfs:label "study group"@en , "研究会"@ja ;
    rdfs:comment "A throwaway class of tests/test_class_hints.py."@en .

jpllm:convenedBy a owl:ObjectProperty ;
    rdfs:label "convened by"@en , "主催"@ja ;
    rdfs:comment "The organization that convenes the study group."@en ;
    rdfs:domain jpllm:StudyGroup ; rdfs:range jpllm:Organization .
"""
NEW_HINTS = """
jpllm:StudyGroup jpllm:classRole jpllm:EntityRole ; jpllm:inView "ecosystem" ;
    jpllm:displayColour "#123abc" ; jpllm:displayShape "star" .
"""
NEW_SHAPE = """@prefix jpllm: <https://w3id.org/jpllmkg/ontology#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
jpllm:StudyGroupShape a sh:NodeShape ;
    sh:targetClass jpllm:StudyGroup ;
    sh:property [
        sh:path jpllm:convenedBy ; sh:class jpllm:Organization ; sh:severity sh:Violation ;
        sh:message "A study group is convened by an organization (jpllm:convenedBy)."
    ] .
"""
NEW_INSTANCES = """@prefix jpllm: <https://w3id.org/jpllmkg/ontology#> .
@prefix jpr: <https://w3id.org/jpllmkg/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
jpr:study-group a jpllm:StudyGroup ;
    rdfs:label "生成AI研究会"@ja , "Generative AI study group"@en ;
    jpllm:convenedBy jpr:kddi ;
    dcterms:source jpr:report .
jpr:idle-group a jpllm:StudyGroup ;
    rdfs:label "休眠研究会"@ja , "Idle study group"@en ;
    dcterms:source jpr:report .
"""
GROUP = JPR["study-group"]


def _project_with_new_class(make_project, with_hints: bool = True) -> Path:
    root = make_project(FIXTURES / "valid" / "organizations.ttl")
    core = root / "ontology" / "jpllm.ttl"
    text = core.read_text(encoding="utf-8") + NEW_CLASS + (NEW_HINTS if with_hints else "")
    if with_hints:  # the tooltip lists the new property too
        text = text.replace(" prov:entity ) .", " prov:entity jpllm:convenedBy ) .")
    core.write_text(text, encoding="utf-8")
    (root / "ontology" / "shapes" / "study-groups.ttl").write_text(NEW_SHAPE, encoding="utf-8")
    (root / "graph" / "study-groups.ttl").write_text(NEW_INSTANCES, encoding="utf-8")
    return root


def test_a_new_class_is_styled_listed_and_checked_from_its_hints(make_project):
    kg = load(find_project(root=_project_with_new_class(make_project)))
    assert validate(kg).violations == []

    view = build_view(kg, "ecosystem")
    node = view.nodes[str(GROUP)]
    assert (node["group"], node["color"], node["shape"]) == ("StudyGroup", "#123abc", "star")
    assert view.graph["legend"]["StudyGroup"] == "study group"
    assert view.has_edge(str(GROUP), str(JPR.kddi), key="convenedBy")
    assert "convened by: KDDI" in node["title"].splitlines()

    assert is_entity(kg, GROUP) and GROUP in entities(kg)
    assert str(GROUP) in relation_graph(kg)
    assert GROUP in resources(kg)  # the site gives it a page
    orphans = {f.focus for f in run_quality_checks(kg) if f.check == "qc:orphan-entities"}
    assert "jpr:idle-group" in orphans and "jpr:study-group" not in orphans


def test_without_hints_the_new_class_is_neither_shown_nor_an_entity(make_project):
    kg = load(find_project(root=_project_with_new_class(make_project, with_hints=False)))
    assert str(GROUP) not in build_view(kg, "ecosystem")
    assert not is_entity(kg, GROUP)
    assert str(GROUP) not in relation_graph(kg)
    assert GROUP in resources(kg)  # every typed jpr: resource still has a page
    assert role_of(kg, JPLLM.StudyGroup) is None


def _ontology() -> Graph:
    graph = Graph()
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        graph.parse(path)
    return graph


def test_every_class_has_exactly_one_role_own_or_inherited():
    """One role each (so that the QC queries, which accept a role on any superclass, agree
    with jpllmkg.graph.classes, which takes the nearest)."""
    graph = _ontology()
    problems = []
    for cls in sorted(graph.subjects(RDF.type, OWL.Class)):
        if not str(cls).startswith(str(JPLLM)) or cls == JPLLM.Entity:
            continue
        roles = {
            role
            for ancestor in graph.transitive_objects(cls, RDFS.subClassOf)
            for role in graph.objects(ancestor, JPLLM.classRole)
        }
        if len(roles) != 1:
            problems.append(f"{cls}: roles {sorted(roles)}")
    assert not problems, "\n".join(problems)


def test_roles_and_styles_of_the_real_ontology(kg):
    assert source_classes(kg) == {
        JPLLM.Source,
        JPLLM.Report,
        JPLLM.Reference,
        JPLLM.ExternalSource,
        JPLLM.CuratorCard,
        JPLLM.CatalogueSnapshot,
        JPLLM.CatalogueEntry,
        JPLLM.WikidataRetrieval,
    }
    assert role_of(kg, JPLLM.JointVenture) == ENTITY_ROLE  # from jpllm:Organization
    assert role_of(kg, JPLLM.TitleOnlyStatement) == BOOKKEEPING_ROLE  # from jpllm:Support
    assert role_of(kg, JPLLM.Report) == SOURCE_ROLE
    # a subclass's own colour wins over its superclass's; a class without one inherits
    assert style_of(kg, JPLLM.JointVenture) == ("#8d99a8", "box")
    assert style_of(kg, JPLLM.Reference) == style_of(kg, JPLLM.Source) == ("#eeeeee", "text")
    assert style_of(kg, JPLLM.Support) is None
    drawn = set(BOX_STYLES) | set(MARKERS)
    for term in set(kg.data.subjects(JPLLM.displayShape, None)):
        assert str(kg.data.value(term, JPLLM.displayShape)) in drawn, term
        assert kg.data.value(term, JPLLM.displayColour) is not None, term
    # the relation graph's nodes are exactly the entities: 797 in the real graph (139 from the
    # report, 44 base models and developers the catalogue names, 614 imported)
    assert len(entities(kg)) == relation_graph(kg).number_of_nodes() == 797


# ---------------------------------------------------------------------------- one home

REMOVED = {
    "STYLES",
    "ECOSYSTEM_CLASSES",
    "POLICY_CLASSES",
    "HUB_CLASSES",
    "KEY_PROPERTIES",
    "NOT_ENTITIES",
    "TYPE_CLASSES",
    "SOURCE_CLASSES",
}


def _class_named(node: ast.expr, names: set[str]) -> bool:
    """Whether an expression names an ontology class: "Company", JPLLM.Company or
    JPLLM["Company"]."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value in names
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "JPLLM" and node.attr in names
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id == "JPLLM" and _class_named(node.slice, names)
    return False


def test_no_python_module_lists_ontology_classes():
    """What the classes are and how they look is read from the ontology: no module of src/
    holds a collection (tuple, list, set, dict) naming two or more ontology classes, nor
    the constants that used to."""
    graph = _ontology()
    names = {
        str(c)[len(str(JPLLM)) :]
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and str(c).startswith(str(JPLLM))
    }
    problems = []
    for path in sorted((REPO / "src" / "jpllmkg").rglob("*.py")):
        where = path.relative_to(REPO)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
                items = node.keys if isinstance(node, ast.Dict) else node.elts
                named = [item for item in items if item is not None and _class_named(item, names)]
                if len(named) >= 2:
                    problems.append(f"{where}:{node.lineno}: a collection of ontology classes")
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in REMOVED:
                    problems.append(f"{where}:{node.lineno}: {target.id}")
    assert not problems, "\n".join(problems)


def test_the_hints_have_one_home():
    """The hint annotations are stated in ontology/jpllm.ttl only (no module, vocabulary or
    shapes file restates them)."""
    hints = (JPLLM.classRole, JPLLM.displayColour, JPLLM.inView, JPLLM.wikidataClass)
    for path in sorted((REPO / "ontology").rglob("*.ttl")):
        if path.name == "jpllm.ttl" and path.parent.name == "ontology":
            continue
        graph = Graph().parse(path)
        assert not any((None, hint, None) in graph for hint in hints), path


def test_copying_the_project_keeps_the_hints(tmp_path):
    """The hints travel with the ontology: a copied project reads the same entities."""
    root = tmp_path / "copy"
    for part in ("ontology", "graph", "queries"):
        shutil.copytree(REPO / part, root / part)
    copied = load(find_project(root=root))
    # 139 from the report, 44 base models and developers the catalogue names, 614 imported
    assert len(entities(copied)) == 797
