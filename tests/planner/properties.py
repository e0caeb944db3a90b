"""Checks every plan must pass, shared by the synthetic and the real-KB property tests."""

from __future__ import annotations

from evaluator.graph import instrument_graph, pairs
from evaluator.planner import STAGES, objective_params


def check_plan(facts, plan, space: float) -> None:
    """Cost within space at every stage, layer order, prerequisites first, no substitutes or conflicts."""
    staging = objective_params()["staging"]
    stage_of = {i["id"]: st["stage"] for st in plan.stages for i in st["instruments"]}
    in_place = set(plan.in_place)
    assert not (set(stage_of) & in_place), "an instrument already in place was proposed again"
    cum = 0.0
    for st in plan.stages:
        cum += sum(i["cost_pct_gdp"] for i in st["instruments"])
        assert st["space_pct_gdp"] <= space + 1e-6
        assert cum <= st["space_pct_gdp"] + 1e-5, f"stage {st['stage']}: {cum} > {st['space_pct_gdp']}"
    assert plan.total_cost <= space + 1e-5
    for st in plan.stages:
        for i in st["instruments"]:
            earliest = staging["earliest_stage"].get(i["layer"] or "cross-cutting", 2)
            cheap = staging["low_cost_cross_cutting_pct_gdp"]["value"]
            if i["layer"] == "cross-cutting" and i["cost_pct_gdp"] <= cheap:
                earliest = 1
            assert st["stage"] >= earliest, f"{i['id']} ({i['layer']}) in stage {st['stage']}"
            assert st["stage"] in STAGES
            rng = i["cost_range_pct_gdp"]
            assert rng["low"] <= i["cost_pct_gdp"] <= rng["high"] + 1e-12
    cap = staging["max_new_instruments_per_stage"]["by_income_group"][facts.countries[plan.country].income_group
                                                                       or "UNC"]
    for st in plan.stages:
        assert len(st["instruments"]) <= cap, f"stage {st['stage']} starts more than {cap} instruments"
    g = instrument_graph(facts)
    for a, b in pairs(g, "prerequisite-of"):
        if b in stage_of:
            assert a in in_place or (a in stage_of and stage_of[a] <= stage_of[b]), f"{a} must precede {b}"
    present = set(stage_of) | in_place
    for kind in ("substitute-for", "conflicts-with"):
        for a, b in pairs(g, kind):
            assert not ({a, b} <= present and ({a, b} & set(stage_of))), f"{a} {kind} {b} both in the plan"
