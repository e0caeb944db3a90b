"""Fixtures of the evaluator tests: the built KB (shared with other areas when tests/conftest.py gives
`atlas`) and a tiny hand-written KB for unit tests that must not depend on the content of kb/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def kb_atlas(request):
    """An Atlas on the compiled KB (the project-wide `atlas` fixture when there is one)."""
    try:
        return request.getfixturevalue("atlas")
    except pytest.FixtureLookupError:
        from policyatlas.api import Atlas

        return Atlas.load()


@pytest.fixture()
def mini_atlas():
    """A fresh stand-in Atlas over tests/evaluator/fixtures/mini-kb.ttl (counts its queries)."""
    from storeatlas import StoreAtlas

    return StoreAtlas(HERE / "fixtures" / "mini-kb.ttl")
