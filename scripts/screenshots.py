"""Screenshots of every page of the app in English and Chinese, into docs/screenshots/pages/.

Starts the app as `policyatlas ui` does (ui.browser.served_app), drives Debian's Chromium headless through
Playwright, opens each page with Kenya and two instruments added to its current mix in the URL, waits until the page has
settled and saves a full-page PNG named `{page}-{lang}.png` (plus the page-not-found view). Run:
`.venv/bin/python scripts/screenshots.py [PAGE ...]` (all pages by default; a few minutes).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ui.browser import CHROMIUM, launch, served_app  # noqa: E402
from ui.views import DEFAULT, FILES  # noqa: E402

OUT = ROOT / "docs" / "screenshots" / "pages"
#: Kenya's current mix plus two proposals (the composer's default mode: current mix + additions).
QUERY = "?country=KEN&bundle=psychosocial-support,unemployment-insurance&mode=add&lang={lang}"
#: Settled: Streamlit is not running the script, and no element is still a placeholder or stale.
SETTLED = ("!document.querySelector('[data-testid=\"stStatusWidget\"]')"
           " && !document.querySelector('[data-testid=\"stSkeleton\"]')"
           " && !document.querySelector('[data-stale=\"true\"]')")


def settle(page) -> None:
    page.wait_for_function(SETTLED)
    page.wait_for_timeout(1000)
    page.wait_for_function(SETTLED)


def pick_peers(page, lang: str) -> None:
    """On Compare, add Germany and India to Kenya (the picker's search matches the ISO3 in each name)."""
    for iso3 in ("DEU", "IND"):
        box = page.locator(f".st-key-_w_compare__{lang} input")
        box.fill(iso3)
        page.get_by_role("option").filter(has_text=f"({iso3})").first.click()  # not Enter: it took the wrong one
        settle(page)
    page.keyboard.press("Escape")  # close the picker's list before the shot
    settle(page)


def shoot(page, url: str, path: Path, lang: str) -> None:
    page.goto(url)
    page.locator("h1").first.wait_for()
    page.wait_for_function(SETTLED)
    if "/compare?" in url:
        pick_peers(page, lang)
    page.wait_for_timeout(3000)  # charts finish drawing after the script has run
    page.wait_for_function(SETTLED)
    page.screenshot(path=str(path), full_page=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    log = Path(tempfile.mkdtemp(prefix="policyatlas-shots-")) / "streamlit.log"
    with sync_playwright() as playwright, served_app(log, ready_timeout=300) as (url, _):
        browser = launch(playwright, CHROMIUM)
        try:
            # Streamlit scrolls inside its main container, so a full-page shot is the viewport: make it tall
            page = browser.new_page(viewport={"width": 1400, "height": 2600})
            page.set_default_timeout(300_000)
            for lang in ("en", "zh"):
                for name in sys.argv[1:] or [*FILES, "no-such-page"]:
                    target = OUT / f"{name if name in FILES else 'not-found'}-{lang}.png"
                    path = "" if name == DEFAULT else name  # the start page lives at "/"
                    shoot(page, f"{url}/{path}{QUERY.format(lang=lang)}", target, lang)
                    print(target.relative_to(ROOT))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
