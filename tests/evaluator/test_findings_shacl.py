"""Findings written as RDF conform to the ontology's SHACL shapes for pa:Finding and pa:Bundle."""

from __future__ import annotations

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH

from evaluator.assess.engine import evaluate
from evaluator.assess.findings_rdf import findings_graph
from policyatlas.core.namespaces import COUNTRY, INSTRUMENT, PA
from policyatlas.core.paths import ONTOLOGY_DIR

KEEP = {PA.Finding, PA.Bundle}


def _finding_shapes() -> Graph:
    """The project's shapes, targeting only findings and bundles (the KB itself is checked by validate)."""
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    for s, _, cls in list(shapes.triples((None, SH.targetClass, None))):
        if cls not in KEEP:
            shapes.remove((s, SH.targetClass, cls))
    return shapes


def test_findings_conform_to_the_finding_and_bundle_shapes(kb_atlas):
    evaluations = [evaluate(kb_atlas, "KEN", ["targeted-cash-transfer"]), evaluate(kb_atlas, "DEU"),
                   evaluate(kb_atlas, "ABW")]
    data = findings_graph(evaluations)
    facts = kb_atlas.facts
    for iid in facts.instruments:
        data.add((INSTRUMENT[iid], RDF.type, PA.PolicyInstrument))
    for iso3 in ("KEN", "DEU", "ABW"):
        data.add((COUNTRY[iso3], RDF.type, PA.Country))
    conforms, _, text = pyshacl.validate(data, shacl_graph=_finding_shapes(), inference="none")
    assert conforms, text
    assert len(list(data.subjects(RDF.type, PA.Finding))) == sum(len(e.findings) for e in evaluations)
    # Aruba has no programme in the KB: its findings exist, but no empty pa:Bundle does
    assert (None, PA.forCountry, COUNTRY.ABW) not in data
