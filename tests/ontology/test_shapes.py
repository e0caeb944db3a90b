"""SHACL shapes: the valid sample conforms; each kind of mistake is caught under its stable rule name, with a
message that says how to fix it. pySHACL is called as `policyatlas validate` calls it.

Run: .venv/bin/python -m pytest tests/ontology/test_shapes.py
"""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from policyatlas.core.namespaces import PA
from policyatlas.kb.validate import shacl_problems
from tests.conftest import ROOT
from tests.ontology.sample_kb import sample

SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "policyatlas.ttl"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def violations(data: Graph, shapes: Graph) -> list[tuple[str, str, str]]:
    """(focus node, rule name, message) of every result, the rule name read as validate reads it."""
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                           allow_warnings=True)
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        out.append((str(report.value(result, SH.focusNode)), str(shapes.value(shape, PA.ruleId)),
                    str(report.value(result, SH.resultMessage))))
    assert conforms == (not out)
    return out


def test_valid_sample_conforms(shapes, ontology):
    assert violations(sample() + ontology, shapes) == []


def test_every_shape_has_a_rule_name_and_a_message(shapes):
    constrained = set(shapes.subjects(SH.path, None)) | set(shapes.subjects(RDF.type, SH.NodeShape))
    for shape in constrained:
        if (shape, SH.property, None) in shapes and (shape, SH["or"], None) not in shapes:
            assert shapes.value(shape, PA.ruleId), f"{shape} has no pa:ruleId"
            continue
        if not str(shape).startswith("https://w3id.org/policyatlas/shapes#"):
            continue  # anonymous value shapes inside sh:or / sh:node
        if shape.endswith(("EnglishText", "ChineseText", "AnyJurisdiction", "Number")):
            continue
        assert shapes.value(shape, PA.ruleId), f"{shape} has no pa:ruleId"
        messages = [m for m in shapes.objects(shape, SH.message) if m.language == "en"]
        assert len(messages) == 1, f"{shape} needs exactly one English sh:message"


# (what is wrong, Turtle to add, Turtle to remove, focus node, rule name, word in the message)
CASES = [
    ("instrument in two layers", "instrument:targeted-cash-transfer pa:layer layer:top .", "",
     "instrument/targeted-cash-transfer", "instrument-layer", "layer"),
    ("instrument without Chinese label", "",
     'instrument:targeted-cash-transfer rdfs:label "定向现金转移"@zh .',
     "instrument/targeted-cash-transfer", "instrument-label-zh", "Chinese"),
    ("instrument with two English labels", 'instrument:targeted-cash-transfer rdfs:label "cash"@en .', "",
     "instrument/targeted-cash-transfer", "instrument-label-en", "English"),
    ("instrument with unknown family", "", "instrument:targeted-cash-transfer pa:family family:social-assistance .",
     "instrument/targeted-cash-transfer", "instrument-family", "family"),
    ("observation without unit", "", 'obs:KEN-informal-employment-share-2024 pa:unit "percent of total employment" .',
     "observation/KEN-informal-employment-share-2024", "observation-unit", "unit"),
    ("observation without source", "",
     "obs:KEN-informal-employment-share-2024 dcterms:source source:ilostat .",
     "observation/KEN-informal-employment-share-2024", "observation-source", "source"),
    ("observation in the future", "obs:KEN-informal-employment-share-2024 pa:year 2030 .",
     "obs:KEN-informal-employment-share-2024 pa:year 2024 .",
     "observation/KEN-informal-employment-share-2024", "observation-year", "2026"),
    ("share over 100", "obs:KEN-informal-employment-share-2024 pa:value 120.0 .",
     "obs:KEN-informal-employment-share-2024 pa:value 83.5 .",
     "observation/KEN-informal-employment-share-2024", "share-range", "between 0 and 100"),
    ("negative share", "obs:KEN-informal-employment-share-2024 pa:value -0.5 .",
     "obs:KEN-informal-employment-share-2024 pa:value 83.5 .",
     "observation/KEN-informal-employment-share-2024", "share-range", "between 0 and 100"),
    ("index above 1", """obs:KEN-ai-preparedness-index-2023 a pa:Observation ; pa:refArea country:KEN ;
         pa:indicator indicator:informal-employment-share ; pa:value 1.5 ; pa:year 2023 ; pa:unit "index 0-1" ;
         dcterms:source source:ilostat .""", "",
     "observation/KEN-ai-preparedness-index-2023", "index-range", "between 0 and 1"),
    ("programme without source", "", "programme:ken-m-pesa dcterms:source source:suri-jack-2016 .",
     "programme/ken-m-pesa", "programme-source", "sources"),
    ("programme without instrument", "", "programme:ken-m-pesa pa:implements instrument:digital-financial-inclusion .",
     "programme/ken-m-pesa", "programme-instrument", "instrument"),
    ("programme run by a source", "programme:ken-m-pesa pa:jurisdiction source:ilostat .",
     "programme:ken-m-pesa pa:jurisdiction country:KEN .",
     "programme/ken-m-pesa", "programme-jurisdiction", "jurisdiction"),
    ("active programme starting in 2028", "programme:ken-m-pesa pa:startYear 2028 .",
     "programme:ken-m-pesa pa:startYear 2007 .",
     "programme/ken-m-pesa", "programme-start-future", "planned"),
    ("evidence about nothing", "",
     """evidence:bateman-2019-m-pesa pa:aboutProgramme programme:ken-m-pesa .""",
     "evidence/bateman-2019-m-pesa", "evidence", "instruments"),
    ("evidence without design", "", "evidence:bateman-2019-m-pesa pa:studyDesign vocab:design-descriptive .",
     "evidence/bateman-2019-m-pesa", "evidence-design", "design"),
    ("evidence with an unknown direction", "evidence:bateman-2019-m-pesa pa:direction vocab:direction-up .",
     "evidence:bateman-2019-m-pesa pa:direction vocab:direction-null .",
     "evidence/bateman-2019-m-pesa", "evidence-direction", "direction"),
    ("evidence contested by a source", "evidence:bateman-2019-m-pesa pa:contestedBy source:ilostat .", "",
     "evidence/bateman-2019-m-pesa", "evidence-contested-by", "contested_by"),
    ("source with neither DOI nor URL", "", 'source:ilostat schema:url "https://ilostat.ilo.org/"^^xsd:anyURI .',
     "source/ilostat", "source", "doi"),
    ("DOI with a resolver prefix", 'source:suri-jack-2016 pa:doi "https://doi.org/10.1126/science.aah5309" .',
     'source:suri-jack-2016 pa:doi "10.1126/science.aah5309" .',
     "source/suri-jack-2016", "source-doi", "bare DOI"),
    ("source published in the future", "source:ilostat pa:year 2027 .", "source:ilostat pa:year 2025 .",
     "source/ilostat", "source-year", "2026"),
    ("source without authors or publisher", "", 'source:ilostat dcterms:publisher "ILO" .',
     "source/ilostat", "source-author", "publisher"),
    ("country without Chinese name", "", 'country:KEN rdfs:label "肯尼亚"@zh .',
     "country/KEN", "country-label-zh", "name_zh"),
    ("country with an unknown income group", "country:KEN pa:incomeGroup vocab:income-MIC .",
     "country:KEN pa:incomeGroup vocab:income-LMC .", "country/KEN", "country-income-group", "income_group"),
    ("country member of a country", "country:KEN pa:memberOf country:KEN .", "", "country/KEN",
     "country-member-of", "member_of"),
    ("target group relabelled in the KB only", 'group:informal-workers rdfs:label "informal labour"@en .', "",
     "target-group/informal-workers", "target-group-label-unique", "ontology/policyatlas.ttl"),
    ("target group file without definition", "",
     'group:youth skos:definition "The youth of the test sample."@en .',
     "target-group/youth", "target-group-definition", "definition"),
    ("relation of an unknown kind", 'relation:digital-financial-inclusion-prerequisite-of-targeted-cash-transfer '
     'pa:relationKind "helps" .', 'relation:digital-financial-inclusion-prerequisite-of-targeted-cash-transfer '
     'pa:relationKind "prerequisite-of" .', "relation/digital-financial-inclusion-prerequisite-of-targeted-cash-"
     "transfer", "relation-kind", "kind"),
    ("evidence with two Chinese findings", 'evidence:suri-jack-2016-m-pesa pa:finding "另一个结论。"@zh .', "",
     "evidence/suri-jack-2016-m-pesa", "evidence-text-language", "per language"),
    ("evidence population in a third language", 'evidence:bateman-2019-m-pesa pa:population "ménages"@fr .', "",
     "evidence/bateman-2019-m-pesa", "evidence-text-language", "Chinese"),
    ("programme with two English summaries", 'programme:ken-m-pesa dcterms:abstract "One."@en , "Two."@en .', "",
     "programme/ken-m-pesa", "programme-summary", "per language"),
]


