"""The fiscal-space model: documented formula, monotone in stress, None when the KB lacks the figures."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from evaluator.costing import DATA_DIR
from evaluator.facts import Figure
from evaluator.fiscal import fiscal_space, fiscal_space_detail, stage_phases
from tests.planner import synthetic

P = yaml.safe_load((DATA_DIR / "fiscal_space.yaml").read_text(encoding="utf-8"))


def _with(facts, iso3, **figures):
    c = facts.countries[iso3]
    figs = dict(c.figures)
    for k, v in figures.items():
        figs[k.replace("_", "-")] = Figure(v, 2024, "% of GDP", "test-source")
    facts.countries[iso3] = dataclasses.replace(c, figures=figs)
    facts.__dict__.pop("_planner_medians", None)
    return facts


def test_no_stress_country_gets_its_reprioritisation_share_of_revenue():
    # AAA: revenue 45 (above the HIC median of the synthetic set), deficit 2 (< 3), debt 55 (< 60)
    f = synthetic.facts()
    detail = fiscal_space_detail(f, "AAA")
    assert detail.mobilisation == 0
    assert detail.deficit_multiplier == 1 and detail.debt_multiplier == 1
    assert detail.space == pytest.approx(P["reprioritisation_share"]["value"] * 45.0)


@pytest.mark.parametrize("debt", [40.0, 70.0, 100.0, 150.0, 250.0])
def test_more_debt_never_gives_more_space(debt):
    base = fiscal_space(_with(synthetic.facts(), "BBB", gen_gov_gross_debt=debt), "BBB")
    more = fiscal_space(_with(synthetic.facts(), "BBB", gen_gov_gross_debt=debt + 10), "BBB")
    assert more <= base
    assert more > 0  # debt alone never closes the space entirely


@pytest.mark.parametrize("deficit", [0.0, 2.0, 4.0, 8.0])
def test_a_bigger_deficit_never_gives_more_space(deficit):
    base = fiscal_space(_with(synthetic.facts(), "CCC", gen_gov_net_lending=-deficit), "CCC")
    more = fiscal_space(_with(synthetic.facts(), "CCC", gen_gov_net_lending=-deficit - 1), "CCC")
    assert more <= base


def test_low_revenue_against_peers_counts_as_room_to_mobilise():
    # the LMC countries of the synthetic set collect 16 (CCC) and 20 (EEE): the peer median is 18
    f = synthetic.facts()
    assert fiscal_space_detail(f, "EEE").mobilisation == 0
    assert fiscal_space_detail(f, "CCC").mobilisation == pytest.approx(P["mobilisation_share"]["value"] * 2.0)


def test_missing_fiscal_figures_give_no_estimate():
    assert fiscal_space(synthetic.facts(), "FFF") is None


def test_stages_open_the_space_progressively():
    shares = [ph["share"] for ph in stage_phases()]
    assert [ph["stage"] for ph in stage_phases()] == [1, 2, 3]
    assert shares == sorted(shares) and shares[-1] == 1.0
