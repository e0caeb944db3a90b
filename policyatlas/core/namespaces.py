"""The IRIs of Policy Atlas as rdflib namespaces (see docs/contracts.md); the plain strings and the SPARQL
prologue live in `policyatlas.core.prefixes` (no rdflib), re-exported here."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

from policyatlas.core.prefixes import BASE, KB, PREFIXES, prologue

__all__ = ["BASE", "KB", "PREFIXES", "prologue", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SDO", "SH", "SKOS", "XSD"]

PA = Namespace(BASE + "ontology#")
COUNTRY = Namespace(KB + "country/")
INSTRUMENT = Namespace(KB + "instrument/")
PROGRAMME = Namespace(KB + "programme/")
EVIDENCE = Namespace(KB + "evidence/")
SOURCE = Namespace(KB + "source/")
GROUP = Namespace(KB + "target-group/")
INDICATOR = Namespace(KB + "indicator/")
OBS = Namespace(KB + "observation/")
RELATION = Namespace(KB + "relation/")
LAYER = Namespace(KB + "layer/")
GAP = Namespace(KB + "gap/")
CODI = Namespace(KB + "codi/")
FAMILY = Namespace(KB + "family/")
VOCAB = Namespace(KB + "vocab/")
FINDING = Namespace(KB + "finding/")
BUNDLE = Namespace(KB + "bundle/")
RULE = Namespace(KB + "rule/")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
SCHEMA = SDO


def bind_all(graph) -> None:
    """Bind the project's prefixes on an rdflib graph so that serialisations read well."""
    for p, iri in PREFIXES.items():
        graph.bind(p, iri, override=True)
