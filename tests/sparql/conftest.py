"""Fixtures for the SPARQL tests: a running endpoint over a small fixture store; the real KB with findings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file (tests use importlib mode)

from kb_fixtures import dataset_path  # noqa: E402
from sparql_server import FIXTURES, Server, make_store  # noqa: E402

from policyatlas.exports import findings_ntriples, load  # noqa: E402


@pytest.fixture(scope="session")
def mini_store(tmp_path_factory):
    return make_store(FIXTURES / "mini.ttl", tmp_path_factory.mktemp("mini") / "store")


@pytest.fixture(scope="session")
def endpoint(mini_store):
    """`policyatlas serve` over the fixture store: 2 s time limit, 50-row cap, 4 workers."""
    server = Server(mini_store, "--timeout", "2", "--max-rows", "50", "--workers", "4",
                    "--max-query-chars", "5000")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def kb_dataset():
    return dataset_path()


@pytest.fixture(scope="session")
def kb_findings_nt(kb_dataset):
    """The evaluator's findings for every country's current programmes, as N-Triples."""
    return findings_ntriples(kb_dataset)


@pytest.fixture(scope="session")
def kb_store(kb_dataset, kb_findings_nt):
    """The compiled KB plus the findings, in an embedded Oxigraph store."""
    import pyoxigraph as ox

    store = load(kb_dataset)
    store.bulk_load(kb_findings_nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="session")
def kb_with_findings_file(kb_dataset, kb_findings_nt, tmp_path_factory):
    """KB and findings in one N-Triples file (what the shared-store tests publish)."""
    path = tmp_path_factory.mktemp("kbf") / "kb-with-findings.nt"
    path.write_text(kb_dataset.read_text(encoding="utf-8") + kb_findings_nt, encoding="utf-8")
    return path
