"""The country briefing: the headline a minister reads in ten seconds, the figures grouped by relevance,
and the programmes in place as cards.

Everything here reads `ui.components.data` (today's `Atlas` API) and formats it; it computes no policy.
Where the evaluator/planner v2 will add a figure (coverage in people), `coverage_people` uses the
evaluation's own number when it has one and otherwise shows today's share × population, labelled as such.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ui import state
from ui.components import blocks, coverage, data, fmt
from ui.components.common import (
    SEVERITY_ICONS,
    SEVERITY_RANK,
    SMALL_STYLE,
    concept,
    instrument_name,
    small,
    source_links,
)
from ui.i18n import capital, code, label, lang, t

#: Figure groups in the order a policy mix must fit them; inside a group, the order of the tuple.
FIGURE_GROUPS: dict[str, tuple[str, ...]] = {
    "fiscal": ("gen-gov-revenue", "gen-gov-expenditure", "gen-gov-net-lending", "gen-gov-gross-debt",
               "tax-revenue-central", "gdp-usd-bn", "gdp-per-capita-usd", "gdp-per-capita-ppp", "population"),
    "labour": ("informal-employment-share", "unemployment-rate", "unemployment-rate-imf"),
    "coverage": ("social-protection-coverage", "account-ownership"),
    "ai": ("ai-preparedness-index", "aipi-digital-infrastructure", "aipi-human-capital-labour-policy",
           "aipi-innovation-integration", "aipi-regulation-ethics"),
}


def figure_order(figures: Mapping[str, Mapping]) -> list[tuple[str, str]]:
    """(group, indicator) for every figure the country has: grouped by relevance, unknown ones last."""
    placed = [(g, ind) for g, members in FIGURE_GROUPS.items() for ind in members if ind in figures]
    known = {ind for _, ind in placed}
    return placed + [("other", ind) for ind in sorted(figures) if ind not in known]


def serious_findings(evaluation: Mapping, n: int = 3) -> list[dict]:
    """The n most serious findings: by severity, then the order the evaluator gives them."""
    items = list(evaluation.get("findings") or [])
    return sorted(items, key=lambda f: SEVERITY_RANK.get(f["severity"], 3))[:n]


def region(name: str | None) -> str:
    """A World Bank region in the page's language."""
    return t(f"regions.{name}") if name and f"regions.{name}" in _region_keys() else (name or "")


def _region_keys() -> set[str]:
    from ui.i18n import strings

    return {k for k in strings("en") if k.startswith("regions.")}


def coverage_people(evaluation: Mapping, figures: Mapping[str, Mapping]) -> str | None:
    """People covered by social protection: the evaluator's figure when it gives one (v2), else the
    SDG 1.3.1 share times the population, both from the KB, with the year of the coverage figure."""
    people = evaluation.get("coverage_people")  # evaluator v2 hook: {"covered": millions, "year": ...}
    population = figures.get("population")
    if isinstance(people, Mapping) and people.get("covered") is not None and population:
        return t("brief.coverage_people", covered=fmt.number(people["covered"], decimals=1),
                 population=fmt.number(population["value"], decimals=1), year=people.get("year") or "")
    share = figures.get("social-protection-coverage")
    if not share or not population or share.get("value") is None or population.get("value") is None:
        return None
    return t("brief.coverage_people", covered=fmt.number(share["value"] / 100 * population["value"], decimals=1),
             population=fmt.number(population["value"], decimals=1), year=share["year"])


def coverage_value(share: Mapping | None) -> str:
    """The coverage share as a short metric value ("7.2 %"); its unit, year and source go in the caption."""
    if not share or share.get("value") is None:
        return t("fmt.unknown")
    return f"{fmt.number(share['value'], share.get('unit'))} %"


def _compose_from_current(ids: list[str]) -> None:
    """Open the composer on the current mix (`ids`), keeping any instruments already added to it."""
    if st.session_state.compose_mode != "add":
        state.put("compose_mode", "add")
        state.put_bundle(i for i in st.session_state.bundle if i not in set(ids))
    state.go("compose")


