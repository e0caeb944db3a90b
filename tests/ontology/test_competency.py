"""Competency questions: each `ontology/cq/NN-slug.rq`, run through the CLI as a researcher would
(`policyatlas query -f FILE --format csv`), gives the answer in `NN-slug.expected.csv` (`.expected.json` for
ASK). The expected answers were checked by hand against the files in kb/, not copied from query output.

Rows are compared in order when the query has ORDER BY, as a multiset otherwise; numbers compare by value
("7.5" equals "7.50"). The queries run on the compiled dataset (build/policyatlas.nt), which `make test`
builds first. When the KB changes, re-check the answers against kb/ and update the expected files.

Run: .venv/bin/python -m pytest tests/ontology/test_competency.py
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation

import pytest

from tests.conftest import ROOT, run_cli

CQ_DIR = ROOT / "ontology" / "cq"
QUERIES = sorted(CQ_DIR.glob("*.rq"))


def _cell(value: str) -> str:
    try:
        return str(Decimal(value).normalize())
    except InvalidOperation:
        return value


def _table(text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows, "no CSV header"
    return rows[0], [tuple(_cell(c) for c in row) for row in rows[1:]]


def _ordered(query: str) -> bool:
    body = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    return re.search(r"\bORDER\s+BY\b", body, flags=re.IGNORECASE) is not None


def test_at_least_fifteen_questions_each_with_an_answer():
    assert len(QUERIES) >= 15
    for path in QUERIES:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert re.match(r"^\d\d-[a-z0-9-]+$", path.stem), f"{path.name}: name it NN-slug.rq"
        assert lines[0].startswith("# question-en: ") and len(lines[0]) > 20, path.name
        assert lines[1].startswith("# question-zh: ") and re.search(r"[\u4e00-\u9fff]", lines[1]), path.name
        answers = [path.with_suffix(".expected.csv"), path.with_suffix(".expected.json")]
        assert sum(a.exists() for a in answers) == 1, f"{path.name} needs exactly one expected answer file"


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_competency_question(path):
    query = path.read_text(encoding="utf-8")
    expected_json = path.with_suffix(".expected.json")
    if expected_json.exists():
        proc = run_cli("query", "-f", str(path), "--format", "json", timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["boolean"] == json.loads(expected_json.read_text())["boolean"]
        return
    proc = run_cli("query", "-f", str(path), "--format", "csv", timeout=300)
    assert proc.returncode == 0, proc.stderr
    got_header, got = _table(proc.stdout)
    want_header, want = _table(path.with_suffix(".expected.csv").read_text(encoding="utf-8"))
    assert got_header == want_header
    if not _ordered(query):
        got, want = sorted(got), sorted(want)
    missing = [r for r in want if r not in got]
    extra = [r for r in got if r not in want]
    assert got == want, f"{path.name}: missing {missing}, unexpected {extra} (order matters: {_ordered(query)})"
