"""Policy Atlas app: the entry script. It only routes (st.navigation) and draws the shared sidebar.

Run with `policyatlas ui` (or `make run`). Pages live in `ui/views/`, each a thin view over
`policyatlas.api.Atlas`; session keys live in `ui/state.py`; strings in
`policyatlas/core/messages/*/ui.yaml`.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run ui/app.py` puts only ui/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import state  # noqa: E402
from ui.components import sidebar  # noqa: E402
from ui.i18n import t  # noqa: E402
from ui.views import DEFAULT, FILES, SECTIONS, unknown_path  # noqa: E402

st.set_page_config(page_title="Policy Atlas", page_icon=":material/public:", layout="wide")
state.init()

pages = {name: st.Page(f"views/{file}", title=t(f"nav.{name}"), icon=icon, url_path=name,
                       default=name == DEFAULT)
         for section in SECTIONS.values() for name, (file, icon) in section.items()}
navigation = st.navigation({t(f"nav.section.{section}"): [pages[name] for name in names]
                            for section, names in SECTIONS.items()})

if st.session_state.goto:
    target, st.session_state.goto = st.session_state.goto, None
    st.switch_page(pages[target])

sidebar.draw()
missing = unknown_path()
if missing:  # an address no page has: say so and offer every page (Streamlit alone would open the atlas)
    st.title(t("notfound.title"))
    st.warning(t("notfound.text", path=missing), icon=":material/link_off:")
    for name in FILES:
        st.page_link(pages[name], label=t(f"nav.{name}"), icon=pages[name].icon)
else:
    navigation.run()
state.write_url()
