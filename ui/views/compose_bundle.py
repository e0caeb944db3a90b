"""Compose a bundle: pick instruments layer by layer and watch the evaluation, the cost against the
country's fiscal space, the target groups reached and the bundle's part of the instrument graph update.

The three-layer safety net of the source analysis (base: income protection; middle: skills and learning
accounts; top: conditional basic income) plus the cross-cutting governance, firm-responsibility,
psychosocial and digital instruments: a bundle that leaves a layer or a group uncovered shows it here.
"""

import pandas as pd
import streamlit as st

from policyatlas.kb import vocab
from ui import state
from ui.components import blocks, bundle_io, charts, data
from ui.components.common import (
    SEVERITY_ICONS,
    baseline_notice,
    concept,
    country_name,
    findings,
    guard,
    instrument_name,
    require_country,
    scorecard,
)
from ui.i18n import capital, code, label, t


def summary_panel(cost: dict, space: float | None, evaluation: dict, adding: bool) -> None:
    """The summary that stays in view while instruments are ticked: it lives in the sidebar, which does
    not scroll with the page (cost of the additions against fiscal space and the findings by severity)."""
    with st.sidebar.container(border=True, key="compose_summary"):
        st.markdown(f"**{t('compose.summary')}**")
        st.caption(t(f"compose.mode_{'add' if adding else 'alone'}"))
        st.metric(t("compose.summary_cost_add" if adding else "compose.summary_cost"), f"{cost['central']:.2f} %",
                  help=t("compose.cost_additions" if adding else "compose.cost_central"))
        if space is not None:
            st.metric(t("compose.space"), f"{space:.2f} %", delta=f"{space - cost['central']:+.2f} %",
                      delta_color="normal")
        counts = {s: sum(f["severity"] == s for f in evaluation.get("findings") or []) for s in SEVERITY_ICONS}
        st.markdown(" · ".join(f"{SEVERITY_ICONS[s]} {capital(code('severity', s))}: {n}" for s, n in counts.items()))
        st.markdown(f"[{t('compose.to_findings')}](#compose-findings)")


def instrument_box(inst: dict, current: frozenset[str], adding: bool) -> None:
    """One instrument's checkbox with its place in the current mix in its label (no caption or help tooltip on
    each of the 27 boxes: the browser drew 27 tooltips a second after the page, on every load and tick; the
    definitions are one block under the boxes, `definitions`)."""
    in_place = adding and inst["id"] in current
    key = state.toggle_key(inst["id"])
    st.session_state[key] = in_place or inst["id"] in st.session_state.bundle
    mark = t("compose.in_place_mark") if in_place else t("compose.in_current") if inst["id"] in current else ""
    name = label(inst["label"], inst["id"])
    st.checkbox(f"{name} · {mark}" if mark else name, key=key, on_change=state.toggle, args=(inst["id"],),
                disabled=in_place)


def picker_column(catalogue: list[dict], current: frozenset[str], adding: bool) -> None:
    for layer in vocab.ids("layer"):
        members = [i for i in catalogue if i["layer"] == layer]
        if not members:
            continue
        with st.expander(concept("concept", layer), expanded=True):
            for family in sorted({i["family"] for i in members}, key=lambda f: concept("concept", f)):
                st.markdown(f"**{concept('concept', family)}**")
                for inst in (i for i in members if i["family"] == family):
                    instrument_box(inst, current, adding)
    if st.session_state.bundle:
        st.button(t("compose.clear_additions" if adding else "compose.clear"), key="compose_clear",
                  on_click=state.put_bundle, args=([],), icon=":material/delete:")
    definitions(catalogue)


