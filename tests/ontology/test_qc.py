"""QC queries (`ontology/qc/*.rq`): each returns no rows on the valid sample and at least one row, naming the
offending item, on a sample broken in the way it looks for. Queries run in Oxigraph with the predeclared
prefixes, as `policyatlas validate` runs them.

Run: .venv/bin/python -m pytest tests/ontology/test_qc.py
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from policyatlas.core.namespaces import prologue
from tests.conftest import ROOT
from tests.ontology.sample_kb import sample

QC_DIR = ROOT / "ontology" / "qc"
QUERIES = sorted(QC_DIR.glob("*.rq"))
KB = "https://w3id.org/policyatlas/kb/"


def run(query_path, graph: Graph) -> list[dict[str, str]]:
    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    result = store.query(prologue() + query_path.read_text(encoding="utf-8"))
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_at_least_six_queries_with_headers():
    assert len(QUERIES) >= 6
    rules = []
    for path in QUERIES:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# title: ") and len(lines[0]) > len("# title: "), path.name
        assert lines[1].startswith("# rule: qc-"), path.name
        rules.append(lines[1].split(":", 1)[1].strip())
    assert len(rules) == len(set(rules)), "two QC queries share a rule name"


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_no_rows_on_the_valid_sample(path):
    assert run(path, sample()) == []


# query file stem -> (Turtle to add, Turtle to remove, the ?item it must name)
BROKEN = {
    "programme-start-after-end": ("programme:ken-m-pesa pa:endYear 2001 .", "", "programme/ken-m-pesa"),
    "instrument-relation-to-itself": (
        "instrument:targeted-cash-transfer pa:complements instrument:targeted-cash-transfer .", "",
        "instrument/targeted-cash-transfer"),
    "evidence-contested-by-itself": (
        "evidence:bateman-2019-m-pesa pa:contestedBy evidence:bateman-2019-m-pesa .", "",
        "evidence/bateman-2019-m-pesa"),
    "contested-one-way": ("", "evidence:bateman-2019-m-pesa pa:contestedBy evidence:suri-jack-2016-m-pesa .",
                          "evidence/bateman-2019-m-pesa"),
    "source-without-doi-or-url": ("", 'source:ilostat schema:url "https://ilostat.ilo.org/"^^xsd:anyURI .',
                                  "source/ilostat"),
    "jurisdiction-without-chinese-name": ("", 'country:EUU rdfs:label "欧洲联盟"@zh .', "country/EUU"),
    "observation-unit-differs-from-indicator": (
        'obs:KEN-informal-employment-share-2024 pa:unit "percent" .',
        'obs:KEN-informal-employment-share-2024 pa:unit "percent of total employment" .',
        "observation/KEN-informal-employment-share-2024"),
    "substitute-also-prerequisite": (
        "instrument:targeted-cash-transfer pa:substituteFor instrument:digital-financial-inclusion .", "",
        "instrument/digital-financial-inclusion"),
    "complements-and-conflicts": (
        "instrument:targeted-cash-transfer pa:complements instrument:digital-financial-inclusion . "
        "instrument:digital-financial-inclusion pa:conflictsWith instrument:targeted-cash-transfer .", "",
        "instrument/digital-financial-inclusion"),
    "prerequisite-cycle": (
        "instrument:targeted-cash-transfer pa:prerequisiteOf instrument:digital-financial-inclusion .", "",
        "instrument/digital-financial-inclusion"),
    "relation-record-mismatch": (
        "", "instrument:digital-financial-inclusion pa:prerequisiteOf instrument:targeted-cash-transfer .",
        "instrument/digital-financial-inclusion"),
    "programme-scale-before-start": ("programme:ken-m-pesa pa:scaleYear 2005 .",
                                     "programme:ken-m-pesa pa:scaleYear 2023 .", "programme/ken-m-pesa"),
    "ended-programme-ends-in-future": (
        "programme:ken-m-pesa pa:status vocab:status-ended ; pa:endYear 2030 .",
        "programme:ken-m-pesa pa:status vocab:status-active .", "programme/ken-m-pesa"),
    "duplicate-instrument-label": ('instrument:targeted-cash-transfer rdfs:label "Digital Financial Inclusion"@en .',
                                   'instrument:targeted-cash-transfer rdfs:label "targeted cash transfer"@en .',
                                   "instrument/targeted-cash-transfer"),
}


def test_every_query_has_a_broken_case():
    assert {p.stem for p in QUERIES} == set(BROKEN)


@pytest.mark.parametrize("stem", sorted(BROKEN))
def test_broken_sample_is_caught(stem):
    extra, drop, item = BROKEN[stem]
    rows = run(QC_DIR / f"{stem}.rq", sample(extra=extra, drop=drop))
    assert rows, f"{stem} should return a row"
    assert KB + item in {r.get("item") for r in rows}, rows
    assert all(r.get("message") for r in rows), "every row needs a ?message for the analyst"
