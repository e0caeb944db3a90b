"""The costing model: ILO RAP formula, ranges, small-but-not-zero regulation, loud imputation."""

from __future__ import annotations

import pytest
import yaml

from evaluator.costing import DATA_DIR, bundle_cost, instrument_cost
from policyatlas.errors import UserError
from tests.planner import synthetic

COSTS = yaml.safe_load((DATA_DIR / "costs.yaml").read_text(encoding="utf-8"))


def test_unemployment_insurance_follows_the_rap_formula():
    # beneficiaries = labour force x unemployment x formality; cost = 100 x share x benefit x take-up x (1+admin)
    f = synthetic.facts()
    spec = COSTS["instruments"]["unemployment-insurance"]
    lf = COSTS["factors"]["labour_force_share"]["param"]
    u, formal = 0.06, 1 - 0.85  # country CCC: unemployment 6%, informality 85%
    got = instrument_cost(f, "CCC", "unemployment-insurance")
    for level in ("low", "central", "high"):
        expected = (100 * lf[level] * u * formal * spec["benefit"][level] * spec["take_up"][level]
                    * (1 + spec["admin"][level]))
        assert getattr(got, level) == pytest.approx(expected)


def test_more_informality_means_fewer_contributory_beneficiaries():
    f = synthetic.facts()
    rich, poor = instrument_cost(f, "AAA", "unemployment-insurance"), instrument_cost(f, "DDD",
                                                                                       "unemployment-insurance")
    assert poor.central < rich.central


@pytest.mark.parametrize("iso3", sorted(synthetic.COUNTRIES))
def test_every_instrument_has_an_ordered_positive_range(iso3):
    f = synthetic.facts()
    for iid in synthetic.INSTRUMENTS:
        c = instrument_cost(f, iso3, iid)
        assert 0 < c.low <= c.central <= c.high, iid


def test_regulatory_instruments_cost_little_but_not_nothing():
    f = synthetic.facts()
    admin = [i for i, spec in COSTS["instruments"].items() if spec["kind"] == "administrative"]
    assert "employment-impact-assessment" in admin
    for iid in admin:
        c = instrument_cost(f, "AAA", iid)
        assert 0 < c.central < 0.1, iid


def test_universal_basic_income_costs_far_more_than_a_targeted_transfer():
    f = synthetic.facts()
    ubi = instrument_cost(f, "CCC", "universal-basic-income").central
    assert ubi > 5 * instrument_cost(f, "CCC", "targeted-cash-transfer").central
    assert ubi > 5  # percent of GDP: a universal payment of a fifth of GDP per capita to every adult


def test_bundle_cost_is_the_sum_of_its_instruments_counted_once():
    f = synthetic.facts()
    ids = ["unemployment-insurance", "ai-impact-tax", "vocational-skills-programme"]
    total = bundle_cost(f, "BBB", ids + ["ai-impact-tax"])
    assert total.central == pytest.approx(sum(instrument_cost(f, "BBB", i).central for i in ids))
    assert total.low <= total.central <= total.high


def test_a_missing_figure_is_imputed_loudly_from_the_income_group():
    f = synthetic.facts()
    c = instrument_cost(f, "EEE", "unemployment-insurance")  # EEE has no informality figure
    assert c.notes, "an imputation must be reported"
    note = c.notes[0]
    assert note["indicator"] == "informal-employment-share"
    assert "IMPUTED" in note["message"] and "LMC" in note["message"]
    assert note["value"] == pytest.approx(85.0)  # the only other LMC country, CCC, has 85%


def test_unknown_country_is_a_user_error():
    with pytest.raises(UserError, match="unknown country"):
        instrument_cost(synthetic.facts(), "XYZ", "unemployment-insurance")


def test_unknown_instrument_is_a_user_error():
    with pytest.raises(UserError, match="no cost model"):
        instrument_cost(synthetic.facts(), "AAA", "free-lunch")
