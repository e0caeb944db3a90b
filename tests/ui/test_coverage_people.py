"""Coverage by target group in people on the country page (issue 15): the chart draws `Atlas.reach`, the
briefing's gaps are counted in people from it, and a country without group sizes says "unknown"."""

from __future__ import annotations

import json

import pytest

from evaluator.assess.context import People
from ui.components import fmt
from ui.components.coverage import gaps
from ui.i18n import strings

from .conftest import open_app

EN = strings("en")


def coverage_chart(at) -> dict | None:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if [tr.get("name") for tr in spec["data"][:2]] == [EN["reach.people"], EN["reach.reached"]]:
            return spec
    return None


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info") for e in getattr(at, kind))


@pytest.mark.parametrize("iso3", ["KEN", "DEU"])
def test_chart_and_briefing_show_reach_in_people(atlas, iso3):
    rows = atlas.reach(iso3)
    at = open_app("country", country=iso3)
    spec = coverage_chart(at)
    assert spec is not None
    group, reached, *unknown = spec["data"]
    unknown_rows = {(tr["offsetgroup"], y) for tr in unknown for y in tr["y"]}
    assert all([x.strip() for x in tr["text"]] == [EN["fmt.unknown"]] * len(tr["y"]) for tr in unknown)
    assert unknown_rows == {(key, y) for key, bars in (("people", group), ("reached", reached))
                            for y, x in zip(bars["y"], bars["x"], strict=True) if x is None}
    assert group["x"] == [r["people"] for r in rows]
    assert reached["x"] == [r["reached"] for r in rows]
    for row, text, hover in zip(rows, reached["text"], reached["hovertext"], strict=True):
        if row["reached"] is None:
            assert hover == EN["reach.hover_unknown"] and ("reached", group["y"][rows.index(row)]) in unknown_rows
        else:
            assert text == People(row["reached"]).text("en")
            assert str(row["year"]) in hover and fmt.source_name(row["sources"][0]) in hover
    for row, hover in zip(rows, group["hovertext"], strict=True):
        if row["people"] is not None:
            assert str(row["people_year"]) in hover and fmt.source_name(row["people_sources"][0]) in hover
    shown = texts(at)
    assert EN["reach.caption"].split(":")[0] in shown
    top = gaps(rows, atlas.evaluate(iso3).to_json())
    for gap in top:
        row = gap["row"]
        group_name = EN[f"reach.group.{row['group']}"]
        if gap["unreached"] is None:
            line = EN["reach.gap_unknown"].format(people=People(row["people"]).text("en"), group=group_name)
        elif row["basis"] == "coverage":
            line = EN["reach.gap_without"].format(people=People(gap["unreached"]).text("en"), group=group_name,
                                                  branch=EN[f"reach.branch.{row['branch']}"])
        else:
            line = EN["reach.gap"].format(people=People(gap["unreached"]).text("en"), group=group_name)
        assert f"[{line}](#coverage-people)" in shown
    if iso3 == "KEN":  # no unemployed Kenyan receives a benefit (SDG 1.3.1): a gap in people in the headline
        unemployed = next(r for r in rows if r["group"] == "unemployed")
        assert unemployed["share"] == 0 and unemployed["reached"] == 0
        line = EN["reach.gap_without"].format(people=People(unemployed["people"]).text("en"),
                                              group=EN["reach.group.unemployed"],
                                              branch=EN["reach.branch.unemployment"])
        assert f"[{line}](#coverage-people)" in shown


def test_a_country_without_group_sizes_shows_unknown(atlas):
    iso3 = next(c for c in atlas.country_ids() if not atlas.facts.baseline_of(c).groups)
    at = open_app("country", country=iso3)
    assert coverage_chart(at) is None
    name = atlas.country(iso3)["label"]["en"]
    assert any(i.value == EN["reach.none"].format(country=name) for i in at.info)
