"""A small valid KB graph in the IRIs of docs/contracts.md, and ways to break it, for the ontology tests.

The sample is what `policyatlas build` compiles from kb/ (one country with an observation, an indicator, two
instruments with a reified relation, a programme, two evidence records that contest each other, sources),
written by hand so that the ontology, shape and QC tests do not depend on the state of kb/.
"""

from __future__ import annotations

from rdflib import Graph

from policyatlas.core.namespaces import bind_all

PREFIXES = """
@prefix pa: <https://w3id.org/policyatlas/ontology#> .
@prefix country: <https://w3id.org/policyatlas/kb/country/> .
@prefix instrument: <https://w3id.org/policyatlas/kb/instrument/> .
@prefix programme: <https://w3id.org/policyatlas/kb/programme/> .
@prefix evidence: <https://w3id.org/policyatlas/kb/evidence/> .
@prefix source: <https://w3id.org/policyatlas/kb/source/> .
@prefix group: <https://w3id.org/policyatlas/kb/target-group/> .
@prefix indicator: <https://w3id.org/policyatlas/kb/indicator/> .
@prefix obs: <https://w3id.org/policyatlas/kb/observation/> .
@prefix relation: <https://w3id.org/policyatlas/kb/relation/> .
@prefix layer: <https://w3id.org/policyatlas/kb/layer/> .
@prefix family: <https://w3id.org/policyatlas/kb/family/> .
@prefix vocab: <https://w3id.org/policyatlas/kb/vocab/> .
@prefix cpsv: <http://purl.org/vocab/cpsv#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

VALID = PREFIXES + """
country:KEN a pa:Country ; pa:iso3 "KEN" ; rdfs:label "Kenya"@en , "肯尼亚"@zh ;
    pa:worldBankRegion "Sub-Saharan Africa" ; pa:incomeGroup vocab:income-LMC ;
    pa:unMember true ; pa:g20Member false ; pa:globalSouth true ; dcterms:source source:wb-class ;
    pa:sourceFile "kb/countries/countries.csv" ; pa:sourceLine 2 .
country:EUU a pa:SupranationalJurisdiction ; pa:iso3 "EUU" ; rdfs:label "European Union"@en , "欧洲联盟"@zh ;
    pa:unMember false ; pa:g20Member true ; pa:globalSouth false ; dcterms:source source:wb-class .

indicator:informal-employment-share a pa:Indicator ;
    rdfs:label "informal employment share"@en , "非正规就业比重"@zh ;
    skos:definition "Informal employment as a share of total employment."@en ;
    pa:unit "percent of total employment" ; dcterms:source source:ilostat .
obs:KEN-informal-employment-share-2024 a pa:Observation ;
    pa:refArea country:KEN ; pa:indicator indicator:informal-employment-share ;
    pa:value 83.5 ; pa:year 2024 ; pa:unit "percent of total employment" ; dcterms:source source:ilostat ;
    pa:sourceFile "kb/figures/informal-employment-share.csv" ; pa:sourceLine 9 .

instrument:digital-financial-inclusion a pa:PolicyInstrument ;
    rdfs:label "digital financial inclusion"@en , "数字普惠金融"@zh ;
    skos:definition "Access to payments and savings through mobile money."@en , "通过移动货币获得支付与储蓄服务。"@zh ;
    pa:layer layer:cross-cutting ; pa:family family:digital-inclusion ; pa:toolType vocab:tool-organisation ;
    pa:targets group:informal-workers ; pa:prerequisiteOf instrument:targeted-cash-transfer ;
    dcterms:source source:suri-jack-2016 .
instrument:targeted-cash-transfer a pa:PolicyInstrument ;
    rdfs:label "targeted cash transfer"@en , "定向现金转移"@zh ;
    skos:definition "Cash paid to households selected by need."@en , "按需要甄别家庭并发放现金。"@zh ;
    pa:layer layer:base ; pa:family family:social-assistance ; pa:toolType vocab:tool-treasure ;
    pa:targets group:informal-workers ; dcterms:source source:suri-jack-2016 .
relation:digital-financial-inclusion-prerequisite-of-targeted-cash-transfer a pa:InstrumentRelation ;
    pa:relationSubject instrument:digital-financial-inclusion ;
    pa:relationObject instrument:targeted-cash-transfer ; pa:relationKind "prerequisite-of" ;
    pa:reason "Digital payment needs accounts."@en ; dcterms:source source:suri-jack-2016 .

