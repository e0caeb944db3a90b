"""Evidence browser: what studies found about each instrument and programme, how strong the evidence is,
where it was found, and where it is contested. Filter by instrument, outcome, direction, study design and
the income group of the setting country; every record links to its sources."""

import streamlit as st

from ui.components import data
from ui.components.common import concept, country_name, guard, source_links
from ui.i18n import code, lang, t

FILTERS = ("instrument", "outcome", "direction", "design", "income")

st.title(t("evidence.title"))
st.caption(t("evidence.intro"))
with guard():
    records = data.evidence()
    income_of = data.countries()["income_group"].to_dict()
    for record in records:
        record["income"] = sorted({income_of[c] for c in record["setting_countries"] if income_of.get(c)})
    options = {
        "instrument": sorted({i for r in records for i in r["instruments"]}),
        "outcome": sorted({o for r in records for o in r["outcomes"]}),
        "direction": sorted({r["direction"] for r in records}),
        "design": sorted({r["design"] for r in records}),
        "income": sorted({g for r in records for g in r["income"]}),
    }
    shown_as = {name: {v: concept("instrument", v) if name == "instrument" else code(name, v)
                       for v in values} for name, values in options.items()}
    columns = st.columns(len(FILTERS))
    chosen = {name: column.multiselect(t(f"evidence.filter.{name}"), options[name], format_func=shown_as[name].get,
                                       key=f"evidence_{name}__{lang()}")
              for column, name in zip(columns, FILTERS, strict=True)}
    contested_only = st.toggle(t("evidence.contested_only"), key="evidence_contested")

    def keep(record) -> bool:
        values = {"instrument": record["instruments"], "outcome": record["outcomes"],
                  "direction": [record["direction"]], "design": [record["design"]], "income": record["income"]}
        return all(not chosen[n] or set(values[n]) & set(chosen[n]) for n in FILTERS) and (
            record["contested"] or not contested_only)

    shown = [r for r in records if keep(r)]
    st.caption(t("evidence.count", shown=len(shown), total=len(records)))
    st.dataframe([{t("evidence.col.id"): r["id"],
                   t("evidence.col.instruments"): ", ".join(concept("instrument", i) for i in r["instruments"]),
                   t("evidence.col.design"): code("design", r["design"]),
                   t("evidence.col.direction"): code("direction", r["direction"]),
                   t("evidence.col.strength"): code("strength", r["strength"]),
                   t("evidence.col.contested"): "⚠" if r["contested"] else "",
                   t("evidence.col.finding"): r["finding"]} for r in shown],
                 hide_index=True, width="stretch", key="evidence_table")
    for r in shown:
        marker = " ⚠ " + t("evidence.contested") if r["contested"] else ""
        with st.expander(f"{r['id']} · {code('direction', r['direction'])} · {code('strength', r['strength'])}"
                         f"{marker}"):
            st.markdown(r["finding"])
            if r.get("magnitude"):
                st.markdown(t("evidence.magnitude", text=r["magnitude"]))
            st.markdown(t("evidence.population", text=r["population"]))
            if r["setting_countries"]:
                st.markdown(t("evidence.settings", items=", ".join(map(country_name, r["setting_countries"]))))
            if r["contested_by"]:
                st.warning(t("evidence.contested_by", items=", ".join(r["contested_by"])))
            if r.get("unconfirmed"):
                st.caption(t("evidence.unconfirmed", text=r["unconfirmed"]))
            st.caption(t("evidence.sources", items=source_links(r["sources"])))
