"""The simulator (evaluator/assess/simulate.py): steady state, determinism, mechanisms from evidence only, the
shape of its outputs, bad input, all countries in one pass, and the Germany 2008-10 validation."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.assess.simulate import Country, build_params, mechanisms, run_model, spec, validate_germany
from evaluator.models.modeldata import MODEL_DATA_DIR
from policyatlas.core.errors import UserError


def test_no_displacement_and_no_policy_stays_at_the_observed_unemployment_rate(atlas):
    sim = atlas.simulate("DEU", [], scenario="none", years=10, draws=50, seed=1)
    observed = atlas.country("DEU")
    rate = observed["figures"]["unemployment-rate"]["value"]
    for run in ("baseline", "policy"):
        band = sim.outcomes["unemployment"][run]
        assert band["median"][0] == pytest.approx(rate, abs=1e-6)
        assert max(band["p95"]) - min(band["p05"]) < 0.01, "the steady state must not drift"


def test_same_seed_same_output_and_another_seed_differs(atlas):
    a = atlas.simulate("KEN", ["vocational-skills-programme"], scenario="severe", draws=64, seed=7).to_json()
    b = atlas.simulate("KEN", ["vocational-skills-programme"], scenario="severe", draws=64, seed=7).to_json()
    c = atlas.simulate("KEN", ["vocational-skills-programme"], scenario="severe", draws=64, seed=8).to_json()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert json.dumps(a, sort_keys=True) != json.dumps(c, sort_keys=True)


def test_scenarios_order_the_peak_of_unemployment(atlas):
    peaks = {}
    for name in ("none", "moderate", "severe"):
        sim = atlas.simulate("USA", [], scenario=name, draws=40, seed=3)
        peaks[name] = max(sim.outcomes["unemployment"]["baseline"]["median"])
    assert peaks["none"] < peaks["moderate"] < peaks["severe"]


def test_an_instrument_without_structured_evidence_is_not_modelled(atlas):
    sim = atlas.simulate("KEN", ["ai-transition-fund", "short-time-work"], draws=20)
    ids = {m["instrument"] for m in sim.mechanisms}
    assert "ai-transition-fund" not in ids
    assert {n["instrument"] for n in sim.not_modelled} == {"ai-transition-fund"}
    assert "short-time-work" in ids


def test_mechanism_ranges_come_from_the_evidence_records_only(atlas):
    effects = atlas.effects()
    mechs, _ = mechanisms(effects, ["universal-basic-income"])
    m = mechs["universal-basic-income"]
    used = [e for e in effects["universal-basic-income"] if e.evidence in m.used]
    assert m.low == min(e.low for e in used) and m.high == max(e.high for e in used)
    assert m.low < 0 < m.high, "basic income's labour-supply effect ranges over estimates of both signs"


def test_effects_measured_too_early_are_set_aside_not_used(atlas):
    mechs, _ = mechanisms(atlas.effects(), ["wage-subsidy"])
    m = mechs["wage-subsidy"]
    assert "groh-krishnan-mckenzie-vishwanath-2016" not in m.used  # measured while the voucher was paid
    assert {a["evidence"] for a in m.set_aside} == {"groh-krishnan-mckenzie-vishwanath-2016"}


def _one_country_run(instruments, scenario="moderate", months=120, draws=16, atlas=None, **override):
    scen = dict(spec()["scenarios"][scenario], **override)
    mechs, _ = mechanisms(atlas.effects(), instruments)
    params = build_params(scen, mechs, {})
    drawn = params.draw(draws, 0)
    country = Country("XXX", "HIC", 0.05, 0.2, 1e7, 0.5, frozenset(), 1.0, [])
    return run_model(country, drawn, mechs, scen, months, {}), run_model(country, drawn, {}, scen, months, {})


def test_training_locks_people_in_before_it_pays_off(atlas):
    with_tr, base = _one_country_run(["vocational-skills-programme"], atlas=atlas)
    # while enrolled, trainees neither work nor search: employment dips below the baseline at first
    assert (with_tr["employment"][:, 3] <= base["employment"][:, 3] + 1e-12).all()
    assert (with_tr["training"][:, 6] > 0).all()


def test_short_time_work_delays_a_persistent_loss_but_does_not_prevent_it(atlas):
    fast = {"adoption_midpoint_years": {"low": 1, "high": 1}, "adoption_steepness": {"low": 4, "high": 4}}
    with_stw, base = _one_country_run(["short-time-work"], scenario="severe", atlas=atlas, **fast)
    diff = base["unemployment"] - with_stw["unemployment"]
    early = diff[:, :36].max(axis=1)
    late = np.abs(diff[:, -1])
    assert (early > 0).all(), "short-time work holds jobs while the loss unfolds"
    assert (late < 0.1 * early).all(), "once the jobs are gone for good, short-time work has not saved them"


def test_short_time_work_helps_against_a_temporary_shock(atlas):
    result = validate_germany(atlas, draws=20)
    assert result["model_peak_with_stw_pct"] == pytest.approx(result["observed_peak_pct"], abs=0.02)
    assert result["model_peak_without_stw_pct"] > result["model_peak_with_stw_pct"]
    assert result["ratio_without_to_with"]["median"] > 1.0


def test_docs_report_the_validation_the_code_computes(atlas, project_root):
    """docs/simulate.md states the Germany figures; they must be the ones the model gives today."""
    result = validate_germany(atlas, draws=200, seed=0)
    doc = (project_root / "docs" / "simulate.md").read_text(encoding="utf-8")
    assert f"{result['ratio_without_to_with']['median']:.2f}" in doc
    assert f"{result['model_peak_without_stw_pct']:.2f}" in doc
    assert ("within the tolerance" if result["within_tolerance"] else "outside the tolerance") in doc


def test_outputs_carry_the_caveat_and_costs_against_fiscal_space(atlas):
    sim = atlas.simulate("KEN", ["universal-basic-income"], draws=30).to_json()
    assert "conditional on stated assumptions" in sim["caveat"]
    assert sim["cost_by_stage"] and all(s["fiscal_space_cap"] is not None for s in sim["cost_by_stage"])
    ubi = atlas.cost("KEN", ["universal-basic-income"])
    # the simulator charges the costing model's benefit on the simulated population: same order as the planner
    assert sim["cost_by_stage"][-1]["cost_median"] == pytest.approx(ubi["central"], rel=0.35)
    assert sim["cost_by_stage"][-1]["within_space_share"] == 0.0


@pytest.mark.parametrize("kwargs, message", [
    ({"iso3": "XYZ"}, "unknown country"),
    ({"iso3": "KEN", "bundle": ["no-such-instrument"]}, "unknown instrument"),
    ({"iso3": "KEN", "scenario": "apocalypse"}, "unknown scenario"),
    ({"iso3": "KEN", "draws": 0}, "--draws"),
    ({"iso3": "KEN", "draws": 10**9}, "--draws"),
    ({"iso3": "KEN", "years": -3}, "--years"),
    ({"iso3": "KEN", "years": 0}, "--years"),
    ({"iso3": "EUU"}, "supranational"),
])
def test_bad_input_is_a_clear_error(atlas, kwargs, message):
    with pytest.raises(UserError, match=message):
        atlas.simulate(**kwargs)


def test_all_countries_in_one_pass(atlas):
    done, skipped = atlas.simulate_all(["short-time-work"], draws=8, years=3)
    assert len(done) + len(skipped) == len(atlas.country_ids())
    assert len(done) > 150
    assert all(s["reason"] for s in skipped)


@settings(max_examples=25, deadline=None)
@given(years=st.integers(min_value=1, max_value=12), draws=st.integers(min_value=1, max_value=40),
       seed=st.integers(min_value=0, max_value=2**32 - 1),
       scenario=st.sampled_from(sorted(spec()["scenarios"])),
       bundle=st.lists(st.sampled_from(["short-time-work", "vocational-skills-programme", "wage-subsidy",
                                        "employment-services", "unemployment-insurance", "universal-basic-income",
                                        "targeted-cash-transfer", "reduced-working-hours", "ai-transition-fund"]),
                       max_size=5))
def test_fuzz_any_valid_input_gives_ordered_finite_bands(atlas, years, draws, seed, scenario, bundle):
    sim = atlas.simulate("IND", bundle, scenario=scenario, years=years, draws=draws, seed=seed)
    for key, o in sim.outcomes.items():
        for run in ("baseline", "policy"):
            b = o[run]
            assert len(b["median"]) == years + 1
            for lo, mid, hi in zip(b["p05"], b["median"], b["p95"], strict=True):
                assert np.isfinite([lo, mid, hi]).all()
                assert lo <= mid + 1e-9 <= hi + 2e-9
                if key != "cost":
                    assert -1e-6 <= lo and hi <= 100 + 1e-6


def test_model_constants_are_data_not_code():
    text = (MODEL_DATA_DIR / "simulation.yaml").read_text(encoding="utf-8")
    for name in ("separation_formal", "matching_elasticity", "displaced_fraction"):
        assert name in text
