"""The scorecard anchored to data (issue 13, point 2): inclusiveness agrees with the ILO's effective-coverage data,
fiscal sustainability reads the fiscal position and the mix's cost, and a criterion without data is not assessed."""

from __future__ import annotations

from scipy.stats import spearmanr

from evaluator.assess import scorecard
from evaluator.assess.engine import evaluate, evaluate_all
from evaluator.assess.facts import KBFacts

COVERAGE = "social-protection-coverage"


def test_inclusiveness_rank_correlates_with_sdg_131_coverage(kb_atlas):
    """External check: across every economy with ILO coverage data, Spearman's rho between the inclusiveness
    level and SDG 1.3.1 coverage is at least 0.7."""
    facts = KBFacts.from_atlas(kb_atlas)
    levels, coverage = [], []
    for iso3, ev in evaluate_all(kb_atlas).items():
        fig = facts.countries[iso3].figures.get(COVERAGE)
        rating = ev.ratings["inclusiveness"]
        if fig is None:
            assert rating.level == scorecard.NOT_ASSESSED and COVERAGE in rating.missing
            continue
        assert rating.level in scorecard.LEVELS and rating.figures[0]["value"] == float(fig.value)
        levels.append(scorecard.LEVELS.index(rating.level))
        coverage.append(float(fig.value))
    assert len(levels) >= 150, f"only {len(levels)} economies with coverage data"
    rho = spearmanr(levels, coverage).statistic
    assert rho >= 0.7, f"Spearman rho {rho:.3f} between inclusiveness and SDG 1.3.1 coverage is below 0.7"


def test_low_coverage_is_never_advanced_and_high_coverage_never_latent(kb_atlas):
    facts = KBFacts.from_atlas(kb_atlas)
    for iso3, ev in evaluate_all(kb_atlas).items():
        fig = facts.countries[iso3].figures.get(COVERAGE)
        if fig is None:
            continue
        level = ev.ratings["inclusiveness"].level
        if fig.value < 20:
            assert level in {"latent", "emerging"}, (iso3, fig.value, level)
        if fig.value >= 80:
            assert level in {"advanced", "established"}, (iso3, fig.value, level)


def test_fiscal_sustainability_reads_the_fiscal_position_and_the_cost():
    """Unit test over hand-set inputs: deficit and debt points, and a cost far above the fiscal space."""
    from evaluator.models.fiscal import FiscalSpace

    def detail(net_lending, debt, space=1.0):
        inputs = {"net_lending": {"value": net_lending, "year": 2024, "source": "s"},
                  "gross_debt": {"value": debt, "year": 2024, "source": "s"},
                  "interest_burden": {"value": 4.0, "year": 2023, "source": "s"}}
        return FiscalSpace("XXX", space, 1, 1, 0, 1, 1, inputs)

    def level(fiscal, cost=None, new=0):
        inputs = scorecard.ScoreInputs(fiscal=fiscal, debt_threshold=60.0, cost=cost, new_instruments=new)
        return scorecard.score([], False, inputs=inputs, mode="current")["financial-and-fiscal-sustainability"]

    sound = level(detail(-1.0, 40.0))
    assert sound.level == "advanced" and sound.basis == "data" and {f["indicator"] for f in sound.figures} >= {
        "deficit-pct-gdp", "gen-gov-gross-debt-above-threshold", "interest-pct-revenue"}
    france_like = level(detail(-5.8, 113.0))
    assert france_like.level == "emerging", france_like.to_json()
    assert level(detail(-1.0, 40.0, space=0.7), cost=12.6, new=1).level == "latent"
    assert level(None).level == scorecard.NOT_ASSESSED


def test_kb_verdicts_named_in_the_issue(kb_atlas):
    assert evaluate(kb_atlas, "KEN").scorecard["inclusiveness"] != "advanced"
    assert evaluate(kb_atlas, "JPN").scorecard["inclusiveness"] != "latent"
    assert evaluate(kb_atlas, "FRA").scorecard["financial-and-fiscal-sustainability"] != "advanced"
    ubi = evaluate(kb_atlas, "ZAF", ["universal-basic-income"]).ratings["financial-and-fiscal-sustainability"]
    assert ubi.level == "latent" and any(f["indicator"] == "cost-to-fiscal-space" for f in ubi.figures)
    assert evaluate(kb_atlas, "DEU").scorecard["adequacy"] == scorecard.NOT_ASSESSED


def test_an_empty_current_mix_keeps_its_coverage_level(kb_atlas):
    """Aruba (no programme recorded, 92.6% coverage): the empty mix's findings do not lower a level set by data."""
    ev = evaluate(kb_atlas, "ABW")
    assert not ev.bundle and ev.note
    fig = KBFacts.from_atlas(kb_atlas).countries["ABW"].figures.get(COVERAGE)
    assert fig is not None and fig.value >= 80, "the KB's SDG 1.3.1 figure for Aruba changed: pick another case"
    assert ev.scorecard["inclusiveness"] == "advanced"
    assert ev.scorecard["coherence-and-integration"] == scorecard.NOT_ASSESSED
