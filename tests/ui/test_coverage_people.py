"""Coverage by target group in people on the country page (issue 15): the chart draws `Atlas.reach`, the
briefing's gaps are counted in people from it, and a country without group sizes says "unknown"."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from evaluator.assess.context import People
from ui.components import fmt
from ui.components.coverage import block, gaps
from ui.i18n import strings

from .conftest import open_app

EN = strings("en")


class Bars(HTMLParser):
    """What the chart's HTML block draws: per group (in order) each bar's value (None when no bar is drawn),
    its written value, its tooltip and its width; and the texts of the legend and the axis."""

    def __init__(self):
        super().__init__()
        self.groups: list[dict] = []
        self.text: list[str] = []
        self._bar: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-group" in attrs:
            self.groups.append({"group": attrs["data-group"], "bars": {}})
        elif "data-key" in attrs:
            value = attrs.get("data-value")
            self._bar = {"value": None if value is None else float(value), "title": attrs["title"], "text": "",
                         "width": None}
            self.groups[-1]["bars"][attrs["data-key"]] = self._bar
        elif "data-width" in attrs and self._bar is not None:
            self._bar["width"] = float(attrs["data-width"])

    def handle_endtag(self, tag):
        if tag == "div":
            self._bar = None

    def handle_data(self, data):
        self.text.append(data)
        if self._bar is not None:
            self._bar["text"] += data


def coverage_chart(at) -> Bars | None:
    for element in at.markdown:
        if "pa-reach" in element.value:
            bars = Bars()
            bars.feed(element.value)
            return bars
    return None


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info") for e in getattr(at, kind))


@pytest.mark.parametrize("iso3", ["KEN", "DEU"])
def test_chart_and_briefing_show_reach_in_people(atlas, iso3):
    rows = atlas.reach(iso3)
    at = open_app("country", country=iso3)
    chart = coverage_chart(at)
    assert chart is not None
    assert EN["reach.people"] in chart.text and EN["reach.reached"] in chart.text  # the legend
    assert [g["group"] for g in chart.groups] == [r["group"] for r in rows]
    top = max(r[k] for r in rows for k in ("people", "reached") if r[k] is not None)
    assert f"{EN['reach.axis']}: 0 – {People(top).text('en')}" in "".join(chart.text)
    for row, drawn in zip(rows, chart.groups, strict=True):
        for key in ("people", "reached"):
            bar = drawn["bars"][key]
            assert bar["value"] == row[key]  # the value of Atlas.reach, in people
            if row[key] is None:  # unknown: the word, never a bar (no width, not a zero)
                assert bar["width"] is None and bar["text"].strip() == EN["fmt.unknown"]
            else:
                assert bar["text"] == People(row[key]).text("en")
                assert bar["width"] == pytest.approx(78 * row[key] / top, abs=0.01)
        people, reached = drawn["bars"]["people"]["title"], drawn["bars"]["reached"]["title"]
        if row["reached"] is None:
            assert reached == EN["reach.hover_unknown"]
        else:
            assert str(row["year"]) in reached and fmt.source_name(row["sources"][0]) in reached
        if row["people"] is not None:
            assert str(row["people_year"]) in people and fmt.source_name(row["people_sources"][0]) in people
        assert f"{people} · {reached}" in chart.text  # the same details written under the bars
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


@settings(max_examples=60, deadline=None)
@given(hs.text(), hs.text(min_size=1), hs.one_of(hs.none(), hs.floats(0, 1e10)))
def test_the_block_escapes_what_it_writes(year, source, reached):
    """Hostile text in a figure's year or source id (written as the id when no short name is known) stays
    text: the block's structure is unchanged and the text reads back as given, in the tooltip and under the bars."""
    row = {"group": "unemployed", "people": 1e6, "people_year": year, "people_sources": [source], "imputed": False,
           "share": None if reached is None else 50.0, "reached": reached, "basis": "programmes", "year": year,
           "sources": [source]}
    chart = Bars()
    chart.feed(block([row]))
    assert [g["group"] for g in chart.groups] == ["unemployed"]
    bars = chart.groups[0]["bars"]
    assert [bars["people"]["value"], bars["reached"]["value"]] == [1e6, reached]
    name = fmt.source_name(source)
    assert f"{year}; {name})" in bars["people"]["title"]
    assert bars["people"]["title"] in "".join(chart.text)
