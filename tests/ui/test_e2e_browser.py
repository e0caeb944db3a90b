"""End to end in a real browser: Debian's Chromium driven by Playwright against `streamlit run ui/app.py`
on loopback, as a policymaker uses it. Open the app, choose a country, add instruments to a bundle and see
a finding appear and disappear, switch to Chinese, open a shared bundle URL, press the staged plan's slider
keys quickly, and find no developer controls. Screenshots go to
tests/artifacts/ (kept out of git). On CI a missing Chromium fails the test (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import require_executable
from ui.browser import launch, served_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
#: The first page view loads the KB and evaluates every country for the map.
FIRST_VIEW_MS = 300_000
STEP_MS = 60_000


@pytest.fixture(scope="module")
def server():
    """The app as `policyatlas ui` runs it, on a free loopback port; stopped with its children."""
    with served_app(ARTIFACTS / "streamlit-e2e.log") as (url, _process):
        yield url


@pytest.fixture(scope="module")
def browser():
    chromium = require_executable("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    page.wait_for_timeout(500)  # let the charts finish drawing
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def checkbox(page, instrument: str):
    return page.locator(f".st-key-_w_inst_{instrument}")


def finding(page, rule: str):
    return page.locator(f"[class*='st-key-compose_finding-{rule}-']")


def url_param(name: str, value: str):
    """A predicate for `page.wait_for_url`: the URL's query parameter `name` equals `value`."""
    return lambda url: parse_qs(urlsplit(url).query).get(name) == [value]


def test_policymaker_path_in_chromium(browser, server, atlas):
    kenya = atlas.country("KEN")["label"]
    labels = {i["id"]: i["label"] for i in atlas.instruments()}
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(STEP_MS)

    page.goto(server + "/")
    page.get_by_role("heading", name="Policy responses to AI-driven job displacement").wait_for(
        timeout=FIRST_VIEW_MS)
    page.locator("[data-testid=stVegaLiteChart] canvas").first.wait_for(timeout=FIRST_VIEW_MS)
    shot(page, "01-atlas")

    first = atlas.countries().iloc[0]  # the table lists countries in the API's order
    table = page.locator(".stDataFrame").first.bounding_box()
    page.mouse.click(table["x"] + 17, table["y"] + 54)  # the row-selection box of the first row
    page.get_by_role("heading", name=f"{first['name_en']} ({first['iso3']})").wait_for()
    page.wait_for_url(url_param("country", first["iso3"]))

    picker = page.locator(".st-key-_w_country__en input")
    picker.click()
    picker.fill(kenya["en"])
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Country profile").click()
    page.get_by_role("heading", name=f"{kenya['en']} (KEN)").wait_for()
    shot(page, "02-country-profile")

    page.get_by_role("link", name="Compose a bundle").click()
    page.get_by_role("heading", name=f"Compose a bundle for {kenya['en']}").wait_for()
    for instrument in atlas.country("KEN")["current_instruments"]:  # the composer starts from the current mix
        box = checkbox(page, instrument).locator("input[type=checkbox]")
        assert box.is_checked() and box.is_disabled()
    finding(page, "no-psychosocial-support").first.wait_for(state="visible")
    checkbox(page, "psychosocial-support").get_by_text(labels["psychosocial-support"]["en"]).click()
    finding(page, "no-psychosocial-support").first.wait_for(state="detached")
    page.wait_for_url(url_param("bundle", "psychosocial-support"))
    assert parse_qs(urlsplit(page.url).query)["mode"] == ["add"]
    shot(page, "03a-compose-added-to-current-mix")

    page.get_by_text("The bundle on its own", exact=True).click()  # the same ticks, judged on their own
    page.locator(".st-key-compose_clear button").click()
    page.get_by_role("heading", name="Your bundle (0)").wait_for()
    checkbox(page, "targeted-cash-transfer").get_by_text(labels["targeted-cash-transfer"]["en"]).click()
    finding(page, "single-instrument").first.wait_for(state="visible")
    page.wait_for_url(url_param("bundle", "targeted-cash-transfer"))
    finding(page, "single-instrument").first.scroll_into_view_if_needed()
    shot(page, "03-compose-one-instrument")

    checkbox(page, "digital-financial-inclusion").get_by_text(
        labels["digital-financial-inclusion"]["en"]).click()
    finding(page, "single-instrument").first.wait_for(state="detached")
    page.wait_for_url(url_param("bundle", "targeted-cash-transfer,digital-financial-inclusion"))
    page.locator(".st-key-compose_graph_show label").click()  # the instrument graph is drawn on request
    page.locator(".st-key-compose_graph .stPlotlyChart, .st-key-compose_graph.stPlotlyChart").first.wait_for()
    page.locator(".stPlotlyChart").last.scroll_into_view_if_needed()
    shot(page, "04-compose-two-instruments")

    page.get_by_text("中文", exact=True).click()
    page.get_by_role("heading", name=f"为{kenya['zh']}组合政策工具").wait_for()
    checkbox(page, "targeted-cash-transfer").get_by_text(labels["targeted-cash-transfer"]["zh"]).wait_for()
    page.wait_for_url(url_param("lang", "zh"))
    page.get_by_role("heading", name=f"为{kenya['zh']}组合政策工具").scroll_into_view_if_needed()
    shot(page, "05-compose-chinese")

    shared = browser.new_page(viewport={"width": 1400, "height": 1000})
    shared.set_default_timeout(STEP_MS)
    germany = atlas.country("DEU")["label"]["en"]
    shared.goto(server + "/compose?country=DEU&bundle=short-time-work,vocational-skills-programme&lang=en")
    shared.get_by_role("heading", name=f"Compose a bundle for {germany}").wait_for()
    for instrument in ("short-time-work", "vocational-skills-programme"):
        assert checkbox(shared, instrument).locator("input[type=checkbox]").is_checked()
    assert not checkbox(shared, "targeted-cash-transfer").locator("input[type=checkbox]").is_checked()
    shot(shared, "06-shared-bundle-url")

    shared.get_by_role("link", name="Staged plan").click()
    shared.get_by_role("heading", name=f"Staged plan for {germany}").wait_for()
    shared.locator(".pa-timeline").first.wait_for()
    shot(shared, "07-staged-plan")
    press_slider_quickly(shared)
    shot(shared, "07b-staged-plan-after-fast-keys")
    no_developer_controls(shared)


