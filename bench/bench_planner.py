"""Planner benchmark: a staged plan for every country in one pass, and how the exact MILP scales.

`run()` returns a Markdown section for docs/benchmarks.md:
1. `suggest` for all countries of the KB (its modelled fiscal space; countries without fiscal figures are
   counted, not planned), wall time per country;
2. the optimiser's solve time with 27, 54 and 108 candidate instruments: synthetic variants of real
   countries' problems in which every instrument is copied (with its relations inside each copy and a cost
   scaled by 0.8-1.2), solved at the country's own fiscal space and at 3x it.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evaluator.costing import CostRange  # noqa: E402
from evaluator.fiscal import fiscal_space  # noqa: E402
from evaluator.planner import Problem, build_problem, solve, suggest_facts  # noqa: E402
from policyatlas.errors import UserError  # noqa: E402

SCALE_COUNTRIES = ("DEU", "BRA", "IND", "KEN", "NER")


def _replicate(problem: Problem, copies: int) -> Problem:
    """The problem with every candidate instrument copied `copies` times (ids suffixed ~2, ~3, ...)."""
    if copies == 1:
        return problem
    cands = list(problem.candidates)
    ids = {c.id for c in problem.candidates}

    def rename(iid: str, k: int) -> str:
        return f"{iid}~{k}" if iid in ids else iid  # instruments in place stay shared

    rels = {name: set(getattr(problem, name)) for name in ("substitutes", "conflicts", "complements",
                                                           "prerequisites")}
    for k in range(2, copies + 1):
        factor = 0.8 + 0.4 * ((k * 37) % 11) / 10
        for c in problem.candidates:
            cost = CostRange(c.cost.low * factor, c.cost.central * factor, c.cost.high * factor)
            cands.append(dataclasses.replace(c, id=rename(c.id, k), cost=cost))
        for name in rels:
            rels[name] |= {(rename(a, k), rename(b, k)) for a, b in getattr(problem, name)}
    items = []
    for it in problem.items:
        sets = [set(s) | {rename(i, k) for i in s if i in ids for k in range(2, copies + 1)}
                for s in it["closer_sets"]]
        items.append({**it, "closer_sets": sets})
    return dataclasses.replace(problem, candidates=cands, items=items, **rels)


def run() -> str:
    from policyatlas.api import Atlas

    atlas = Atlas.load()
    t0 = time.perf_counter()
    facts = atlas.facts
    load_s = time.perf_counter() - t0
    times, solve_times, refused, chosen = [], [], [], []
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
    all_s = time.perf_counter() - t_all
    lines = ["## Planner", "",
             f"Staged plans for every country of the KB in one pass (KB facts loaded once in {load_s:.2f} s).", "",
             "| measure | value |", "|---|---|",
             f"| countries planned | {len(times)} |",
             f"| countries without fiscal figures (need `--fiscal-space`) | {len(refused)} |",
             f"| total wall time | {all_s:.2f} s |"]
    if times:
        lines += [f"| per country: median / mean / max | {statistics.median(times) * 1000:.0f} / "
                  f"{statistics.mean(times) * 1000:.0f} / {max(times) * 1000:.0f} ms |",
                  f"| of which MILP solve: median | {statistics.median(solve_times) * 1000:.0f} ms |",
                  f"| instruments chosen per plan: median (min-max) | {statistics.median(chosen):.0f} "
                  f"({min(chosen)}-{max(chosen)}) |"]
    lines += ["", "Solve time as the candidate set grows (synthetic variants: every instrument copied, costs "
              "scaled 0.8-1.2; median of the countries " + ", ".join(SCALE_COUNTRIES) + "):", "",
              "| candidates | binary variables | at own fiscal space | at 3x fiscal space |", "|---|---|---|---|"]
    for copies in (1, 2, 4):
        own, triple, nvars, ncand = [], [], 0, 0
        for iso3 in SCALE_COUNTRIES:
            if iso3 not in facts.countries:
                continue
            # the whole catalogue as candidates (nothing in place), so the sizes are 27, 54 and 108
            base = build_problem(facts, iso3, in_place=[])
            prob = _replicate(base, copies)
            ncand = len(prob.candidates)
            nvars = sum(4 - c.earliest for c in prob.candidates)
            space = fiscal_space(facts, iso3) or 1.0
            for target, out in ((space, own), (3 * space, triple)):
                t = time.perf_counter()
                solve(prob, target)
                out.append(time.perf_counter() - t)
        if own:
            lines.append(f"| {ncand} | {nvars} | {statistics.median(own) * 1000:.0f} ms | "
                         f"{statistics.median(triple) * 1000:.0f} ms |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
