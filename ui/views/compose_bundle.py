"""Compose a bundle: pick instruments layer by layer and watch the evaluation, the cost against the
country's fiscal space, the target groups reached and the bundle's part of the instrument graph update.

The three-layer safety net of the source analysis (base: income protection; middle: skills and learning
accounts; top: conditional basic income) plus the cross-cutting governance, firm-responsibility,
psychosocial and digital instruments: a bundle that leaves a layer or a group uncovered shows it here.
"""

import pandas as pd
import streamlit as st

from ui import state
from ui.components import bundle_io, charts, data
from ui.components.common import (
    SEVERITY_ICONS,
    concept,
    country_name,
    findings,
    guard,
    instrument_name,
    require_country,
    scorecard,
)
from ui.i18n import code, label, t

LAYERS = ("base", "middle", "top", "cross-cutting")


def first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + (dot.strip() if dot else "")


def summary_panel(cost: dict, space: float | None, evaluation: dict) -> None:
    """The summary that stays in view while instruments are ticked: it lives in the sidebar, which does
    not scroll with the page (cost against fiscal space and the findings by severity)."""
    with st.sidebar.container(border=True, key="compose_summary"):
        st.markdown(f"**{t('compose.summary')}**")
        st.metric(t("compose.cost_central"), f"{cost['central']:.2f} %")
        if space is not None:
            st.metric(t("compose.space"), f"{space:.2f} %", delta=f"{space - cost['central']:+.2f} %",
                      delta_color="normal")
        counts = {s: sum(f["severity"] == s for f in evaluation.get("findings") or []) for s in SEVERITY_ICONS}
        st.markdown(" · ".join(f"{SEVERITY_ICONS[s]} {code('severity', s)}: {n}" for s, n in counts.items()))
        st.markdown(f"[{t('compose.to_findings')}](#compose-findings)")


iso3 = require_country()
if iso3:
    with guard():
        catalogue = data.instruments()
        known = data.instrument_index()
        unknown = [i for i in st.session_state.bundle if i not in known]
        if unknown:
            st.warning(t("compose.unknown", items=", ".join(unknown)))
            state.put_bundle(i for i in st.session_state.bundle if i in known)
        st.title(t("compose.title", country=country_name(iso3)))
        st.caption(t("compose.intro"))
        current = list(data.country(iso3).get("current_instruments") or [])
        if not st.session_state.bundle and current:
            st.button(t("compose.from_current", n=len(current)), key="compose_from_current",
                      on_click=state.put_bundle, args=(current,), icon=":material/playlist_add:", type="primary")
        picker, results = st.columns([2, 3], gap="large")
        with picker:
            for layer in LAYERS:
                members = [i for i in catalogue if i["layer"] == layer]
                if not members:
                    continue
                with st.expander(concept("concept", layer), expanded=True):
                    for family in sorted({i["family"] for i in members}, key=lambda f: concept("concept", f)):
                        st.markdown(f"**{concept('concept', family)}**")
                        for inst in (i for i in members if i["family"] == family):
                            definition = label(inst["definition"])
                            st.checkbox(label(inst["label"], inst["id"]), key=state.toggle_key(inst["id"]),
                                        on_change=state.toggle, args=(inst["id"],), help=definition or None)
                            if definition:
                                st.caption(first_sentence(definition))
                            if inst["id"] in current:
                                st.caption(t("compose.in_current"))
            if st.session_state.bundle:
                st.button(t("compose.clear"), key="compose_clear", on_click=state.put_bundle, args=([],),
                          icon=":material/delete:")

        bundle = tuple(st.session_state.bundle)
        with results:
            st.subheader(t("compose.bundle", n=len(bundle)))
            st.markdown(", ".join(map(instrument_name, bundle)) if bundle else t("compose.empty"))
            evaluation = data.evaluation(iso3, bundle)

            st.subheader(t("compose.cost"))
            cost = data.bundle_cost(iso3, bundle)
            modelled = data.fiscal_spaces().get(iso3)
            space = st.session_state.fiscal_space if st.session_state.fiscal_space is not None else modelled
            c1, c2 = st.columns(2)
            c1.metric(t("compose.cost_central"), f"{cost['central']:.2f} %",
                      help=t("compose.cost_range", low=cost["low"], high=cost["high"]))
            if cost["in_place"]:
                st.caption(t("compose.in_place", names=", ".join(map(instrument_name, cost["in_place"]))))
            if space is None:
                c2.metric(t("compose.space"), "–")
                st.info(t("compose.no_space"))
            else:
                c2.metric(t("compose.space"), f"{space:.2f} %",
                          delta=f"{space - cost['central']:+.2f} %", delta_color="normal")
                st.plotly_chart(charts.cost_bar(cost["central"], space, {
                    "cost": t("compose.cost_central"), "space": t("compose.space"), "axis": t("common.pct_gdp")}),
                    key="compose_cost")
                source = t("compose.space_override") if st.session_state.fiscal_space is not None \
                    else t("compose.space_modelled")
                st.caption(source)

            summary_panel(cost, space, evaluation)
            st.subheader(t("compose.findings"), anchor="compose-findings")
            findings(evaluation, key="compose_finding")
            with st.expander(t("compose.scorecard"), expanded=False):
                scorecard(evaluation, key="compose_scorecard")

            st.subheader(t("compose.coverage"))
            groups = data.labels()["group"]
            matrix = pd.DataFrame(
                {instrument_name(i): [g in known[i]["target_groups"] for g in groups] for i in bundle},
                index=[label(groups[g], g) for g in groups])
            matrix[t("compose.reached")] = matrix.any(axis=1) if bundle else False
            st.plotly_chart(charts.group_bars({label(groups[g], g): int(matrix.iloc[n, :-1].sum()) if bundle else 0
                                               for n, g in enumerate(groups)},
                                              t("compose.bars_axis"), t("compose.reached"), t("compose.missed")),
                            key="compose_group_bars")
            st.caption(t("compose.bars_help"))
            with st.expander(t("compose.matrix")):
                st.dataframe(matrix, width="stretch", key="compose_coverage")

            st.subheader(t("compose.graph"))
            if bundle:
                st.plotly_chart(charts.bundle_graph(data.graph(), bundle,
                                                    {i: instrument_name(i) for i in known},
                                                    {i: known[i]["layer"] for i in known},
                                                    {k: code("relation", k) for k in charts.RELATION_STYLES}),
                                key="compose_graph")
                st.caption(t("compose.graph_help"))
            else:
                st.caption(t("compose.empty"))

        st.divider()
        st.subheader(t("compose.save_share"))
        bundle_io.save_load_share()
        st.subheader(t("export.title"))
        if bundle:
            bundle_io.export_buttons("bundle", evaluation, "compose_export", share_query=state.share_query(),
                                     budget={"cost": cost, "fiscal_space": space,
                                             "fiscal_space_source": "override" if st.session_state.fiscal_space
                                             is not None else "model",
                                             "stages": bundle_io.bundle_stages(iso3, bundle)})
        else:
            st.info(t("export.empty_bundle"), icon=":material/info:")