def headline(iso3: str, profile: Mapping, evaluation: Mapping) -> None:
    """The ten-second headline: four figures, the three most serious gaps and the suggested first stage."""
    figures = profile.get("figures") or {}
    plan = data.plan(iso3, st.session_state.fiscal_space)
    space = plan.get("fiscal_space_pct_gdp")
    inputs = (plan.get("fiscal_space_model") or {}).get("inputs") or {}
    revenue = inputs.get("revenue") or {}
    items = evaluation.get("findings") or []
    high = sum(f["severity"] == "high" for f in items)
    with st.container(border=True, key="briefing"):
        c1, c2, c3, c4 = st.columns(4)
        income = capital(code("income", profile["income_group"])) if profile.get("income_group") else t("fmt.unknown")
        # not st.metric: its large type cuts "Lower-middle income" in a quarter of the page
        c1.markdown(f"<div style='font-size:0.875rem'>{t('brief.income')}</div>"
                    f"<div style='font-size:1.6rem;line-height:1.3;padding-top:0.3rem'>{income}</div>"
                    f"<div style='{SMALL_STYLE};padding-top:0.4rem'>{region(profile.get('region'))}</div>",
                    unsafe_allow_html=True)
        c2.metric(t("brief.fiscal_space"), fmt.pct_gdp(space),
                  help=t("brief.fiscal_space_help", year=revenue.get("year") or "–",
                         source=fmt.source_name(revenue.get("source")) or "–"))
        c2.caption(t("plan.modelled_short") if plan.get("fiscal_space_source") == "model"
                   else t("plan.override_short"))
        share = figures.get("social-protection-coverage")
        c3.metric(t("brief.coverage"), coverage_value(share),
                  help=t("brief.coverage_help", year=(share or {}).get("year") or "–",
                         source=fmt.source_name((share or {}).get("source")) or "–"))
        if share:
            c3.caption(" · ".join(filter(None, [fmt.unit(share.get("unit")), str(share.get("year") or ""),
                                                fmt.source_name(share.get("source"))])))
        people = coverage_people(evaluation, figures)
        if people:
            c3.caption(people)
        c4.metric(t("brief.high_gaps"), high, help=t("brief.gaps_count", high=high, total=len(items)))
        c4.caption(t("brief.gaps_count", high=high, total=len(items)))
        if space is not None and space <= 0:
            st.warning(t("brief.no_fiscal_space"), icon=":material/account_balance:")

        gaps, stage = st.columns([3, 2], gap="large")
        gaps.markdown(gap_lines(iso3, evaluation), unsafe_allow_html=True)
        with stage:
            st.markdown(stage_lines(plan, space), unsafe_allow_html=True)
            st.page_link("views/staged_plan.py", label=t("brief.open_plan"), icon=":material/timeline:")
            st.button(t("brief.open_compose"), key="brief_compose", icon=":material/construction:",
                      on_click=_compose_from_current, args=(list(profile.get("current_instruments") or []),))


def gap_lines(iso3: str, evaluation: Mapping) -> str:
    """The headline's most serious gaps as one Markdown block: the gaps in people, each linked to the chart
    that holds its year and sources, filled up with the most serious other findings; a link to them all."""
    lines = [f"**{t('brief.gaps')}**"]
    top = coverage.gaps(data.reach(iso3), evaluation)
    shown = {id(g["finding"]) for g in top}
    extra = [f for f in serious_findings(evaluation) if id(f) not in shown][:3 - len(top)]
    if not top and not extra:
        lines.append(f":material/check_circle: {t('brief.no_gaps')}")
    for g in top:
        line, detail = coverage.gap_text(g)
        icon = SEVERITY_ICONS.get((g["finding"] or {}).get("severity"), ":material/groups:")
        title = f" — {label(g['finding'].get('title'), g['finding']['rule'])}" if g["finding"] else ""
        lines.append(f"{icon} **[{line}](#coverage-people)**{title}<br>{small(detail)}")
    for f in extra:  # too few groups with a size: the most serious other findings fill the list
        lines.append(f"{SEVERITY_ICONS.get(f['severity'], '')} **{label(f.get('title'), f['rule'])}** — "
                     f"{label(f['message'])}")
    lines.append(f"[{t('brief.all_findings')}](#findings)")
    return "\n\n".join(lines)


