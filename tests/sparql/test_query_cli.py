"""`policyatlas query` for researchers: every query form and format, -f FILE, and --endpoint against a
running `policyatlas serve` giving the same answer as the embedded store.

Run: .venv/bin/python -m pytest tests/sparql/test_query_cli.py
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from kb_fixtures import norm_result
from sparql_server import Server

from policyatlas.core.paths import store_dir_for
from policyatlas.core.results import parse_json_results

ROOT = Path(__file__).resolve().parents[2]
LABELS = ('SELECT ?iso ?name WHERE { ?c a pa:Country ; pa:iso3 ?iso ; rdfs:label ?name . '
          'FILTER(LANG(?name) = "zh") VALUES ?iso { "DEU" "KEN" "CHN" } } ORDER BY ?iso')


def cli(*args):
    code = "import sys; from policyatlas.cli.group import main; sys.argv = ['policyatlas', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def served(kb_dataset):
    server = Server(store_dir_for(kb_dataset), "--max-rows", "100", "--workers", "2")
    yield server
    server.stop()


def test_select_json_csv_tsv_xml_table(kb_dataset):
    out = {fmt: cli("query", LABELS, "--format", fmt, "--dataset", str(kb_dataset))
           for fmt in ("json", "csv", "tsv", "xml", "table")}
    assert all(o.returncode == 0 for o in out.values()), {k: o.stderr for k, o in out.items()}
    rows = [(r["iso"].value, r["name"].value) for r in parse_json_results(out["json"].stdout).rows]
    assert [iso for iso, _ in rows] == ["CHN", "DEU", "KEN"]
    assert all(name for _, name in rows)
    assert list(csv.reader(io.StringIO(out["csv"].stdout)))[1:] == [list(r) for r in rows]
    assert out["tsv"].stdout.splitlines()[1] == f'"CHN"\t"{rows[0][1]}"@zh'
    assert f'<literal xml:lang="zh">{rows[0][1]}</literal>' in out["xml"].stdout
    assert rows[0][1] in out["table"].stdout and "(3 rows)" in out["table"].stdout


def test_ask_construct_describe_and_file(kb_dataset, tmp_path):
    ask = cli("query", "ASK { country:DEU a pa:Country }", "--format", "json", "--dataset", str(kb_dataset))
    assert json.loads(ask.stdout)["boolean"] is True
    rq = tmp_path / "graph.rq"
    rq.write_text("CONSTRUCT { ?i pa:layer ?l } WHERE { ?i a pa:PolicyInstrument ; pa:layer ?l }\n")
    turtle = cli("query", "-f", str(rq), "--format", "turtle", "--dataset", str(kb_dataset))
    assert turtle.returncode == 0, turtle.stderr
    triples = list(ox.parse(turtle.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) >= 27 and all(t.predicate.value.endswith("#layer") for t in triples)
    described = cli("query", "DESCRIBE country:KEN", "--format", "ntriples", "--dataset", str(kb_dataset))
    assert "<https://w3id.org/policyatlas/kb/country/KEN> <https://w3id.org/policyatlas/ontology#iso3> \"KEN\"" \
        in described.stdout


def test_malformed_query_exits_1_without_traceback(kb_dataset):
    done = cli("query", "SELECT * WHERE {", "--dataset", str(kb_dataset))
    assert done.returncode == 1 and "malformed" in done.stderr and "Traceback" not in done.stderr


def test_endpoint_gives_the_embedded_answer(kb_dataset, served):
    local = cli("query", LABELS, "--format", "json", "--dataset", str(kb_dataset))
    remote = cli("query", LABELS, "--format", "json", "--endpoint", served.url)
    assert remote.returncode == 0, remote.stderr
    assert norm_result(parse_json_results(remote.stdout)) == norm_result(parse_json_results(local.stdout))


def test_endpoint_row_cap_is_reported_incomplete(served):
    """A capped answer is not printed as if it were the answer; --allow-incomplete prints it with a warning."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    refused = cli("query", query, "--format", "csv", "--endpoint", served.url)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "incomplete" in refused.stderr and "--allow-incomplete" in refused.stderr
    assert "Traceback" not in refused.stderr
    partial = cli("query", query, "--format", "csv", "--endpoint", served.url, "--allow-incomplete")
    assert partial.returncode == 0
    assert len(list(csv.reader(io.StringIO(partial.stdout)))) == 1 + 100
    assert "incomplete" in partial.stderr


def test_endpoint_from_the_one_setting(kb_dataset, served):
    """POLICYATLAS_ENDPOINT points the CLI at a shared store, as it points the app."""
    import os

    env = {**os.environ, "POLICYATLAS_ENDPOINT": served.url}
    code = "import sys; from policyatlas.cli.group import main; sys.argv = ['policyatlas', *sys.argv[1:]]; main()"
    done = subprocess.run([sys.executable, "-c", code, "query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
                           "--format", "csv"], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 1 and "incomplete" in done.stderr  # the 100-row cap of `served`: it went there


def test_serve_answers_the_findings_queries(served, kb_findings):
    """The store `policyatlas build` writes holds the findings: the endpoint answers the library's findings
    query with what the evaluator reports now, without any extra option."""
    from collections import Counter

    from policyatlas.core.query_library import QUERIES_DIR

    query = (QUERIES_DIR / "findings-by-gap-kind.rq").read_text(encoding="utf-8")
    remote = cli("query", query, "--format", "json", "--endpoint", served.url)
    assert remote.returncode == 0, remote.stderr
    rows = parse_json_results(remote.stdout).rows
    got = Counter({(r["gap"].value, sev): int(r[sev].value) for r in rows
                   for sev in ("high", "medium", "low") if int(r[sev].value)})
    assert got == Counter((f.gap, f.severity) for f in kb_findings) and len(kb_findings) > 0


@pytest.mark.parametrize("update", ["INSERT DATA { country:ZZZ a pa:Country }", "DELETE WHERE { ?s ?p ?o }",
                                    "LOAD <http://127.0.0.1:9/x>", "clear all", "DROP GRAPH <urn:x>"])
def test_an_update_is_called_an_update(kb_dataset, update):
    out = cli("query", update, "--dataset", str(kb_dataset))
    assert out.returncode == 1
    assert "SPARQL Update" in out.stderr and "not a query" in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
