"""Staged plan: the planner's path to a three-layer safety net that the country can afford.

Each stage lists the planner's actions (introduce an instrument, or extend an existing scheme's coverage) with
whom each newly reaches and which findings it closes; prerequisites and delivery capacity set the order.
The slider changes the fiscal space the plan
must fit; the comparison shows how the policymaker's own bundle differs from the planner's.
"""

import streamlit as st

from ui import state
from ui.components import blocks, bundle_io, data
from ui.components.common import (
    concept,
    country_name,
    guard,
    instrument_name,
    require_country,
    scorecard,
    source_links,
)
from ui.i18n import lang, t

SLIDER_KEY = state.WIDGET_PREFIX + "fiscal_space"


def closes_label(item: str) -> str:
    """What a chosen instrument closes: a gap kind or a target group."""
    groups = data.labels()["group"]
    return concept("group", item) if item in groups else concept("concept", item)


def reason(item: dict) -> str:
    """Why the planner left a candidate out, in the page's language."""
    return (item.get("reason_zh") if lang() == "zh" else None) or item["reason"]


def set_space() -> None:
    """Slider callback: keep the chosen space. The slider's own key is left alone (deleting it here, as
    `state.put` does, made the next of several quick arrow-key changes find no key: a KeyError page)."""
    value = st.session_state.get(SLIDER_KEY)
    if value is not None:
        st.session_state.fiscal_space = float(value)


def reset_space() -> None:
    state.put("fiscal_space", None)


@st.fragment
def slider_and_plan(iso3: str) -> None:
    """The fiscal-space slider and everything it changes (the plan, its stages, the comparison and the export):
    a fragment, so moving the slider reruns and redraws only this part, not the sidebar and page around it."""
    with guard():
        draw(iso3)


def draw(iso3: str) -> None:
    modelled = data.fiscal_spaces().get(iso3)
    chosen = st.session_state.fiscal_space
    if modelled is None and chosen is None:
        st.info(t("plan.no_space"))
    value = chosen if chosen is not None else (modelled if modelled is not None else 0.0)
    if SLIDER_KEY not in st.session_state:
        st.session_state[SLIDER_KEY] = round(value, 2)
    top = max(10.0, 2 * (modelled or 0.0), value)
    st.slider(t("plan.slider"), 0.0, round(top, 1), step=0.05, key=SLIDER_KEY, on_change=set_space,
              format="%.2f %%")
    if modelled is not None:
        st.caption(t("plan.modelled", value=modelled))
    if chosen is not None:
        st.button(t("plan.reset"), key="plan_reset", on_click=reset_space, icon=":material/restart_alt:")

    plan = data.plan(iso3, chosen)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("plan.space"), f"{plan['fiscal_space_pct_gdp']:.2f} %")
    m2.metric(t("plan.total"), f"{plan['total_cost_pct_gdp']:.2f} %")
    if plan.get("objective") is not None:
        m3.metric(t("plan.objective"), f"{plan['objective']:.2f}" if isinstance(plan["objective"], float)
                  else str(plan["objective"]))
        m3.caption(t("plan.objective_help"))
    names = {i: instrument_name(i) for i in data.instrument_index()}
    if not any(s.get("instruments") for s in plan["stages"]):  # no three empty stages: say what to do
        st.warning(t("plan.nothing", space=plan["fiscal_space_pct_gdp"]), icon=":material/account_balance:")
        plan = {**plan, "stages": []}
    if plan["stages"]:
        # HTML, not a Plotly figure: the page then never loads Plotly's bundle, nor redraws it at each slider move
        st.markdown(blocks.timeline(plan["stages"], names, axis=t("plan.years"), stage_label=t("compare.stage"),
                                    cost_label=t("plan.stage_cost")), unsafe_allow_html=True)
    for stage in plan["stages"]:
        with st.expander(t("plan.stage", stage=stage["stage"], years=stage["years"],
                           cost=stage["cost_pct_gdp"]), expanded=True):
            # an HTML table: "Closes" wraps in its column instead of being cut off, and no grid to redraw
            st.markdown(blocks.table([{
                t("plan.instrument"): (i.get("title") or {}).get(lang()) or names.get(i["id"], i["id"]),
                t("plan.layer"): concept("concept", i["layer"]),
                t("plan.cost"): f"{i['cost_pct_gdp']:.2f}",
                t("plan.closes"): (i.get("explanation") or {}).get(lang()) or ", ".join(map(closes_label, i["closes"]))}
                for i in stage["instruments"]], name=f"plan_stage_{stage['stage']}", narrow=(t("plan.cost"),)),
                unsafe_allow_html=True)
            sources = [f"{names.get(i['id'], i['id'])}: {source_links(i['evidence'])}"
                       for i in stage["instruments"] if i.get("evidence")]
            if sources:  # one caption per stage, a line per instrument
                st.caption("  \n".join(sources))
    if plan.get("left_out"):
        st.subheader(t("plan.left_out"))
        st.markdown(blocks.table([{t("plan.instrument"): names.get(i["id"], i["id"]), t("plan.reason"): reason(i)}
                                  for i in plan["left_out"]], name="plan_left_out"), unsafe_allow_html=True)

    st.subheader(t("plan.compare"))
    planned = [i["id"] for s in plan["stages"] for i in s["instruments"]]
    bundle = list(st.session_state.bundle)
    if not bundle:
        st.caption(t("plan.no_bundle"))
    rows = [{t("plan.instrument"): names.get(i, i), t("plan.in_plan"): "✓" if i in planned else "–",
             t("plan.in_bundle"): "✓" if i in bundle else "–"} for i in dict.fromkeys(planned + bundle)]
    if rows:
        st.markdown(blocks.table(rows, name="plan_vs_bundle"), unsafe_allow_html=True)
    # the plan adds to the current mix; so does the composer's bundle in its default mode ("add")
    plan_eval = data.evaluation_added(iso3, tuple(dict.fromkeys(planned)))
    if st.session_state.get("compose_mode", "add") == "add":
        bundle_eval = data.evaluation_added(iso3, tuple(bundle))
    else:
        bundle_eval = data.evaluation(iso3, tuple(bundle))
    left, right = st.columns(2)
    for column, title, ev, cost in (
            (left, t("plan.plan_side"), plan_eval, plan["total_cost_pct_gdp"]),
            (right, t("plan.bundle_side"), bundle_eval, data.bundle_cost(iso3, tuple(bundle))["central"])):
        with column:
            st.markdown(f"**{title}**")
            st.metric(t("plan.cost_total"), f"{cost:.2f} %")
            st.metric(t("plan.findings"), len(ev["findings"]))
            side = "plan" if ev is plan_eval else "bundle"
            # drawn while open: two tables fewer for the browser to redraw at every move of the slider
            box = st.expander(t("plan.scorecard"), key=f"plan_scorecard_{side}_open", on_change="rerun")
            if box.open:
                with box:
                    scorecard(ev, key=f"plan_scorecard_{side}")

    st.subheader(t("export.title"))
    bundle_io.export_buttons("plan", plan, "plan_export")


iso3 = require_country()
if iso3:
    with guard():
        st.title(t("plan.title", country=country_name(iso3)))
        st.caption(t("plan.intro"))
        slider_and_plan(iso3)