def stage_lines(plan: Mapping, space: float | None) -> str:
    """The suggested first stage as one Markdown block: its instruments with their cost, and its total
    against the fiscal space."""
    stages = plan.get("stages") or []
    first = stages[0] if stages else None
    head = f"**{t('brief.first_stage', years=first['years'] if first else '0-2')}**"
    if not (first and first.get("instruments")):
        return f"{head}\n\n{small(t('brief.first_stage_empty'))}"
    items = "\n".join(f"- {instrument_name(i['id'])} ({fmt.pct_gdp(i.get('cost_pct_gdp'))})"
                      for i in first["instruments"])
    cost = small(t("brief.first_stage_cost", cost=fmt.pct_gdp(first.get("cost_pct_gdp")), space=fmt.pct_gdp(space)))
    return f"{head}\n\n{items}\n\n{cost}"


def figures_table(profile: Mapping, *, key: str) -> None:
    """Every figure of the country with its unit, year and source, grouped by relevance (not A–Z)."""
    figures = profile.get("figures") or {}
    sources = data.sources()
    rows = []
    for group, ind in figure_order(figures):
        fig = figures[ind]
        rows.append({t("brief.group"): t(f"figgroup.{group}"), t("country.indicator"): concept("indicator", ind),
                     t("country.value"): f"{fmt.number(fig['value'], fig.get('unit'))} {fmt.unit(fig.get('unit'))}",
                     t("country.year"): fig.get("year"), t("country.source"): fmt.source_name(fig.get("source")),
                     t("country.link"): (sources.get(fig.get("source")) or {}).get("link"),
                     t("country.flag"): fmt.flag(fig.get("flag"))})
    st.markdown(blocks.table(rows, name=key, links={t("country.link"): t("country.open")},
                             narrow=(t("country.year"),)), unsafe_allow_html=True)


def _scale_lines(p: Mapping) -> list[str]:
    """Implementer, scale and beneficiaries of a programme (schema v2 fields when the API gives them)."""
    lines = []
    implementer, scale = p.get("implementer"), p.get("scale")
    if isinstance(implementer, str):
        lines.append(t("brief.implementer", text=code("implementer", implementer)))
    if isinstance(scale, str):
        lines.append(t("country.scale_code", text=code("scale", scale)))
    elif isinstance(scale, Mapping) and scale.get("text") and lang() == "en":
        lines.append(t("country.scale", text=scale["text"], year=scale.get("year") or ""))
    ben = p.get("beneficiaries")
    if isinstance(ben, Mapping) and ben.get("number") is not None:
        lines.append(t("brief.beneficiaries", n=fmt.number(ben["number"], decimals=0),
                       unit=code("ben_unit", ben.get("unit") or "people"), year=ben.get("year") or ""))
    elif isinstance(ben, Mapping) and ben.get("text") and lang() == "en":
        lines.append(t("country.scale", text=ben["text"], year=ben.get("year") or ""))
    return lines


def programme_card(p: Mapping) -> str:
    """One programme as one Markdown block: status, implementer and scale, what it implements and for
    whom, its description and sources (caption-sized lines in `small`)."""
    status = code("status", p["status"])
    since = t("brief.status_since", status=status, year=p["start_year"]) if p.get("start_year") else status
    lines = [f"**{p['name']['en']}** · {since}"]
    if p["name"].get("local"):
        lines.append(small(p["name"]["local"]))
    lines += _scale_lines(p)
    if p.get("responsible_body"):
        lines.append(t("country.body", text=p["responsible_body"]))
    lines.append(t("country.implements", items=", ".join(map(instrument_name, p["instruments"]))))
    if p.get("target_groups"):
        lines.append(t("country.reaches", items=", ".join(concept("group", g) for g in p["target_groups"])))
    summary = p.get("summary")  # {en, zh} (KB v2); today the English notes
    if isinstance(summary, Mapping) and label(summary):
        lines.append(small(label(summary)))
    elif p.get("notes"):
        lines.append(small(p["notes"] if lang() == "en" else t("brief.summary_en_only")))
    lines.append(small(t("country.sources", items=source_links(p["sources"]))))
    return "\n\n".join(lines)


def programme_cards(programmes: list[Mapping]) -> None:
    """Every programme in place as an open card (two per row), each card one Markdown block (a card of
    separate lines made the country page ~200 elements, each re-rendered by the browser on every rerun)."""
    columns = st.columns(2)
    for n, p in enumerate(programmes):
        with columns[n % 2].container(border=True, key=f"programme-{p['id']}"):
            st.markdown(programme_card(p), unsafe_allow_html=True)
