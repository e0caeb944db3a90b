"""Checks every plan must pass, shared by the synthetic and the real-KB property tests."""

from __future__ import annotations

from evaluator.planner.plan import STAGES, build_problem


def check_plan(facts, plan, space: float, problem=None) -> None:
    """Cost within space at every stage, delivery capacity, prerequisites first, no substitutes or conflicts,
    no action twice, nothing in place proposed as new, every action reaches someone or closes something, an
    action without evidence says so."""
    problem = problem or build_problem(facts, plan.country)
    in_place = set(plan.in_place)
    actions = plan.actions
    assert len({a["action_id"] for a in actions}) == len(actions), "an action twice"
    assert len({a["id"] for a in actions}) == len(actions), "two actions on one instrument"
    for a in actions:
        if a["action"] == "introduce":
            assert a["id"] not in in_place, f"{a['id']} is in place and was proposed as new"
        else:
            assert a["id"] in in_place and a["coverage"]["to"] > a["coverage"]["from"]
        assert a["people"] > 0 or a["closes_findings"], f"{a['action_id']} reaches no one and closes nothing"
        codes = {r["code"] for r in a["reasons"]}
        assert ("planner.reason.no_evidence" in codes) == (not a["evidenced"])
    cum = 0.0
    for st in plan.stages:
        cum += sum(i["cost_pct_gdp"] for i in st["instruments"])
        assert st["space_pct_gdp"] <= space + 1e-6
        assert cum <= st["space_pct_gdp"] + 1e-5, f"stage {st['stage']}: {cum} > {st['space_pct_gdp']}"
        load = sum(problem.load[i["action"]] for i in st["instruments"])
        assert load <= problem.capacity[st["stage"]], f"stage {st['stage']} over delivery capacity"
        for i in st["instruments"]:
            assert st["stage"] in STAGES and i["stage"] == st["stage"]
            rng = i["cost_range_pct_gdp"]
            assert rng["low"] <= i["cost_pct_gdp"] <= rng["high"] + 1e-12
    assert plan.total_cost <= space + 1e-5
    stage_of = {a["id"]: a["stage"] for a in actions}
    kind_of = {a["id"]: a["action"] for a in actions}
    for r in problem.requirements:
        if r.instrument in stage_of and r.kind in ("any", kind_of[r.instrument]):
            s = stage_of[r.instrument]
            assert any(stage_of.get(o, 99) <= (s - 1 if r.strict else s) for o in r.options), \
                f"{r.instrument} in stage {s} before its prerequisite {sorted(r.options)}"
    for u in problem.urgent:
        assert stage_of.get(u, 1) == 1, f"{u}, missing under a scheme in place, must come first"
    present = set(stage_of) | in_place
    for a, b in problem.substitutes | problem.conflicts:
        assert not ({a, b} <= present and ({a, b} & set(stage_of))), f"{a} and {b} both in the plan"
