"""A shared store: publish the KB to a real OpenLink Virtuoso and get the same answers as the embedded store.

Starts Virtuoso (Debian `virtuoso-opensource-7`) on free loopback ports in a temporary folder, publishes
with `policyatlas publish` (Graph Store Protocol, digest auth), then runs the query library, the competency
questions and the evaluator against it. Where Virtuoso spells a literal differently (decimals without
trailing zeros, integers for some aggregates) the comparison goes by value: see kb_fixtures.norm_term.
On CI a missing virtuoso-t fails these tests.

Run: .venv/bin/python -m pytest tests/sparql/test_virtuoso.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import virtuoso_server
from kb_fixtures import need, norm_result

from policyatlas.core.namespaces import PREFIXES
from policyatlas.core.query_library import load_library
from policyatlas.core.remote import DEFAULT_GRAPH, completeness
from policyatlas.core.results import from_oxigraph

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = load_library()
CQS = sorted((ROOT / "ontology" / "cq").glob("*.rq"))
FIXTURES = Path(__file__).parent / "fixtures"


def cli(*args: str) -> subprocess.CompletedProcess:
    code = "import sys; from policyatlas.cli.group import main; sys.argv = ['policyatlas', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    need(virtuoso_server.available(), "virtuoso-t (Debian package virtuoso-opensource-7)")
    server = virtuoso_server.Virtuoso(tmp_path_factory.mktemp("virtuoso"), result_max_rows=10_000,
                                      max_seconds=20)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def published(virtuoso, kb_dataset):
    """The compiled dataset file alone (it holds the findings on every country's current programmes)."""
    done = cli("publish", "--endpoint", virtuoso.gsp, "--user", "dba", "--password", "dba",
               "--dataset", str(kb_dataset), "--verify", virtuoso.sparql, "--format", "json")
    assert done.returncode == 0, done.stderr
    return virtuoso.sparql + "?default-graph-uri=" + DEFAULT_GRAPH


@pytest.fixture(scope="module")
def remote_atlas(published):
    from policyatlas.api import Atlas

    return Atlas.load(endpoint=published)


def test_publish_replaces_the_graph_and_needs_credentials(virtuoso, tmp_path):
    nt = tmp_path / "mini.nt"
    import pyoxigraph as ox

    ox.serialize(ox.parse(path=str(FIXTURES / "mini.ttl"), format=ox.RdfFormat.TURTLE), str(nt),
                 format=ox.RdfFormat.N_TRIPLES)
    graph = "https://example.org/policyatlas-test"
    refused = cli("publish", "--endpoint", virtuoso.gsp, "--graph", graph, "--dataset", str(nt))
    assert refused.returncode == 1 and "credentials" in refused.stderr and "Traceback" not in refused.stderr
    for _ in range(2):  # publishing twice leaves one copy
        done = cli("publish", "--endpoint", virtuoso.gsp, "--graph", graph, "--user", "dba", "--password", "dba",
                   "--dataset", str(nt), "--verify", virtuoso.sparql)
        assert done.returncode == 0, done.stderr
        assert "the store holds 20" in done.stdout


@pytest.mark.parametrize("query", LIBRARY, ids=[q.id for q in LIBRARY])
def test_library_query_same_answer_on_virtuoso(kb_store, remote_atlas, query):
    embedded = from_oxigraph(kb_store.query(query.sparql, prefixes=PREFIXES))
    remote = remote_atlas.query(query.sparql)
    assert remote.complete, remote.note
    assert norm_result(remote) == norm_result(embedded)


@pytest.mark.parametrize("path", CQS, ids=[p.stem for p in CQS])
def test_competency_question_same_answer_on_virtuoso(kb_store, remote_atlas, path):
    text = path.read_text(encoding="utf-8")
    embedded = from_oxigraph(kb_store.query(text, prefixes=PREFIXES))
    assert norm_result(remote_atlas.query(text)) == norm_result(embedded)


@pytest.mark.parametrize("iso3", ["DEU", "SGP", "IND", "KEN", "NER", "BRA"])
def test_evaluator_same_findings_on_virtuoso(remote_atlas, kb_dataset, iso3):
    from policyatlas.api import Atlas

    local = Atlas.load(kb_dataset).evaluate(iso3).to_json()
    assert remote_atlas.evaluate(iso3).to_json() == local


def test_row_capped_answer_is_reported_incomplete(virtuoso, published, remote_atlas, kb_store):
    """Virtuoso caps at ResultSetMaxRows (10,000) and answers HTTP 200: the client must not take it as whole."""
    total = len(kb_store)
    assert total > 10_000
    result = remote_atlas.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(result) == 10_000
    assert result.complete is False and result.note


def test_timed_out_answer_is_reported_incomplete(virtuoso, published):
    """Past its time limit Virtuoso's anytime query answers HTTP 200 with `X-SQL-State: S1TAT` and partial rows;
    the client (an Atlas on an endpoint URL that asks for a 2 s limit) must call the answer incomplete."""
    from policyatlas.api import Atlas

    slow = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) = 123457) }"
    resp = httpx.post(published, params={"timeout": "2000"}, data={"query": slow}, timeout=120,
                      headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200 and resp.headers.get("X-SQL-State") == "S1TAT"
    complete, note = completeness(resp.headers, len(resp.json()["results"]["bindings"]), slow)
    assert complete is False and "S1TAT" in note
    result = Atlas.load(endpoint=published + "&timeout=2000").query(slow)
    assert result.complete is False and result.note


def test_completeness_rules():
    assert completeness({}, 10, "SELECT ...") == (True, "")
    assert completeness({"X-SQL-State": "S1TAT"}, 3, "SELECT ...")[0] is False
    assert completeness({"X-PolicyAtlas-Complete": "false", "X-PolicyAtlas-Note": "row cap"}, 5, "q") == \
        (False, "row cap")
    assert completeness({}, 10_000, "SELECT * WHERE { ?s ?p ?o }")[0] is False
    assert completeness({}, 10_000, "SELECT * WHERE { ?s ?p ?o } LIMIT 10000")[0] is True