def idle(page) -> None:
    """Wait until the app has finished its reruns (the "Running..." widget is gone for a moment)."""
    for _ in range(3):
        page.wait_for_timeout(400)
        page.locator("[data-testid=stStatusWidget]").wait_for(state="detached", timeout=STEP_MS)


def press_slider_quickly(page, presses: int = 16, bursts: int = 3) -> None:
    """The fiscal-space slider takes bursts of arrow keys as fast as a held key sends them, with no wait
    between (regression: `KeyError: st.session_state has no key "_w_fiscal_space"` replaced the page in
    4 of 12 tries; 3 of 6 single bursts failed before the fix); the page keeps working and ends at the value
    the keys asked for."""
    slider = page.locator(".st-key-_w_fiscal_space input")  # react-aria's range input behind the thumb
    for burst in range(bursts):
        before, top = slider.evaluate("e => [Number(e.value), Number(e.max)]")
        key = "ArrowRight" if burst % 2 == 0 else "ArrowLeft"
        slider.focus()
        for _ in range(presses):
            page.keyboard.press(key, delay=0)
        idle(page)
        errors = page.locator("[data-testid=stException]")
        assert errors.count() == 0, errors.first.inner_text()
        assert page.get_by_text("KeyError").count() == 0 and page.get_by_text("Traceback").count() == 0
        after = slider.evaluate("e => Number(e.value)")
        wanted = min(top, before + presses * 0.05) if key == "ArrowRight" else max(0.0, before - presses * 0.05)
        assert after == pytest.approx(wanted, abs=1e-6), (burst, before, after)
        metric = page.locator("[data-testid=stMetric]").filter(has_text="Fiscal space").first
        assert f"{after:.2f} %" in metric.inner_text()


