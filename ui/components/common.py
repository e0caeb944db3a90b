"""Small shared views: country names, user-error display, findings, scorecard and source references."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import streamlit as st

from policyatlas.core.errors import UserError
from policyatlas.kb import vocab
from ui.components import blocks, data, fmt
from ui.i18n import capital, code, label, strings, t

SEVERITY_ICONS = {"high": ":material/error:", "medium": ":material/warning:", "low": ":material/info:"}
#: severity -> rank, most severe first (the vocabulary's order)
SEVERITY_RANK = {s: i for i, s in enumerate(vocab.ids("severity"))}
LEVEL_ORDER = vocab.ids("codi_level")
#: The fifth state: the KB lacks what the criterion needs, so it is not judged (never "latent" for want of data).
NOT_ASSESSED = "not-assessed"
LEVELS = (NOT_ASSESSED, *LEVEL_ORDER)


@contextmanager
def guard() -> Iterator[None]:
    """Show a mistake in what the user asked for (an unknown country, a bad query) as a message."""
    try:
        yield
    except UserError as err:
        st.error(str(err), icon=":material/error:")


@st.cache_resource(show_spinner=False)
def country_labels() -> dict[str, dict[str, str]]:
    """ISO3 -> {"en", "zh"} country names, from `Atlas.countries()` (shared, read-only)."""
    frame = data.countries()
    return {row.iso3: {"en": row.name_en, "zh": row.name_zh} for row in frame.itertuples()}


def country_options() -> list[str]:
    """ISO3 codes in the order the picker lists them (alphabetical by English name)."""
    names = country_labels()
    return sorted(names, key=lambda iso3: names[iso3]["en"])


def country_choices() -> dict[str, str]:
    """ISO3 -> "Name (ISO3)" in the session's language, for pickers (a plain dict, so the display does
    not depend on session state when Streamlit formats an option outside a script run)."""
    return {iso3: f"{label(names)} ({iso3})" for iso3, names in country_labels().items()}


def country_name(iso3: str) -> str:
    """A country's name in the session's language."""
    return label(country_labels().get(iso3), iso3)


def instrument_name(instrument_id: str) -> str:
    """An instrument's label in the session's language (the id when the KB does not know it)."""
    return concept("instrument", instrument_id)


def concept(kind: str, key: str) -> str:
    """A KB concept's label in the session's language: kind "concept" (layer, family, gap kind, CODI
    criterion or level), "group", "instrument" or "indicator"; the id when the KB has no label."""
    return label(data.labels()[kind].get(key), key)


def require_country() -> str | None:
    """The country in view, or a prompt to choose one in the sidebar."""
    iso3 = st.session_state.country
    if iso3 is None:
        st.info(t("common.choose_country"), icon=":material/arrow_back:")
    return iso3


#: Inline style of a caption-like line inside a Markdown block (Streamlit's caption: smaller, faded), so that
#: a card is one element instead of one per line (every element costs the browser a render on each rerun).
SMALL_STYLE = "font-size:0.875rem;opacity:0.7"


def small(text: str) -> str:
    """`text` (Markdown) styled as a caption inside a Markdown block drawn with `unsafe_allow_html=True`."""
    return f"<span style='{SMALL_STYLE}'>{text}</span>"


def finding_text(f: Mapping) -> tuple[str, str, list[str]]:
    """A finding as (its severity and gap as Markdown, its message, the lines on what it concerns and its
    sources)."""
    head = (f"{SEVERITY_ICONS.get(f['severity'], '')} **{capital(code('severity', f['severity']))}** · "
            f"{concept('concept', f['gap'])}")
    concerns = [*map(instrument_name, f.get("instruments", [])), *(concept("group", g) for g in
                                                                    f.get("target_groups", []))]
    notes = [t("findings.concerns", items=", ".join(concerns))] if concerns else []
    if f.get("references"):
        notes.append(t("findings.references", items=source_links(f["references"])))
    return head, label(f["message"]), notes


def findings(evaluation: Mapping, *, key: str, one_block: bool = False) -> None:
    """The evaluator's findings, most severe first, each with what it concerns and its sources, in a
    container keyed `{key}-{rule}-{n}` (a rule may fire once per layer or group). Few elements, since the
    browser's cost of a rerun grows with them: the text and a caption per finding, or with `one_block` the
    whole card as one Markdown block (the country page)."""
    items = evaluation.get("findings") or []
    if not items:
        st.success(t("findings.none"), icon=":material/check_circle:")
        return
    seen: dict[str, int] = {}
    for f in sorted(items, key=lambda f: (SEVERITY_RANK.get(f["severity"], 3), f["gap"], f["rule"])):
        seen[f["rule"]] = seen.get(f["rule"], 0) + 1
        head, text, notes = finding_text(f)
        with st.container(border=True, key=f"{key}-{f['rule']}-{seen[f['rule']]}"):
            if one_block:
                st.markdown("\n\n".join([head, text, *map(small, notes)]), unsafe_allow_html=True)
                continue
            st.markdown(f"{head}\n\n{text}")
            if notes:
                st.caption("  \n".join(notes))


def level_name(level: str | None) -> str:
    """A scorecard level's name in the page's language ("not assessed" included, whatever the KB labels)."""
    if level == NOT_ASSESSED:
        return t("scorecard.not_assessed")
    return concept("concept", level) if level else "–"


def basis_item(name: str) -> str:
    """The name of a figure a level rests on or lacks: the KB indicator's label, else the app's own."""
    known = data.labels()["indicator"].get(name)
    if known:
        return label(known)
    return t(f"scorecard.figure.{name}") if f"scorecard.figure.{name}" in strings("en") else name


def level_basis(detail: Mapping | None, titles: Mapping[str, str] | None = None) -> str:
    """Which figures (or findings) set a criterion's level, as one sentence in the page's language: the
    figures with value, year and source; else the findings that lowered it; else what the KB lacks."""
    if not detail:
        return ""
    if detail.get("basis") == "data" and detail.get("figures"):
        items = [f"{basis_item(f['indicator'])} {fmt.number(f.get('value'), None, 1)} "
                 f"({', '.join(str(x) for x in (f.get('year'), fmt.source_name(f.get('source'))) if x)})"
                 for f in detail["figures"]]
        return t("scorecard.by_figures", items="; ".join(items))
    if detail.get("basis") == "none" or detail.get("level") == NOT_ASSESSED:
        return t("scorecard.by_nothing", items=", ".join(map(basis_item, detail.get("missing") or [])) or "–")
    found = [(titles or {}).get(f, f) for f in detail.get("findings") or []]
    if not found:
        return t("scorecard.by_no_findings")
    return t("scorecard.by_findings", n=len(found), items="; ".join(dict.fromkeys(found)))


def finding_titles(evaluation: Mapping) -> dict[str, str]:
    """Finding id -> its title in the page's language."""
    return {f["id"]: label(f.get("title"), f["rule"]) for f in evaluation.get("findings") or []}


