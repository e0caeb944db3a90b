"""Atlas: the world map coloured by one indicator, a filterable table, and the way into a country profile.

A policymaker starts here to see where fiscal space is thin, where informality is high, where AI
preparedness lags, and how many gaps the evaluator finds in each country's current mix.
"""

import streamlit as st

from ui import state
from ui.components import blocks, charts, data
from ui.components.common import country_name, guard
from ui.i18n import code, label, lang, t

st.title(t("atlas.title"))
st.caption(t("atlas.intro"))


@st.fragment
def atlas_view() -> None:
    """The indicator picker, the income filter, the map and the table: a fragment, so that picking another
    indicator or income group reruns and redraws only these (not the sidebar); opening a country reruns the
    whole app, which switches page."""
    with guard():
        frame = data.map_frame()  # shared by every session: read, never changed
        columns = list(frame.attrs["indicators"])
        if st.session_state.map_indicator not in columns:
            state.put("map_indicator", columns[0])
        left, right = st.columns([2, 1])
        left.selectbox(t("atlas.indicator"), columns, key=state.bind("map_indicator"),
                       format_func={c: label(n) for c, n in frame.attrs["indicators"].items()}.get,
                       on_change=state.sync, args=("map_indicator",))
        groups = sorted(frame["income_group"].dropna().unique())
        income = right.multiselect(t("atlas.income_filter"), groups,
                                   format_func={g: code("income", g) for g in groups}.get,
                                   key=f"atlas_income__{lang()}", placeholder=t("common.choose"))
        shown = frame[frame["income_group"].isin(income)] if income else frame
        column = st.session_state.map_indicator
        names = shown["iso3"].map(country_name)
        title = label(frame.attrs["indicators"][column])
        cuts, tones = charts.map_classes(shown[column])
        rows = charts.map_data(shown, column, names, title, (cuts, tones))
        labels = {"name": t("atlas.country"), "indicator": t("atlas.tip_indicator"), "value": t("atlas.value")}
        st.vega_lite_chart(rows, charts.world_map(labels, t("fmt.unknown")), key="atlas_map", on_select="rerun",
                           selection_mode="pick", width="stretch")
        st.markdown(blocks.map_legend(title, rows["value"], cuts, [charts.MAP_COLOURS[i] for i in tones],
                                      t("fmt.unknown")), unsafe_allow_html=True)
        picked = st.session_state.get("atlas_map")
        points = ((picked or {}).get("selection") or {}).get("pick") or []  # the clicked countries' ISO-3 codes
        if points and points[0].get("iso3"):
            state.put("country", points[0]["iso3"])
            state.go("country")
            st.rerun()

        table = shown[["iso3", "income_group", column]].assign(
            name=names, income_group=shown["income_group"].map(lambda g: code("income", g) if g else "")
        ).reset_index(drop=True)
        table = table[["iso3", "name", "income_group", column]].rename(columns={
            "iso3": "ISO3", "name": t("atlas.country"), "income_group": t("atlas.income"),
            column: label(frame.attrs["indicators"][column])})
        st.dataframe(table, hide_index=True, width="stretch", key="atlas_table", on_select="rerun",
                     selection_mode="single-row", column_config={
                         label(frame.attrs["indicators"][column]): st.column_config.NumberColumn(format="%.2f")})
        rows = st.session_state.atlas_table.selection.rows
        if rows:
            state.put("country", table.iloc[rows[0]]["ISO3"])
            state.go("country")
            st.rerun()
        st.caption(t("atlas.open_hint"))


atlas_view()
