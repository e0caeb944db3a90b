"""Compiling `kb/baseline/` records (see policyatlas.kb.baseline_loader) into RDF, in the terms of the
"Baseline" block of `ontology/policyatlas.ttl`. Kept apart from policyatlas.kb.compile so that the programme and
baseline parts of the KB can change independently."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from policyatlas.core.namespaces import COUNTRY, GROUP, OBS, PA, SOURCE, VOCAB
from policyatlas.kb.loader import KBSource, Record


def scheme_node(iso3: str, branch: str) -> URIRef:
    return OBS[f"{iso3}-scheme-{branch}"]


def coverage_node(d: dict) -> URIRef:
    return OBS[f"{d['iso3']}-coverage-{d['branch']}-{d['year']}-{d['source']}"]


def size_node(rec: Record) -> URIRef:
    d = rec.data
    # one size per economy, group, year and set of sources; the line keeps two estimates apart
    return OBS[f"{d['iso3']}-size-{d['group']}-{d['year']}-l{rec.line}"]


def baseline_triples(kb: KBSource):
    """Every triple of the baseline records, with provenance (file and line) and sources."""
    def common(node, rec: Record, cls, sources):
        yield node, RDF.type, cls
        yield node, PA.baselineArea, COUNTRY[rec.data["iso3"]]
        yield node, PA.sourceFile, Literal(rec.path)
        yield node, PA.sourceLine, Literal(rec.line, datatype=XSD.integer)
        for sid in sources:
            yield node, DCTERMS.source, SOURCE[sid]

    for rec in kb.schemes:
        d = rec.data
        node = scheme_node(d["iso3"], d["branch"])
        yield from common(node, rec, PA.SchemeStatus, d["sources"])
        yield node, PA.branch, VOCAB[f"branch-{d['branch']}"]
        yield node, PA.schemeExists, Literal(d["exists"])
        if d["kind"]:
            yield node, PA.schemeKind, VOCAB[f"scheme-kind-{d['kind']}"]
        if d["since"] is not None:
            yield node, PA.firstLawYear, Literal(d["since"], datatype=XSD.integer)
        yield node, PA.basis, Literal(d["basis"])
    for rec in kb.coverage:
        d = rec.data
        node = coverage_node(d)
        yield from common(node, rec, PA.CoverageObservation, [d["source"]])
        yield node, PA.branch, VOCAB[f"branch-{d['branch']}"]
        yield node, PA.coverage, Literal(Decimal(str(d["value"])), datatype=XSD.decimal)
        yield node, PA.dataYear, Literal(d["year"], datatype=XSD.integer)
        if d["flag"]:
            yield node, PA.baselineFlag, Literal(d["flag"])
    for rec in kb.group_sizes:
        d = rec.data
        node = size_node(rec)
        yield from common(node, rec, PA.GroupSize, d["sources"])
        yield node, PA.populationGroup, GROUP[d["group"]]
        yield node, PA.people, Literal(Decimal(str(round(d["people"]))), datatype=XSD.decimal)
        yield node, PA.dataYear, Literal(d["year"], datatype=XSD.integer)
        yield node, PA.imputed, Literal(d["imputed"], datatype=XSD.boolean)
        yield node, PA.sourceList, Literal("; ".join(d["sources"]))
        if d["method"]:
            yield node, PA.imputationMethod, Literal(d["method"])
        if d["flag"]:
            yield node, PA.baselineFlag, Literal(d["flag"])


def baseline_locations(kb: KBSource) -> dict[str, tuple[str, int]]:
    out = {}
    for rec in kb.schemes:
        out[str(scheme_node(rec.data["iso3"], rec.data["branch"]))] = (rec.path, rec.line)
    for rec in kb.coverage:
        out[str(coverage_node(rec.data))] = (rec.path, rec.line)
    for rec in kb.group_sizes:
        out[str(size_node(rec))] = (rec.path, rec.line)
    return out
