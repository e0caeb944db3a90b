"""Fixtures for the SPARQL tests: a running endpoint over a small fixture store; the real compiled KB (which
holds the evaluator's findings on every country's current programmes), and those findings as the evaluator
gives them today, to check the dataset against."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file (tests use importlib mode)

from kb_fixtures import dataset_path  # noqa: E402
from sparql_server import FIXTURES, Listener, Server, make_store  # noqa: E402

from policyatlas.pipeline.exports import load  # noqa: E402


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


@pytest.fixture
def listener():
    """A loopback HTTP server on another port that records every request reaching it (proof of no SERVICE call)."""
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="session")
def kb_dataset():
    return dataset_path()


@pytest.fixture(scope="session")
def kb_findings(kb_dataset):
    """Every country's findings on its current programmes, evaluated now by the evaluator over the KB (not
    read back from the dataset's pa:Finding triples): the independent count the findings queries must give."""
    from policyatlas.api import Atlas

    return [f for ev in Atlas.load(kb_dataset).evaluate_all().values() for f in ev.findings]


@pytest.fixture(scope="session")
def kb_store(kb_dataset):
    """The compiled dataset alone (the KB and its findings), in an embedded Oxigraph store."""
    return load(kb_dataset)
