"""HermiT both ways (as OBO's ODK does): the ontology with a valid KB is consistent; with a KB known to break
it, inconsistent, with a readable explanation. Loading never reaches the network.

Each HermiT call starts a JVM (one to a few seconds). Run:
.venv/bin/python -m pytest tests/ontology/test_reasoner.py
"""

from __future__ import annotations

import datetime
import time

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from policyatlas.core.errors import UserError
from policyatlas.core.namespaces import PA, SOURCE
from policyatlas.kb.reasoner import check_consistency, sanitise_literals
from tests.conftest import require_executable
from tests.ontology.sample_kb import PREFIXES, sample


@pytest.fixture(scope="module")
def java():
    return require_executable("java")


def test_ontology_with_valid_sample_is_consistent(java):
    assert check_consistency(sample()) == []


def test_ontology_with_valid_sample_file_is_consistent(java, tmp_path):
    path = tmp_path / "kb.nt"
    sample().serialize(path, format="nt", encoding="utf-8")
    assert check_consistency(path) == []


# (what is broken, Turtle to add, Turtle to remove, words the explanation must contain)
BROKEN = [
    ("a programme that is also an instrument",
     "programme:ken-m-pesa a pa:PolicyInstrument .", "",
     ["programme:ken-m-pesa", "pa:PolicyInstrument", "pa:PolicyProgramme", "disjoint"]),
    ("an instrument in two safety-net layers",
     "instrument:targeted-cash-transfer pa:layer layer:top .", "",
     ["instrument:targeted-cash-transfer", "pa:layer", "layer:base", "layer:top"]),
    ("evidence contested by itself",
     "evidence:bateman-2019-m-pesa pa:contestedBy evidence:bateman-2019-m-pesa .", "",
     ["evidence:bateman-2019-m-pesa", "pa:contestedBy", "itself"]),
    ("a year written as text",
     'source:ilostat pa:year "last year" .', "source:ilostat pa:year 2025 .",
     ["source:ilostat", "pa:year", "last year"]),
    ("a substitute that is also a prerequisite",
     "instrument:targeted-cash-transfer pa:substituteFor instrument:digital-financial-inclusion .", "",
     ["pa:prerequisiteOf", "pa:substituteFor", "exclude each other"]),
    ("an observation of two countries",
     "obs:KEN-informal-employment-share-2024 pa:refArea country:EUU .", "",
     ["obs:KEN-informal-employment-share-2024", "pa:refArea", "country:EUU", "country:KEN"]),
    ("a confirmation outside the allowed words",
     'programme:ken-m-pesa pa:confirmation "probably" .', 'programme:ken-m-pesa pa:confirmation "confirmed" .',
     ["programme:ken-m-pesa", "pa:confirmation", "probably", "confirmed"]),
]


@pytest.mark.parametrize("what, extra, drop, words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_kb_is_inconsistent_with_an_explanation(java, what, extra, drop, words):
    problems = check_consistency(sample(extra=extra, drop=drop))
    assert problems, f"HermiT should find {what} inconsistent"
    assert all(p.startswith("HermiT: the ontology and the KB together are inconsistent") for p in problems)
    text = "\n".join(problems)
    for word in words:
        assert word in text, f"explanation of {what} should mention {word!r}:\n{text}"


def test_unsatisfiable_class_is_named(java, tmp_path):
    extra = PREFIXES + "pa:HybridThing a owl:Class ; rdfs:subClassOf pa:Evidence , pa:Source .\n"
    broken = Graph().parse(data=extra, format="turtle")
    problems = check_consistency(sample() + broken)
    assert problems == ["HermiT: class pa:HybridThing is unsatisfiable (nothing can belong to it); check its "
                        "disjointness and restrictions in ontology/policyatlas.ttl"]


def test_imports_without_local_copy_are_refused_without_network(tmp_path):
    data = sample(extra="<https://w3id.org/policyatlas/kb> a owl:Ontology ; owl:imports <http://example.invalid/x> .")
    started = time.monotonic()
    with pytest.raises(UserError) as err:
        check_consistency(data, imports_dir=tmp_path)
    assert time.monotonic() - started < 5, "refusing an import must not wait for the network"
    assert "http://example.invalid/x" in str(err.value) and "no local copy" in str(err.value)


def test_imports_are_resolved_from_the_local_catalog(java, tmp_path):
    """The catalog maps the import to a local file, whose axioms then take part in reasoning."""
    (tmp_path / "x.ttl").write_text(PREFIXES + """
        <http://example.invalid/x> a owl:Ontology .
        <http://example.invalid/x#Pilot> a owl:Class ; rdfs:subClassOf pa:PolicyInstrument .
        programme:ken-m-pesa a <http://example.invalid/x#Pilot> .
    """, encoding="utf-8")
    (tmp_path / "catalog-v001.xml").write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        '<uri name="http://example.invalid/x" uri="x.ttl"/></catalog>', encoding="utf-8")
    data = sample(extra="<https://w3id.org/policyatlas/kb> a owl:Ontology ; owl:imports <http://example.invalid/x> .")
    problems = check_consistency(data, imports_dir=tmp_path)
    assert problems and "programme:ken-m-pesa is both a pa:PolicyInstrument" in "\n".join(problems)


def test_rdfxml_with_doctype_is_refused(tmp_path):
    path = tmp_path / "bomb.owl"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&lol;</rdf:RDF>\n')
    with pytest.raises(UserError, match="DOCTYPE"):
        check_consistency(path)


def test_literals_outside_the_owl2_datatype_map_are_converted():
    graph = Graph()
    graph.add((SOURCE.a, PA.year, Literal("2024", datatype=XSD.gYear)))
    graph.add((SOURCE.a, PA.accessed, Literal("2026-11-27", datatype=XSD.date)))
    graph.add((SOURCE.a, PA.value, Literal("0.25", datatype=XSD.float)))
    graph.add((SOURCE.a, PA.sourceLine, Literal("7", datatype=XSD.int)))
    graph.add((SOURCE.a, PA.population, Literal("P1Y", datatype=XSD.duration)))
    assert sanitise_literals(graph) == []
    assert set(graph.objects(SOURCE.a, PA.year)) == {Literal(2024, datatype=XSD.integer)}
    midnight = datetime.datetime(2026, 11, 27, tzinfo=datetime.UTC)
    assert {(o.toPython(), o.datatype) for o in graph.objects(SOURCE.a, PA.accessed)} == {(midnight, XSD.dateTime)}
    assert {(str(o), o.datatype) for o in graph.objects(SOURCE.a, PA.value)} == {("0.25", XSD.decimal)}
    assert set(graph.objects(SOURCE.a, PA.sourceLine)) == {Literal(7, datatype=XSD.integer)}
    assert {o.datatype for o in graph.objects(SOURCE.a, PA.population)} == {XSD.string}


def test_ill_typed_literals_are_reported_not_passed_to_hermit():
    graph = Graph()
    graph.add((SOURCE.a, PA.year, Literal("twenty", datatype=XSD.integer)))
    problems = sanitise_literals(graph)
    assert len(problems) == 1 and "twenty" in problems[0] and "xsd:integer" in problems[0]
    assert not list(graph.objects(SOURCE.a, PA.year))


def test_gyear_in_the_kb_does_not_fail_the_run(java):
    """One xsd:gYear literal fails a whole HermiT run; after conversion the valid sample stays consistent."""
    data = sample(drop="source:ilostat pa:year 2025 .")
    data.add((SOURCE.ilostat, PA.year, Literal("2025", datatype=XSD.gYear)))
    assert check_consistency(data) == []
