"""The ontology's terms: every name docs/contracts.md promises exists, every term is labelled in English and
Chinese and defined, the code lists are complete, and nothing in it needs the network or a datatype HermiT
rejects.

Run: .venv/bin/python -m pytest tests/ontology/test_ontology_terms.py
"""

from __future__ import annotations

import re

import pytest
import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from policyatlas.core.namespaces import CODI, FAMILY, GAP, GROUP, LAYER, PA, VOCAB
from tests.conftest import ROOT

ONTOLOGY = ROOT / "ontology" / "policyatlas.ttl"
CONTRACTS = ROOT / "docs" / "contracts.md"
# rdf:PlainLiteral, not rdf:langString, for language-tagged text: the OWL API inside HermiT predates RDF 1.1
# and reads rdf:langString as a class, which puns the property and takes the ontology out of OWL 2 DL.
OWL2_RANGES = {XSD.integer, XSD.decimal, XSD.boolean, XSD.string, XSD.anyURI, XSD.dateTime, RDF.PlainLiteral}
CJK = re.compile(r"[\u4e00-\u9fff]")

# The fixed code lists of docs/contracts.md and DESIGN.md (the specification, written out here on purpose).
LAYERS = ["base", "middle", "top", "cross-cutting"]
FAMILIES = ["social-insurance", "social-assistance", "active-labour-market", "skills-lifelong-learning",
            "income-guarantee", "working-time", "ai-governance", "firm-responsibility", "global-cooperation",
            "digital-inclusion", "psychosocial-community"]
GROUPS = ["older-workers", "low-education-workers", "women", "youth", "informal-workers", "platform-workers",
          "long-term-unemployed", "high-ai-exposure-workers", "rural-workers", "persons-with-disabilities",
          "developing-country-workers"]
GAP_INFORMS = {
    "fragmentation": {"coherence-and-integration"},
    "equity-blind-spot": {"inclusiveness", "rights-and-dignity"},
    "fiscal-unsustainability": {"financial-and-fiscal-sustainability"},
    "governance-lag": {"governance-and-institutional-capacity", "responsiveness"},
    "firm-responsibility-gap": {"incentive-compatibility"},
    "psychosocial-gap": {"adequacy", "rights-and-dignity"},
    "evidence-gap": {"cost-effectiveness"},
    "global-south-gap": {"appropriateness"},
}
CODI_CRITERIA = ["inclusiveness", "adequacy", "appropriateness", "rights-and-dignity",
                 "governance-and-institutional-capacity", "financial-and-fiscal-sustainability",
                 "coherence-and-integration", "responsiveness", "cost-effectiveness", "incentive-compatibility"]
CODI_LEVELS = ["latent", "emerging", "established", "advanced"]
VOCABS = {
    "pa:ToolType": ["tool-nodality", "tool-authority", "tool-treasure", "tool-organisation"],
    "pa:IncomeGroup": ["income-HIC", "income-UMC", "income-LMC", "income-LIC", "income-UNC"],
    "pa:StudyDesign": ["design-rct", "design-quasi-experimental", "design-meta-analysis", "design-observational",
                       "design-descriptive", "design-simulation"],
    "pa:OutcomeDomain": ["outcome-employment", "outcome-income", "outcome-poverty", "outcome-skills",
                         "outcome-wellbeing", "outcome-health", "outcome-consumption", "outcome-savings",
                         "outcome-inclusion", "outcome-labour-supply", "outcome-firm-behaviour", "outcome-other"],
    "pa:EffectDirection": ["direction-positive", "direction-null", "direction-negative", "direction-mixed"],
    "pa:EvidenceStrength": ["strength-high", "strength-moderate", "strength-low"],
    "pa:ProgrammeStatus": ["status-active", "status-ended", "status-pilot", "status-planned", "status-suspended"],
    "pa:Implementer": ["implementer-government", "implementer-supranational", "implementer-multilateral",
                       "implementer-ngo", "implementer-private"],
    "pa:ProgrammeScale": ["scale-national", "scale-subnational", "scale-pilot"],
    "pa:EffectMetric": ["metric-pp-employment", "metric-pp-participation", "metric-share-job-losses-averted",
                        "metric-pct-unemployment-duration", "metric-pct-separation-rate",
                        "metric-odds-ratio-job-finding", "metric-pct-employment-level"],
}
# Chinese terms from the project glossary (GLOSSARY.md), which the labels must use.
GLOSSARY_ZH = {
    GAP["fragmentation"]: "政策碎片化", GAP["governance-lag"]: "治理滞后", GAP["equity-blind-spot"]: "公平性盲区",
    GAP["fiscal-unsustainability"]: "财政不可持续", GAP["firm-responsibility-gap"]: "企业责任机制缺位",
    GAP["psychosocial-gap"]: "心理与社会认同维度缺失", GAP["evidence-gap"]: "证据缺口",
    GAP["global-south-gap"]: "全球南方缺口", LAYER["base"]: "基础层", LAYER["middle"]: "中间层",
    LAYER["top"]: "顶层", LAYER["cross-cutting"]: "跨层支撑", GROUP["older-workers"]: "中老年劳动者",
    GROUP["low-education-workers"]: "低学历劳动者", GROUP["women"]: "女性",
    GROUP["developing-country-workers"]: "发展中国家劳动者", GROUP["platform-workers"]: "平台劳动者",
    GROUP["informal-workers"]: "非正规就业者",
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _pa_terms(graph: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for k in kinds for s in graph.subjects(RDF.type, k)
            if isinstance(s, URIRef) and str(s).startswith(str(PA))}


def _concepts(graph: Graph) -> set[URIRef]:
    return set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(RDF.type, SKOS.ConceptScheme))


