"""`policyatlas simulate` as a user runs it: formats, errors without tracebacks, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import run_cli


def test_json_table_and_csv():
    out = run_cli("simulate", "--country", "KEN", "--add", "short-time-work", "--draws", "20", "--format", "json",
                  check=True)
    data = json.loads(out.stdout)
    assert data["country"] == "KEN" and data["draws"] == 20 and "conditional" in data["caveat"]
    table = run_cli("simulate", "--country", "KEN", "--bundle", "short-time-work", "--draws", "20", "--lang", "zh",
                    check=True)
    assert "情景模拟" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run_cli("simulate", "--country", "KEN", "--draws", "10", "--years", "3",
                                                   "--format", "csv", check=True).stdout)))
    assert len(rows) == 4 * 4 and {r["outcome"] for r in rows} == {"unemployment", "long_term", "no_income", "cost"}


@pytest.mark.parametrize("args, code", [
    (["--country", "XYZ"], 1),
    (["--country", "KEN", "--bundle", "nope"], 1),
    (["--country", "KEN", "--scenario", "nope"], 1),
    (["--country", "KEN", "--draws", "0"], 2),
    (["--country", "KEN", "--draws", "999999999"], 2),
    (["--country", "KEN", "--years", "-1"], 2),
    (["--country", "KEN", "--bundle", "a", "--add", "b"], 2),
    ([], 2),
])
def test_bad_input_exits_cleanly(args, code):
    proc = run_cli("simulate", *args)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
