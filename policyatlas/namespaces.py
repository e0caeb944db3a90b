"""The IRIs of Policy Atlas (see docs/contracts.md) and the SPARQL prologue every query gets."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

BASE = "https://w3id.org/policyatlas/"
PA = Namespace(BASE + "ontology#")
KB = BASE + "kb/"
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

PREFIXES: dict[str, str] = {
    "pa": str(PA),
    "country": str(COUNTRY),
    "instrument": str(INSTRUMENT),
    "programme": str(PROGRAMME),
    "evidence": str(EVIDENCE),
    "source": str(SOURCE),
    "group": str(GROUP),
    "indicator": str(INDICATOR),
    "obs": str(OBS),
    "relation": str(RELATION),
    "layer": str(LAYER),
    "gap": str(GAP),
    "codi": str(CODI),
    "family": str(FAMILY),
    "vocab": str(VOCAB),
    "finding": str(FINDING),
    "bundle": str(BUNDLE),
    "rule": str(RULE),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SDO),
    "cpsv": str(CPSV),
    "sh": str(SH),
}


def prologue() -> str:
    """PREFIX lines for every predeclared prefix, to put before a user's query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def bind_all(graph) -> None:
    """Bind the project's prefixes on an rdflib graph so that serialisations read well."""
    for p, iri in PREFIXES.items():
        graph.bind(p, iri, override=True)
