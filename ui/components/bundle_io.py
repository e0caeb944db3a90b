"""Saving, loading and sharing a composed bundle, and exporting its evaluation.

A saved bundle is the JSON `{"country": "KEN", "bundle": ["targeted-cash-transfer", ...], "mode": "add"}`
("add": added to the current mix; "alone": judged on its own, also when `mode` is absent); the JSON export
of an evaluation has the first two keys, so either can be loaded back. Ids are checked against the KB and a
mistake is shown to the user, never raised.
"""

from __future__ import annotations

import json

import streamlit as st

from policyatlas.render import report
from ui import state
from ui.components import data
from ui.components.common import country_labels, country_name, report_labels, share_link
from ui.i18n import lang, t

UPLOAD_KEY = "bundle_upload"
ERROR_KEY = "bundle_io_error"


def bundle_json() -> str:
    """The session's bundle as the JSON a user saves."""
    return json.dumps({"country": st.session_state.country, "bundle": st.session_state.bundle,
                       "mode": st.session_state.compose_mode},
                      ensure_ascii=False, indent=2) + "\n"


def parse_bundle(text: str | bytes, known_countries, known_instruments) -> tuple[str | None, list[str], str]:
    """Country, instrument ids and mode from a saved bundle; ValueError says what is wrong in the file."""
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(t("compose.load_bad_json", error=str(err))) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("bundle"), list):
        raise ValueError(t("compose.load_bad_shape"))
    country = doc.get("country")
    if country is not None and country not in known_countries:
        raise ValueError(t("compose.load_bad_country", iso3=country))
    unknown = [i for i in doc["bundle"] if i not in known_instruments]
    if unknown:
        raise ValueError(t("compose.load_bad_instruments", items=", ".join(map(str, unknown))))
    mode = doc.get("mode", "alone")
    if mode not in state.MODES:
        raise ValueError(t("compose.load_bad_mode", mode=mode))
    return country, list(doc["bundle"]), mode


def _load_upload() -> None:
    """Uploader callback: replace the bundle (and country) with the uploaded file's."""
    upload = st.session_state.get(UPLOAD_KEY)
    st.session_state[ERROR_KEY] = None
    if upload is None:
        return
    try:
        country, bundle, mode = parse_bundle(upload.getvalue(), country_labels(), data.instrument_index())
    except ValueError as err:
        st.session_state[ERROR_KEY] = str(err)
        return
    if country:
        state.put("country", country)
    state.put("compose_mode", mode)
    state.put_bundle(bundle)


def save_load_share() -> None:
    """Download the bundle as JSON, load one, and the link that restores it."""
    left, right = st.columns(2)
    with left:
        saved = bundle_json()
        st.download_button(t("compose.save"), lambda: saved, file_name=f"bundle-{st.session_state.country}.json",
                           mime="application/json", key="bundle_save", icon=":material/download:")
        st.caption(t("compose.share"))
        share_link(state.share_url())
    with right:
        st.file_uploader(t("compose.load"), type=["json"], key=UPLOAD_KEY, on_change=_load_upload)
        if st.session_state.get(ERROR_KEY):
            st.error(st.session_state[ERROR_KEY])


STAGE_YEARS = {1: "0-2", 2: "2-5", 3: "5+"}


def bundle_stages(iso3: str, bundle: tuple[str, ...]) -> list[dict]:
    """The bundle's costed instruments by stage, ordered by the KB's prerequisites (an instrument one stage
    after the bundle's instruments it needs, as the planner sequences), with the stage's cost (% of GDP)."""
    costed = data.bundle_cost(iso3, bundle)["costed"]
    needs = data.atlas().relation_pairs("prerequisite-of")
    stage_of: dict[str, int] = {}

    def stage(iid: str, seen: frozenset = frozenset()) -> int:
        if iid not in stage_of:
            before = [a for a, b in needs if b == iid and a in costed and a not in seen]
            stage_of[iid] = min(3, 1 + max((stage(a, seen | {iid}) for a in before), default=0))
        return stage_of[iid]

    by_stage: dict[int, list[str]] = {}
    for iid in costed:
        by_stage.setdefault(stage(iid), []).append(iid)
    return [{"stage": s, "years": STAGE_YEARS.get(s, ""), "instruments": ids,
             "cost": data.bundle_cost(iso3, tuple(ids))["central"]} for s, ids in sorted(by_stage.items())]


def export_buttons(kind: str, payload: dict, key: str, share_query: str | None = None,
                   budget: dict | None = None) -> None:
    """Download buttons for the Markdown report, the JSON and the CSV of an evaluation or a plan, and a
    PDF of the report rendered on request. `budget` (bundles) adds the cost against the fiscal space."""
    iso3 = payload["country"]
    columns = st.columns(len(report.FORMATS) + 1)
    bodies = {}
    for column, (fmt, (_, mime)) in zip(columns, report.FORMATS.items(), strict=False):
        if kind == "bundle":
            body = report.bundle_report(payload, fmt, lang=lang(), labels=report_labels(),
                                        country_name=country_name(iso3), share_query=share_query, budget=budget)
        else:
            body = report.plan_report(payload, fmt, lang=lang(), labels=report_labels(),
                                      country_name=country_name(iso3))
        bodies[fmt] = body
        # deferred (a callable): the file is served when the button is clicked, so the browser does not fetch
        # every report again at each rerun (the bodies are kept: the PDF is made from the Markdown one)
        column.download_button(t(f"export.{fmt}"), lambda body=body: body, file_name=report.filename(kind, iso3, fmt),
                               mime=mime, key=f"{key}_{fmt}", icon=":material/download:")
    with columns[-1]:
        pdf_button(bodies["markdown"], f"policyatlas-{kind}-{iso3}.pdf", key=f"{key}_pdf")


def pdf_button(markdown_text: str, file_name: str, *, key: str) -> None:
    """"Prepare the PDF", then its download button (rendering costs about a second, so it waits to be
    asked); a failure to render says so and points to the Markdown report."""
    from ui.components import pdf

    wanted = st.session_state.get(f"{key}_wanted") == markdown_text
    if not wanted:
        if st.button(t("export.pdf_prepare"), key=f"{key}_prepare", icon=":material/picture_as_pdf:"):
            st.session_state[f"{key}_wanted"] = markdown_text
            st.rerun()
        return
    try:
        with st.spinner(t("export.pdf_prepare")):
            body = pdf.report_pdf(markdown_text, lang())
    except Exception as err:  # noqa: BLE001 -- no Chromium or Playwright here: say so, keep the page working
        st.caption(t("export.pdf_failed", error=type(err).__name__))
        return
    st.download_button(t("export.pdf"), body, file_name=file_name, mime="application/pdf", key=key,
                       icon=":material/download:")
