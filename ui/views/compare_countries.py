"""Compare countries: two to four countries side by side, with their context, the CODI-style scorecard of
their current policy mix, and the staged plan the planner suggests for each.

CODI itself refuses cross-country comparison; Policy Atlas makes it, on one scale, so that a policymaker
can see what peers with similar fiscal room have built.
"""

import streamlit as st

from ui import state
from ui.components import blocks, data, fmt
from ui.components.common import (
    LEVELS,
    concept,
    country_choices,
    country_name,
    country_options,
    finding_titles,
    guard,
    level_basis,
    level_name,
    scorecard_rows,
    small,
)
from ui.i18n import t

#: Figures shown for each country, in this order, when the KB has them.
CONTEXT = ("gdp-per-capita-ppp", "gen-gov-revenue", "gen-gov-gross-debt", "informal-employment-share",
           "social-protection-coverage", "account-ownership", "ai-preparedness-index", "unemployment-rate")

st.title(t("compare.title"))
st.caption(t("compare.intro"))
if not st.session_state.compare and st.session_state.country:
    state.put("compare", [st.session_state.country])


@st.fragment
def comparison() -> None:
    """The country picker and everything it changes (context, heat map, plans): a fragment, so that adding
    or removing a country reruns and redraws only this part of the page."""
    st.multiselect(t("compare.pick"), country_options(), key=state.bind("compare"), max_selections=4,
                   format_func=country_choices().get, on_change=state.sync, args=("compare",),
                   placeholder=t("common.choose"))
    chosen = list(st.session_state.compare)
    if len(chosen) < 2:
        st.info(t("compare.need_two"))
    else:
        with guard():
            headers = [f"{country_name(c)} ({c})" for c in chosen]
            profiles = [data.country(c) for c in chosen]
            fiscal = data.fiscal_spaces()
            context = {concept("indicator", ind): [fmt.figure(p["figures"].get(ind)) for p in profiles]
                       for ind in CONTEXT}
            context[t("compare.fiscal_space")] = [
                fmt.pct_gdp(fiscal.get(c)) for c in chosen]
            st.subheader(t("compare.context"))
            # HTML tables: the page then loads no data-grid code (its first draw held the first added country
            # back by half a second)
            st.markdown(blocks.table([{t("country.indicator"): name, **dict(zip(headers, values, strict=True))}
                                      for name, values in context.items()], name="compare_context"),
                        unsafe_allow_html=True)

            st.subheader(t("compare.scorecard"))
            cards = {}
            for header, c in zip(headers, chosen, strict=True):
                rows = scorecard_rows(data.evaluation(c))
                cards[header] = {r[t("scorecard.criterion")]: r[t("scorecard.level")] for r in rows}
            levels = {h: dict(data.evaluation(c).get("scorecard") or {}) for h, c in zip(headers, chosen, strict=True)}
            criteria = {k for card in levels.values() for k in card}
            basis = {}
            for h, c in zip(headers, chosen, strict=True):
                ev = data.evaluation(c)
                titles = finding_titles(ev)
                basis[h] = {k: level_basis(d, titles) for k, d in (ev.get("scorecard_detail") or {}).items()}
            st.markdown(blocks.level_heatmap(levels, {lv: level_name(lv) for lv in LEVELS},
                                             {k: concept("concept", k) for k in criteria}, LEVELS, basis),
                        unsafe_allow_html=True)
            st.caption(t("compare.heatmap_help"))
            with st.expander(t("compare.scorecard_table")):
                criteria_rows = list(dict.fromkeys(k for card in cards.values() for k in card))
                st.markdown(blocks.table([{t("scorecard.criterion"): k, **{h: cards[h].get(k) for h in headers}}
                                          for k in criteria_rows], name="compare_scorecard"), unsafe_allow_html=True)
            counts = {h: len(data.evaluation(c)["findings"]) for h, c in zip(headers, chosen, strict=True)}
            st.caption(t("compare.findings", items=", ".join(f"{h}: {n}" for h, n in counts.items())))

            st.subheader(t("compare.plans"))
            columns = st.columns(len(chosen))
            for column, header, c in zip(columns, headers, chosen, strict=True):
                plan = data.plan(c)
                with column:
                    # one Markdown block per country (fewer elements for the browser to redraw)
                    lines = [f"**{header}**", small(t("compare.plan_cost", cost=plan["total_cost_pct_gdp"],
                                                      space=plan["fiscal_space_pct_gdp"]))]
                    if not any(s["instruments"] for s in plan["stages"]):
                        lines.append(small(t("compare.plan_empty")))
                    for stage in plan["stages"]:
                        items = ", ".join(concept("instrument", i["id"]) for i in stage["instruments"]) or "–"
                        lines.append(f"{t('compare.stage', stage=stage['stage'], years=stage['years'])}: {items}")
                    st.markdown("\n\n".join(lines), unsafe_allow_html=True)


comparison()
