"""The researchers' query library (`ontology/queries/*.rq`): bilingual headers, safe, and answered by the KB.

Run: .venv/bin/python -m pytest tests/sparql/test_library.py
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from policyatlas.core.namespaces import PREFIXES
from policyatlas.core.query_library import QUERIES_DIR, load_library, read_query_file
from policyatlas.core.results import from_oxigraph
from policyatlas.core.safety import check_query

LIBRARY = load_library()
ROOT = Path(__file__).resolve().parents[2]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(store, text):
    return from_oxigraph(store.query(text, prefixes=PREFIXES))


def test_at_least_twenty_queries_covering_the_topics():
    assert len(LIBRARY) >= 20
    text = " ".join(q.sparql for q in LIBRARY)
    for needle in ("pa:Country", "pa:PolicyProgramme", "pa:Evidence", "pa:contestedBy", "pa:globalSouth",
                   "indicator:gen-gov-revenue", "layer:base", "pa:Finding"):
        assert needle in text, f"no library query uses {needle}"


@pytest.mark.parametrize("query", LIBRARY, ids=[q.id for q in LIBRARY])
def test_headers_are_bilingual_and_the_query_is_allowed(query):
    assert not CJK.search(query.title_en) and not CJK.search(query.question_en)
    assert CJK.search(query.title_zh) and CJK.search(query.question_zh)
    assert query.question_en.endswith("?") and query.question_zh.endswith(("？", "。"))
    check_query(query.sparql)  # what the endpoint would refuse has no place in the library


def test_a_missing_header_is_reported_with_path_and_line(tmp_path):
    from policyatlas.core.errors import ValidationError

    bad = tmp_path / "bad.rq"
    bad.write_text("# title-en: Something\n# title-zh: 某事\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_query_file(bad)
    assert "bad.rq:3: [query-header]" in str(err.value) and "question-en" in str(err.value)


@pytest.mark.parametrize("query", LIBRARY, ids=[q.id for q in LIBRARY])
def test_every_query_answers_on_the_kb(kb_store, query):
    result = run(kb_store, query.sparql)
    if result.kind == "ask":
        assert result.boolean is True
    else:
        assert len(result) > 0, f"{query.id} returns nothing on the KB"


def test_programme_counts_match_the_source_files(kb_store):
    """programmes-per-country, checked against the jurisdiction line of every kb/programmes/*.yaml."""
    expected = Counter()
    for path in (ROOT / "kb" / "programmes").glob("*.yaml"):
        m = re.search(r"^jurisdiction:\s*(\S+)", path.read_text(encoding="utf-8"), re.M)
        expected[m.group(1).strip("'\"")] += 1
    result = run(kb_store, (QUERIES_DIR / "programmes-per-country.rq").read_text(encoding="utf-8"))
    got = {row["iso3"].value: int(row["programmes"].value) for row in result.rows}
    assert got == dict(expected)


def test_income_group_counts_match_the_country_table(kb_store):
    with (ROOT / "kb" / "countries" / "countries.csv").open(encoding="utf-8") as handle:
        expected = Counter(row["income_group"] for row in csv.DictReader(
            line for line in handle if not line.startswith("#")))
    result = run(kb_store, (QUERIES_DIR / "countries-by-income-group.rq").read_text(encoding="utf-8"))
    assert {row["incomeGroup"].value: int(row["countries"].value) for row in result.rows} == dict(expected)


def test_findings_queries_see_the_evaluator_output(kb_store, kb_findings):
    """The findings compiled into the dataset are what the evaluator reports now on every country's current
    programmes: same count per gap kind and severity, same countries per gap kind."""
    expected = Counter((f.gap, f.severity) for f in kb_findings)
    countries: dict[str, set[str]] = {}
    for f in kb_findings:
        countries.setdefault(f.gap, set()).add(f.country)
    result = run(kb_store, (QUERIES_DIR / "findings-by-gap-kind.rq").read_text(encoding="utf-8"))
    got = Counter({(r["gap"].value, sev): int(r[sev].value) for r in result.rows
                   for sev in ("high", "medium", "low") if int(r[sev].value)})
    assert got == expected and sum(expected.values()) > 0
    assert {r["gap"].value: int(r["countries"].value) for r in result.rows} == \
        {gap: len(isos) for gap, isos in countries.items()}


def test_the_dataset_file_holds_the_findings(kb_dataset, kb_findings):
    """Publishing or exporting the dataset file alone carries the findings: one pa:Finding per finding."""
    typed = f"<{RDF_TYPE}> <https://w3id.org/policyatlas/ontology#Finding> ."
    with kb_dataset.open(encoding="utf-8") as handle:
        in_file = sum(1 for line in handle if line.rstrip().endswith(typed))
    assert in_file == len(kb_findings) > 0
