"""Country profile: the context a policy mix must fit (figures with year and source), the programmes in
place, and what the evaluator finds missing in them, with the CODI-style scorecard."""

import streamlit as st

from ui.components import data
from ui.components.common import concept, findings, guard, instrument_name, require_country, scorecard, source_links
from ui.i18n import code, label, t

iso3 = require_country()
if iso3:
    with guard():
        profile = data.country(iso3)
        st.title(f"{label(profile['label'], iso3)} ({iso3})")
        st.caption(" · ".join(filter(None, [profile.get("region"), profile.get("income_group") and
                                            code("income", profile["income_group"])])))
        sources = data.sources()
        st.subheader(t("country.figures"))
        st.dataframe([{t("country.indicator"): concept("indicator", ind), t("country.value"): fig["value"],
                       t("country.unit"): fig["unit"], t("country.year"): fig["year"],
                       t("country.source"): fig["source"],
                       t("country.link"): (sources.get(fig["source"]) or {}).get("link"),
                       t("country.flag"): fig.get("flag") or ""}
                      for ind, fig in profile["figures"].items()],
                     hide_index=True, width="stretch", key="country_figures",
                     column_config={t("country.link"): st.column_config.LinkColumn(display_text=t("country.open"))})

        st.subheader(t("country.programmes"))
        programmes = data.programmes(iso3)
        if programmes:
            for p in programmes:
                with st.expander(f"{p['name']['en']} · {code('status', p['status'])}"
                                 f" · {p.get('start_year') or ''}", expanded=False):
                    if p["name"].get("local"):
                        st.caption(p["name"]["local"])
                    st.markdown(t("country.implements", items=", ".join(map(instrument_name, p["instruments"]))))
                    if p["target_groups"]:
                        st.markdown(t("country.reaches", items=", ".join(concept("group", g)
                                                                       for g in p["target_groups"])))
                    for key in ("scale", "cost"):
                        if (p.get(key) or {}).get("text"):
                            st.markdown(t(f"country.{key}", text=p[key]["text"], year=p[key].get("year") or ""))
                    if p.get("responsible_body"):
                        st.markdown(t("country.body", text=p["responsible_body"]))
                    st.caption(t("country.sources", items=source_links(p["sources"])))
        else:
            st.caption(t("country.no_programmes"))

        evaluation = data.evaluation(iso3)
        left, right = st.columns([3, 2])
        with left:
            st.subheader(t("country.findings"))
            findings(evaluation, key="country_finding")
        with right:
            st.subheader(t("country.scorecard"))
            scorecard(evaluation, key="country_scorecard")
