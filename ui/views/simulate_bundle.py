"""Simulate: how the composed bundle plays out over ten years, as fan charts (median and 5-95% band).

The bundle of the Compose page is simulated against the country as it is (or added to its current mix), on
the same Monte Carlo draws as the no-policy baseline (evaluator/simulate.py; docs/simulate.md).
"""

import plotly.graph_objects as go
import streamlit as st

from ui import state
from ui.components import data
from ui.components.common import country_name, guard, instrument_name, require_country
from ui.i18n import lang as page_lang
from ui.i18n import strings, t

OUTCOMES = ("unemployment", "long_term", "no_income", "cost")


def fan_chart(outcome: dict, title: str) -> go.Figure:
    """Median lines and 5-95% bands of the baseline and the bundle."""
    years = outcome["years"]
    fig = go.Figure()
    for run, colour, fill in (("baseline", "#6b7280", "rgba(107,114,128,0.18)"),
                              ("policy", "#1d4ed8", "rgba(29,78,216,0.18)")):
        band = outcome[run]
        fig.add_trace(go.Scatter(x=years + years[::-1], y=band["p95"] + band["p05"][::-1], fill="toself",
                                 fillcolor=fill, line={"width": 0}, hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=years, y=band["median"], mode="lines+markers", line={"color": colour},
                                 name=t(f"simulate.{run}")))
    fig.update_layout(title=title, xaxis_title=t("simulate.year"), height=320, margin={"l": 10, "r": 10, "t": 40,
                                                                                        "b": 10},
                      legend={"orientation": "h", "y": -0.25})
    return fig


def stage_row(s: dict) -> dict:
    """One stage: the cost band against the stage's fiscal-space cap."""
    cap, within = s["fiscal_space_cap"], s["within_space_share"]
    return {t("simulate.stage"): s["stage"], t("simulate.stage_years"): s["years"],
            t("simulate.cost"): f"{s['cost_median']:.2f} % [{s['cost_p05']:.2f}-{s['cost_p95']:.2f}]",
            t("simulate.cap"): "—" if cap is None else f"{cap:.2f} %",
            t("simulate.within"): "—" if within is None else f"{within:.0%}"}


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


iso3 = require_country()
if iso3:
    with guard():
        st.title(t("simulate.title", country=country_name(iso3)))
        st.caption(t("simulate.caveat"))
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
        for key in OUTCOMES:
            st.plotly_chart(fan_chart(sim["outcomes"][key], t(f"simulate.outcome.{key}")), key=f"sim_{key}")
        if sim["cost_by_stage"]:
            st.subheader(t("simulate.stages"))
            st.dataframe([stage_row(s) for s in sim["cost_by_stage"]], hide_index=True, width="stretch",
                         key="sim_stages")
        if sim["mechanisms"]:
            st.subheader(t("simulate.mechanisms"))
            for m in sim["mechanisms"]:
                metric = f"simulate.metric.{m['metric']}"
                st.markdown(t("simulate.mechanism", instrument=instrument_name(m["instrument"]), low=m["low"],
                              high=m["high"], metric=t(metric) if metric in strings("en") else m["metric"],
                              evidence=", ".join(m["evidence"])))
        if sim["already_in_place"]:
            st.caption(t("simulate.in_place", ids=", ".join(map(instrument_name, sim["already_in_place"]))))
        if sim["not_modelled"]:
            st.warning(t("simulate.not_modelled",
                         ids=", ".join(instrument_name(n["instrument"]) for n in sim["not_modelled"])))
        if sim["drivers"]:
            st.subheader(t("simulate.drivers"))
            st.dataframe([{t("simulate.parameter"): d["parameter"], "ρ": d["spearman"], t("simulate.source"):
                           d["source"]} for d in sim["drivers"]], hide_index=True, width="stretch",
                         key="sim_drivers")
        for n in sim["notes"]:
            st.caption("⚠ " + note_text(n))
        state.write_url()
