"""Fuzzing evaluator v2 (issue 13): whatever a user passes to `--add` / `Atlas.evaluate(add=...)`, the engine
gives an evaluation or a UserError (exit 1), never a traceback; whatever figures the KB holds (NaN, infinities,
negatives, zero fiscal space), the data-anchored scorecard gives one of its five states and says why; and the
reach functions of the condition language never raise.

Run: .venv/bin/python -m pytest -q tests/fuzz/test_evaluator_v2_fuzz.py
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from evaluator.assess import scorecard
from evaluator.assess.context import People, RuleContext
from evaluator.assess.engine import Evaluation, evaluate
from evaluator.assess.facts import Figure, KBFacts
from evaluator.models.fiscal import FiscalSpace
from policyatlas.core.errors import UserError
from tests.fuzz.conftest import FUZZ, keep_failure, replay

HERE = Path(__file__).resolve().parents[1] / "evaluator"
sys.path.insert(0, str(HERE))
from storeatlas import StoreAtlas  # noqa: E402

ATLAS = StoreAtlas(HERE / "fixtures" / "mini-kb.ttl")
IDS = ["vocational-skills-programme", "targeted-cash-transfer", "digital-financial-inclusion", "x", ""]
numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**9, 10**9))


@FUZZ
@given(st.one_of(st.text(max_size=60), st.lists(st.one_of(st.sampled_from(IDS), st.text(max_size=12)),
                                                max_size=5)))
def test_add_gives_an_evaluation_or_a_user_error(add):
    with keep_failure("evaluator-v2", repr(add)):
        try:
            ev = evaluate(ATLAS, "BBB", add=add)
        except UserError as err:
            assert str(err)
            return
        assert isinstance(ev, Evaluation) and ev.mode == "current+add" and ev.added
        assert set(ev.added) <= set(ev.bundle)


def _fig(value):
    return None if value is None else {"value": float(value), "year": 2024, "source": "s"}


def _check_scorecard(coverage, lending, debt, interest, space, cost, distress, new):
    fiscal = None
    if space is not None:
        inputs = {k: v for k, v in (("net_lending", _fig(lending)), ("gross_debt", _fig(debt)),
                                    ("interest_burden", _fig(interest))) if v is not None}
        fiscal = FiscalSpace("XXX", float(space), 1, 1, 0, 1, 1, inputs)
    cov = None if coverage is None else Figure(float(coverage), 2021, "%", "s")
    data = scorecard.ScoreInputs(coverage=cov, fiscal=fiscal, debt_threshold=60.0, distress=distress,
                                 cost=None if cost is None else float(cost), new_instruments=new)
    for mode in ("bundle", "current"):
        for empty in (True, False):
            ratings = scorecard.score([], empty, inputs=data, mode=mode)
            for r in ratings.values():
                assert r.level in scorecard.STATES
                assert (r.level == scorecard.NOT_ASSESSED) == (r.basis == "none")
                if r.basis == "none":
                    assert r.missing
                if r.basis == "data":
                    assert r.figures
                r.to_json()


@FUZZ
@given(coverage=numbers, lending=numbers, debt=numbers, interest=numbers, space=numbers, cost=numbers,
       distress=st.one_of(st.none(), st.integers(-3, 9)), new=st.integers(0, 5))
def test_anchored_scorecard_always_gives_a_state_and_its_reasons(coverage, lending, debt, interest, space, cost,
                                                                 distress, new):
    args = (coverage, lending, debt, interest, space, cost, distress, new)
    with keep_failure("evaluator-v2", repr(args)):
        _check_scorecard(*args)


def test_kept_inputs_replay():
    """Inputs that once broke a property (tests/fuzz/corpus/evaluator-v2/) stay regression inputs."""
    def check(raw: bytes) -> None:
        value = ast.literal_eval(raw.decode("utf-8"))
        if isinstance(value, tuple) and len(value) == 8:
            _check_scorecard(*value)
        elif isinstance(value, tuple) and len(value) == 3:
            test_reach_functions_never_raise.hypothesis.inner_test(*value)
        else:
            test_add_gives_an_evaluation_or_a_user_error.hypothesis.inner_test(value)
    assert replay("evaluator-v2", check) >= 1


@FUZZ
@given(group=st.text(max_size=20), branch=st.text(max_size=20), people=numbers)
def test_reach_functions_never_raise(group, branch, people):
    with keep_failure("evaluator-v2", repr((group, branch, people))):
        facts = KBFacts.from_atlas(ATLAS)
        ctx = RuleContext(facts, "BBB", ["vocational-skills-programme"], "current")
        f = ctx.functions()
        for value in (f["coverage"](branch), f["people"](group), f["beneficiaries"](group),
                      f["reach"](group, branch)):
            assert value is None or isinstance(value, float | int)
        assert f["unknown_figures"]([f"coverage:{branch}", f"people:{group}", group]) is not None
        shown = f["millions"](people)
        if shown is not None and abs(float(people)) != float("inf") and float(people) == float(people):
            assert isinstance(shown, People) and shown.text("en") and shown.text("zh")
