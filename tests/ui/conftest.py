"""Fixtures for the UI tests: a fresh AppTest of the app (the KB loaded once per process and shared, as in
production), opened on a page with optional URL query parameters."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
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


class _Table(HTMLParser):
    """The header texts and the cells' `data-value`s of an HTML table block (`ui.components.blocks.table`)."""

    def __init__(self):
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[list[str]] = []
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "th":
            self._in_th = True
            self.columns.append("")
        elif tag == "tr" and self.columns:
            self.rows.append([])
        elif tag == "td" and "data-value" in attrs:
            self.rows[-1].append(attrs["data-value"])

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False

    def handle_data(self, data):
        if self._in_th:
            self.columns[-1] += data


def tables(at) -> list[pd.DataFrame]:
    """The page's HTML tables (`pa-table` blocks) in page order, as text frames (a missing value is "")."""
    out = []
    for element in at.markdown:
        if "class='pa-table'" in str(element.value):
            parser = _Table()
            parser.feed(str(element.value))
            out.append(pd.DataFrame([r for r in parser.rows if r], columns=parser.columns))
    return out
