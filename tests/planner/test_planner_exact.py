"""The MILP is exact: on small random problems its lexicographic objective equals the best found by brute force.

The oracle enumerates every assignment of actions to stages (or to no stage), keeps those that satisfy the
constraints as docs/planner.md states them, and scores them with the objective as documented (people by group
capped at the group's size, times the vulnerability weight, plus findings closed; first from the evidenced
actions, then from all). It shares no code with the optimiser's encoding, so a wrong constraint or coefficient
shows as a mismatch.
"""

from __future__ import annotations

import itertools
import random

import pytest

from evaluator.models.costing import CostRange
from evaluator.models.transfer import EvidenceScore
from evaluator.planner.plan import STAGES, Action, Problem, Requirement, objective_params, solve, stage_caps

GROUPS = ["unemployed", "informal-workers", "youth-neet"]


def random_problem(seed: int) -> Problem:
    rnd = random.Random(seed)
    acts = []
    for k in range(6):
        inst = f"i{k if k < 5 else 4}"  # i4 has two actions (extension steps): at most one may be chosen
        cost = round(rnd.uniform(0.01, 1.0), 3)
        people = {g: float(rnd.randint(1, 40) * 1000) for g in rnd.sample(GROUPS, rnd.randint(0, 2))}
        closes = tuple(sorted(rnd.sample(["f1", "f2", "f3"], rnd.randint(0 if people else 1, 2))))
        acts.append(Action(f"a{k}", inst, "extend" if inst == "i4" else "introduce", "base",
                           CostRange(cost / 2, cost, cost * 2), people, closes, rnd.random() < 0.7,
                           EvidenceScore(inst, 0.5, (), ())))
    findings = {f: {"rule": f, "key": "", "gap": "fragmentation", "severity": "medium",
                    "weight": rnd.choice([0.5, 1.0, 2.0]), "title": {"en": f}} for f in ("f1", "f2", "f3")}
    reqs = [Requirement("i1", frozenset({"i0"}), rnd.random() < 0.5, "kb-relation")]
    return Problem("TST", acts, [], {"unemployed": 1.0, "informal-workers": 0.7, "youth-neet": 0.4},
                   {g: 50000.0 for g in GROUPS}, 100.0, findings, {("i2", "i3")}, set(), reqs,
                   {1: rnd.choice([2, 3]), 2: 4, 3: 6}, {"introduce": 2, "extend": 1})


def brute_force(problem: Problem, space: float) -> tuple[int, int]:
    params = objective_params()
    scale = params["scale"]
    per_finding = params["findings"]["per_finding_share_of_labour_force"]["value"] / params["unit_share"]["value"]
    caps = stage_caps(space)
    acts = problem.actions
    best = (0, 0)

    def value(chosen) -> int:
        total = 0
        for g, w in problem.weights.items():
            reached = sum(round(a.people.get(g, 0) / problem.unit) for a in chosen)
            total += round(w * scale) * min(reached, round(problem.sizes[g] / problem.unit))
        closed = {f for a in chosen for f in a.closes}
        return total + sum(round(problem.findings[f]["weight"] * per_finding * scale) for f in closed)

    for assign in itertools.product([0, *STAGES], repeat=len(acts)):
        stage = {a.id: s for a, s in zip(acts, assign, strict=True) if s}
        chosen = [a for a in acts if a.id in stage]
        inst = {a.instrument: stage[a.id] for a in chosen}
        if len(inst) < len(chosen):
            continue
        if any(sum(a.cost.central for a in chosen if stage[a.id] <= s) > caps[s] - 1e-7 for s in STAGES):
            continue
        if any(sum(problem.load[a.kind] for a in chosen if stage[a.id] == s) > problem.capacity[s] for s in STAGES):
            continue
        if any(r.instrument in inst and not any(inst.get(o, 9) <= inst[r.instrument] - (1 if r.strict else 0)
                                                for o in r.options) for r in problem.requirements):
            continue
        if any(a in inst and b in inst for a, b in problem.substitutes | problem.conflicts):
            continue
        best = max(best, (value([a for a in chosen if a.evidenced]), value(chosen)))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_milp_objective_equals_brute_force(seed):
    problem = random_problem(seed)
    for space in (0.0, 0.4, 1.5, 4.0):
        sol = solve(problem, space)
        assert (sol.value_evidenced, sol.value) == brute_force(problem, space), (seed, space)
