"""Every `st.session_state` key the app uses, with its default, and how it travels in a shared URL.

A policymaker's working state is small: the interface language, the country in view, the bundle being
composed, an optional fiscal-space override for the staged plan, and the countries being compared. The
country, the bundle, the composer's mode and the language are also written to the URL
(`?country=KEN&bundle=a,b&mode=add&lang=zh`) so that a bundle can be shared as a link and restored by opening
it. A link with a bundle but no `mode` (made before the composer started from the current mix) judges the
bundle on its own, as it did then.

Widgets never own these keys: a widget that edits one uses the key `bind(name)` and the callback
`sync`, because Streamlit forgets a widget's state when the page that shows it is left.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable

import streamlit as st

LANGUAGES = ("en", "zh")
#: How the composer judges the bundle: added to the country's current mix, or on its own.
MODES = ("add", "alone")

DEFAULTS: dict[str, object] = {
    "lang": "en",  # interface and KB-label language: "en" or "zh"
    "country": None,  # ISO3 of the country in view, or None before one is chosen
    "bundle": [],  # instrument ids of the composed bundle, in the order they were added (mode "add": the
    # instruments added to the country's current mix; mode "alone": the whole bundle)
    "compose_mode": "add",  # "add": the current mix plus the bundle (`evaluate --add`); "alone": the bundle alone
    "fiscal_space": None,  # % of GDP override for the staged plan; None = the planner's own estimate
    "compare": [],  # ISO3 codes on the comparison page (two to four)
    "map_indicator": None,  # column of Atlas.countries() that colours the world map
    "sparql_query": "",  # text in the researcher console's editor
    "sparql_library": None,  # id of the library query last put into the editor
    "sparql_result": None,  # the console's last answer: {"query", "table", "csv", "json", "note", ...}
    "goto": None,  # page to open on the next run (set by callbacks, which may not switch pages)
    "url_read": False,  # whether this session has read its starting URL yet
}

WIDGET_PREFIX = "_w_"
#: States edited by pickers that show their options in the session's language (see `widget_key`).
PER_LANGUAGE = frozenset({"country", "map_indicator", "compare", "sparql_library"})


def init() -> None:
    """Give every key its default (copies, so sessions never share a list) and read the URL once."""
    for name, default in DEFAULTS.items():
        if name not in st.session_state:
            st.session_state[name] = default.copy() if isinstance(default, list | dict) else default
    if not st.session_state.url_read:
        st.session_state.url_read = True
        read_url(st.query_params.to_dict())


def read_url(params: dict[str, str]) -> None:
    """Restore country, bundle and language from query parameters; unknown values are ignored here and
    checked against the KB by the page that uses them."""
    lang = params.get("lang")
    if lang in LANGUAGES:
        put("lang", lang)
    country = (params.get("country") or "").strip().upper()
    if country:
        put("country", country)
    bundle = params.get("bundle")
    if bundle is not None:
        put_bundle(i for i in bundle.split(",") if i.strip())
    mode = params.get("mode")
    if mode in MODES:
        put("compose_mode", mode)
    elif bundle is not None:  # a link from before the composer started from the current mix: a bundle alone
        put("compose_mode", "alone")


def url_params() -> dict[str, str]:
    """The query parameters that restore this session's country, bundle and language."""
    params = {"lang": st.session_state.lang}
    if st.session_state.country:
        params["country"] = st.session_state.country
    if st.session_state.bundle:
        params["bundle"] = ",".join(st.session_state.bundle)
    if st.session_state.bundle or st.session_state.compose_mode != "add":
        params["mode"] = st.session_state.compose_mode
    return params


def share_query() -> str:
    """`?country=...&bundle=...&lang=...` for this session (commas kept readable)."""
    return "?" + urllib.parse.urlencode(url_params(), safe=",")


def share_url() -> str:
    """The link that restores this session's view: the page's address plus `share_query()`."""
    return (st.context.url or "").split("?")[0] + share_query()


def write_url() -> None:
    """Keep the browser's URL equal to `url_params()`, so that copying it shares the bundle."""
    wanted = url_params()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def widget_key(name: str) -> str:
    """The key of the widget that edits state `name`. Pickers whose options are shown in the session's
    language get one widget per language: the browser keeps a picker's shown text, which would otherwise
    stay in the old language after a switch."""
    suffix = f"__{st.session_state.lang}" if name in PER_LANGUAGE else ""
    return WIDGET_PREFIX + name + suffix


def bind(name: str) -> str:
    """The widget key for state `name`, seeded from the state when the widget (re)appears."""
    key = widget_key(name)
    if key not in st.session_state:
        value = st.session_state[name]
        st.session_state[key] = list(value) if isinstance(value, list) else value
    return key


def sync(name: str) -> None:
    """Widget callback: copy the widget's value into state `name`. A callback never deletes its own widget's
    key (`put` does, for other widgets): the next of several quick changes would find it gone."""
    key = widget_key(name)
    if key not in st.session_state:  # the widget was reset meanwhile: keep the state as it is
        return
    value = st.session_state[key]
    st.session_state[name] = list(value) if isinstance(value, list) else value


def put(name: str, value) -> None:
    """Set state `name` and the widgets bound to it (call from callbacks or before they are drawn)."""
    st.session_state[name] = value
    stale = WIDGET_PREFIX + name
    for key in [k for k in st.session_state if k == stale or str(k).startswith(stale + "__")]:
        del st.session_state[key]


def put_bundle(ids: Iterable[str]) -> None:
    """Replace the composed bundle (order kept, duplicates dropped) and reset the instrument toggles."""
    bundle = list(dict.fromkeys(i.strip() for i in ids))
    st.session_state.bundle = bundle
    for key in [k for k in st.session_state if str(k).startswith(WIDGET_PREFIX + "inst_")]:
        del st.session_state[key]


def toggle_key(instrument_id: str) -> str:
    """Widget key of the checkbox that adds `instrument_id` to the bundle, seeded from the bundle."""
    key = f"{WIDGET_PREFIX}inst_{instrument_id}"
    if key not in st.session_state:
        st.session_state[key] = instrument_id in st.session_state.bundle
    return key


def toggle(instrument_id: str) -> None:
    """Checkbox callback: add the instrument to the bundle or take it out."""
    bundle = [i for i in st.session_state.bundle if i != instrument_id]
    if st.session_state[f"{WIDGET_PREFIX}inst_{instrument_id}"]:
        bundle.append(instrument_id)
    st.session_state.bundle = bundle


def additions(current) -> list[str]:
    """The bundle's instruments that the current mix (`current`, instrument ids) does not already hold."""
    return [i for i in st.session_state.bundle if i not in set(current)]


def switch_mode(current: list[str]) -> None:
    """Radio callback: judge the bundle on its own (the current mix becomes part of it, so the same boxes stay
    ticked and may now be unticked) or as additions to the current mix (the current mix leaves the bundle)."""
    sync("compose_mode")
    if st.session_state.compose_mode == "alone":
        put_bundle([*current, *st.session_state.bundle])
    else:
        put_bundle(additions(current))


def go(page: str) -> None:
    """Callback: ask the router to open `page` (a URL path of `ui.views.SECTIONS`) on the next run."""
    st.session_state.goto = page
