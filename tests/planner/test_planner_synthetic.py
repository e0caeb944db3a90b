"""Planner properties on synthetic facts, over many countries, budgets and current mixes (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.costing import instrument_cost
from evaluator.planner import build_problem, solve, suggest_facts
from policyatlas.errors import UserError
from tests.planner import synthetic
from tests.planner.properties import check_plan

COUNTRIES = sorted(synthetic.COUNTRIES)
INSTRUMENTS = sorted(synthetic.INSTRUMENTS)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

spaces = st.floats(min_value=0.0, max_value=16.0, allow_nan=False)
mixes = st.lists(st.sampled_from(INSTRUMENTS), max_size=5, unique=True)


@SETTINGS
@given(iso3=st.sampled_from(COUNTRIES), space=spaces, mix=mixes)
def test_every_plan_respects_space_layers_prerequisites_and_exclusions(iso3, space, mix):
    facts = synthetic.facts({iso3: mix})
    plan = suggest_facts(facts, iso3, space)
    check_plan(facts, plan, space)


@SETTINGS
@given(iso3=st.sampled_from(COUNTRIES), a=spaces, b=spaces, mix=mixes)
def test_more_fiscal_space_never_lowers_the_objective(iso3, a, b, mix):
    facts = synthetic.facts({iso3: mix})
    problem = build_problem(facts, iso3)
    low, high = sorted((a, b))
    assert solve(problem, low).objective <= solve(problem, high).objective + 1e-9


@settings(max_examples=10, deadline=None)
@given(iso3=st.sampled_from(COUNTRIES), space=spaces)
def test_identical_input_gives_identical_output(iso3, space):
    one = json.dumps(suggest_facts(synthetic.facts(), iso3, space).to_json(), sort_keys=True)
    two = json.dumps(suggest_facts(synthetic.facts(), iso3, space).to_json(), sort_keys=True)
    assert one == two


def test_no_space_means_an_empty_plan_with_reasons():
    plan = suggest_facts(synthetic.facts(), "DDD", 0.0)
    assert plan.chosen == [] and plan.total_cost == 0
    assert plan.left_out and all("remaining fiscal space" in lo["reason"] or "needs" in lo["reason"]
                                 for lo in plan.left_out)


def test_universal_basic_income_left_out_with_cost_against_remaining_space():
    facts = synthetic.facts()
    plan = suggest_facts(facts, "CCC", 1.0)
    assert "universal-basic-income" not in plan.chosen
    reason = next(lo["reason"] for lo in plan_with_all_left_out(facts, "CCC", 1.0)
                  if lo["id"] == "universal-basic-income")
    ubi = instrument_cost(facts, "CCC", "universal-basic-income").central
    assert f"{ubi:.2f}% of GDP against" in reason
    remaining = float(reason.split("against ")[1].split("%")[0])
    assert 0 <= remaining <= 1.0 - plan.total_cost + 0.01


def plan_with_all_left_out(facts, iso3, space):
    """The plan's left-out list without the display cap, to find one instrument's reason."""
    from evaluator import planner

    params = planner.objective_params()
    cap = params["explanation"]["max_left_out"]
    params["explanation"]["max_left_out"] = 1000
    try:
        return suggest_facts(facts, iso3, space).left_out
    finally:
        params["explanation"]["max_left_out"] = cap


def test_a_substitute_in_place_excludes_the_other_with_that_reason():
    facts = synthetic.facts({"AAA": ["universal-basic-income"]})
    plan = suggest_facts(facts, "AAA", 20.0)
    assert "negative-income-tax" not in plan.chosen and "conditional-basic-income" not in plan.chosen
    reasons = {lo["id"]: lo["reason"] for lo in plan_with_all_left_out(facts, "AAA", 20.0)}
    assert "substitute for universal basic income, which is already in place" in reasons["negative-income-tax"]


def test_chosen_instruments_explain_what_they_close_cost_and_evidence():
    plan = suggest_facts(synthetic.facts(), "CCC", 2.0)
    assert plan.chosen
    for st_ in plan.stages:
        for i in st_["instruments"]:
            assert i["closes"] or i["complements"] or i["evidence_score"] > 0 or i["explanation"]["en"]
            assert set(i["cost_range_pct_gdp"]) == {"low", "central", "high"}
            assert i["stage"] == st_["stage"]
    cash = [i for s in plan.stages for i in s["instruments"] if i["id"] == "targeted-cash-transfer"]
    if cash:
        assert cash[0]["evidence"] == ["src-ev-cash-south"]


def test_json_has_the_design_shape():
    data = suggest_facts(synthetic.facts(), "BBB").to_json()
    assert {"country", "fiscal_space_pct_gdp", "stages", "total_cost_pct_gdp", "objective", "left_out",
            "assumptions"} <= set(data)
    assert [s["stage"] for s in data["stages"]] == [1, 2, 3]
    assert [s["years"] for s in data["stages"]] == ["0-2", "2-5", "5+"]
    for s in data["stages"]:
        assert {"stage", "years", "instruments", "cost_pct_gdp"} <= set(s)
        for i in s["instruments"]:
            assert {"id", "layer", "cost_pct_gdp", "closes", "evidence"} <= set(i)
            assert i["layer"] in {"base", "middle", "top", "cross-cutting"}
    for lo in data["left_out"]:
        assert {"id", "reason"} <= set(lo)
    json.dumps(data)


def test_imputation_is_reported_in_assumptions():
    data = suggest_facts(synthetic.facts(), "EEE").to_json()
    assert any("IMPUTED" in m and "informal-employment-share" in m for m in data["assumptions"]["imputed"])


def test_missing_fiscal_figures_ask_for_an_explicit_space():
    with pytest.raises(UserError, match="--fiscal-space"):
        suggest_facts(synthetic.facts(), "FFF")
    assert suggest_facts(synthetic.facts(), "FFF", 1.5).fiscal_space_source == "user"


@pytest.mark.parametrize("bad", [-0.1, "abc", float("nan"), float("inf")])
def test_bad_fiscal_space_is_a_user_error(bad):
    with pytest.raises(UserError, match="fiscal space"):
        suggest_facts(synthetic.facts(), "AAA", bad)


def test_tables_in_english_and_chinese():
    plan = suggest_facts(synthetic.facts(), "CCC", 2.0)
    en, zh = plan.to_table("en"), plan.to_table("zh")
    assert "Stage 1 (0-2 years)" in en and "Country CCC" in en
    assert "阶段 1" in zh and "国家CCC" in zh and "财政空间" in zh


def test_the_evaluator_says_what_the_plan_closes():
    from evaluator.engine import evaluate_facts

    facts = synthetic.facts({"CCC": ["targeted-cash-transfer"]})
    plan = suggest_facts(facts, "CCC", 2.0)
    before = {(f.rule, f.gap) for f in evaluate_facts(facts, "CCC").findings}
    after = {(f.rule, f.gap) for f in evaluate_facts(facts, "CCC", sorted(set(plan.chosen) | set(plan.in_place)))
             .findings}
    closed = {(f["rule"], f["gap"]) for f in plan.findings_closed}
    assert closed and closed <= before and not (closed & after)
    for st_ in plan.stages:
        for i in st_["instruments"]:
            assert set(i["closes_findings"]) <= {r for r, _g in closed}
