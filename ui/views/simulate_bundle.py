"""Simulate: how the composed bundle plays out over ten years, as fan charts (median and 5-95% band; an HTML
block of SVG panels, `ui/components/fans.py`, so the page never loads Plotly).

The bundle of the Compose page is simulated against the country as it is (or added to its current mix), on
the same Monte Carlo draws as the no-policy baseline (evaluator/assess/simulate.py; docs/simulate.md).
"""

from html import escape

import streamlit as st

from ui.components import data, fans
from ui.components.common import country_name, guard, instrument_name, require_country
from ui.i18n import lang as page_lang
from ui.i18n import strings, t

OUTCOMES = ("unemployment", "long_term", "no_income", "cost")


def stage_row(s: dict) -> dict:
    """One stage: the cost band against the stage's fiscal-space cap."""
    cap, within = s["fiscal_space_cap"], s["within_space_share"]
    return {t("simulate.stage"): s["stage"], t("simulate.stage_years"): s["years"],
            t("simulate.cost"): f"{s['cost_median']:.2f} % [{s['cost_p05']:.2f}-{s['cost_p95']:.2f}]",
            t("simulate.cap"): "—" if cap is None else f"{cap:.2f} %",
            t("simulate.within"): "—" if within is None else f"{within:.0%}"}


def table(rows: list[dict], name: str, numeric: tuple[int, ...] = ()) -> str:
    """Rows {column: cell} as one escaped HTML table (a few rows: drawn with the page's Markdown, so a fresh tab
    does not load the data grid's code); the columns in `numeric` are right-aligned."""
    head = "".join(f"<th style='text-align:{'right' if i in numeric else 'left'}'>{escape(str(c))}</th>"
                   for i, c in enumerate(rows[0]))
    body = "".join("<tr>" + "".join(f"<td style='text-align:{'right' if i in numeric else 'left'}'>"
                                    f"{escape(str(v))}</td>" for i, v in enumerate(row.values())) + "</tr>"
                   for row in rows)
    return f"<table class='pa-table' data-table='{name}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def scenario_note(scenario: str, english: str) -> str:
    """A scenario's note in the page's language (the simulator's spec holds it in English only)."""
    key = f"simulate.scenario_note.{scenario}"
    return t(key) if page_lang() == "zh" and key in strings("zh") else english


def note_text(note: dict) -> str:
    """A simulator note in the page's language: missing-figure notes have a Chinese form."""
    if page_lang() == "zh" and note.get("kind") == "missing":
        return t("simulate.note_missing", iso3=note["message"].split(":")[0])
    if page_lang() == "zh" and note.get("kind") == "input":
        return t("simulate.note_input", iso3=note["country"], coverage=note["coverage"], year=note["year"],
                 source=note["source"])
    if page_lang() == "zh" and note.get("kind") == "imputed":
        return t("simulate.note_imputed", iso3=note["country"], indicator=note["indicator"], value=note["value"])
    return note["message"]


@st.fragment
def controls_and_results(iso3: str) -> None:
    """The scenario, years, draws and mode pickers and everything they change: a fragment, so moving the years
    slider reruns and redraws only this part (not the sidebar and the page around it)."""
    with guard():
        draw(iso3)


def draw(iso3: str) -> None:
    scen = data.scenarios()
    lang = st.session_state.lang
    c1, c2, c3 = st.columns(3)
    scenario = c1.selectbox(t("simulate.scenario"), list(scen), index=list(scen).index("moderate"),
                            format_func=lambda k: scen[k]["label"].get(lang, scen[k]["label"]["en"]),
                            key="sim_scenario")
    years = c2.slider(t("simulate.years"), 5, 15, 10, key="sim_years")
    draws = c3.select_slider(t("simulate.draws"), options=[100, 200, 500, 1000, 2000], value=200,
                             key="sim_draws")
    add = st.toggle(t("simulate.add_mode"), value=st.session_state.compose_mode == "add", key="sim_add")
    bundle = tuple(st.session_state.bundle)
    if not bundle:
        st.info(t("simulate.empty"))
    st.caption(scenario_note(scenario, scen[scenario]["note"]))
    sim = data.simulation(iso3, bundle, add, scenario, years, draws, 0)
    fans.chart(sim["outcomes"], OUTCOMES)
    if sim["cost_by_stage"]:
        st.subheader(t("simulate.stages"))
        st.markdown(table([stage_row(s) for s in sim["cost_by_stage"]], "stages", numeric=(0, 2, 3, 4)),
                    unsafe_allow_html=True)
    if sim["mechanisms"]:
        st.subheader(t("simulate.mechanisms"))
        st.markdown("\n".join("- " + t("simulate.mechanism", instrument=instrument_name(m["instrument"]),
                                        low=m["low"], high=m["high"], evidence=", ".join(m["evidence"]),
                                        metric=metric_name(m["metric"]))
                               for m in sim["mechanisms"]))  # one element, not one per mechanism
    if sim["already_in_place"]:
        st.caption(t("simulate.in_place", ids=", ".join(map(instrument_name, sim["already_in_place"]))))
    if sim["not_modelled"]:
        st.warning(t("simulate.not_modelled",
                     ids=", ".join(instrument_name(n["instrument"]) for n in sim["not_modelled"])))
    if sim["drivers"]:
        st.subheader(t("simulate.drivers"))
        st.markdown(table([{t("simulate.parameter"): parameter_name(d["parameter"]), "ρ": f"{d['spearman']:.2f}",
                            t("simulate.source"): source_text(d["source"])} for d in sim["drivers"]], "drivers",
                          numeric=(1,)), unsafe_allow_html=True)
    if sim["notes"]:
        st.caption("  \n".join("⚠ " + note_text(n) for n in sim["notes"]))


def parameter_name(name: str) -> str:
    """A drawn parameter of the simulator in words ("effect:wage-subsidy" -> "Effect of Wage subsidy"); its id
    when the catalogue has no name for it."""
    kind, _, instrument = name.partition(":")
    if instrument and f"simulate.param.{kind}" in strings("en"):
        return t(f"simulate.param.{kind}", instrument=instrument_name(instrument))
    return t(f"simulate.param.{name}") if f"simulate.param.{name}" in strings("en") else name


def source_text(source: str) -> str:
    """Where a parameter's range comes from: an assumption, evidence records (ids), a KB source id or a file."""
    if source == "assumption":
        return t("simulate.assumption")
    if source.startswith("evidence: "):
        return t("simulate.evidence", ids=source.removeprefix("evidence: "))
    return source


def metric_name(metric: str) -> str:
    key = f"simulate.metric.{metric}"
    return t(key) if key in strings("en") else metric


iso3 = require_country()
if iso3:
    with guard():
        st.title(t("simulate.title", country=country_name(iso3)))
        st.caption(t("simulate.caveat"))
        controls_and_results(iso3)
