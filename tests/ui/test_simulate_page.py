"""The Simulate page: fan charts of the API's simulation, in English and Chinese."""

from __future__ import annotations

import json

from ui.i18n import strings

from .conftest import open_app

EN, ZH = strings("en"), strings("zh")


def test_simulate_page_shows_the_api_simulation(atlas):
    at = open_app("simulate", country="KEN", bundle="short-time-work,vocational-skills-programme", mode="add")
    assert not at.exception
    sim = atlas.simulate("KEN", add=["short-time-work", "vocational-skills-programme"], scenario="moderate",
                         years=10, draws=200, seed=0).to_json()
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 1, "the four outcomes are panels of one figure"
    panels = [a["text"] for a in charts[0]["layout"]["annotations"]]
    assert panels == [EN[f"simulate.outcome.{k}"] for k in ("unemployment", "long_term", "no_income", "cost")]
    medians = [tr["y"] for tr in charts[0]["data"] if tr.get("name") == EN["simulate.policy"]]
    assert medians == [sim["outcomes"][k]["policy"]["median"] for k in ("unemployment", "long_term", "no_income",
                                                                         "cost")]
    stages = at.dataframe[0].value
    assert len(stages) == len(sim["cost_by_stage"])
    first = sim["cost_by_stage"][0]
    assert stages.iloc[0, 2] == f"{first['cost_median']:.2f} % [{first['cost_p05']:.2f}-{first['cost_p95']:.2f}]"
    assert EN["simulate.caveat"] in [c.value for c in at.caption]


def test_simulate_page_in_chinese_and_empty_bundle():
    at = open_app("simulate", country="KEN", lang="zh")
    assert not at.exception
    assert ZH["simulate.empty"] in [i.value for i in at.info]
    assert at.title[0].value.startswith("模拟")


def test_simulate_page_names_instruments_it_cannot_model():
    at = open_app("simulate", country="KEN", bundle="ai-transition-fund")
    at.toggle(key="sim_add").set_value(False).run()  # the bundle on its own, not added to the current mix
    assert not at.exception
    assert any("ai-transition-fund" in w.value or "转型" in w.value or "transition" in w.value.lower()
               for w in at.warning)