def no_developer_controls(page) -> None:
    """Users get no Deploy button and no developer menu items (Rerun, Clear cache, ...): the app is served
    on loopback, where Streamlit's default toolbar mode would show them."""
    assert page.locator("[data-testid=stAppDeployButton]").count() == 0
    page.locator("[data-testid=stMainMenu] button, [data-testid=stMainMenuButton]").first.click()
    menu = page.locator("[data-testid=stMainMenuList]")
    menu.wait_for()
    items = menu.inner_text()
    page.keyboard.press("Escape")
    assert "Print" in items, items  # the viewer's items are there: the menu was read
    for developer_item in ("Clear cache", "Rerun", "Deploy", "Developer", "Settings"):
        assert developer_item.lower() not in items.lower(), items


def test_shared_link_as_the_first_request_of_a_fresh_server(browser, atlas):
    """A shared bundle link opened right after the app starts (nobody has opened "/" yet) gets the whole
    app: the sidebar, the session defaults, the bundle restored, and no "page not found" dialog
    (regression: Streamlit's legacy handling of a `pages/` folder ran the page file alone)."""
    with served_app(ARTIFACTS / "streamlit-e2e-fresh.log") as (url, _process):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)  # the composer does not evaluate every country
        india = atlas.country("IND")["label"]["zh"]
        page.goto(url + "/compose?country=IND&bundle=vocational-skills-programme,digital-financial-inclusion"
                  "&lang=zh")
        page.get_by_role("heading", name=f"为{india}组合政策工具").wait_for()
        for instrument in ("vocational-skills-programme", "digital-financial-inclusion"):
            assert checkbox(page, instrument).locator("input[type=checkbox]").is_checked()
        page.locator("[data-testid=stSidebar]").get_by_text("中文", exact=True).wait_for()
        assert page.get_by_text("Page not found").count() == 0
        shot(page, "08-fresh-server-shared-link")
        page.close()


def test_evidence_row_ticked_shows_its_details(browser, server, atlas):
    """The evidence table lists every record; ticking a row's box draws that record's details and sources."""
    first = atlas.evidence()[0]  # the table lists records in the API's order
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(STEP_MS)
    page.goto(server + "/evidence?lang=en")
    page.get_by_role("heading", name="Evidence browser").wait_for(timeout=FIRST_VIEW_MS)
    assert page.locator(f".st-key-evidence_record_{first['id']}").count() == 0
    table = page.locator(".stDataFrame").first
    table.locator("canvas").first.wait_for()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 17, box["y"] + 54)  # the row-selection box of the first row
    record = page.locator(f".st-key-evidence_record_{first['id']}")
    record.wait_for()
    assert "Details (1)" in page.locator("h3").all_inner_texts()
    assert page.locator(f".st-key-evidence_record_{first['id']} a").count() >= 1  # its sources, as links
    shot(page, "08-evidence-row-details")


def test_clicking_a_country_on_the_map_opens_its_profile(browser, server, atlas):
    """The map is a Vega-Lite canvas: a click on a country (the Democratic Republic of the Congo fills the
    middle of Africa, at 56 % across and 55 % down the map at this window size) selects it and the app opens
    that country's profile."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(STEP_MS)
    page.goto(server + "/?lang=en")
    canvas = page.locator("[data-testid=stVegaLiteChart] canvas").first
    canvas.wait_for(timeout=FIRST_VIEW_MS)
    page.wait_for_timeout(1500)  # the outlines are fetched and drawn after the canvas exists
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + 0.56 * box["width"], box["y"] + 0.55 * box["height"])
    page.wait_for_url(lambda url: "/country" in url and "country=" in url)
    iso3 = parse_qs(urlsplit(page.url).query)["country"][0]
    assert iso3 == "COD"
    page.get_by_role("heading", name=f"{atlas.country(iso3)['label']['en']} ({iso3})").wait_for()
    page.close()
