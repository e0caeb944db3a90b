"""The app's pages: URL path -> (file in this folder, icon), grouped in navigation sections.

The folder is `views/`, not `pages/`, on purpose: Streamlit treats a `pages/` folder beside the entry
script as a legacy multipage app until `st.navigation` has run once in the process, so the first request
of a fresh server for a deep link (a shared `/compose?...` URL) would run the page file alone, skipping
`app.py` (no session defaults, no sidebar), or show a "page not found" dialog.
"""

SECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "browse": {
        "atlas": ("world_atlas.py", ":material/public:"),
        "country": ("country_profile.py", ":material/flag:"),
        "compare": ("compare_countries.py", ":material/compare_arrows:"),
    },
    "decide": {
        "compose": ("compose_bundle.py", ":material/construction:"),
        "plan": ("staged_plan.py", ":material/timeline:"),
        "simulate": ("simulate_bundle.py", ":material/show_chart:"),
    },
    "research": {
        "evidence": ("evidence_browser.py", ":material/menu_book:"),
        "sparql": ("sparql_console.py", ":material/terminal:"),
    },
}

#: URL path -> page file name.
FILES = {name: file for pages in SECTIONS.values() for name, (file, _) in pages.items()}
DEFAULT = "atlas"
