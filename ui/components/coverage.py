"""Coverage by target group in people (issue 15): for each counted group the people in it and the people
the current policy mix reaches, as `Atlas.reach` estimates them (the evaluator's own `reach`), drawn as
bars in the app's sequential blues, with the year and sources of every figure under the group's bars (and
as the bars' tooltips). A figure the KB lacks is written "unknown" and drawn as no bar: it is never a zero.

The chart is one HTML block (`st.markdown(..., unsafe_allow_html=True)`: drawn in the page itself, no iframe,
and printed with it), not a Plotly figure: the country page then never loads Plotly's 4.7 MB bundle, most of
its fresh-load time (issue 15 point 7). Every text of the KB or the catalogue put in it is escaped.

`gaps(rows, evaluation)` gives the briefing its three most serious gaps in people."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import streamlit as st

from policyatlas.core.i18n import people as people_text
from ui.components import data, fmt
from ui.components.blocks import PRINT, SMALL, swatch
from ui.components.common import SEVERITY_RANK
from ui.components.palette import STAGE_COLOURS
from ui.i18n import capital, lang, t

#: Light blue for the group, dark blue for those reached (the plan's neutral sequential palette).
PEOPLE_COLOUR, REACHED_COLOUR = STAGE_COLOURS[0], STAGE_COLOURS[2]
#: The bars drawn per group: (key in the `reach` row, legend text key, colour).
BARS = (("people", "reach.people", PEOPLE_COLOUR), ("reached", "reach.reached", REACHED_COLOUR))
#: The longest bar's share of the bars' column (the rest holds its value written after it).
SCALE = 78.0
#: Counted group -> the KB target group whose findings concern it (evaluator.assess.context._TARGET_OF and the
#: groups with the same id).
FINDING_GROUP = {"unemployed": "long-term-unemployed", "youth-neet": "youth", "women-employed": "women",
                 "informal-workers": "informal-workers", "older-workers": "older-workers",
                 "genai-exposed-workers": "high-ai-exposure-workers"}
#: Totals drawn for scale but never a gap of their own (no branch or programme is measured on them).
TOTALS = ("labour-force",)
_ROW = "display:grid;grid-template-columns:minmax(7rem,28%) 1fr;gap:0.25rem 0.75rem;align-items:center;margin:0.5rem 0"
_BAR = "display:flex;align-items:center;gap:0.35rem;height:1.15rem;line-height:1.15rem"


def people(x: float | None) -> str:
    """A number of people as the evaluator's messages write it ("1.3 million", "129万"); unknown when None."""
    return t("fmt.unknown") if x is None else people_text(x, lang())


def group_name(group: str) -> str:
    return t(f"reach.group.{group}")


def sources(ids) -> str:
    """Short names of the publishers' datasets, each once, in the order given."""
    return ", ".join(dict.fromkeys(fmt.source_name(s) for s in ids or [] if s)) or "–"


def basis(row: Mapping) -> str:
    if row.get("basis") == "coverage":
        return t("reach.basis.coverage", branch=t(f"reach.branch.{row['branch']}"))
    return t("reach.basis.programmes")


def hover(row: Mapping) -> tuple[str, str]:
    """The details of the group's bar and of the reached bar: the figure, its year and its sources (plain
    text: the bar's tooltip and the small line under the group's bars)."""
    if row["people"] is None:
        size = f"{t('reach.people')}: {t('fmt.unknown')}"
    else:
        size = t("reach.hover_people", people=people(row["people"]), year=row["people_year"],
                 sources=sources(row["people_sources"]))
        if row.get("imputed"):
            size += f" · {t('reach.imputed')}"
    if row["share"] is None:
        return size, t("reach.hover_unknown")
    reached = t("reach.hover_reached", reached=people(row["reached"]), share=fmt.number(row["share"], decimals=1),
                basis=basis(row), year=row.get("year") or "–", sources=sources(row.get("sources")))
    return size, reached


def bar(key: str, value: float | None, top: float, colour: str, detail: str) -> str:
    """One bar with its value written after it, the details as its tooltip; an unknown value draws no bar,
    only the word "unknown" (a known zero is a hairline and "0")."""
    title = escape(detail, quote=True)
    if value is None:
        return (f"<div data-key='{key}' title='{title}' style='{_BAR}'>"
                f"<em style='color:#5f6368'>{escape(t('fmt.unknown'))}</em></div>")
    width = SCALE * value / top if top > 0 else 0.0
    return (f"<div data-key='{key}' data-value='{value!r}' title='{title}' style='{_BAR}'>"
            f"<span data-width='{width:.2f}' style='flex:none;width:{width:.2f}%;min-width:2px;height:100%;"
            f"background:{colour};{PRINT}'></span><span>{escape(people(value))}</span></div>")


