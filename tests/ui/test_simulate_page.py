"""The Simulate page: fan charts of the API's simulation (an HTML block of SVG panels), in English and Chinese;
and the fan-chart builder against hostile numbers and labels."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as hs

from ui.components.fans import Labels, block
from ui.i18n import strings

from .conftest import open_app

EN, ZH = strings("en"), strings("zh")
OUTCOMES = ("unemployment", "long_term", "no_income", "cost")


class Fans(HTMLParser):
    """What the fan charts' block draws: per panel (in order) its outcome, title and each run's median, p05
    and p95 as written in the data attributes; the legend's text; every year's tooltip."""

    def __init__(self):
        super().__init__()
        self.panels: list[dict] = []
        self.legend = ""
        self.tooltips: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-outcome" in attrs:
            self.panels.append({"outcome": attrs["data-outcome"], "title": "", "runs": {}})
        elif attrs.get("class") == "pa-fan-title":
            self._in = "title"
        elif attrs.get("class") == "pa-fans-legend":
            self._in = "legend"
        elif tag == "title":
            self._in = "tooltip"
            self.tooltips.append("")
        elif "data-run" in attrs:
            self.panels[-1]["runs"][attrs["data-run"]] = {q: json.loads(attrs[f"data-{q}"])
                                                          for q in ("median", "p05", "p95")}

    def handle_endtag(self, tag):
        if tag == "div" and self._in in ("title", "legend") or tag == "title":
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.panels[-1]["title"] += data
        elif self._in == "legend":
            self.legend += data
        elif self._in == "tooltip":
            self.tooltips[-1] += data


class Tables(HTMLParser):
    """The HTML tables of a Markdown block: name -> rows of cell texts (the header row first)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._name = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._name = dict(attrs)["data-table"]
            self.tables[self._name] = []
        elif tag == "tr":
            self.tables[self._name].append([])
        elif tag in ("td", "th"):
            self.tables[self._name][-1].append("")

    def handle_data(self, data):
        if self._name is not None:
            self.tables[self._name][-1][-1] += data


def fans(at) -> Fans:
    drawn = [e.value for e in at.markdown if "pa-fans" in str(e.value)]
    assert len(drawn) == 1, "the four outcomes are panels of one block"
    parsed = Fans()
    parsed.feed(drawn[0])
    return parsed


def tables(at) -> dict[str, list[list[str]]]:
    parsed = Tables()
    for e in at.markdown:
        if "pa-table" in str(e.value):
            parsed.feed(e.value)
    return parsed.tables


def test_simulate_page_shows_the_api_simulation(atlas):
    at = open_app("simulate", country="KEN", bundle="short-time-work,vocational-skills-programme", mode="add")
    assert not at.exception
    sim = atlas.simulate("KEN", add=["short-time-work", "vocational-skills-programme"], scenario="moderate",
                         years=10, draws=200, seed=0).to_json()
    chart = fans(at)
    assert [p["outcome"] for p in chart.panels] == list(OUTCOMES)
    assert [p["title"] for p in chart.panels] == [EN[f"simulate.outcome.{k}"] for k in OUTCOMES]
    for panel in chart.panels:  # the drawn numbers are the API's, both runs, median and band
        assert panel["runs"] == {run: {q: sim["outcomes"][panel["outcome"]][run][q] for q in ("median", "p05", "p95")}
                                 for run in ("baseline", "policy")}
    assert EN["simulate.baseline"] in chart.legend and EN["simulate.policy"] in chart.legend
    assert len(chart.tooltips) == 4 * 11  # one per year and panel
    assert not at.get("plotly_chart")
    stages = tables(at)["stages"]
    assert stages[0] == [EN[k] for k in ("simulate.stage", "simulate.stage_years", "simulate.cost", "simulate.cap",
                                         "simulate.within")]
    assert len(stages) == 1 + len(sim["cost_by_stage"])
    first = sim["cost_by_stage"][0]
    assert stages[1][2] == f"{first['cost_median']:.2f} % [{first['cost_p05']:.2f}-{first['cost_p95']:.2f}]"
    drivers = tables(at)["drivers"]
    labels = {i["id"]: i["label"]["en"] for i in atlas.instruments()}
    assert [row[0] for row in drivers[1:]] == [parameter(d["parameter"], labels) for d in sim["drivers"]]
    assert [float(row[1]) for row in drivers[1:]] == [round(d["spearman"], 2) for d in sim["drivers"]]
    assert EN["simulate.caveat"] in [c.value for c in at.caption]


