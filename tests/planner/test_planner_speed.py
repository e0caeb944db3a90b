"""The planner's fast path gives the plans the full evaluator would: `engine.fired_keys` (conditions only, no
messages or scorecard) names exactly the findings `engine.evaluate_facts` returns, for the current mix, with an
instrument added and with a branch's coverage raised, over a handful of varied countries."""

from __future__ import annotations

import pytest

from evaluator.assess.engine import evaluate_facts, fired_keys, rules
from evaluator.planner.plan import build_problem

# high, upper-middle, lower-middle and low income; large and small; with and without schemes in place
COUNTRIES = ("DEU", "USA", "JPN", "BRA", "CHN", "MEX", "IND", "NGA", "PAK", "KEN", "BGD", "ETH", "NER", "TUV",
             "ATG")


@pytest.fixture(scope="module")
def facts(atlas):
    return atlas.facts


def _keys(ev) -> set[str]:
    return {f"{f.rule}|{f.key}" for f in ev.findings}


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_fast_findings_equal_the_full_evaluation(facts, iso3):
    assert iso3 in facts.countries, f"{iso3} is not in the KB: pick another country for this comparison"
    every = rules()
    assert fired_keys(facts, iso3, every) == _keys(evaluate_facts(facts, iso3, rule_list=every))
    problem = build_problem(facts, iso3)
    assert problem.actions, f"{iso3}: no candidate action to compare"
    open_ids = set(problem.findings)
    for a in problem.actions:  # the findings each action closes, recomputed by the full evaluator
        if a.kind == "introduce":
            full = _keys(evaluate_facts(facts, iso3, rule_list=every, add=[a.instrument]))
            assert fired_keys(facts, iso3, every, add=[a.instrument]) == full
        else:
            case = facts.with_case_facts(iso3, coverage={a.coverage["branch"]: a.coverage["to"]})
            full = _keys(evaluate_facts(case, iso3, rule_list=every))
        assert a.closes == tuple(sorted(open_ids - full)), f"{iso3} {a.id}"