def _langs(graph: Graph, node, prop) -> set[str]:
    return {o.language for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language}


def test_header_names_the_ontology_its_version_and_licence(onto):
    header = URIRef("https://w3id.org/policyatlas/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert onto.value(header, OWL.versionIRI) == URIRef("https://w3id.org/policyatlas/ontology/0.1.0")
    assert onto.value(header, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert _langs(onto, header, DCTERMS.title) >= {"en", "zh"}
    assert _langs(onto, header, DCTERMS.description) >= {"en", "zh"}
    assert onto.value(header, DCTERMS.creator) is not None


def test_every_name_in_the_contracts_is_defined(onto):
    names = set(re.findall(r"`pa:([A-Za-z][A-Za-z0-9]*)`", CONTRACTS.read_text(encoding="utf-8")))
    names |= {n for block in re.findall(r"`([^`]*pa:[^`]*)`", CONTRACTS.read_text(encoding="utf-8"))
              for n in re.findall(r"pa:([A-Za-z][A-Za-z0-9]*)", block)}
    assert len(names) > 60, "the contracts list fewer pa: names than expected; did the page move?"
    defined = _pa_terms(onto) | {s for s in onto.subjects(RDF.type, SKOS.ConceptScheme)}
    missing = sorted(n for n in names if PA[n] not in defined)
    assert not missing, f"docs/contracts.md names these pa: terms that ontology/policyatlas.ttl lacks: {missing}"


def _group_definitions() -> dict[URIRef, set[str]]:
    """Target groups are defined in kb/target-groups/<id>.yaml (compiled onto the same IRI), not here."""
    out = {}
    for path in (ROOT / "kb" / "target-groups").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[GROUP[data["id"]]] = {lang for lang, text in (data.get("definition") or {}).items() if text}
    return out


def test_every_term_has_english_and_chinese_labels_and_a_definition(onto):
    terms = _pa_terms(onto) | _concepts(onto)
    assert len(terms) > 150
    groups = _group_definitions()
    problems = []
    for term in sorted(terms):
        if not {"en", "zh"} <= _langs(onto, term, RDFS.label):
            problems.append(f"{term}: needs rdfs:label @en and @zh")
        if (term, RDF.type, PA.TargetGroup) in onto:
            if "en" not in groups.get(term, set()) or _langs(onto, term, SKOS.definition):
                problems.append(f"{term}: define it (en, zh) in kb/target-groups/, and only there")
        elif "en" not in _langs(onto, term, SKOS.definition):
            problems.append(f"{term}: needs skos:definition @en")
        for zh in (o for o in onto.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "zh"):
            if not CJK.search(str(zh)):
                problems.append(f"{term}: the @zh label {zh!r} has no Chinese characters")
    assert not problems, "\n".join(problems)


def test_one_label_and_one_definition_per_language(onto):
    """Two blocks for one term (easy to write by accident in a hand-edited file) give two labels."""
    problems = []
    for term in sorted(_pa_terms(onto) | _concepts(onto)):
        for prop in (RDFS.label, SKOS.definition):
            langs = [o.language for o in onto.objects(term, prop) if isinstance(o, Literal)]
            if len(langs) != len(set(langs)):
                problems.append(f"{term}: more than one {prop.n3(onto.namespace_manager)} in one language")
    assert not problems, "\n".join(problems)


def test_chinese_labels_use_the_glossary_terms(onto):
    for node, term in GLOSSARY_ZH.items():
        labels = {str(o) for o in onto.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == "zh"}
        assert term in labels, f"{node}: the @zh label should be the glossary term {term}, not {labels}"


@pytest.mark.parametrize("namespace, ids, cls, scheme", [
    (LAYER, LAYERS, PA.SafetyNetLayer, PA.SafetyNetLayerScheme),
    (FAMILY, FAMILIES, PA.InstrumentFamily, PA.InstrumentFamilyScheme),
    (GROUP, GROUPS, PA.TargetGroup, PA.TargetGroupScheme),
    (GAP, list(GAP_INFORMS), PA.GapKind, PA.GapKindScheme),
    (CODI, CODI_CRITERIA, PA.CodiCriterion, PA.CodiCriterionScheme),
    (CODI, CODI_LEVELS, PA.CodiLevel, PA.CodiLevelScheme),
])
def test_code_lists_are_complete_concept_schemes(onto, namespace, ids, cls, scheme):
    members = {s for s in onto.subjects(RDF.type, cls)}
    assert members == {namespace[i] for i in ids}
    for member in members:
        assert (member, RDF.type, SKOS.Concept) in onto
        assert (member, SKOS.inScheme, scheme) in onto
        assert (member, SKOS.topConceptOf, scheme) in onto or (member, SKOS.broader, None) in onto


@pytest.mark.parametrize("cls, ids", VOCABS.items())
def test_small_code_lists_are_complete(onto, cls, ids):
    members = set(onto.subjects(RDF.type, PA[cls.split(":")[1]]))
    assert members == {VOCAB[i] for i in ids}
    for member in members:
        assert (member, RDF.type, SKOS.Concept) in onto and onto.value(member, SKOS.inScheme) is not None


def test_code_list_members_are_declared_distinct(onto):
    """Without owl:AllDifferent, HermiT would merge two layers given to one instrument instead of objecting."""
    distinct = set()
    for node in onto.subjects(RDF.type, OWL.AllDifferent):
        head = onto.value(node, OWL.distinctMembers)
        while head is not None and head != RDF.nil:
            distinct.add(onto.value(head, RDF.first))
            head = onto.value(head, RDF.rest)
    concepts = {s for s in onto.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}
    assert concepts <= distinct, f"not in any owl:AllDifferent: {sorted(concepts - distinct)}"


def test_gap_kinds_inform_the_codi_criteria_of_the_contracts(onto):
    for gap, criteria in GAP_INFORMS.items():
        assert set(onto.objects(GAP[gap], PA.gapInforms)) == {CODI[c] for c in criteria}, gap


def test_alignments(onto):
    assert (PA.PolicyProgramme, RDFS.subClassOf, URIRef("http://purl.org/vocab/cpsv#PublicService")) in onto
    prov_entity = URIRef("http://www.w3.org/ns/prov#Entity")
    for cls in (PA.Source, PA.Evidence, PA.Finding):
        assert (cls, RDFS.subClassOf, prov_entity) in onto
    assert (PA.Country, RDFS.subClassOf, URIRef("https://schema.org/Country")) in onto
    assert (FAMILY["income-guarantee"], SKOS.closeMatch, URIRef("https://schema.org/BasicIncome")) in onto
    assert (PA.implements, OWL.inverseOf, PA.implementedBy) in onto


def test_functional_properties_where_the_model_allows_one_value(onto):
    for prop in (PA.layer, PA.refArea, PA.indicator, PA.value, PA.year, PA.unit, PA.jurisdiction,
                 PA.studyDesign, PA.direction, PA.strength, PA.status, PA.gapKind, PA.severity):
        assert (prop, RDF.type, OWL.FunctionalProperty) in onto, prop
    for prop in (PA.implements, PA.targets, PA.outcome, PA.aboutInstrument, PA.contestedBy):
        assert (prop, RDF.type, OWL.FunctionalProperty) not in onto, prop


def test_every_property_has_a_domain_and_range(onto):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in onto.subjects(RDF.type, kind):
            if not str(prop).startswith(str(PA)) or prop in (PA.sourceFile, PA.sourceLine):
                continue
            assert onto.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
            assert onto.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_only_owl2_datatypes_and_no_imports(onto):
    assert not list(onto.objects(None, OWL.imports)), "owl:imports would make loaders fetch URLs"
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        rng = onto.value(prop, RDFS.range)
        if rng is not None and not isinstance(rng, BNode):
            assert rng in OWL2_RANGES, f"{prop} has range {rng}, outside the OWL 2 datatypes HermiT accepts"
    for s, p, o in onto:
        if isinstance(o, Literal) and o.datatype is not None:
            assert o.datatype in OWL2_RANGES, f"{s} {p} is typed {o.datatype}"


def test_owl2_dl_declarations_do_not_pun(onto):
    """The OWL 2 DL rules a Turtle edit most easily breaks: one kind per property, ranges of the right kind,
    every property used in an axiom declared. (OWL API's OWL2DLProfile, run by hand on ontology + KB, agrees.)"""
    kinds = {}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in onto.subjects(RDF.type, kind):
            assert prop not in kinds, f"{prop} is declared both {kinds[prop]} and {kind}"
            kinds[prop] = kind
    classes = set(onto.subjects(RDF.type, OWL.Class))
    for prop, rng in onto.subject_objects(RDFS.range):
        if kinds.get(prop) == OWL.ObjectProperty:
            assert rng in classes or isinstance(rng, BNode), f"{prop}: range {rng} is not a declared class"
        elif kinds.get(prop) == OWL.DatatypeProperty:
            assert rng in OWL2_RANGES or isinstance(rng, BNode), f"{prop}: range {rng} is not an OWL 2 datatype"
    builtin = (str(RDF), str(RDFS), str(OWL))
    for _, p, _ in onto:
        if not str(p).startswith(builtin):
            assert p in kinds, f"{p} is used but not declared as a property"