def block(rows: list[Mapping]) -> str:
    """The chart as one HTML block: a legend, per group its name, a light bar for the people in it, a dark bar
    for the people reached (lengths proportional to the largest value) and a small line with the year,
    sources and basis of both figures; then the axis: what the lengths measure, from 0 to the largest value."""
    top = max([r[k] for r in rows for k, _, _ in BARS if r[k] is not None], default=0.0)
    legend = " ".join(
        f"<span style='margin-right:1.2rem'>{swatch(c, size='0.8rem', border=False)}{escape(t(name))}</span>"
        for _, name, c in BARS)
    parts = [f"<div class='pa-reach' role='figure' aria-label='{escape(t('reach.title'), quote=True)}'>",
             f"<div style='{SMALL};margin-bottom:0.4rem'>{legend}</div>"]
    for row in rows:
        details = hover(row)
        bars = "".join(bar(k, row[k], top, c, d) for (k, _, c), d in zip(BARS, details, strict=True))
        parts.append(f"<div class='pa-reach-row' data-group='{escape(row['group'], quote=True)}' style='{_ROW}'>"
                     f"<div>{escape(capital(group_name(row['group'])))}</div><div>{bars}"
                     f"<div class='pa-reach-detail' style='{SMALL}'>{' · '.join(map(escape, details))}</div>"
                     "</div></div>")
    parts.append(f"<div style='{_ROW}'><div></div><div class='pa-reach-axis' style='{SMALL};"
                 f"border-top:1px solid #c8c8c8;padding-top:0.2rem'>{escape(t('reach.axis'))}: 0 – "
                 f"{escape(people(top))}</div></div></div>")
    return "".join(parts)


def chart(iso3: str, country_name: str) -> None:
    """The country page's chart of coverage in people, its caption, and the unknown state."""
    rows = data.reach(iso3)
    st.subheader(t("reach.title"), anchor="coverage-people")
    if not any(r["people"] is not None for r in rows):
        st.info(t("reach.none", country=country_name), icon=":material/help:")
        return
    st.markdown(block(rows), unsafe_allow_html=True)
    st.caption(t("reach.caption"))


def gaps(rows: list[Mapping], evaluation: Mapping, n: int = 3) -> list[dict]:
    """The n most serious gaps in people: groups with a size (not the totals) that are not fully reached, by
    the severity of the most serious finding about the group, then known gaps before unknown ones, then most
    people left out.
    Each: {group, unreached (None when reach is unknown), row, finding (or None)}."""
    by_group: dict[str, dict] = {}
    for f in evaluation.get("findings") or []:
        for g in f.get("target_groups") or []:
            if g not in by_group or SEVERITY_RANK.get(f["severity"], 3) < SEVERITY_RANK.get(by_group[g]["severity"], 3):
                by_group[g] = f
    out = []
    for row in rows:
        if row["group"] in TOTALS or row["people"] is None or (row["share"] is not None and row["share"] >= 100):
            continue
        finding = by_group.get(FINDING_GROUP.get(row["group"], row["group"]))
        unreached = None if row["reached"] is None else row["people"] - row["reached"]
        out.append({"group": row["group"], "unreached": unreached, "row": row, "finding": finding})
    out.sort(key=lambda g: (SEVERITY_RANK.get((g["finding"] or {}).get("severity"), 3), g["unreached"] is None,
                            -(g["row"]["people"] if g["unreached"] is None else g["unreached"])))
    return out[:n]


def gap_text(gap: Mapping) -> tuple[str, str]:
    """The line of a gap in people ("1.3 million unemployed without unemployment benefits") and its detail
    (share, basis, year, sources)."""
    row = gap["row"]
    if gap["unreached"] is None:
        line = t("reach.gap_unknown", people=people(row["people"]), group=group_name(row["group"]))
        return line, t("reach.hover_people", people=people(row["people"]), year=row["people_year"],
                       sources=sources(row["people_sources"]))
    if row.get("basis") == "coverage":  # "1.3 million unemployed without unemployment benefits"
        line = t("reach.gap_without", people=people(gap["unreached"]), group=group_name(row["group"]),
                 branch=t(f"reach.branch.{row['branch']}"))
    else:
        line = t("reach.gap", people=people(gap["unreached"]), group=group_name(row["group"]))
    return line, t("reach.gap_detail", share=fmt.number(row["share"], decimals=1), basis=basis(row),
                   year=row.get("year") or "–", sources=sources(row.get("sources")))
