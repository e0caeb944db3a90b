"""Coverage by target group in people (issue 15): for each counted group the people in it and the people
the current policy mix reaches, as `Atlas.reach` estimates them (the evaluator's own `reach`), drawn as
bars in the app's sequential blues, with the year and sources of every figure in the hover. A figure the KB
lacks is written "unknown" and drawn as no bar: it is never a zero.

`gaps(rows, evaluation)` gives the briefing its three most serious gaps in people."""

from __future__ import annotations

import math
from collections.abc import Mapping

import plotly.graph_objects as go
import streamlit as st

from policyatlas.core.i18n import people as people_text
from ui.components import data, fmt
from ui.components.charts import STAGE_COLOURS, wrap
from ui.components.common import SEVERITY_RANK
from ui.i18n import lang, t

#: Light blue for the group, dark blue for those reached (the plan's neutral sequential palette).
PEOPLE_COLOUR, REACHED_COLOUR = STAGE_COLOURS[0], STAGE_COLOURS[2]
#: Counted group -> the KB target group whose findings concern it (evaluator.assess.context._TARGET_OF and the
#: groups with the same id).
FINDING_GROUP = {"unemployed": "long-term-unemployed", "youth-neet": "youth", "women-employed": "women",
                 "informal-workers": "informal-workers", "older-workers": "older-workers",
                 "genai-exposed-workers": "high-ai-exposure-workers"}
#: Totals drawn for scale but never a gap of their own (no branch or programme is measured on them).
TOTALS = ("labour-force",)


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
    """The hover of the group's bar and of the reached bar: the figure, its year and its sources."""
    if row["people"] is None:
        size = f"{t('reach.people')}: {t('fmt.unknown')}"
    else:
        size = t("reach.hover_people", people=people(row["people"]), year=row["people_year"],
                 sources=sources(row["people_sources"]))
        if row.get("imputed"):
            size += f"<br>{t('reach.imputed')}"
    if row["share"] is None:
        return size, t("reach.hover_unknown")
    reached = t("reach.hover_reached", reached=people(row["reached"]), share=fmt.number(row["share"], decimals=1),
                basis=basis(row), year=row.get("year") or "–", sources=sources(row.get("sources")))
    return size, reached


def figure(rows: list[Mapping]) -> go.Figure:
    """Two bars per group (people in it, people reached), groups in the briefing's order; an unknown
    figure draws no bar and is labelled "unknown" at the axis."""
    names = [wrap(group_name(r["group"]), 26) for r in rows]
    hovers = [hover(r) for r in rows]
    fig = go.Figure()
    unknown = []
    for trace, key, colour, n in ((t("reach.people"), "people", PEOPLE_COLOUR, 0),
                                  (t("reach.reached"), "reached", REACHED_COLOUR, 1)):
        values = [r[key] for r in rows]
        fig.add_bar(y=names, x=values, orientation="h", name=trace, marker_color=colour, offsetgroup=key,
                    text=["" if v is None else people(v) for v in values], textposition="outside", cliponaxis=False,
                    hovertext=[h[n] for h in hovers], hovertemplate="%{y}<br>%{hovertext}<extra></extra>")
        missing = [i for i, v in enumerate(values) if v is None]
        if missing:  # no bar: the word "unknown" where the bar would start, in the bar's own slot
            unknown.append(dict(x=[0] * len(missing), y=[names[i] for i in missing], mode="text",
                                text=["\u2002" + t("fmt.unknown")] * len(missing), textposition="middle right",
                                offsetgroup=key, showlegend=False, name=t("fmt.unknown"),
                                hovertext=[hovers[i][n] for i in missing],
                                hovertemplate="%{y}<br>%{hovertext}<extra></extra>"))
    for trace in unknown:
        fig.add_scatter(**trace)
    ticks = axis_ticks(max([r[k] for r in rows for k in ("people", "reached") if r[k] is not None], default=0))
    fig.update_layout(barmode="group", scattermode="group", height=90 + 58 * len(rows),
                      margin={"l": 0, "r": 40, "t": 10, "b": 30}, legend={"orientation": "h", "y": -0.12},
                      xaxis={"title": t("reach.axis"), "rangemode": "tozero", "tickvals": ticks,
                             "ticktext": [people(v) for v in ticks]},
                      yaxis={"autorange": "reversed", "automargin": True})
    return fig


def axis_ticks(top: float, n: int = 5) -> list[float]:
    """About n round tick values from 0 to `top` (steps of 1, 2 or 5 times a power of ten), so the axis
    reads in people in the page's language ("5.0 million", "500万") rather than "5M"."""
    if top <= 0:
        return [0.0]
    power = 10 ** math.floor(math.log10(top / n))
    step = next(m * power for m in (1, 2, 5, 10) if top / (m * power) <= n)
    return [i * step for i in range(int(top // step) + 1)]


def chart(iso3: str, country_name: str) -> None:
    """The country page's chart of coverage in people, its caption, and the unknown state."""
    rows = data.reach(iso3)
    st.subheader(t("reach.title"), anchor="coverage-people")
    if not any(r["people"] is not None for r in rows):
        st.info(t("reach.none", country=country_name), icon=":material/help:")
        return
    st.plotly_chart(figure(rows), key="coverage_people", config={"displayModeBar": False})
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
