"""The HTML charts (`ui.components.blocks`: plan timeline, scorecard heat map, map legend) and the map's quantile
classes (`ui.components.charts.map_classes`) under hostile input: any label text, any years text, any numbers.
Each must draw without raising, escape every text (it reads back as given, no markup gets through), never
write a non-finite number into a style, and keep what it draws equal to its input."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as hs

from ui.components import blocks, charts

TEXT = hs.sampled_from(["<script>alert(1)</script>", "a'b\"c", "&amp;", "{cost}", "第1阶段", ""]) | hs.text(
    hs.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
NUMBER = hs.floats(allow_nan=True, allow_infinity=True) | hs.sampled_from([0.0, -1.0, 1e308, 5e-324])
LINK = hs.sampled_from(["https://example.org/a?b='c'", "javascript:alert(1)", "data:text/html,<b>"])
YEARS = hs.sampled_from(["0-2", "2-5", "5+", "3", "", "nan-inf", "-3", "1e400", "7-2", "abc"]) | hs.text(max_size=8)


class Parsed(HTMLParser):
    """Every start tag's attributes and all the text of an HTML block; fails on a tag the blocks never write."""

    TAGS = {"div", "span", "strong", "br", "table", "thead", "tbody", "tr", "th", "td", "style", "a"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        assert tag in self.TAGS, f"unexpected <{tag}>: unescaped markup"
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if self.lasttag != "style":
            self.text.append(data)


def finite_styles(parsed: Parsed) -> None:
    for _, attrs in parsed.tags:
        for number in re.findall(r"(-?[\d.]+(?:e[+-]?\d+)?|nan|inf)%", attrs.get("style") or ""):
            assert math.isfinite(float(number)), attrs["style"]


@settings(max_examples=60, deadline=None)
@given(stages=hs.lists(hs.fixed_dictionaries({"stage": hs.integers(1, 9), "years": YEARS, "cost_pct_gdp": NUMBER,
                                              "instruments": hs.lists(hs.fixed_dictionaries({"id": TEXT}),
                                                                      max_size=3)}), max_size=4),
       label=TEXT)
def test_timeline_draws_any_stages(stages, label):
    # the templates come from the message catalogue; the axis, the names and the years are data
    html = blocks.timeline(stages, {}, axis=label, stage_label="Stage {stage} ({years})", cost_label="{cost:.2f}")
    parsed = Parsed(html)
    finite_styles(parsed)
    drawn = [a for tag, a in parsed.tags if "data-stage" in a]
    assert [int(a["data-stage"]) for a in drawn] == [s["stage"] for s in stages]
    for a, stage in zip(drawn, stages, strict=True):
        start, end = float(a["data-start"]), float(a["data-end"])
        assert 0 <= start <= end <= blocks.MAX_YEAR + blocks.OPEN_END
        assert a["data-cost"] == str(stage["cost_pct_gdp"])
    text = "".join(parsed.text)
    assert all(i["id"] in text for s in stages for i in s["instruments"])  # every name, read back as given


@settings(max_examples=60, deadline=None)
@given(levels=hs.dictionaries(TEXT, hs.dictionaries(TEXT, hs.sampled_from(["latent", "advanced", "not-assessed",
                                                                               "<b>", ""]), max_size=4), max_size=4),
       why=TEXT)
def test_heatmap_draws_any_cards(levels, why):
    order = ("not-assessed", "latent", "emerging", "established", "advanced")
    basis = {c: {r: why for r in card} for c, card in levels.items()}
    parsed = Parsed(blocks.level_heatmap(levels, {lv: lv.upper() for lv in order}, {}, order, basis))
    cells = [a for tag, a in parsed.tags if tag == "td"]
    rows = {r for card in levels.values() for r in card}
    assert len(cells) == len(rows) * len(levels)
    for a in cells:
        assert a["data-level"] == (levels[a["data-column"]].get(a["data-criterion"]) or "")
        if a["data-level"] in levels[a["data-column"]].values() and a["data-level"]:
            assert a["title"] == why
    assert [a["data-level"] for tag, a in parsed.tags if tag == "span" and "data-level" in a] == list(order)


@settings(max_examples=80, deadline=None)
@given(values=hs.lists(NUMBER | hs.none(), max_size=40), title=TEXT)
def test_map_classes_and_legend_for_any_figures(values, title):
    series = pd.Series(values, dtype=object)
    cuts, tones = charts.map_classes(series)
    colours = [charts.MAP_COLOURS[i] for i in tones]
    known = [v for v in values if v is not None and math.isfinite(v)]
    assert len(colours) == (len(cuts) + 1 if known else 0)
    assert tones == sorted(set(tones)), "lighter to darker, one tone per class"
    assert cuts == sorted(set(cuts)) and all(math.isfinite(c) for c in cuts)
    classes = [sum(1 for v in known if sum(v >= c for c in cuts) == k) for k in range(len(colours))]
    assert all(classes), f"an empty class: {classes}"  # merged cut points: every class holds a country
    parsed = Parsed(blocks.map_legend(title, values, cuts, colours, "unknown"))
    swatches = [a for tag, a in parsed.tags if "data-colour" in a]
    assert [a["data-colour"] for a in swatches] == [*colours, blocks.NO_DATA]
    assert "".join(parsed.text).startswith(title)


@settings(max_examples=60, deadline=None)
@given(columns=hs.lists(TEXT, min_size=1, max_size=4, unique=True),
       values=hs.lists(TEXT | NUMBER | hs.none() | LINK, min_size=1, max_size=12))
def test_table_draws_any_rows(columns, values):
    rows = [{c: values[(i + j) % len(values)] for j, c in enumerate(columns)} for i in range(3)]
    parsed = Parsed(blocks.table(rows, name="t", links={columns[0]: "open"}, bars={columns[-1]: 4}))
    finite_styles(parsed)
    cells = [a for tag, a in parsed.tags if tag == "td"]
    assert [a["data-value"] for a in cells] == ["" if r[c] is None else str(r[c]) for r in rows for c in columns]
    links = [a["href"] for tag, a in parsed.tags if tag == "a"]
    assert all(h.startswith(("https://", "http://")) for h in links), "only web links become links"
