"""Interface strings in English and Chinese, and the choice of a KB label in the session's language.

Every string the app shows that is not KB data lives in the one message catalogue (`policyatlas.core.i18n`), area
`ui`: `policyatlas/core/messages/en/ui.yaml` and `policyatlas/core/messages/zh/ui.yaml` under the same dotted keys;
`t("compose.title")` returns the catalogue's `ui.compose.title` in the current language. KB labels come from
the API as `{"en": ..., "zh": ...}` mappings; `label(mapping)` picks the current language and falls back
to English where the KB has no Chinese text (evidence findings, for example, are English only).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import streamlit as st

from policyatlas.core.i18n import catalogue
from policyatlas.kb import vocab

AREA = "ui."


@cache
def strings(lang: str) -> dict[str, str]:
    """All interface strings of one language, by their `ui`-relative dotted key (read once per process)."""
    return {key[len(AREA):]: text for key, text in catalogue(lang).items() if key.startswith(AREA)}


def lang() -> str:
    """The session's language ("en" or "zh")."""
    return st.session_state.get("lang", "en")


def t(key: str, **values) -> str:
    """Interface string `key` in the session's language, with `{placeholders}` filled from `values`."""
    text = strings(lang()).get(key) or strings("en")[key]
    return text.format(**values) if values else text


def label(mapping: Mapping[str, str] | str | None, fallback: str = "") -> str:
    """A KB label or text in the session's language; English when the other language is missing."""
    if mapping is None:
        return fallback
    if isinstance(mapping, str):
        return mapping
    return mapping.get(lang()) or mapping.get("en") or fallback


#: The names the UI gives the code lists it shows -> the vocabulary's list names (policyatlas.kb.vocab); the
#: other names (severity, relation, status, design, ...) are the vocabulary's own.
VOCAB_LISTS = {"income": "income_group", "ben_unit": "beneficiary_unit"}


def code(kind: str, value: str) -> str:
    """The display name of a fixed code (gap kind, layer, severity, income group, CODI level, ...): the
    vocabulary's label in the session's language, or the UI's own wording where the app needs another phrase
    (`codes.<kind>.<value>` in the ui catalogue: the counting words of a number of beneficiaries, the strength
    of evidence as a phrase that stands alone)."""
    own = strings(lang()).get(f"codes.{kind}.{value}")
    return own or vocab.label(VOCAB_LISTS.get(kind, kind), value, lang())


def capital(text: str) -> str:
    """`text` with its first letter upper-case (a label that starts a line; Chinese is unchanged)."""
    return text[:1].upper() + text[1:]
