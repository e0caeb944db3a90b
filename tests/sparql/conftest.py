"""Fixtures for the SPARQL tests: a running endpoint over a small fixture store."""

from __future__ import annotations

import pytest
from sparql_server import FIXTURES, Server, make_store


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
