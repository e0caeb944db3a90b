"""Result serialisation (policyatlas/core/results.py): each format read back by an independent parser.

Run: .venv/bin/python -m pytest tests/sparql/test_results.py
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from policyatlas.core.results import RDF_LANGSTRING, Result, Term, parse_json_results, serialise

XSD = "http://www.w3.org/2001/XMLSchema#"
TRICKY = 'a "quoted", comma\nnew line\ttab <tag> & 中文'


def sample() -> Result:
    rows = [
        {"c": Term("uri", "https://w3id.org/policyatlas/kb/country/DEU"),
         "label": Term("literal", TRICKY, RDF_LANGSTRING, "zh"),
         "n": Term("literal", "42", XSD + "integer"), "x": Term("literal", "0.50", XSD + "decimal")},
        {"c": Term("bnode", "b0"), "label": Term("literal", "plain")},  # n and x unbound
    ]
    return Result("select", vars=["c", "label", "n", "x"], rows=rows)


def test_json_round_trip_and_shape():
    text = serialise(sample(), "json")
    data = json.loads(text)
    assert data["head"]["vars"] == ["c", "label", "n", "x"]
    assert data["results"]["bindings"][0]["label"] == {"type": "literal", "value": TRICKY, "xml:lang": "zh"}
    assert "n" not in data["results"]["bindings"][1]
    back = parse_json_results(text)
    assert back.rows == sample().rows and back.vars == sample().vars


def test_xml_is_valid_sparql_results_xml():
    text = serialise(sample(), "xml")
    ET.fromstring(text)  # well-formed despite <, & and quotes in the data
    parsed = XMLResultParser().parse(io.StringIO(text))
    first = parsed.bindings[0]
    assert {str(v) for v in first.values()} == {"https://w3id.org/policyatlas/kb/country/DEU", TRICKY, "42", "0.50"}


def test_csv_keeps_awkward_text_in_one_cell():
    rows = list(csv.reader(io.StringIO(serialise(sample(), "csv"))))
    assert rows[0] == ["c", "label", "n", "x"]
    assert rows[1] == ["https://w3id.org/policyatlas/kb/country/DEU", TRICKY, "42", "0.50"]
    assert rows[2] == ["_:b0", "plain", "", ""]


def test_tsv_terms_parse_as_ntriples_terms():
    lines = serialise(sample(), "tsv").splitlines()
    assert lines[0] == "?c\t?label\t?n\t?x"
    cells = lines[1].split("\t")
    assert len(cells) == 4  # the tab inside the literal is escaped
    nt = f"<http://e/s> <http://e/p> {cells[1]} .\n<http://e/s> <http://e/q> {cells[3]} .\n"
    objects = {str(t.predicate.value): t.object for t in ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES)}
    assert objects["http://e/p"].value == TRICKY and objects["http://e/p"].language == "zh"
    assert objects["http://e/q"].datatype.value == XSD + "decimal"


def test_graph_results_as_turtle_and_ntriples():
    s = Term("uri", "https://w3id.org/policyatlas/kb/instrument/short-time-work")
    p = Term("uri", "http://www.w3.org/2000/01/rdf-schema#label")
    graph = Result("graph", triples=[(s, p, Term("literal", TRICKY, RDF_LANGSTRING, "en"))])
    turtle = serialise(graph, "turtle")
    assert "instrument:short-time-work" in turtle
    g1 = Graph().parse(data=turtle, format="turtle")
    g2 = Graph().parse(data=serialise(graph, "ntriples"), format="nt")
    assert len(g1) == len(g2) == 1 and set(g1) == set(g2)


def test_ask_in_every_select_format():
    yes = Result("ask", boolean=True)
    assert json.loads(serialise(yes, "json")) == {"head": {}, "boolean": True}
    assert "<boolean>true</boolean>" in serialise(yes, "xml")
    assert serialise(yes, "csv").splitlines() == ["boolean", "true"]
    assert serialise(Result("ask", boolean=False), "table") == "no\n"


def test_incomplete_table_says_so():
    capped = sample()
    capped.complete, capped.note = False, "row cap of 2 reached"
    assert "INCOMPLETE: row cap of 2 reached" in serialise(capped, "table")
