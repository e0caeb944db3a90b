"""Evaluator findings as RDF, with the ontology's `pa:Finding`, so researchers can query them with SPARQL.

Each evaluation becomes a `pa:Bundle` (`pa:hasInstrument`, `pa:forCountry`; for a country's current
programmes the bundle is `bundle:<ISO3>-current`; an empty set of instruments is no bundle, and its findings
have no `pa:ofBundle`) and each finding a `pa:Finding` with `pa:rule`,
`pa:gapKind`, `pa:severity`, `pa:message` in English and Chinese, `pa:concernsInstrument`,
`pa:concernsTargetGroup`, `pa:aboutCountry`, `pa:ofBundle` and `dcterms:source` for every source the rule
rests on (properties as in docs/contracts.md). Rules appear as `pa:Rule` individuals with their bilingual
titles, so a query can group findings by rule.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS

from policyatlas.core.namespaces import BUNDLE, COUNTRY, FINDING, GAP, GROUP, INSTRUMENT, PA, RULE, SOURCE, bind_all


def findings_graph(evaluations) -> Graph:
    """One graph with the bundles and findings of the evaluations (an iterable of `Evaluation`)."""
    g = Graph()
    bind_all(g)
    for ev in evaluations:
        bundle = BUNDLE[ev.bundle_id] if ev.bundle else None  # an empty mix is not a pa:Bundle
        if bundle is not None:
            g.add((bundle, RDF.type, PA.Bundle))
            g.add((bundle, PA.forCountry, COUNTRY[ev.country]))
            for iid in ev.bundle:
                g.add((bundle, PA.hasInstrument, INSTRUMENT[iid]))
        for f in ev.findings:
            node = FINDING[f.id]
            g.add((node, RDF.type, PA.Finding))
            g.add((node, PA.rule, RULE[f.rule]))
            g.add((RULE[f.rule], RDF.type, PA.Rule))
            g.add((RULE[f.rule], PA.gapKind, GAP[f.gap]))
            for lang, title in f.title.items():
                g.add((RULE[f.rule], RDFS.label, Literal(title, lang=lang)))
            g.add((node, PA.gapKind, GAP[f.gap]))
            g.add((node, PA.severity, Literal(f.severity)))
            for lang, text in f.message.items():
                g.add((node, PA.message, Literal(text, lang=lang)))
            for iid in f.instruments:
                g.add((node, PA.concernsInstrument, INSTRUMENT[iid]))
            for gid in f.target_groups:
                g.add((node, PA.concernsTargetGroup, GROUP[gid]))
            g.add((node, PA.aboutCountry, COUNTRY[f.country]))
            if bundle is not None:
                g.add((node, PA.ofBundle, bundle))
            for src in f.references:
                g.add((node, DCTERMS.source, SOURCE[src]))
    return g
