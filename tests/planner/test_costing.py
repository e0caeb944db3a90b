"""The costing model: RAP formula on KB group sizes, stated benefit references, ranges, the 10-year path, loud
imputation, the `action_cost` API, and the typed loader of costs.yaml (`check_costs`)."""

from __future__ import annotations

import copy
import math
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.models.costing import (
    COSTS_FILE,
    PATH_YEARS,
    ROOT,
    action_cost,
    bundle_cost,
    check_costs,
    instrument_cost,
    load_costs,
    simulation_spec,
)
from policyatlas.core.errors import UserError
from tests.planner import synthetic

COSTS = yaml.safe_load(COSTS_FILE.read_text(encoding="utf-8"))
LEVELS = ("low", "central", "high")
PROBLEM = re.compile(r"^[^:]+:\d+: \[costs-[a-z-]+\] .+")


def _p(path: str) -> dict:
    node = COSTS
    for key in path.split("."):
        node = node[key]
    return node


def test_unemployment_insurance_follows_the_rap_formula_on_group_sizes():
    # beneficiaries = unemployed (people, from the baseline) x formality x take-up; benefit = share of GDP per capita
    f = synthetic.facts()
    spec = _p("instruments.unemployment-insurance")
    figs = synthetic.COUNTRIES["CCC"][3]
    pop = figs["population"] * 1e6
    unemployed = pop * synthetic.LABOUR_FORCE_SHARE * figs["unemployment-rate"] / 100
    formal = 1 - figs["informal-employment-share"] / 100
    got = action_cost(f, "CCC", "unemployment-insurance")
    for lv in LEVELS:
        expected = 100 * unemployed * formal * spec["take_up"][lv] / pop * spec["benefit"][lv] * (1 + spec["admin"][lv])
        assert getattr(got, lv) == pytest.approx(expected)
    assert got.beneficiaries == pytest.approx(unemployed * formal * spec["take_up"]["central"])
    assert got.per_person["reference"] == "gdp_per_capita"
    assert got.per_person["value"] == pytest.approx(spec["benefit"]["central"] * figs["gdp-per-capita-usd"], rel=1e-3)


@pytest.mark.parametrize("iso3, line", [("DDD", 3.00), ("CCC", 4.20), ("BBB", 8.30)])
def test_poverty_line_benefits_use_the_income_group_line_in_ppp(iso3, line):
    f = synthetic.facts()
    spec = _p("instruments.universal-basic-income")
    uplift = _p("parameters.ppp_2021_to_current")
    ppp = synthetic.COUNTRIES[iso3][3]["gdp-per-capita-ppp"]
    got = action_cost(f, iso3, "universal-basic-income")
    for lv in LEVELS:
        share = line * 365 * uplift[lv] / ppp
        assert getattr(got, lv) == pytest.approx(100 * spec["take_up"][lv] * spec["benefit"][lv] * share
                                                 * (1 + spec["admin"][lv]))
    assert f"${line:.2f} a day" in got.per_person["text"] and got.per_person["text"].startswith("benefit = 100%")


def test_high_income_countries_use_a_relative_line_and_say_so():
    got = action_cost(synthetic.facts(), "AAA", "targeted-cash-transfer")
    assert got.per_person["relative"] is True and "no World Bank absolute line for HIC" in got.per_person["label"]
    names = {p["name"] for p in got.params}
    assert "hic_relative_line" in names and "ppp_2021_to_current" not in names


def test_a_poorer_country_pays_more_of_its_gdp_for_the_same_poverty_line_benefit():
    f = synthetic.facts()
    assert action_cost(f, "DDD", "universal-basic-income").central > 2 * action_cost(f, "BBB",
                                                                                     "universal-basic-income").central


def test_people_prices_exactly_those_people_at_full_take_up():
    f = synthetic.facts()
    one = action_cost(f, "BBB", "targeted-cash-transfer", people=1e6)
    two = action_cost(f, "BBB", "targeted-cash-transfer", people=2e6)
    assert two.central == pytest.approx(2 * one.central) and two.beneficiaries == 2e6
    assert one.target_people is None
    assert action_cost(f, "BBB", "targeted-cash-transfer", people=0).central == 0


@pytest.mark.parametrize("people", [-1.0, math.nan, math.inf])
def test_bad_people_is_a_user_error(people):
    with pytest.raises(UserError, match="people"):
        action_cost(synthetic.facts(), "BBB", "targeted-cash-transfer", people=people)


