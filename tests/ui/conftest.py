"""Fixtures for the UI tests: a fresh AppTest of the app (the KB loaded once per process and shared, as in
production), opened on a page with optional URL query parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.views import FILES

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"
#: The first run loads the KB (and evaluates every country for the map): far above AppTest's 3 s default.
TIMEOUT = 300


def open_app(page: str | None = None, **params: str) -> AppTest:
    """Run the app as a new browser session would, with `params` in the URL, then open `page` (a URL path
    such as "compose")."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(f"views/{FILES[page]}").run()
        assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app():
    return open_app
