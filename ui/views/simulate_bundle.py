"""Simulate: how the composed bundle plays out over ten years, as fan charts (median and 5-95% band).

The bundle of the Compose page is simulated against the country as it is (or added to its current mix), on
the same Monte Carlo draws as the no-policy baseline (evaluator/assess/simulate.py; docs/simulate.md).
"""

import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui.components import data
from ui.components.common import country_name, guard, instrument_name, require_country
from ui.i18n import lang as page_lang
from ui.i18n import strings, t

OUTCOMES = ("unemployment", "long_term", "no_income", "cost")


def fan_charts(outcomes: dict, titles: list[str]) -> go.Figure:
    """Median lines and 5-95% bands of the baseline and the bundle, one panel per outcome in a 2 x 2 grid of
    one figure (four figures cost the browser four Plotly layouts on every change of a control)."""
    fig = make_subplots(rows=2, cols=2, subplot_titles=titles, horizontal_spacing=0.08, vertical_spacing=0.16)
    for n, outcome in enumerate(outcomes):
        years, row, col = outcome["years"], n // 2 + 1, n % 2 + 1
        for run, colour, fill in (("baseline", "#6b7280", "rgba(107,114,128,0.18)"),
                                  ("policy", "#1d4ed8", "rgba(29,78,216,0.18)")):
            band = outcome[run]
            fig.add_trace(go.Scatter(x=years + years[::-1], y=band["p95"] + band["p05"][::-1], fill="toself",
                                     fillcolor=fill, line={"width": 0}, hoverinfo="skip", showlegend=False),
                          row=row, col=col)
            fig.add_trace(go.Scatter(x=years, y=band["median"], mode="lines", line={"color": colour},
                                     name=t(f"simulate.{run}"), legendgroup=run, showlegend=n == 0),
                          row=row, col=col)
        fig.update_xaxes(title_text=t("simulate.year") if row == 2 else None, row=row, col=col)
    fig.update_layout(height=620, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": -0.12})
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
    st.plotly_chart(fan_charts([sim["outcomes"][k] for k in OUTCOMES], [t(f"simulate.outcome.{k}") for k in OUTCOMES]),
                    key="sim_fans")
    if sim["cost_by_stage"]:
        st.subheader(t("simulate.stages"))
        st.dataframe([stage_row(s) for s in sim["cost_by_stage"]], hide_index=True, width="stretch",
                     key="sim_stages")
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
        st.dataframe([{t("simulate.parameter"): d["parameter"], "ρ": d["spearman"], t("simulate.source"):
                       d["source"]} for d in sim["drivers"]], hide_index=True, width="stretch",
                     key="sim_drivers")
    if sim["notes"]:
        st.caption("  \n".join("⚠ " + note_text(n) for n in sim["notes"]))


def metric_name(metric: str) -> str:
    key = f"simulate.metric.{metric}"
    return t(key) if key in strings("en") else metric


iso3 = require_country()
if iso3:
    with guard():
        st.title(t("simulate.title", country=country_name(iso3)))
        st.caption(t("simulate.caveat"))
        controls_and_results(iso3)
