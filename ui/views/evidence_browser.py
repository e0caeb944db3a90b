"""Evidence browser: what studies found about each instrument and programme, how strong the evidence is,
where it was found, and where it is contested. Search by free text (titles of the sources, programmes,
countries, instruments and findings, in either language), filter by instrument, programme, outcome,
direction, study design and the income group of the setting country; every record links to its sources."""

import zlib

import streamlit as st

from ui.components import data
from ui.components.common import concept, country_labels, country_name, guard, source_links
from ui.components.search import haystacks, matches
from ui.i18n import code, label, lang, t

FILTERS = ("instrument", "programme", "outcome", "direction", "design", "income")
#: A search or filter that leaves this many records or fewer shows their details without a row being ticked.
FEW = 3


def text(record, key: str = "finding") -> str:
    """A record's finding, magnitude, population or unconfirmed note in the page's language: the KB's Chinese
    translation where it has one (`finding_zh`, ...), else the English."""
    return label({"en": record.get(key) or "", "zh": record.get(f"{key}_zh")})


def header(r) -> str:
    """A record's id, direction and strength, and the contested mark."""
    marker = " ⚠ " + t("evidence.contested") if r["contested"] else ""
    return f"{r['id']} · {code('direction', r['direction'])} · {code('strength', r['strength'])}{marker}"


def details(r, programme_names) -> None:
    """A record's finding, programmes, magnitude, population and settings as one Markdown block, its
    contestation as a warning, its caveat and sources as one caption: three elements at most per record."""
    parts = [text(r)]
    if r["programmes"]:
        parts.append(t("evidence.programmes", items=", ".join(programme_names.get(p, p) for p in r["programmes"])))
    if r.get("magnitude"):
        parts.append(t("evidence.magnitude", text=text(r, "magnitude")))
    parts.append(t("evidence.population", text=text(r, "population")))
    if r["setting_countries"]:
        parts.append(t("evidence.settings", items=", ".join(map(country_name, r["setting_countries"]))))
    st.markdown("\n\n".join(parts))
    if r["contested_by"]:
        st.warning(t("evidence.contested_by", items=", ".join(r["contested_by"])))
    notes = [t("evidence.unconfirmed", text=text(r, "unconfirmed"))] if r.get("unconfirmed") else []
    st.caption("  \n".join([*notes, t("evidence.sources", items=source_links(r["sources"]))]))


st.title(t("evidence.title"))
st.caption(t("evidence.intro"))
with guard():
    records = data.evidence()
    income_of = data.countries()["income_group"].to_dict()
    for record in records:
        record["income"] = sorted({income_of[c] for c in record["setting_countries"] if income_of.get(c)})
    programme_names = {p["id"]: p["name"]["en"] for p in data.programmes()}
    query = st.text_input(t("evidence.search"), key="evidence_search", placeholder=t("evidence.search_hint"),
                          icon=":material/search:")
    options = {
        "instrument": sorted({i for r in records for i in r["instruments"]}),
        "programme": sorted({p for r in records for p in r["programmes"]}, key=lambda p: programme_names.get(p, p)),
        "outcome": sorted({o for r in records for o in r["outcomes"]}),
        "direction": sorted({r["direction"] for r in records}),
        "design": sorted({r["design"] for r in records}),
        "income": sorted({g for r in records for g in r["income"]}),
    }
    shown_as = {name: {v: concept("instrument", v) if name == "instrument" else
                       programme_names.get(v, v) if name == "programme" else code(name, v)
                       for v in values} for name, values in options.items()}
    columns = st.columns(len(FILTERS))
    chosen = {name: column.multiselect(t(f"evidence.filter.{name}"), options[name], format_func=shown_as[name].get,
                                       key=f"evidence_{name}__{lang()}", placeholder=t("common.choose"))
              for column, name in zip(columns, FILTERS, strict=True)}
    texts = haystacks(records, programme_names, country_labels(), data.labels()["instrument"], data.sources())
    contested_only = st.toggle(t("evidence.contested_only"), key="evidence_contested")

    def keep(record) -> bool:
        values = {"instrument": record["instruments"], "programme": record["programmes"], "outcome": record["outcomes"],
                  "direction": [record["direction"]], "design": [record["design"]], "income": record["income"]}
        return all(not chosen[n] or set(values[n]) & set(chosen[n]) for n in FILTERS) and (
            record["contested"] or not contested_only) and matches(texts[record["id"]], query)

    shown = [r for r in records if keep(r)]
    st.caption(t("evidence.count", shown=len(shown), total=len(records)))
    # Row selection picks the records whose details are drawn: the 90 records' details as expanders below the
    # table made this page take 6-7 s to settle in the browser. The table's key follows the records listed, so
    # a new search or filter starts with nothing selected (a row number never points at another record).
    listed = zlib.crc32(" ".join(r["id"] for r in shown).encode())
    table = st.dataframe([{t("evidence.col.id"): r["id"],
                           t("evidence.col.instruments"): ", ".join(concept("instrument", i) for i in r["instruments"]),
                           t("evidence.col.design"): code("design", r["design"]),
                           t("evidence.col.direction"): code("direction", r["direction"]),
                           t("evidence.col.strength"): code("strength", r["strength"]),
                           t("evidence.col.contested"): "⚠" if r["contested"] else "",
                           t("evidence.col.finding"): text(r)} for r in shown],
                         hide_index=True, width="stretch", key=f"evidence_table_{listed:08x}", on_select="rerun",
                         selection_mode="multi-row", column_config={
                             t("evidence.col.id"): st.column_config.TextColumn(width="medium"),
                             t("evidence.col.direction"): st.column_config.TextColumn(width="small"),
                             t("evidence.col.contested"): st.column_config.TextColumn(width="small"),
                             t("evidence.col.finding"): st.column_config.TextColumn(width="large")})
    if not shown:
        st.info(t("evidence.none"), icon=":material/search_off:")
    every = st.toggle(t("evidence.all_details"), key="evidence_all_details") if shown else False
    picked = [shown[i] for i in table.selection.rows if i < len(shown)]
    if every:  # every record listed, each collapsed under its header
        for r in shown:
            with st.expander(header(r)):
                details(r, programme_names)
    elif picked or 0 < len(shown) <= FEW:  # the rows ticked, else a search narrowed to a few records
        st.subheader(t("evidence.details", n=len(picked or shown)))
        for r in picked or shown:
            with st.container(border=True, key=f"evidence_record_{r['id']}"):
                st.markdown(f"**{header(r)}**")
                details(r, programme_names)
    elif shown:
        st.caption(t("evidence.select_hint", few=FEW))