def scorecard_rows(evaluation: Mapping) -> list[dict]:
    """The CODI-style scorecard as table rows (criterion, level, the level as a 1-4 bar, and what set it)."""
    details = evaluation.get("scorecard_detail") or {}
    titles = finding_titles(evaluation)
    return [{t("scorecard.criterion"): concept("concept", criterion),
             t("scorecard.level"): level_name(level),
             t("scorecard.score"): LEVEL_ORDER.index(level) + 1 if level in LEVEL_ORDER else None,
             t("scorecard.basis"): level_basis(details.get(criterion), titles)}
            for criterion, level in (evaluation.get("scorecard") or {}).items()]


def scorecard(evaluation: Mapping, *, key: str) -> None:
    """The scorecard: for each CODI criterion the level from latent (1) to advanced (4), or not assessed,
    and the figures or findings that set it."""
    rows = scorecard_rows(evaluation)
    if not rows:
        st.caption(t("scorecard.empty"))
        return
    st.markdown(blocks.table(rows, name=key, bars={t("scorecard.score"): 4}), unsafe_allow_html=True)
    st.caption(t("scorecard.help"))


def baseline_name(kind: str, key: str) -> str:
    """A social-protection branch ("branch") or target group ("group") the baseline lacks, by name."""
    own = f"baseline.{kind}.{key}"
    if own in strings("en"):
        return t(own)
    return concept("group", key) if kind == "group" else key


def baseline_notice(evaluation: Mapping) -> None:
    """Say when the KB's baseline for the country is partial (what is unknown, that nothing was guessed, and
    what would help), before any figure or finding that could be read as a judgement."""
    unknown = evaluation.get("baseline_unknown") or {}
    note = label(evaluation.get("note")) if evaluation.get("note") else ""
    if not (evaluation.get("partial") or note):
        return
    parts = [note] if note else []
    if unknown.get("branches"):
        parts.append(t("baseline.branches", items=", ".join(baseline_name("branch", b) for b in unknown["branches"])))
    if unknown.get("groups"):
        parts.append(t("baseline.groups", items=", ".join(baseline_name("group", g) for g in unknown["groups"])))
    parts.append(t("baseline.help"))
    st.warning("\n\n".join(parts), icon=":material/database:")


def source_links(ids) -> str:
    """Source ids as Markdown links to the source (DOI or URL) where the KB has one."""
    known = data.sources()
    out = []
    for sid in ids:
        link = (known.get(sid) or {}).get("link")
        out.append(f"[{sid}]({link})" if link else sid)
    return ", ".join(out)


def report_labels() -> dict[str, dict[str, str]]:
    """Every id a report may print (instruments, target groups, concepts, severities) with its names."""
    kb = data.labels()
    names = {**kb["concept"], **kb["group"], **kb["instrument"]}
    names.update(vocab.labels("severity"))
    return names


#: A share link wraps anywhere (it has no spaces) in a small monospace block.
SHARE_STYLE = "overflow-wrap:anywhere;font-size:0.8rem"


def share_link(url: str) -> None:
    """A link to copy, as inline code that wraps (not st.code: it loads a 1.6 MB syntax highlighter into the
    page for one line of text)."""
    st.markdown(f"<div style='{SHARE_STYLE}'>\n\n`{url}`\n\n</div>", unsafe_allow_html=True)
