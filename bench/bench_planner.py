"""Planner benchmark: a staged plan for every country in one pass, and how the exact MILP scales.

`run()` returns a Markdown section for docs/benchmarks.md:
1. `suggest` for all countries of the KB (its modelled fiscal space; countries without fiscal figures are
   counted, not planned), wall time per country (candidate actions with their evaluator findings, two
   lexicographic MILP solves, the explanation);
2. the optimiser's solve time as the candidate actions grow to 27, 54, 108 and 216: synthetic variants of real
   countries' problems (planned from scratch) in which every action is copied (its prerequisites inside each
   copy, its cost scaled by 0.8-1.2), solved at the country's own fiscal space and at 3x it.
Run it alone: `python bench/bench_planner.py`.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evaluator.models.costing import CostRange  # noqa: E402
from evaluator.models.fiscal import fiscal_space  # noqa: E402
from evaluator.planner.plan import Problem, Requirement, build_problem, solve, suggest_facts  # noqa: E402
from policyatlas.core.errors import UserError  # noqa: E402

SCALE_COUNTRIES = ("DEU", "BRA", "IND", "KEN", "NER")
SIZES = (27, 54, 108, 216)


def grow(problem: Problem, size: int) -> Problem:
    """The problem with its actions copied (instrument ids suffixed ~2, ~3, ...) until there are `size`."""
    acts, reqs, k = list(problem.actions), list(problem.requirements), 1
    while len(acts) < size:
        k += 1
        factor = 0.8 + 0.4 * ((k * 37) % 11) / 10
        for a in problem.actions:
            c = a.cost
            acts.append(dataclasses.replace(a, id=f"{a.id}~{k}", instrument=f"{a.instrument}~{k}",
                                            cost=CostRange(c.low * factor, c.central * factor, c.high * factor)))
        reqs += [Requirement(f"{r.instrument}~{k}", frozenset(f"{o}~{k}" for o in r.options), r.strict, r.code,
                             r.kind) for r in problem.requirements]
    return dataclasses.replace(problem, actions=acts[:size], requirements=reqs)


def run() -> str:
    from policyatlas.api import Atlas

    atlas = Atlas.load()
    t0 = time.perf_counter()
    facts = atlas.facts
    load_s = time.perf_counter() - t0
    times, solve_times, refused, chosen, people = [], [], [], [], []
    t_all = time.perf_counter()
    for iso3 in facts.country_ids():
        t = time.perf_counter()
        try:
            plan = suggest_facts(facts, iso3)
        except UserError:
            refused.append(iso3)
            continue
        times.append(time.perf_counter() - t)
        solve_times.append(plan.solve_seconds)
        chosen.append(len(plan.chosen))
        people.append(sum(a["people"] for a in plan.actions))
    all_s = time.perf_counter() - t_all
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = ["## Planner", "",
             f"Staged plans for every country of the KB in one pass (KB facts loaded once in {load_s:.2f} s; "
             f"machine load average {load:.1f} on {os.cpu_count()} cores when measured).", "",
             "| measure | value |", "|---|---|",
             f"| countries planned | {len(times)} |",
             f"| countries without fiscal figures (need `--fiscal-space`) | {len(refused)} |",
             f"| total wall time | {all_s:.2f} s |"]
    if times:
        lines += [f"| per country: median / mean / max | {statistics.median(times) * 1000:.0f} / "
                  f"{statistics.mean(times) * 1000:.0f} / {max(times) * 1000:.0f} ms |",
                  f"| of which the two MILP solves: median | {statistics.median(solve_times) * 1000:.0f} ms |",
                  f"| actions chosen per plan: median (min-max) | {statistics.median(chosen):.0f} "
                  f"({min(chosen)}-{max(chosen)}) |",
                  f"| people newly reached per plan (sum over actions): median | {statistics.median(people):,.0f} |"]
    lines += ["", "Solve time as the candidate actions grow (every action copied, costs scaled 0.8-1.2; median "
              "of the countries " + ", ".join(SCALE_COUNTRIES) + ", planned from scratch):", "",
              "| candidate actions | binary variables | at own fiscal space | at 3x fiscal space |",
              "|---|---|---|---|"]
    bases = {iso3: build_problem(facts, iso3, in_place=[]) for iso3 in SCALE_COUNTRIES if iso3 in facts.countries}
    for size in SIZES:
        own, triple = [], []
        for iso3, base in bases.items():
            prob = grow(base, size)
            space = fiscal_space(facts, iso3) or 1.0
            for target, out in ((space, own), (3 * space, triple)):
                t = time.perf_counter()
                solve(prob, target)
                out.append(time.perf_counter() - t)
        if own:
            lines.append(f"| {size} | {3 * size} | {statistics.median(own) * 1000:.0f} ms | "
                         f"{statistics.median(triple) * 1000:.0f} ms |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
