"""Compiling checked KB records into RDF, in the vocabulary of `ontology/policyatlas.ttl`.

Every entity and observation gets `pa:sourceFile` and `pa:sourceLine` (the file and line it was written in)
and `dcterms:source` (the source ids behind it), so each fact can be traced back to both. No blank nodes:
every node has an IRI, which keeps the output deterministic and the N-Triples sortable.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from policyatlas.core.namespaces import (
    COUNTRY,
    CPSV,
    EVIDENCE,
    FAMILY,
    GROUP,
    INDICATOR,
    INSTRUMENT,
    LAYER,
    OBS,
    PA,
    PROGRAMME,
    RELATION,
    SCHEMA,
    SOURCE,
    VOCAB,
    bind_all,
)
from policyatlas.kb import vocab
from policyatlas.kb.baseline_compile import baseline_locations, baseline_triples
from policyatlas.kb.loader import KBSource, Record

RELATION_PROPERTY = {c["id"]: PA[c["property"]] for c in vocab.concepts("relation")}


def _dec(value) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _int(value) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def _str(value) -> Literal:
    return Literal(str(value))


def _bool(value: bool) -> Literal:
    return Literal(bool(value), datatype=XSD.boolean)


def _day(value: dt.date) -> Literal:
    """A calendar day as midnight UTC (xsd:dateTime: OWL 2, and so HermiT, has no xsd:date)."""
    stamp = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return Literal(stamp.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


class _Compiler:
    def __init__(self, kb: KBSource):
        self.kb = kb
        self.g = Graph()
        bind_all(self.g)

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def provenance(self, node: URIRef, rec: Record) -> None:
        self.add(node, PA.sourceFile, _str(rec.path))
        self.add(node, PA.sourceLine, _int(rec.line))

    def sources(self, node: URIRef, ids) -> None:
        for sid in ids or []:
            self.add(node, DCTERMS.source, SOURCE[sid])

    def bilingual(self, node: URIRef, prop, value: dict) -> None:
        for lang in ("en", "zh"):
            if value.get(lang):
                self.add(node, prop, Literal(value[lang].strip(), lang=lang))

    def run(self) -> Graph:
        self.countries()
        self.indicators_and_figures()
        steps = (("sources", self.source), ("target-groups", self.target_group), ("instruments", self.instrument),
                 ("programmes", self.programme), ("evidence", self.evidence))
        for folder, compile_one in steps:
            for rec in self.kb.records.get(folder, {}).values():
                try:
                    compile_one(rec)
                except (KeyError, TypeError, AttributeError, ValueError):
                    # A record with format problems (already reported by the loader) is compiled only as
                    # far as it goes, so that the other checks can still run on the rest of the KB.
                    continue
        for triple in baseline_triples(self.kb):
            self.g.add(triple)
        return self.g

    def countries(self) -> None:
        for code, rec in self.kb.countries.items():
            d = rec.data
            node = COUNTRY[code]
            self.add(node, RDF.type, PA.SupranationalJurisdiction if d["supranational"] else PA.Country)
            self.add(node, PA.iso3, _str(code))
            self.add(node, RDFS.label, Literal(d["name_en"], lang="en"))
            if d["name_zh"]:
                self.add(node, RDFS.label, Literal(d["name_zh"], lang="zh"))
            if d["wb_region"]:
                self.add(node, PA.worldBankRegion, _str(d["wb_region"]))
            if d["income_group"]:
                self.add(node, PA.incomeGroup, VOCAB[f"income-{d['income_group']}"])
            for col, prop in (("un_member", PA.unMember), ("g20_member", PA.g20Member),
                              ("global_south", PA.globalSouth)):
                if d.get(col) is not None:
                    self.add(node, prop, _bool(d[col]))
            self.sources(node, [d["source"]] if d["source"] else [])
            self.provenance(node, rec)
        for rec in self.kb.memberships:
            self.add(COUNTRY[rec.data["iso3"]], PA.memberOf, COUNTRY[rec.data["member_of"]])

    def indicators_and_figures(self) -> None:
        for rec in self.kb.records.get("indicators", {}).values():
            d = rec.data
            node = INDICATOR[rec.id]
            self.add(node, RDF.type, PA.Indicator)
            self.bilingual(node, RDFS.label, d["label"])
            self.bilingual(node, SKOS.definition, d["definition"])
            self.add(node, PA.unit, _str(d["unit"]))
            self.sources(node, d.get("sources"))
            self.provenance(node, rec)
        for rec in self.kb.figures:
            d = rec.data
            node = OBS[f"{d['iso3']}-{d['indicator']}-{d['year']}"]
            self.add(node, RDF.type, PA.Observation)
            self.add(node, PA.refArea, COUNTRY[d["iso3"]])
            self.add(node, PA.indicator, INDICATOR[d["indicator"]])
            self.add(node, PA.value, _dec(d["value"]))
            self.add(node, PA.year, _int(d["year"]))
            self.add(node, PA.unit, _str(d["unit"]))
            if d["flag"]:
                self.add(node, PA.flag, _str(d["flag"]))
            self.sources(node, [d["source"]])
            self.provenance(node, rec)

    def source(self, rec: Record) -> None:
        d = rec.data
        node = SOURCE[rec.id]
        self.add(node, RDF.type, PA.Source)
        self.add(node, DCTERMS.title, _str(d["title"]))
        for author in d.get("authors") or []:
            self.add(node, DCTERMS.creator, _str(author))
        if d.get("publisher"):
            self.add(node, DCTERMS.publisher, _str(d["publisher"]))
        if d.get("year") is not None:
            self.add(node, PA.year, _int(d["year"]))
        if d.get("doi"):
            self.add(node, PA.doi, _str(d["doi"]))
        if d.get("url"):
            self.add(node, SCHEMA.url, Literal(d["url"], datatype=XSD.anyURI))
        accessed = d["accessed"]
        if isinstance(accessed, dt.date):
            self.add(node, PA.accessed, _day(accessed))
        self.add(node, PA.sourceType, _str(d["type"]))
        if d.get("corrects"):
            self.add(node, PA.correctsCitation, _str(d["corrects"]))
        if d.get("notes"):
            self.add(node, RDFS.comment, Literal(d["notes"], lang="en"))
        self.provenance(node, rec)

    def target_group(self, rec: Record) -> None:
        d = rec.data
        node = GROUP[rec.id]
        self.add(node, RDF.type, PA.TargetGroup)
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.inScheme, PA.TargetGroupScheme)
        self.bilingual(node, RDFS.label, d["label"])
        self.bilingual(node, SKOS.prefLabel, d["label"])
        self.bilingual(node, SKOS.definition, d["definition"])
        if d.get("size_indicator"):
            self.add(node, PA.sizeIndicator, INDICATOR[d["size_indicator"]])
        self.sources(node, d.get("sources"))
        self.provenance(node, rec)

    def instrument(self, rec: Record) -> None:
        d = rec.data
        node = INSTRUMENT[rec.id]
        self.add(node, RDF.type, PA.PolicyInstrument)
        self.bilingual(node, RDFS.label, d["label"])
        self.bilingual(node, SKOS.definition, d["definition"])
        self.add(node, PA.layer, LAYER[d["layer"]])
        self.add(node, PA.family, FAMILY[d["family"]])
        self.add(node, PA.toolType, VOCAB[f"tool-{d['tool_type']}"])
        for gid in d.get("target_groups") or []:
            self.add(node, PA.targets, GROUP[gid])
        if d.get("stip_code"):
            self.add(node, PA.stipCode, _str(d["stip_code"]))
        for rel in d.get("relations") or []:
            target = INSTRUMENT[rel["target"]]
            self.add(node, RELATION_PROPERTY[rel["kind"]], target)
            rnode = RELATION[f"{rec.id}-{rel['kind']}-{rel['target']}"]
            self.add(rnode, RDF.type, PA.InstrumentRelation)
            self.add(rnode, PA.relationSubject, node)
            self.add(rnode, PA.relationObject, target)
            self.add(rnode, PA.relationKind, _str(rel["kind"]))
            self.add(rnode, PA.reason, Literal(rel["reason"], lang="en"))
            self.sources(rnode, rel.get("sources"))
            self.add(rnode, PA.sourceFile, _str(rec.path))
            self.add(rnode, PA.sourceLine, _int(rec.line))
        self.sources(node, d.get("sources"))
        self.provenance(node, rec)

    def programme(self, rec: Record) -> None:
        d = rec.data
        node = PROGRAMME[rec.id]
        self.add(node, RDF.type, PA.PolicyProgramme)
        self.add(node, RDF.type, CPSV.PublicService)
        self.add(node, RDFS.label, Literal(d["name"]["en"], lang="en"))
        if d["name"].get("local"):
            self.add(node, PA.localName, _str(d["name"]["local"]))
        self.add(node, PA.jurisdiction, COUNTRY[d["jurisdiction"]])
        for iid in d["instruments"]:
            self.add(node, PA.implements, INSTRUMENT[iid])
        if d.get("start_year") is not None:
            self.add(node, PA.startYear, _int(d["start_year"]))
        if d.get("end_year") is not None:
            self.add(node, PA.endYear, _int(d["end_year"]))
        self.add(node, PA.status, VOCAB[f"status-{d['status']}"])
        self.add(node, PA.implementer, VOCAB[f"implementer-{d['implementer']}"])
        self.add(node, PA.scale, VOCAB[f"scale-{d['scale']}"])
        for branch in d.get("branches") or []:
            self.add(node, PA.paysBranch, VOCAB[f"branch-{branch}"])
        if isinstance(d.get("applies_from"), dt.date):
            self.add(node, PA.appliesFrom, _day(d["applies_from"]))
        for gid in d.get("target_groups") or []:
            self.add(node, PA.targets, GROUP[gid])
        reach = d.get("beneficiaries") or {}
        for key, prop, lit in (("text", PA.scaleText, _str), ("number", PA.beneficiaries, _dec),
                               ("unit", PA.beneficiaryUnit, _str), ("year", PA.scaleYear, _int)):
            if reach.get(key) not in (None, ""):
                self.add(node, prop, lit(reach[key]))
        if reach.get("source"):
            self.add(node, PA.beneficiarySource, SOURCE[reach["source"]])
        coverage = d.get("coverage_pct") or {}
        for key, prop, lit in (("value", PA.coveragePct, _dec), ("of", PA.coverageOf, _str),
                               ("year", PA.coverageYear, _int)):
            if coverage.get(key) not in (None, ""):
                self.add(node, prop, lit(coverage[key]))
        if coverage.get("source"):
            self.add(node, PA.coverageSource, SOURCE[coverage["source"]])
        cost = d.get("cost") or {}
        if cost.get("text"):
            self.add(node, PA.costText, _str(cost["text"]))
        if cost.get("year") is not None:
            self.add(node, PA.costYear, _int(cost["year"]))
        for key, prop in (("responsible_body", PA.responsibleBody), ("legal_basis", PA.legalBasis)):
            if d.get(key):
                self.add(node, prop, _str(d[key]))
        self.add(node, PA.confirmation, _str(d["confirmation"]))
        if isinstance(d.get("last_verified"), dt.date):
            self.add(node, PA.lastVerified, _day(d["last_verified"]))
        if d.get("notes"):
            self.add(node, RDFS.comment, Literal(d["notes"], lang="en"))
        for lang, text in (d.get("summary") or {}).items():
            self.add(node, DCTERMS.abstract, Literal(text, lang=lang))
        self.sources(node, d.get("sources"))
        self.provenance(node, rec)

    def evidence(self, rec: Record) -> None:
        d = rec.data
        node = EVIDENCE[rec.id]
        self.add(node, RDF.type, PA.Evidence)
        for iid in d.get("instruments") or []:
            self.add(node, PA.aboutInstrument, INSTRUMENT[iid])
        for pid in d.get("programmes") or []:
            self.add(node, PA.aboutProgramme, PROGRAMME[pid])
        self.add(node, PA.studyDesign, VOCAB[f"design-{d['design']}"])
        for outcome in d["outcomes"]:
            self.add(node, PA.outcome, VOCAB[f"outcome-{outcome}"])
        self.add(node, PA.direction, VOCAB[f"direction-{d['direction']}"])
        for key, prop in (("finding", PA.finding), ("magnitude", PA.magnitude), ("population", PA.population),
                          ("unconfirmed", PA.unconfirmed)):
            if d.get(key):  # English as written; Chinese: the project's translation (`finding_zh`, ...)
                self.add(node, prop, Literal(d[key], lang="en"))
                if d.get(f"{key}_zh"):
                    self.add(node, prop, Literal(d[f"{key}_zh"], lang="zh"))
        for code in d["setting_countries"]:
            self.add(node, PA.settingCountry, COUNTRY[code])
        self.add(node, PA.strength, VOCAB[f"strength-{d['strength']}"])
        for other in d.get("contested_by") or []:
            self.add(node, PA.contestedBy, EVIDENCE[other])
        self.add(node, PA.confirmation, _str(d["confirmation"]))
        for n, effect in enumerate(d.get("effects") or [], start=1):
            self.effect(node, EVIDENCE[f"{rec.id}-effect-{n}"], effect)
        self.sources(node, d.get("sources"))
        self.provenance(node, rec)

    def effect(self, evidence, node, e: dict) -> None:
        """One structured effect size of an evidence record (the simulator's parameters)."""
        self.add(evidence, PA.hasEffect, node)
        self.add(node, RDF.type, PA.EffectEstimate)
        self.add(node, PA.effectOutcome, VOCAB[f"outcome-{e['outcome']}"])
        self.add(node, PA.effectMetric, VOCAB[f"metric-{e['metric']}"])
        self.add(node, PA.estimate, _dec(e["estimate"]))
        for key, prop in (("low", PA.estimateLow), ("high", PA.estimateHigh)):
            if e.get(key) is not None:
                self.add(node, prop, _dec(e[key]))
        if e.get("horizon_months") is not None:
            self.add(node, PA.horizonMonths, _int(e["horizon_months"]))
        self.add(node, PA.effectPopulation, _str(e["population"]))
        self.add(node, PA.conversion, _str(e["conversion"]))


def compile_kb(kb: KBSource) -> Graph:
    """The KB (ABox) as an rdflib graph; call only on a KB without problems."""
    return _Compiler(kb).run()


def node_locations(kb: KBSource) -> dict[str, tuple[str, int]]:
    """IRI of every compiled node → (file, line), so SHACL and QC results can point at the source."""
    out: dict[str, tuple[str, int]] = {}
    for code, rec in kb.countries.items():
        out[str(COUNTRY[code])] = (rec.path, rec.line)
    ns = {"sources": SOURCE, "indicators": INDICATOR, "target-groups": GROUP, "instruments": INSTRUMENT,
          "programmes": PROGRAMME, "evidence": EVIDENCE}
    for folder, records in kb.records.items():
        for rid, rec in records.items():
            out[str(ns[folder][rid])] = (rec.path, rec.line)
            if folder == "evidence":
                effects = rec.data.get("effects") or []
                for n, effect in enumerate(effects, start=1):
                    out[str(EVIDENCE[f"{rid}-effect-{n}"])] = (rec.path, getattr(effect, "line", rec.line))
            if folder == "instruments":
                for rel in rec.data.get("relations") or []:
                    if isinstance(rel, dict):
                        key = f"{rid}-{rel.get('kind')}-{rel.get('target')}"
                        out[str(RELATION[key])] = (rec.path, getattr(rel, "line", rec.line))
    for rec in kb.figures:
        d = rec.data
        out[str(OBS[f"{d['iso3']}-{d['indicator']}-{d['year']}"])] = (rec.path, rec.line)
    out.update(baseline_locations(kb))
    return out


def canonical_ntriples(graph: Graph) -> str:
    """N-Triples with canonical blank-node labels (the ontology's OWL lists and restrictions) and sorted
    lines: the same graph always gives the same bytes."""
    text = to_canonical_graph(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"

