"""The endpoint's query page in a real browser (Debian's chromium driven by Playwright): pick a library
query, edit, run, see the result table; a refused query shows the server's message.

Run: .venv/bin/python -m pytest tests/sparql/test_page_browser.py
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from policyatlas.core.query_library import load_library
from tests.conftest import require_executable


@pytest.fixture(scope="module")
def browser_page(endpoint):
    chromium = require_executable("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        page.goto(endpoint.base + "/")
        yield page
        browser.close()


def test_library_picker_fills_the_editor(browser_page):
    first = load_library()[0]
    browser_page.select_option("#library", first.id)
    assert browser_page.input_value("#query") == first.sparql
    assert first.question_zh in browser_page.inner_text("#question")


def test_run_shows_rows_and_refusals(browser_page):
    browser_page.fill("#query", 'SELECT ?iso ?name WHERE { ?c pa:iso3 ?iso ; rdfs:label ?name } ORDER BY ?iso ?name')
    browser_page.click("#run")
    browser_page.wait_for_selector("#results table")
    cells = browser_page.locator("#results td").all_inner_texts()
    assert cells[:2] == ["AAA", "Testland @en"]
    browser_page.fill("#query", "DROP ALL")
    browser_page.click("#run")
    # a locator assertion, not wait_for_function: the page's CSP (no 'unsafe-eval') forbids evaluating strings
    expect(browser_page.locator("#status")).to_have_text(re.compile(r"^403"), timeout=30_000)
    assert "read-only" in browser_page.inner_text("#status")


def test_the_page_runs_under_its_content_security_policy(browser_page):
    """The page's own script and style run under the CSP it is sent with; the browser reports no violation."""
    browser_page.select_option("#library", load_library()[1].id)  # the script ran: the picker works
    assert browser_page.input_value("#query") == load_library()[1].sparql
    assert browser_page.evaluate("getComputedStyle(document.querySelector('textarea')).fontFamily").startswith(
        "ui-monospace")  # the nonce'd style applied
    assert not [m for m in browser_page.console_messages if "Content Security Policy" in m]
