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


def unknown_path() -> str | None:
    """The page path this run asked for when no page has it (a mistyped or old link), else None.

    Streamlit resolves a first request's URL path to a page by name and silently falls back to the default
    page when none matches; the requested name is on the script run context (pages_manager)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:
        return None
    return missing_name(manager.intended_page_name)


def missing_name(name: str | None) -> str | None:
    """`name` when it is a page path no page of the app has ("" and None are the start page)."""
    name = (name or "").strip("/")
    return name if name and name not in FILES else None