@pytest.mark.parametrize("what, extra, drop, focus, rule, word", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_caught_under_its_rule(shapes, ontology, what, extra, drop, focus, rule, word):
    found = violations(sample(extra=extra, drop=drop) + ontology, shapes)
    hits = [(f, r, m) for f, r, m in found if f.endswith(focus) and r == rule]
    assert hits, f"{what}: expected rule {rule} on {focus}, got {found}"
    assert all(word in m for _, _, m in hits), f"{what}: the message should say {word!r}: {hits}"


def test_planned_programme_may_start_after_2026(shapes, ontology):
    data = sample(extra="programme:ken-m-pesa pa:startYear 2028 ; pa:status vocab:status-planned .",
                  drop="programme:ken-m-pesa pa:startYear 2007 ; pa:status vocab:status-active .")
    assert violations(data + ontology, shapes) == []


def test_debt_above_100_percent_of_gdp_is_not_a_share(shapes, ontology):
    data = sample(extra="""obs:JPN-gen-gov-gross-debt-2024 a pa:Observation ; pa:refArea country:KEN ;
        pa:indicator indicator:informal-employment-share ; pa:value 236.7 ; pa:year 2024 ;
        pa:unit "percent of GDP" ; dcterms:source source:ilostat .""")
    assert [v for v in violations(data + ontology, shapes) if v[1] == "share-range"] == []


def test_validate_reports_the_rule_names(ontology):
    """Through the project's own SHACL step (policyatlas.kb.validate), a violation carries the shape's rule."""
    data = sample(extra="instrument:targeted-cash-transfer pa:layer layer:top .") + ontology
    locations = {"https://w3id.org/policyatlas/kb/instrument/targeted-cash-transfer":
                 ("kb/instruments/targeted-cash-transfer.yaml", 1)}
    problems = shacl_problems(data, locations)
    assert [(p.path, p.line, p.rule) for p in problems] == [
        ("kb/instruments/targeted-cash-transfer.yaml", 1, "instrument-layer")]
