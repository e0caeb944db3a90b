"""Country profile as a minister's briefing: first the headline read in ten seconds (income group, fiscal
space, effective social-protection coverage, the most serious gaps and the suggested first stage, each
linked to its detail), then the figures grouped by what a policy mix must fit, the programmes in place,
and every finding of the evaluator with the CODI-style scorecard."""

import streamlit as st

from ui.components import briefing, coverage, data
from ui.components.common import baseline_notice, findings, guard, require_country, scorecard
from ui.i18n import label, t

iso3 = require_country()
if iso3:
    with guard():
        profile = data.country(iso3)
        st.title(f"{label(profile['label'], iso3)} ({iso3})")
        evaluation = data.evaluation(iso3)
        baseline_notice(evaluation)
        briefing.headline(iso3, profile, evaluation)

        coverage.chart(iso3, label(profile["label"], iso3))

        st.subheader(t("brief.figures"), anchor="figures")
        briefing.figures_table(profile, key="country_figures")

        programmes = data.programmes(iso3)
        st.subheader(t("country.programmes"), anchor="programmes")
        if programmes:
            briefing.programme_cards(programmes)
        else:
            st.caption(t("country.no_programmes"))

        left, right = st.columns([3, 2])
        with left:
            st.subheader(t("country.findings"), anchor="findings")
            findings(evaluation, key="country_finding", one_block=True)
        with right:
            st.subheader(t("country.scorecard"), anchor="scorecard")
            scorecard(evaluation, key="country_scorecard")
