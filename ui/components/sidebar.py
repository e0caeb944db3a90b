"""The sidebar every page shares: the language switch, the country in view, and the share link."""

from __future__ import annotations

import streamlit as st

from policyatlas.core.i18n import LANGUAGES, message
from ui import state
from ui.components import data
from ui.components.common import country_choices, country_labels, country_options, share_link
from ui.i18n import t

LANGUAGE_NAMES = {lang: message(f"common.language.{lang}") for lang in LANGUAGES}


def draw() -> None:
    """Language first (it changes every label below it), then the country picker."""
    with st.sidebar:
        st.radio(t("sidebar.language"), state.LANGUAGES, key=state.bind("lang"), horizontal=True,
                 format_func=LANGUAGE_NAMES.get, on_change=state.sync, args=("lang",))
        names = country_labels()
        options = country_options()
        chosen = st.session_state.country
        if chosen is not None and chosen not in names:
            st.warning(t("sidebar.unknown_country", iso3=chosen))
            state.put("country", None)
        st.selectbox(t("sidebar.country"), options, key=state.bind("country"), index=None,
                     placeholder=t("sidebar.country_placeholder"),
                     format_func=country_choices().get,
                     on_change=state.sync, args=("country",))
        if st.session_state.bundle:
            size = "sidebar.additions_size" if st.session_state.compose_mode == "add" else "sidebar.bundle_size"
            st.caption(t(size, n=len(st.session_state.bundle)))
        st.caption(t("sidebar.share"))
        share_link(state.share_url())
        st.caption(t("sidebar.kb", n=len(data.countries())))