@pytest.mark.parametrize("iso3", sorted(synthetic.COUNTRIES))
def test_every_instrument_has_an_ordered_positive_range_and_a_ten_year_path(iso3):
    f = synthetic.facts()
    for iid in synthetic.INSTRUMENTS:
        c = action_cost(f, iso3, iid)
        assert 0 < c.low <= c.central <= c.high, iid
        assert len(c.path) == PATH_YEARS and all(v > 0 for v in c.path), iid
        assert all(("source" in p) != bool(p.get("assumption")) for p in c.params), iid


def test_the_path_ramps_up_then_follows_population_and_gdp_growth():
    f = synthetic.facts()
    spec = _p("instruments.targeted-cash-transfer")
    ramp = spec["ramp_years"]["value"]
    c = action_cost(f, "DDD", "targeted-cash-transfer")
    growth = _p("parameters.real_gdp_growth")["central"]
    g = (1 + synthetic.COUNTRIES["DDD"][3]["population-growth"] / 100) / (1 + growth)
    for t, value in enumerate(c.path):
        assert value == pytest.approx(c.central * min(1, (t + 1) / ramp) * g ** t)
    ui = action_cost(f, "DDD", "unemployment-insurance")  # tied to GDP per capita: flat once ramped up
    assert ui.path[-1] == pytest.approx(ui.central)


def test_regulatory_instruments_cost_little_but_not_nothing():
    f = synthetic.facts()
    admin = [i for i, spec in COSTS["instruments"].items() if spec["kind"] == "administrative"]
    assert "employment-impact-assessment" in admin
    for iid in admin:
        c = action_cost(f, "AAA", iid)
        assert 0 < c.central < 0.1 and c.beneficiaries is None, iid


def test_bundle_cost_is_the_sum_of_its_instruments_counted_once():
    f = synthetic.facts()
    ids = ["unemployment-insurance", "ai-impact-tax", "vocational-skills-programme"]
    total = bundle_cost(f, "BBB", ids + ["ai-impact-tax"])
    assert total.central == pytest.approx(sum(instrument_cost(f, "BBB", i).central for i in ids))
    assert total.low <= total.central <= total.high


def test_missing_sizes_and_figures_are_imputed_loudly():
    f = synthetic.facts()
    c = action_cost(f, "EEE", "unemployment-insurance")  # EEE: no group sizes, no informality, no population
    kinds = {n.get("group") or n.get("indicator") for n in c.notes}
    assert {"unemployed", "informal-employment-share", "population"} <= kinds
    group = next(n for n in c.notes if n.get("group") == "unemployed")
    assert "IMPUTED" in group["message"] and "LMC" in group["basis"]
    ccc = synthetic.COUNTRIES["CCC"][3]  # the only other LMC country with a size
    assert group["value"] == pytest.approx(round(synthetic.LABOUR_FORCE_SHARE * ccc["unemployment-rate"] / 100, 4))
    assert instrument_cost(f, "EEE", "unemployment-insurance").notes == c.notes


def test_costs_are_memoised_per_facts_object_and_not_shared_with_a_changed_copy():
    f = synthetic.facts()
    a = action_cost(f, "BBB", "unemployment-insurance")
    assert action_cost(f, "BBB", "unemployment-insurance") is a
    g = f.with_case_facts("BBB", people={"unemployed": 2 * f.baseline_of("BBB").people("unemployed")})
    assert action_cost(g, "BBB", "unemployment-insurance").central == pytest.approx(2 * a.central)


def test_the_simulator_spec_is_the_benefit_as_a_share_of_gdp_per_capita():
    f = synthetic.facts()
    spec = simulation_spec(f, "CCC", "universal-basic-income")
    c = action_cost(f, "CCC", "universal-basic-income")
    assert spec["benefit"]["central"] == pytest.approx(c.per_person["share_of_gdp_per_capita"], abs=1e-4)
    assert 100 * spec["_share"] * spec["benefit"]["central"] * (1 + spec["admin"]["central"]) == \
        pytest.approx(c.central, rel=1e-3)
    assert simulation_spec(f, "CCC", "free-lunch") is None


def test_unknown_country_or_instrument_is_a_user_error():
    with pytest.raises(UserError, match="unknown country"):
        instrument_cost(synthetic.facts(), "XYZ", "unemployment-insurance")
    with pytest.raises(UserError, match="no cost model"):
        instrument_cost(synthetic.facts(), "AAA", "free-lunch")