programme:ken-m-pesa a pa:PolicyProgramme , cpsv:PublicService ; rdfs:label "M-Pesa"@en ;
    pa:jurisdiction country:KEN ; pa:implements instrument:digital-financial-inclusion ;
    pa:startYear 2007 ; pa:status vocab:status-active ; pa:targets group:informal-workers ;
    pa:implementer vocab:implementer-private ; pa:scale vocab:scale-national ;
    pa:lastVerified "2026-11-27T00:00:00Z"^^xsd:dateTime ;
    pa:beneficiaries 30000000 ; pa:beneficiaryUnit "people" ; pa:scaleYear 2023 ;
    pa:beneficiarySource source:suri-jack-2016 ;
    pa:responsibleBody "Safaricom" ; pa:confirmation "confirmed" ; dcterms:source source:suri-jack-2016 ;
    pa:sourceFile "kb/programmes/ken-m-pesa.yaml" ; pa:sourceLine 1 .

evidence:suri-jack-2016-m-pesa a pa:Evidence ; pa:aboutProgramme programme:ken-m-pesa ;
    pa:aboutInstrument instrument:digital-financial-inclusion ;
    pa:studyDesign vocab:design-quasi-experimental ; pa:outcome vocab:outcome-poverty ;
    pa:direction vocab:direction-positive ; pa:finding "Access to M-Pesa lifted households out of poverty."@en ;
    pa:finding "使用 M-Pesa 使家庭摆脱了贫困。"@zh ;
    pa:population "Kenyan households"@en , "肯尼亚家庭"@zh ; pa:settingCountry country:KEN ;
    pa:strength vocab:strength-moderate ;
    pa:contestedBy evidence:bateman-2019-m-pesa ; pa:confirmation "confirmed" ; dcterms:source source:suri-jack-2016 .
evidence:bateman-2019-m-pesa a pa:Evidence ; pa:aboutProgramme programme:ken-m-pesa ;
    pa:studyDesign vocab:design-descriptive ; pa:outcome vocab:outcome-poverty ;
    pa:direction vocab:direction-null ; pa:finding "Disputes the poverty claim."@en ;
    pa:population "Kenyan households"@en ; pa:settingCountry country:KEN ; pa:strength vocab:strength-low ;
    pa:contestedBy evidence:suri-jack-2016-m-pesa ; pa:confirmation "confirmed" ; dcterms:source source:bateman-2019 .

source:suri-jack-2016 a pa:Source ; dcterms:title "The long-run poverty and gender impacts of mobile money" ;
    dcterms:creator "Tavneet Suri" , "William Jack" ; pa:year 2016 ; pa:doi "10.1126/science.aah5309" ;
    pa:accessed "2026-11-27T00:00:00Z"^^xsd:dateTime ; pa:sourceType "article" .
source:bateman-2019 a pa:Source ; dcterms:title "A post-Washington consensus approach to local economic development" ;
    dcterms:creator "Milford Bateman" ; pa:year 2019 ; schema:url "https://example.org/bateman"^^xsd:anyURI ;
    pa:accessed "2026-11-27T00:00:00Z"^^xsd:dateTime ; pa:sourceType "article" ;
    pa:correctsCitation "Bateman 2018" .
source:wb-class a pa:Source ; dcterms:title "World Bank Country and Lending Groups" ; dcterms:publisher "World Bank" ;
    pa:year 2025 ; schema:url "https://datahelpdesk.worldbank.org/"^^xsd:anyURI ;
    pa:accessed "2026-11-27T00:00:00Z"^^xsd:dateTime ; pa:sourceType "dataset" .
source:ilostat a pa:Source ; dcterms:title "ILOSTAT informal employment rate" ; dcterms:publisher "ILO" ;
    pa:year 2025 ; schema:url "https://ilostat.ilo.org/"^^xsd:anyURI ;
    pa:accessed "2026-11-27T00:00:00Z"^^xsd:dateTime ; pa:sourceType "dataset" .
"""


# kb/target-groups/ defines the 11 canonical groups (the ontology only labels them); the sample does too.
GROUP_IDS = ["older-workers", "low-education-workers", "women", "youth", "informal-workers", "platform-workers",
             "long-term-unemployed", "high-ai-exposure-workers", "rural-workers", "persons-with-disabilities",
             "developing-country-workers"]
VALID += "".join(
    f'group:{gid} a pa:TargetGroup ; skos:inScheme pa:TargetGroupScheme ;\n'
    f'    skos:definition "The {gid.replace("-", " ")} of the test sample."@en , "测试样例中的{gid}。"@zh ;\n'
    f'    dcterms:source source:ilostat ; pa:sourceFile "kb/target-groups/{gid}.yaml" ; pa:sourceLine 1 .\n'
    for gid in GROUP_IDS)


def sample(extra: str = "", drop: str = "") -> Graph:
    """The valid sample, plus the Turtle triples in `extra`, minus those in `drop` (same prefixes)."""
    graph = Graph().parse(data=VALID, format="turtle")
    if extra:
        graph += Graph().parse(data=PREFIXES + extra, format="turtle")
    if drop:
        graph -= Graph().parse(data=PREFIXES + drop, format="turtle")
    bind_all(graph)
    return graph
