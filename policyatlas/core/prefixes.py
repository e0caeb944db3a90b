"""The project's IRIs as plain strings and the SPARQL prologue every query gets.

No rdflib here: the query path of the CLI (`policyatlas query`) and the endpoint's workers need only these
strings; `policyatlas.core.namespaces` builds rdflib namespaces from the same table.
"""

from __future__ import annotations

BASE = "https://w3id.org/policyatlas/"
KB = BASE + "kb/"

PREFIXES: dict[str, str] = {
    "pa": BASE + "ontology#",
    "country": KB + "country/",
    "instrument": KB + "instrument/",
    "programme": KB + "programme/",
    "evidence": KB + "evidence/",
    "source": KB + "source/",
    "group": KB + "target-group/",
    "indicator": KB + "indicator/",
    "obs": KB + "observation/",
    "relation": KB + "relation/",
    "layer": KB + "layer/",
    "gap": KB + "gap/",
    "codi": KB + "codi/",
    "family": KB + "family/",
    "vocab": KB + "vocab/",
    "finding": KB + "finding/",
    "bundle": KB + "bundle/",
    "rule": KB + "rule/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def prologue() -> str:
    """PREFIX lines for every predeclared prefix, to put before a user's query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
