"""Planner properties on synthetic facts, over many countries, budgets and current mixes (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.planner.plan import build_problem, solve, suggest_facts
from policyatlas.core.errors import UserError
from tests.planner import synthetic
from tests.planner.properties import check_plan

COUNTRIES = sorted(synthetic.COUNTRIES)
INSTRUMENTS = sorted(synthetic.INSTRUMENTS)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

spaces = st.floats(min_value=0.0, max_value=16.0, allow_nan=False)
mixes = st.lists(st.sampled_from(INSTRUMENTS), max_size=5, unique=True)


@SETTINGS
@given(iso3=st.sampled_from(COUNTRIES), space=spaces, mix=mixes)
def test_every_plan_respects_space_capacity_prerequisites_and_exclusions(iso3, space, mix):
    facts = synthetic.facts({iso3: mix})
    problem = build_problem(facts, iso3)
    plan = suggest_facts(facts, iso3, space, problem=problem)
    check_plan(facts, plan, space, problem)


@SETTINGS
@given(iso3=st.sampled_from(COUNTRIES), a=spaces, b=spaces, mix=mixes)
def test_more_fiscal_space_never_lowers_the_objective(iso3, a, b, mix):
    """Lexicographic: the evidenced value never drops; where it is equal, the total never drops."""
    facts = synthetic.facts({iso3: mix})
    problem = build_problem(facts, iso3)
    low, high = sorted((a, b))
    one, two = solve(problem, low), solve(problem, high)
    assert (one.value_evidenced, one.value) <= (two.value_evidenced, two.value)


@settings(max_examples=8, deadline=None)
@given(iso3=st.sampled_from(COUNTRIES), space=spaces)
def test_identical_input_gives_identical_output(iso3, space):
    one = json.dumps(suggest_facts(synthetic.facts(), iso3, space).to_json(), sort_keys=True)
    two = json.dumps(suggest_facts(synthetic.facts(), iso3, space).to_json(), sort_keys=True)
    assert one == two


def test_no_space_means_an_empty_plan_with_reasons():
    plan = suggest_facts(synthetic.facts(), "DDD", 0.0)
    assert plan.chosen == [] and plan.total_cost == 0
    assert plan.left_out and all(lo["reason_code"]["code"].startswith("planner.reason.left_out.")
                                 for lo in plan.left_out)


def test_existing_scheme_is_extended_not_introduced():
    facts = synthetic.facts()
    problem = build_problem(facts, "AAA")  # AAA's baseline: unemployment benefits reach 40% of the unemployed
    ui = [a for a in problem.actions if a.instrument == "unemployment-insurance"]
    assert [a.id for a in ui] == ["extend:unemployment-insurance:50", "extend:unemployment-insurance:75",
                                  "extend:unemployment-insurance:100"]
    unemployed = facts.baseline_of("AAA").people("unemployed")
    assert ui[0].people == {"unemployed": pytest.approx(unemployed * 0.10)}
    plan = suggest_facts(facts, "AAA", 20.0, problem=problem)
    extend = [a for a in plan.actions if a["id"] == "unemployment-insurance"]
    assert extend and extend[0]["action"] == "extend" and extend[0]["coverage"]["from"] == 40.0
    assert extend[0]["reasons"][0]["code"] == "planner.reason.extend"


def test_an_action_that_does_nothing_is_not_a_candidate():
    facts = synthetic.facts()
    problem = build_problem(facts, "BBB")
    for a in problem.actions:
        assert any(n > 0 for n in a.people.values()) or a.closes, a.id
    assert all(lo["reason_code"]["code"] == "planner.reason.left_out.no_effect"
               for lo in problem.left if lo["action"] == "introduce")


def test_unevidenced_actions_come_only_after_evidenced_ones():
    facts = synthetic.facts()
    problem = build_problem(facts, "CCC")
    full = solve(problem, 3.0)
    only = [a for a in problem.actions if a.evidenced]
    alone = solve(type(problem)(**{**problem.__dict__, "actions": only}), 3.0)
    assert full.value_evidenced == alone.value  # the evidenced value is what the evidenced actions alone reach


def test_json_shape_and_reasons_in_both_languages():
    data = suggest_facts(synthetic.facts(), "BBB", 3.0).to_json()
    assert {"country", "fiscal_space_pct_gdp", "stages", "total_cost_pct_gdp", "objective", "left_out",
            "assumptions", "people_newly_reached", "objective_evidenced"} <= set(data)
    assert [s["years"] for s in data["stages"]] == ["0-2", "2-5", "5+"]
    for s in data["stages"]:
        for i in s["instruments"]:
            assert {"id", "action", "layer", "cost_pct_gdp", "closes", "reaches", "reasons", "explanation"} <= set(i)
            assert all(r["code"].startswith("planner.reason.") for r in i["reasons"])
            en, zh = i["explanation"]["en"], i["explanation"]["zh"]
            assert en and zh and en != zh
    for lo in data["left_out"]:
        assert {"id", "reason", "reason_zh", "reason_code"} <= set(lo)
    json.dumps(data)


def test_imputation_is_reported_in_assumptions():
    data = suggest_facts(synthetic.facts(), "EEE", 5.0).to_json()
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
