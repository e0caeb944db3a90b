"""Loading never reaches the network or files outside the project: a remote owl:imports is refused with a
message (owlready2 would fetch it and fail offline), RDF/XML with a DOCTYPE is refused before parsing (a
702-byte entity-expansion file stalls rdflib's XML parser for minutes), and a JSON-LD remote @context is
refused (rdflib would fetch it).

Run: .venv/bin/python -m pytest tests/foundation/test_rdf_safety.py
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from policyatlas.core.rdfio import parse_local
from tests.conftest import ROOT, run_cli

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>&e;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_doctype_in_rdfxml_is_refused_quickly(tmp_path: Path):
    path = tmp_path / "bomb.rdf"
    path.write_text(LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    graph, problems = parse_local(path)
    assert time.perf_counter() - started < 2
    assert len(graph) == 0
    assert [(p.line, p.rule) for p in problems] == [(2, "rdf-doctype")]


def test_remote_jsonld_context_is_refused(tmp_path: Path):
    path = tmp_path / "x.jsonld"
    path.write_text('{"@context": "http://example.invalid/context.jsonld", "@id": "http://example.org/x"}')
    graph, problems = parse_local(path)
    assert len(graph) == 0 and [p.rule for p in problems] == ["remote-context"]


def test_remote_owl_import_is_refused_by_validate(tmp_path: Path):
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    (ontology / "zz-import.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n\n"
        "<https://w3id.org/policyatlas/ontology/extra> a owl:Ontology ;\n"
        "    owl:imports <http://example.invalid/no-such-ontology.owl> .\n", encoding="utf-8")
    started = time.perf_counter()
    proc = run_cli("validate", "--kb", str(ROOT / "tests" / "fixtures" / "valid" / "kb"),
                   "--ontology", str(ontology), timeout=120)
    assert time.perf_counter() - started < 120
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{ontology / 'zz-import.ttl'}:4: [remote-import]" in proc.stderr, proc.stderr


def test_locally_catalogued_import_is_loaded(tmp_path: Path):
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    (ontology / "imports" / "extra.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    catalog = ontology / "imports" / "catalog-v001.xml"
    catalog.write_text(catalog.read_text().replace(
        "</catalog>", '<uri name="http://example.org/extra" uri="extra.ttl"/>\n</catalog>'))
    main = ontology / "zz-import.ttl"
    main.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "<http://example.org/o> owl:imports <http://example.org/extra> .\n", encoding="utf-8")
    graph, problems = parse_local(main)
    assert problems == []
    assert len(graph) == 2
