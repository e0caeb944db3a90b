"""Every relative link and image in README.md and docs/*.md names a file or folder of the repository.

The Markdown is read by Python-Markdown (a dependency already, for the UI), so that a link is what a Markdown
renderer sees as one (not text in a code span); web links and links within a page are not checked.

Run: .venv/bin/python -m pytest tests/core/test_doc_links.py
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest

from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        wanted = {"a": "href", "img": "src"}.get(tag)
        self.targets += [value for name, value in attrs if name == wanted and value]


def relative_links(page: Path) -> list[str]:
    """The targets of the page's links and images that point into the repository (no scheme, not `#...`)."""
    parser = _Links()
    parser.feed(markdown.markdown(page.read_text(encoding="utf-8")))
    return [t for t in parser.targets if not urlsplit(t).scheme and not t.startswith(("#", "//"))]


def test_the_checker_sees_links_but_not_code():
    page = ROOT / "README.md"
    assert relative_links(page), "README.md has relative links; the checker found none"
    html = markdown.markdown("[a](docs/x.md#part) ![b](img/y.png) `[c](z.md)` [d](https://e.org) [f](#g)")
    parser = _Links()
    parser.feed(html)
    assert parser.targets == ["docs/x.md#part", "img/y.png", "https://e.org", "#g"]


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_relative_link_resolves(page: Path):
    missing = []
    for target in relative_links(page):
        path = unquote(urlsplit(target).path)
        resolved = (ROOT / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
        if not resolved.exists():
            missing.append(target)
    assert missing == [], f"{page.relative_to(ROOT)} links to what the repository does not hold: {missing}"
