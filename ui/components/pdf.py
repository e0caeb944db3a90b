"""A report as PDF: the Markdown report rendered to HTML (`policyatlas.render.report.to_html`) and printed by
headless Chromium through Playwright (the same Debian Chromium the browser tests drive). Rendering takes
about a second, so it runs only when the user asks for it, and each report is rendered once per process."""

from __future__ import annotations

import streamlit as st

from policyatlas.render.report import to_html
from ui.browser import CHROMIUM, launch


def render(html: str) -> bytes:
    """Print an HTML page to an A4 PDF with headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        try:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()


@st.cache_data(show_spinner=False, max_entries=64)
def report_pdf(markdown_text: str, lang: str) -> bytes:
    """The PDF of a Markdown report (cached by its text, shared by sessions)."""
    return render(to_html(markdown_text, lang))