def parameter(name: str, instruments: dict[str, str]) -> str:
    """A drawn parameter's name in English, as the page should write it."""
    kind, _, instrument = name.partition(":")
    return EN[f"simulate.param.{kind}"].format(instrument=instruments[instrument]) if instrument else \
        EN[f"simulate.param.{name}"]


def test_every_drawn_parameter_has_a_name_in_both_languages():
    """The drivers table names each parameter the simulator draws (its spec's model and scenario parameters) in
    words, in English and Chinese."""
    from evaluator.assess.simulate import spec

    names = set(spec()["model"]) | {k for s in spec()["scenarios"].values() for k, v in s.items()
                                    if isinstance(v, dict) and "low" in v}
    assert "displaced_fraction" in names
    for catalogue in (EN, ZH):
        assert not [n for n in names if f"simulate.param.{n}" not in catalogue]


def test_simulate_page_in_chinese_and_empty_bundle():
    at = open_app("simulate", country="KEN", lang="zh")
    assert not at.exception
    assert ZH["simulate.empty"] in [i.value for i in at.info]
    assert at.title[0].value.startswith("模拟")
    chart = fans(at)
    assert [p["title"] for p in chart.panels] == [ZH[f"simulate.outcome.{k}"] for k in OUTCOMES]
    assert ZH["simulate.baseline"] in chart.legend and ZH["simulate.policy"] in chart.legend
    assert EN["simulate.baseline"] not in chart.legend
    assert chart.tooltips[0].startswith(ZH["simulate.year_n"].format(n=0))


def test_simulate_page_names_instruments_it_cannot_model():
    at = open_app("simulate", country="KEN", bundle="ai-transition-fund")
    at.toggle(key="sim_add").set_value(False).run()  # the bundle on its own, not added to the current mix
    assert not at.exception
    assert any("ai-transition-fund" in w.value or "转型" in w.value or "transition" in w.value.lower()
               for w in at.warning)


HOSTILE = hs.sampled_from(["<script>alert(1)</script>", "a'b\"c", "&amp;", "]]>", "{n}", "年", ""]) | hs.text(
    hs.characters(blacklist_categories=("Cc", "Cs")), max_size=12)  # control characters are not XML
NUMBER = hs.floats(allow_nan=True, allow_infinity=True) | hs.sampled_from([0.0, -0.0, -5.0, 1e308, -1e308, 5e-324])
COORDINATES = ("x", "y", "x1", "x2", "y1", "y2", "width", "height")


@settings(max_examples=80, deadline=None)
@given(years=hs.integers(1, 16), numbers=hs.lists(NUMBER, min_size=6, max_size=6) | hs.just([]),
       constant=hs.one_of(hs.none(), NUMBER), title=HOSTILE, label=HOSTILE)
def test_the_fan_charts_draw_hostile_numbers_and_labels(years, numbers, constant, title, label):
    """Any numbers (NaN, infinities, negative, huge, all equal, one year) and any label text: the block is
    well-formed markup (parsed as XML), every coordinate a finite number, every text escaped (it reads back as
    given), and a non-finite value is left out of the drawing but kept as null in the data."""
    def series(offset):
        if constant is not None:
            return [constant] * years
        return [numbers[(i + offset) % len(numbers)] if numbers else float(i) for i in range(years)]
    outcome = {"years": list(range(years)),
               **{run: {"p05": series(0), "median": series(2), "p95": series(4)} for run in ("baseline", "policy")}}
    labels = Labels(label, label + "2", label, "Y {n}", "{run}: {median} ({low}, {high})", label)
    html = block([(k, title, outcome) for k in OUTCOMES], labels)
    root = ET.fromstring(html)
    for element in root.iter():
        for name in COORDINATES:
            if name in element.attrib and element.attrib[name] != "100%":
                assert math.isfinite(float(element.attrib[name])), (name, element.attrib[name])
        for name in ("points", "d"):
            for number in re.findall(r"[-+0-9.e]+", element.attrib.get(name, "")):
                assert math.isfinite(float(number)), (name, element.attrib[name])
    chart = Fans()
    chart.feed(html)
    assert [p["title"] for p in chart.panels] == [title] * 4
    assert chart.legend.startswith(f"{label}{label}2")
    drawn = [None if v is None or not math.isfinite(v) else v for v in outcome["policy"]["median"]]
    assert chart.panels[0]["runs"]["policy"]["median"] == drawn
    assert len(chart.tooltips) == 4 * years and chart.tooltips[0].startswith("Y 0")
    assert "<script>" not in html