def definitions(catalogue: list[dict]) -> None:
    """What each instrument is: one Markdown block in a closed expander (not a tooltip on each box)."""
    with st.expander(t("compose.definitions")):
        st.markdown("\n".join(f"- **{label(i['label'], i['id'])}**: {label(i['definition'])}" for i in catalogue))


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
        current_list = list(data.country(iso3).get("current_instruments") or [])
        current = frozenset(current_list)
        st.radio(t("compose.mode"), state.MODES, key=state.bind("compose_mode"), horizontal=True,
                 format_func=lambda m: t(f"compose.mode_{m}"), on_change=state.switch_mode, args=(current_list,))
        adding = st.session_state.compose_mode == "add"
        if adding and not current:
            st.info(t("compose.no_current"), icon=":material/info:")
        picker, results = st.columns([2, 3], gap="large")
        with picker:
            picker_column(catalogue, current, adding)

        bundle = tuple(state.additions(current) if adding else st.session_state.bundle)
        judged = tuple([*current_list, *bundle]) if adding else bundle  # every instrument the evaluation sees
        with results:
            if adding:
                st.subheader(t("compose.additions", n=len(bundle)))
                st.caption(t("compose.current_mix", n=len(current_list),
                             names=", ".join(map(instrument_name, current_list)) or "–"))
                st.markdown(", ".join(map(instrument_name, bundle)) if bundle else t("compose.empty_additions"))
            else:
                st.subheader(t("compose.bundle", n=len(bundle)))
                st.markdown(", ".join(map(instrument_name, bundle)) if bundle else t("compose.empty"))
            evaluation = data.evaluation_added(iso3, bundle) if adding else data.evaluation(iso3, bundle)
            baseline_notice(evaluation)

            st.subheader(t("compose.cost"))
            cost = data.bundle_cost(iso3, bundle)
            modelled = data.fiscal_spaces().get(iso3)
            space = st.session_state.fiscal_space if st.session_state.fiscal_space is not None else modelled
            cost_label = t("compose.cost_additions" if adding else "compose.cost_central")
            c1, c2 = st.columns(2)
            c1.metric(cost_label, f"{cost['central']:.2f} %",
                      help=t("compose.cost_range", low=cost["low"], high=cost["high"]))
            if cost["in_place"]:
                st.caption(t("compose.in_place", names=", ".join(map(instrument_name, cost["in_place"]))))
            if space is None:
                c2.metric(t("compose.space"), "–")
                st.info(t("compose.no_space"))
            else:
                c2.metric(t("compose.space"), f"{space:.2f} %",
                          delta=f"{space - cost['central']:+.2f} %", delta_color="normal")
                if space <= 0:
                    st.warning(t("compose.zero_space"), icon=":material/savings:")
                else:  # a native bar, not a Plotly figure: the page then needs no Plotly in the browser
                    share = 100 * cost["central"] / space
                    st.progress(min(share / 100, 1.0),
                                text=t("compose.cost_over" if share > 100 else "compose.cost_share", share=share))
                source = t("compose.space_override") if st.session_state.fiscal_space is not None \
                    else t("compose.space_modelled")
                st.caption(source)

            summary_panel(cost, space, evaluation, adding)
            st.subheader(t("compose.findings"), anchor="compose-findings")
            findings(evaluation, key="compose_finding", one_block=True)  # a card is one element, not two
            # the scorecard and the coverage matrix are tables drawn only while their expander is open: the
            # browser would otherwise redraw both hidden grids on every tick
            box = st.expander(t("compose.scorecard"), key="compose_scorecard_open", on_change="rerun")
            if box.open:
                with box:
                    scorecard(evaluation, key="compose_scorecard")

            st.subheader(t("compose.coverage"))
            groups = data.labels()["group"]
            matrix = pd.DataFrame(
                {instrument_name(i): [g in known[i]["target_groups"] for g in groups] for i in judged},
                index=[label(groups[g], g) for g in groups])
            matrix[t("compose.reached")] = matrix.any(axis=1) if judged else False
            counts = [int(matrix.iloc[n, :-1].sum()) if judged else 0 for n in range(len(groups))]
            # bars in an HTML table (no data grid on the page: its 1.2 MB of scripts and its redraws)
            st.markdown(blocks.count_bars([(name, n, n > 0) for name, n in zip(matrix.index, counts, strict=True)],
                                          headers=(t("compose.group"), t("compose.bars_axis"), t("compose.status")),
                                          reached=t("compose.reached"), missed=t("compose.missed")),
                        unsafe_allow_html=True)
            st.caption(t("compose.bars_help"))
            box = st.expander(t("compose.matrix"), key="compose_matrix_open", on_change="rerun")
            if box.open:
                box.dataframe(matrix, width="stretch", key="compose_coverage")

            st.subheader(t("compose.graph"))
            if not judged:
                st.caption(t("compose.empty"))
            elif st.toggle(t("compose.graph_show"), key="compose_graph_show"):
                # drawn on request: the browser spends seconds laying out this figure on every load and tick
                st.plotly_chart(charts.bundle_graph(data.graph(), judged,
                                                    {i: instrument_name(i) for i in known},
                                                    {i: known[i]["layer"] for i in known},
                                                    {k: code("relation", k) for k in charts.RELATION_STYLES}),
                                key="compose_graph")
                st.caption(t("compose.graph_help"))

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
            st.info(t("export.empty_additions" if adding else "export.empty_bundle"), icon=":material/info:")
