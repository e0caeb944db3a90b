"""The MILP is exact: on small random problems its objective equals the best found by brute force.

The oracle below enumerates every assignment of candidates to stages (or to no stage), keeps those that
satisfy the constraints as docs/planner.md states them, and scores them with the objective as documented. It
shares no code with the optimiser's encoding, so a wrong constraint or coefficient shows as a mismatch.
"""

from __future__ import annotations

import itertools
import random

import pytest

from evaluator.costing import CostRange
from evaluator.planner import STAGES, Candidate, Problem, objective_params, solve, stage_caps
from evaluator.transfer import EvidenceScore

GROUPS = ["g1", "g2", "g3", "g4"]


def random_problem(seed: int) -> Problem:
    rnd = random.Random(seed)
    layers = ["base", "middle", "top", "cross-cutting"]
    cands = []
    for k in range(6):
        layer = rnd.choice(layers)
        cost = round(rnd.uniform(0.01, 1.0), 3)
        earliest = {"base": 1, "middle": 2, "top": 3}.get(layer, 1 if cost <= 0.05 else 2)
        cands.append(Candidate(f"i{k}", layer, CostRange(cost / 2, cost, cost * 2),
                               EvidenceScore(f"i{k}", round(rnd.uniform(-0.5, 1.0), 2), (), ()), earliest,
                               sorted(rnd.sample(GROUPS, rnd.randint(0, 2)))))
    ids = [c.id for c in cands]
    pairs = [tuple(sorted(p)) for p in itertools.combinations(ids, 2)]
    rnd.shuffle(pairs)
    subs, confl, comp = set(pairs[:1]), set(pairs[1:2]), set(pairs[2:4])
    prereq = {(pairs[4][0], pairs[4][1])}
    items = [{"id": "layer-base", "gap": "fragmentation", "weight": 2.0,
              "closer_sets": [{c.id for c in cands if c.layer == "base"}]},
             {"id": "pair", "gap": "fragmentation", "weight": 1.0,
              "closer_sets": [{ids[0], ids[1]}, {ids[2], ids[3]}]}]
    weights = {g: round(rnd.uniform(0.3, 2.0), 2) for g in GROUPS}
    return Problem("TST", cands, [], weights, items, subs, confl, comp, prereq, set(), rnd.choice([2, 3, 6]), [])


def brute_force(problem: Problem, space: float) -> float:
    params = objective_params()
    scale = params["scale"]
    disc = {int(k): float(v) for k, v in params["stage_discount"]["values"].items()}
    disc[4] = 0.0
    caps = stage_caps(space)
    cands = problem.candidates
    best = 0.0
    options = [[0] + [s for s in STAGES if s >= c.earliest] for c in cands]
    for assign in itertools.product(*options):
        stage = {c.id: s for c, s in zip(cands, assign, strict=True) if s}
        ok = all(sum(c.cost.central for c in cands if 0 < stage.get(c.id, 0) <= s) <= caps[s] - 1e-7
                 for s in STAGES)
        ok = ok and all(sum(1 for v in stage.values() if v == s) <= problem.capacity for s in STAGES)
        ok = ok and all(b not in stage or (a in stage and stage[a] <= stage[b]) for a, b in problem.prerequisites)
        ok = ok and all(not (a in stage and b in stage) for a, b in problem.substitutes | problem.conflicts)
        if not ok:
            continue
        value = 0
        reached = {g for c in cands if c.id in stage for g in c.groups}
        value += sum(round(problem.weights[g] * scale) for g in reached)
        for it in problem.items:
            if all(cl & set(stage) for cl in it["closer_sets"]):
                value += round(it["weight"] * scale)
        for c in cands:
            if c.id in stage:
                value += sum(round(c.evidence.score * (disc[s] - disc[s + 1]) * scale)
                             for s in STAGES if s >= stage[c.id])
        value += sum(round(params["complement_bonus"]["value"] * scale) for a, b in problem.complements
                     if a in stage and b in stage)
        best = max(best, value / scale)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_milp_objective_equals_brute_force(seed):
    problem = random_problem(seed)
    for space in (0.0, 0.4, 1.5, 4.0):
        assert solve(problem, space).objective == pytest.approx(brute_force(problem, space)), (seed, space)