# --- The typed loader ----------------------------------------------------------------------------------

def test_the_project_cost_file_has_no_problems():
    assert check_costs() == []


def _mutated(tmp_path, edit) -> list:
    data = yaml.safe_load(COSTS_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "costs.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_costs(path, ROOT / "kb")[1]


@pytest.mark.parametrize("edit, rule, words", [
    (lambda d: d["instruments"].pop("wage-subsidy"), "costs-uncosted", "'wage-subsidy'"),
    (lambda d: d["instruments"]["wage-subsidy"]["benefit"].update(low=0.9), "costs-order", "low <= central"),
    (lambda d: d["instruments"]["wage-subsidy"]["admin"].pop("assumption"), "costs-provenance", "assumption: true"),
    (lambda d: d["instruments"]["wage-subsidy"]["benefit"].update(central="a lot"), "costs-number", "finite"),
    (lambda d: d["instruments"]["wage-subsidy"]["beneficiaries"][0].update(factors=["nope"]), "costs-unknown",
     "nope"),
    (lambda d: d["instruments"]["wage-subsidy"].update(reference="minimum_wage"), "costs-unknown", "reference"),
    (lambda d: d["instruments"]["wage-subsidy"]["benefit"].update(informed_by=["no-such-source"]), "costs-source",
     "no-such-source"),
    (lambda d: d["instruments"]["wage-subsidy"]["ramp_years"].update(value=0), "costs-range", "ramp_years"),
    (lambda d: d["factors"]["poorest_share"].update(high=1.5), "costs-range", "0-1"),
    (lambda d: d["instruments"].update({"free-lunch": copy.deepcopy(d["instruments"]["wage-subsidy"])}),
     "costs-unknown", "free-lunch"),
    (lambda d: d["parameters"].pop("real_gdp_growth"), "costs-missing", "real_gdp_growth"),
    (lambda d: d["instruments"]["wage-subsidy"]["beneficiaries"][0].update(factors=[{"a": 1}]), "costs-missing",
     "factors"),
    (lambda d: d["factors"]["formality"].update(indicator=["informality"]), "costs-unknown", "indicator role"),
])
def test_a_broken_cost_file_is_reported_with_path_line_and_rule(tmp_path, edit, rule, words):
    problems = _mutated(tmp_path, edit)
    assert problems, "the broken file must be reported"
    assert any(p.rule == rule and words in p.message for p in problems), [str(p) for p in problems]
    assert all(PROBLEM.match(str(p)) and p.line >= 1 for p in problems)


def test_validate_leaves_the_instrument_ids_to_the_model_data_checks(tmp_path):
    """`check_costs` (what `policyatlas validate` runs) does not report an uncosted instrument:
    `evaluator.models.modeldata` does, so it is reported once (tests/evaluator/test_modeldata.py); `load_costs`
    still refuses it when the model is loaded for use."""
    _mutated(tmp_path, lambda d: d["instruments"].pop("wage-subsidy"))
    assert check_costs(tmp_path / "costs.yaml", ROOT / "kb") == []


def test_a_problem_points_at_the_offending_line(tmp_path):
    text = COSTS_FILE.read_text(encoding="utf-8")
    good = "benefit: {low: 0.15, central: 0.25, high: 0.35,"
    broken = text.replace(good, "benefit: {low: 0.15, central: 0.05, high: 0.35,", 1)
    assert broken != text
    path = tmp_path / "costs.yaml"
    path.write_text(broken, encoding="utf-8")
    (problem,) = check_costs(path, ROOT / "kb")
    line = text[:text.index(good)].count("\n") + 1
    assert problem.rule == "costs-order" and problem.line == line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.text(max_size=300),
    st.recursive(st.none() | st.booleans() | st.floats(allow_nan=True) | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=20).map(lambda v: yaml.safe_dump(v)),
    st.integers(min_value=0, max_value=4000).map(lambda cut: COSTS_FILE.read_text(encoding="utf-8")[:cut * 5]),
))
def test_hostile_cost_files_give_problems_never_a_traceback(tmp_path, text):
    path = tmp_path / "costs.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check_costs(path, ROOT / "kb")
    assert all(PROBLEM.match(str(p)) or re.match(r"^[^:]+:\d+: \[[a-z-]+\] .+", str(p)) for p in problems)
    if text == COSTS_FILE.read_text(encoding="utf-8"):
        assert problems == []
