"""The planner: a staged bundle of instruments sized to a country's fiscal space, with its reasons.

The source analysis asks for a three-layer safety net built in stages that countries with little fiscal room
can walk: stage 1 (years 0-2) the base layer and low-cost governance, stage 2 (years 2-5) the middle layer,
stage 3 (5+ years) the top layer where space allows. `suggest(atlas, iso3)` chooses the instruments and their
stages by solving a mixed-integer programme exactly (HiGHS through scipy.optimize.milp):

- maximise the objective of `evaluator/data/objective.yaml`: vulnerable groups newly reached (weighted by
  the country's context), gaps newly closed (layers, governance, firm responsibility, psychosocial, digital
  foundation), the instruments' evidence weighted by strength and transferability (evaluator/transfer.py),
  and complementing pairs;
- subject to: the cumulative central cost of what is chosen up to each stage within the share of fiscal
  space open by then (evaluator/fiscal.py, evaluator/costing.py); no more new instruments per stage than the
  administrative capacity assumed for the income group; each instrument no earlier than its layer allows;
  prerequisites in the same or an earlier stage (or already in place); never two substitutes, never
  two conflicting instruments.

Instruments the country already runs at scale (active national programmes, not pilots) count as in place
(no new cost, not proposed again). Solving is
lexicographic and deterministic: first the best objective (integer-scaled, so exact), then among equally
good plans the cheapest, earliest, and first by id.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from evaluator.costing import (
    CostRange,
    country_record,
    figure_value,
    income_group,
    instrument_cost,
    load_data,
)
from evaluator.fiscal import check_fiscal_space, fiscal_space_detail, stage_phases
from evaluator.graph import instrument_graph, pairs
from evaluator.transfer import evidence_score
from policyatlas.errors import UserError

STAGES = (1, 2, 3)
TEXT = {
    "en": {"stage": "Stage", "years": "years", "space": "fiscal space open", "cost": "cost", "total": "Total",
           "left_out": "Left out", "in_place": "Already in place", "objective": "objective",
           "title": "Staged plan for", "fiscal_space": "Fiscal space", "of_gdp": "% of GDP",
           "assumptions": "Assumptions", "closes": "closes", "evidence": "evidence", "none": "(none)",
           "model": "modelled", "user": "given by the user", "layer": "layer"},
    "zh": {"stage": "阶段", "years": "年", "space": "可用财政空间", "cost": "成本", "total": "合计",
           "left_out": "未纳入", "in_place": "已有措施", "objective": "目标值",
           "title": "分阶段方案：", "fiscal_space": "财政空间", "of_gdp": "% GDP",
           "assumptions": "假设", "closes": "弥补", "evidence": "证据", "none": "（无）",
           "model": "模型估算", "user": "用户指定", "layer": "层级"},
}
LAYER_ZH = {"base": "基础层", "middle": "中间层", "top": "顶层", "cross-cutting": "跨层支撑"}
GAP_ZH = {"fragmentation": "政策碎片化", "equity-blind-spot": "公平性盲区", "fiscal-unsustainability": "财政不可持续",
          "governance-lag": "治理滞后", "firm-responsibility-gap": "企业责任机制缺位",
          "psychosocial-gap": "心理与社会认同维度缺失", "evidence-gap": "证据缺口", "global-south-gap": "全球南方缺口"}


def objective_params() -> dict:
    return load_data("objective.yaml")


# --- what the plan is worth ------------------------------------------------------------------------------

def group_weights(facts, iso3: str) -> dict[str, float]:
    """Weight of reaching each target group in this country (objective.yaml `target_groups`)."""
    p = objective_params()["target_groups"]
    group = income_group(facts, iso3)
    groups = set(getattr(facts, "target_groups", {}) or {})
    for inst in facts.instruments.values():
        groups |= set(inst.target_groups)
    weights = {}
    for g in sorted(groups):
        ctx = p["context"].get(g)
        w = p["base_weight"]
        if ctx and "role" in ctx:
            val = figure_value(facts, iso3, ctx["role"])
            if val is not None:
                w = max(ctx["floor"], ctx["per_percent"] * val)
        elif ctx and "by_income_group" in ctx:
            w = ctx["by_income_group"].get(group, p["base_weight"])
        weights[g] = min(p["cap"], w)
    return weights


def gap_items(facts, iso3: str) -> list[dict]:
    """The gap items that apply to this country, with the instruments able to close each."""
    group = income_group(facts, iso3)
    items = []
    for item in objective_params()["gaps"]:
        if "income_groups" in item and group not in item["income_groups"]:
            continue
        if "layer" in item:
            sets = [{i for i, inst in facts.instruments.items() if inst.layer == item["layer"]}]
        elif "families" in item:
            sets = [{i for i, inst in facts.instruments.items() if inst.family in item["families"]}]
        else:
            sets = [{i for i, inst in facts.instruments.items() if inst.family in fams}
                    for fams in item["families_all"]]
        items.append({**item, "closer_sets": sets})
    return items


def _rounded(value: float, scale: int) -> int:
    return int(round(value * scale))


@dataclass
class Candidate:
    """An instrument the plan may add: its cost, value and where it may go."""

    id: str
    layer: str | None
    cost: CostRange
    evidence: object  # transfer.EvidenceScore
    earliest: int
    groups: list[str]


@dataclass
class Problem:
    """Everything the optimiser needs for one country, built once and solvable at any fiscal space."""

    iso3: str
    candidates: list[Candidate]
    in_place: list[str]
    weights: dict[str, float]
    items: list[dict]
    substitutes: set[tuple[str, str]]
    conflicts: set[tuple[str, str]]
    complements: set[tuple[str, str]]
    prerequisites: set[tuple[str, str]]
    covered_groups: set[str] = field(default_factory=set)  # reached by what is already in place
    capacity: int = 1000  # new instruments a stage can start
    notes: list[dict] = field(default_factory=list)


def build_problem(facts, iso3: str, candidates: list[str] | None = None, graph=None,
                  in_place: list[str] | None = None) -> Problem:
    """Costs, values and relations of the candidate instruments for one country. `in_place` defaults to the
    instruments of the country's current programmes; pass [] to plan from scratch."""
    country_record(facts, iso3)
    params = objective_params()
    staging = params["staging"]
    if in_place is None:
        in_place = facts.instruments_at_scale(iso3)
    in_place = sorted(i for i in in_place if i in facts.instruments)
    graph = graph if graph is not None else instrument_graph(facts)
    ids = sorted(set(candidates if candidates is not None else facts.instruments) - set(in_place))
    cands, notes = [], []
    for iid in ids:
        inst = facts.instruments[iid]
        cost = instrument_cost(facts, iso3, iid)
        notes.extend(cost.notes)
        earliest = staging["earliest_stage"].get(inst.layer or "cross-cutting", 2)
        if inst.layer == "cross-cutting" and cost.central <= staging["low_cost_cross_cutting_pct_gdp"]["value"]:
            earliest = 1
        cands.append(Candidate(iid, inst.layer, cost, evidence_score(facts, iso3, iid), earliest,
                               sorted(inst.target_groups)))
    capacity = staging["max_new_instruments_per_stage"]["by_income_group"][income_group(facts, iso3)]
    return Problem(iso3, cands, in_place, group_weights(facts, iso3), gap_items(facts, iso3),
                   pairs(graph, "substitute-for"), pairs(graph, "conflicts-with"), pairs(graph, "complements"),
                   pairs(graph, "prerequisite-of"),
                   {g for i in in_place for g in facts.instruments[i].target_groups}, int(capacity),
                   _dedupe(notes))


def _dedupe(notes: list[dict]) -> list[dict]:
    seen, out = set(), []
    for n in notes:
        if n["message"] not in seen:
            seen.add(n["message"])
            out.append(n)
    return out


# --- the mixed-integer programme -------------------------------------------------------------------------

@dataclass
class Solution:
    """Chosen instruments with their stages, the objective, and the solver's time."""

    stages: dict[str, int]
    objective: float
    solve_seconds: float
    caps: dict[int, float]


def stage_caps(space: float) -> dict[int, float]:
    """Cumulative fiscal space open by the end of each stage (% of GDP)."""
    return {ph["stage"]: space * float(ph["share"]) for ph in stage_phases()}


def solve(problem: Problem, space: float) -> Solution:
    """Choose instruments and stages: exact MILP, lexicographic (objective, then cost, stage and id)."""
    params = objective_params()
    scale = int(params["scale"])
    caps = stage_caps(space)
    cands = problem.candidates
    in_place = set(problem.in_place)
    by_id = {c.id: c for c in cands}

    # variables: u[i,s] = 1 when instrument i is in place by the end of stage s (monotone in s, zero before
    # its earliest stage), then y[g] per group reached, z[k] per gap item closed, w[p] per complement pair
    xs = [(c.id, s) for c in cands for s in STAGES if s >= c.earliest]
    xi = {v: n for n, v in enumerate(xs)}
    reach: dict[str, list[str]] = {}
    for c in cands:
        for g in c.groups:
            reach.setdefault(g, []).append(c.id)
    covered = problem.covered_groups
    groups = [g for g in sorted(reach) if g not in covered and _rounded(problem.weights.get(g, 0), scale) > 0]
    items = [it for it in problem.items if not _item_closed(it, in_place)]
    comp_pairs = sorted(p for p in problem.complements
                        if (p[0] in by_id or p[0] in in_place) and (p[1] in by_id or p[1] in in_place)
                        and not (p[0] in in_place and p[1] in in_place))
    n = len(xs) + len(groups) + len(items) + len(comp_pairs)
    gi = {g: len(xs) + k for k, g in enumerate(groups)}
    ki = {it["id"]: len(xs) + len(groups) + k for k, it in enumerate(items)}
    pi = {p: len(xs) + len(groups) + len(items) + k for k, p in enumerate(comp_pairs)}
    last = STAGES[-1]

    c1 = np.zeros(n)
    disc = {int(k): float(v) for k, v in params["stage_discount"]["values"].items()}
    disc[last + 1] = 0.0
    ev_w = params["evidence_weight"]["value"]
    for (iid, s), k in xi.items():  # telescoping: chosen at stage t is worth score x disc[t]
        c1[k] = _rounded(ev_w * by_id[iid].evidence.score * (disc[s] - disc[s + 1]), scale)
    for g, k in gi.items():
        c1[k] = _rounded(problem.weights[g], scale)
    for it in items:
        c1[ki[it["id"]]] = _rounded(it["weight"], scale)
    for k in pi.values():
        c1[k] = _rounded(params["complement_bonus"]["value"], scale)

    rows, lo, hi = [], [], []

    def add(coefs: dict[int, float], lower: float, upper: float) -> None:
        row = np.zeros(n)
        for k, v in coefs.items():
            row[k] += v
        rows.append(row)
        lo.append(lower)
        hi.append(upper)

    def u(iid: str, s: int = last) -> int | None:
        return xi.get((iid, s))

    for c in cands:  # once in place, it stays
        for s in STAGES[:-1]:
            if u(c.id, s) is not None:
                add({u(c.id, s): 1.0, u(c.id, s + 1): -1.0}, -np.inf, 0)
    for s in STAGES:  # cumulative cost within the space open by the end of stage s
        coefs = {k: by_id[iid].cost.central for (iid, t), k in xi.items() if t == s}
        add(coefs, -np.inf, max(0.0, caps[s] - 1e-7))
    capacity = problem.capacity
    for s in STAGES:  # administrative capacity: new instruments started in stage s
        coefs = {k: (1.0 if t == s else -1.0) for (_iid, t), k in xi.items() if t in (s, s - 1)}
        add(coefs, -np.inf, capacity)
    for a, b in sorted(problem.prerequisites):  # a in place no later than b
        if b not in by_id or a in in_place:
            continue
        for s in STAGES:
            if u(b, s) is None:
                continue
            coefs = {u(b, s): 1.0}
            if u(a, s) is not None:
                coefs[u(a, s)] = -1.0
            add(coefs, -np.inf, 0)
    for a, b in sorted(problem.substitutes | problem.conflicts):
        if a in in_place or b in in_place:
            other = b if a in in_place else a
            if other in by_id:
                add({u(other): 1.0}, 0, 0)
        elif a in by_id and b in by_id:
            add({u(a): 1.0, u(b): 1.0}, 0, 1)
    for g, k in gi.items():  # y_g <= number of chosen instruments reaching g
        coefs = {u(iid): -1.0 for iid in reach[g]}
        coefs[k] = 1.0
        add(coefs, -np.inf, 0)
    for it in items:
        for closers in it["closer_sets"]:
            if closers & in_place:
                continue
            coefs = {u(iid): -1.0 for iid in sorted(closers & set(by_id))}
            coefs[ki[it["id"]]] = 1.0
            add(coefs, -np.inf, 0)
    for p, k in pi.items():
        for iid in p:
            if iid not in in_place:
                add({k: 1.0, u(iid): -1.0}, -np.inf, 0)

    # tie-break inside the same solve: the main coefficients are integers and the tie terms are penalties
    # summing to less than 0.5, so the optimum maximises the main objective exactly and, among equal plans,
    # prefers the cheapest, then the earliest stages, then the first ids
    rank = {iid: r for r, iid in enumerate(sorted(by_id))}
    total_cost = sum(c.cost.central for c in cands) or 1.0
    m = max(1, len(cands))
    tie = np.zeros(n)
    for c in cands:
        tie[u(c.id)] -= 0.3 * c.cost.central / total_cost + 0.05 * (rank[c.id] + 1) / (m + 1) / m
        for s in STAGES[:-1]:  # lateness: chosen at stage t costs (last - t) x epsilon
            if u(c.id, s) is not None:
                tie[u(c.id)] -= 0.05 / (2 * m)
                tie[u(c.id, s)] += 0.05 / (2 * m)
    integrality = np.array([1] * len(xs) + [0] * (n - len(xs)))
    bounds = Bounds(np.zeros(n), np.ones(n))
    a = np.array(rows) if rows else np.zeros((0, n))
    options = {"mip_rel_gap": 0.0, "presolve": True, "time_limit": 120.0}
    t0 = time.perf_counter()
    with _quiet_stdout():
        res = milp(-(c1 + tie), constraints=LinearConstraint(a, lo, hi), integrality=integrality,
                   bounds=bounds, options=options)
    elapsed = time.perf_counter() - t0
    if res.x is None:
        raise UserError(f"the planner's optimiser failed for {problem.iso3}: {res.message}")
    x = np.round(res.x[:len(xs)])
    stages: dict[str, int] = {}
    for (iid, s), k in sorted(xi.items(), key=lambda t: t[0][1]):
        if x[k] > 0.5 and iid not in stages:
            stages[iid] = s
    best = float(np.round(c1 @ res.x))
    return Solution(stages, best / scale, elapsed, caps)


@contextlib.contextmanager
def _quiet_stdout():
    """Silence file descriptor 1 while HiGHS runs: scipy 1.17's HiGHS prints a debugging line
    ("HighsMipSolverData::transformNewIntegerFeasibleSolution ...") straight to the C stdout, which would
    corrupt `policyatlas suggest --format json`. One solve at a time holds the descriptor."""
    with _STDOUT_LOCK:
        sys.stdout.flush()
        try:
            saved = os.dup(1)
        except OSError:  # no file descriptor 1 (an embedded interpreter): nothing to silence
            yield
            return
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


_STDOUT_LOCK = threading.Lock()


def _item_closed(item: dict, present: set[str]) -> bool:
    return all(closers & present for closers in item["closer_sets"])


# --- the plan and its explanation --------------------------------------------------------------------

@dataclass
class Plan:
    """A staged bundle for one country, with costs, reasons and what was left out and why."""

    country: str
    label: dict[str, str]
    fiscal_space: float
    fiscal_space_source: str  # "model" or "user"
    fiscal_detail: dict | None
    stages: list[dict]
    left_out: list[dict]
    in_place: list[str]
    objective: float
    assumptions: dict
    solve_seconds: float = 0.0
    findings_closed: list[dict] = field(default_factory=list)

    @property
    def chosen(self) -> list[str]:
        return [i["id"] for st in self.stages for i in st["instruments"]]

    @property
    def total_cost(self) -> float:
        return round(sum(st["cost_pct_gdp"] for st in self.stages), 6)

    def to_json(self) -> dict:
        return {
            "country": self.country,
            "country_label": dict(self.label),
            "fiscal_space_pct_gdp": round(self.fiscal_space, 6),
            "fiscal_space_source": self.fiscal_space_source,
            "fiscal_space_model": self.fiscal_detail,
            "in_place": list(self.in_place),
            "stages": self.stages,
            "total_cost_pct_gdp": self.total_cost,
            "total_cost_range_pct_gdp": _sum_ranges(self.stages),
            "objective": round(self.objective, 3),
            "left_out": self.left_out,
            "findings_closed": self.findings_closed,
            "assumptions": self.assumptions,
        }

    def to_table(self, lang: str = "en") -> str:
        t = TEXT["zh" if lang == "zh" else "en"]
        name = self.label.get(lang) or self.label.get("en") or self.country
        src = t["model"] if self.fiscal_space_source == "model" else t["user"]
        lines = [f"{t['title']} {name} ({self.country})",
                 f"{t['fiscal_space']}: {self.fiscal_space:.2f} {t['of_gdp']} ({src}); "
                 f"{t['total']} {t['cost']}: {self.total_cost:.2f} {t['of_gdp']}; {t['objective']} "
                 f"{self.objective:.3f}", ""]
        if self.in_place:
            lines.append(f"{t['in_place']}: {', '.join(self.in_place)}")
            lines.append("")
        for st in self.stages:
            lines.append(f"{t['stage']} {st['stage']} ({st['years']} {t['years']}): {t['cost']} "
                         f"{st['cost_pct_gdp']:.3f} {t['of_gdp']}; {t['space']} {st['space_pct_gdp']:.3f}")
            if not st["instruments"]:
                lines.append(f"  {t['none']}")
            for i in st["instruments"]:
                label = i["label"].get(lang) or i["label"].get("en") or i["id"]
                layer = LAYER_ZH.get(i["layer"], i["layer"]) if lang == "zh" else i["layer"]
                rng = i["cost_range_pct_gdp"]
                lines.append(f"  - {label} [{layer}] {i['cost_pct_gdp']:.3f} {t['of_gdp']} "
                             f"({rng['low']:.3f}-{rng['high']:.3f})")
                lines.append(f"    {t['closes']}: {i['explanation'][lang if lang == 'zh' else 'en']}")
                if i["evidence"]:
                    lines.append(f"    {t['evidence']}: {', '.join(i['evidence'])}")
            lines.append("")
        if self.left_out:
            lines.append(f"{t['left_out']}:")
            for lo in self.left_out:
                lines.append(f"  - {lo['id']}: {lo['reason_zh'] if lang == 'zh' else lo['reason']}")
        imputed = self.assumptions.get("imputed") or []
        if imputed:
            lines.append("")
            lines.append(f"{t['assumptions']}:")
            lines.extend(f"  ! {m}" for m in imputed)
        return "\n".join(lines) + "\n"


def _sum_ranges(stages: list[dict]) -> dict:
    out = {"low": 0.0, "central": 0.0, "high": 0.0}
    for st in stages:
        for i in st["instruments"]:
            for k in out:
                out[k] += i["cost_range_pct_gdp"][k]
    return {k: round(v, 3) for k, v in out.items()}


def _label(facts, key: str, lang: str) -> str:
    try:
        text = facts.label(key, lang)
    except AttributeError:
        text = key
    if lang == "zh" and text == key:
        return GAP_ZH.get(key, LAYER_ZH.get(key, key))
    return text


def suggest_facts(facts, iso3: str, fiscal_space: float | None = None, candidates: list[str] | None = None,
                  problem: Problem | None = None) -> Plan:
    """The planner over facts already loaded (what `suggest` calls; the bench and tests call it directly)."""
    rec = country_record(facts, iso3)
    detail = fiscal_space_detail(facts, iso3)
    if fiscal_space is None:
        if detail is None:
            raise UserError(f"no fiscal-space estimate for {iso3}: the KB has no general government revenue "
                            "or expenditure figure for it; pass --fiscal-space PCT (percent of GDP)")
        space, source = detail.space, "model"
    else:
        space, source = check_fiscal_space(fiscal_space), "user"  # the one rule, also Atlas.suggest's
    problem = problem or build_problem(facts, iso3, candidates)
    sol = solve(problem, space)
    return explain(facts, problem, sol, rec, space, source, detail)


def suggest(atlas, iso3: str, fiscal_space: float | None = None) -> Plan:
    """A staged bundle for a country within its fiscal space (the model's, or `fiscal_space` in % of GDP)."""
    from evaluator.facts import KBFacts

    facts = KBFacts.from_atlas(atlas)
    return suggest_facts(facts, facts.check_country(iso3), fiscal_space)


def explain(facts, problem: Problem, sol: Solution, rec, space: float, source: str, detail) -> Plan:
    """Turn a solution into the plan users read: each choice with its reasons, each strong omission too."""
    params = objective_params()
    by_id = {c.id: c for c in problem.candidates}
    in_place = set(problem.in_place)
    chosen_ids = set(sol.stages)
    covered_groups = {g for i in in_place for g in facts.instruments[i].target_groups}
    closed_items = {it["id"] for it in problem.items if _item_closed(it, in_place)}
    max_src = params["explanation"]["max_evidence_sources"]
    stages, cum = [], 0.0
    phases = {ph["stage"]: ph for ph in stage_phases()}
    for s in STAGES:
        ids = sorted((i for i, st in sol.stages.items() if st == s),
                     key=lambda i: (-by_id[i].evidence.score, i))
        entries = []
        for iid in ids:
            c = by_id[iid]
            new_groups = [g for g in c.groups if g not in covered_groups and problem.weights.get(g, 0) > 0]
            covered_groups |= set(c.groups)
            present = in_place | {i for i, st in sol.stages.items() if st <= s}
            gaps = []
            for it in problem.items:
                if it["id"] not in closed_items and _item_closed(it, present) and any(
                        iid in closers for closers in it["closer_sets"]):
                    closed_items.add(it["id"])
                    gaps.append(it["gap"])
            if new_groups:
                gaps.append("equity-blind-spot")
            gaps = sorted(set(gaps))
            closes = gaps + new_groups
            partners = sorted(b if a == iid else a for a, b in problem.complements
                              if iid in (a, b) and ({a, b} - {iid}) <= present | chosen_ids)
            entries.append({
                "id": iid,
                "label": dict(facts.instruments[iid].label),
                "layer": c.layer,
                "stage": s,
                "cost_pct_gdp": round(c.cost.central, 6),
                "cost_range_pct_gdp": c.cost.rounded(6),
                "closes": closes,
                "target_groups": list(c.groups),
                "evidence": list(c.evidence.sources[:max_src]),
                "evidence_score": round(c.evidence.score, 3),
                "complements": partners,
                "explanation": _why_chosen(facts, c, gaps, new_groups, partners),
            })
        cost = sum(e["cost_pct_gdp"] for e in entries)
        cum += cost
        stages.append({"stage": s, "years": phases[s]["years"], "instruments": entries,
                       "cost_pct_gdp": round(cost, 6), "cumulative_cost_pct_gdp": round(cum, 6),
                       "space_pct_gdp": round(sol.caps[s], 6)})
    closed_by, findings_closed = _evaluator_findings(facts, problem, chosen_ids)
    for st_ in stages:
        for e in st_["instruments"]:
            own = closed_by.get(e["id"], [])
            e["closes_findings"] = [f["rule"] for f in own]
            gaps = sorted({g for g in e["closes"] if g in GAP_ZH} | {f["gap"] for f in own})
            e["closes"] = gaps + [g for g in e["closes"] if g not in GAP_ZH]
    left = _left_out(facts, problem, sol, chosen_ids)
    notes = list(problem.notes) + (list(detail.notes) if detail is not None else [])
    assumptions = {
        "cost_basis": params["staging"]["cost_basis"],
        "stage_shares_of_fiscal_space": {ph["stage"]: ph["share"] for ph in stage_phases()},
        "fiscal_space": "modelled (evaluator/data/fiscal_space.yaml)" if source == "model"
        else "given by the user (--fiscal-space)",
        "parameters": "evaluator/data/costs.yaml, fiscal_space.yaml, transferability.yaml, objective.yaml",
        "imputed": [n["message"] for n in _dedupe(notes)],
        "solver": "HiGHS MILP via scipy.optimize.milp, exact (mip_rel_gap 0), lexicographic tie-break",
    }
    return Plan(problem.iso3, dict(rec.label), space, source, detail.to_json() if detail else None, stages, left,
                list(problem.in_place), sol.objective, assumptions, sol.solve_seconds, findings_closed)


def _evaluator_findings(facts, problem: Problem, chosen: set[str]) -> tuple[dict[str, list[dict]], list[dict]]:
    """What the evaluator (evaluator.engine) says the plan closes: its findings on the country's current mix
    that no longer fire for current mix + plan, and, per chosen instrument, those that fire again without it."""
    from evaluator.engine import evaluate_facts

    if not chosen:
        return {}, []
    before = evaluate_facts(facts, problem.iso3)
    current = set(before.bundle)
    # mode current+add, so that the rules written for the current mix judge "after" too
    after = evaluate_facts(facts, problem.iso3, add=sorted(chosen))
    open_after = {(f.rule, f.key) for f in after.findings}
    closed = [f for f in before.findings if (f.rule, f.key) not in open_after]

    def brief(f) -> dict:
        return {"rule": f.rule, "gap": f.gap, "severity": f.severity, "message": dict(f.message)}

    by_instrument: dict[str, list[dict]] = {}
    for iid in sorted(chosen):
        rest = sorted((current | chosen) - {iid})
        others = sorted(chosen - {iid})
        without = evaluate_facts(facts, problem.iso3, add=others) if others else before
        reopened = {(f.rule, f.key) for f in without.findings} if rest else None
        by_instrument[iid] = [brief(f) for f in closed if reopened is None or (f.rule, f.key) in reopened]
    return by_instrument, [brief(f) for f in closed]


def _why_chosen(facts, c: Candidate, gaps: list[str], groups: list[str], partners: list[str]) -> dict[str, str]:
    en, zh = [], []
    if groups:
        en.append("reaches " + ", ".join(_label(facts, g, "en") for g in groups))
        zh.append("覆盖" + "、".join(_label(facts, g, "zh") for g in groups))
    other = [g for g in gaps if g != "equity-blind-spot"]
    if other:
        en.append("closes " + ", ".join(_label(facts, g, "en") for g in other))
        zh.append("弥补" + "、".join(_label(facts, g, "zh") for g in other))
    if c.evidence.score > 0:
        en.append(f"evidence score {c.evidence.score:.2f}")
        zh.append(f"证据得分 {c.evidence.score:.2f}")
    if partners:
        en.append("complements " + ", ".join(_label(facts, p, "en") for p in partners))
        zh.append("与" + "、".join(_label(facts, p, "zh") for p in partners) + "互补")
    if not en:
        en.append("a prerequisite of another chosen instrument")
        zh.append("为其他已选措施的前提")
    return {"en": "; ".join(en), "zh": "；".join(zh)}


def _pct(value: float) -> str:
    """A share of GDP for a sentence: enough decimals to tell small amounts apart."""
    return f"{value:.2f}" if abs(value) >= 0.1 else f"{value:.3f}"


def _left_out(facts, problem: Problem, sol: Solution, chosen_ids: set[str]) -> list[dict]:
    """Strong candidates not chosen, each with the reason (cost vs space, substitute, prerequisite, ...)."""
    params = objective_params()
    in_place = set(problem.in_place)
    present = in_place | chosen_ids
    covered = {g for i in present for g in facts.instruments[i].target_groups}
    cum = {s: sum(c.cost.central for c in problem.candidates if sol.stages.get(c.id, 9) <= s) for s in STAGES}
    slack = {s: sol.caps[s] - cum[s] for s in STAGES}
    starts = {s: sum(1 for st in sol.stages.values() if st == s) for s in STAGES}
    out = []
    for c in problem.candidates:
        if c.id in chosen_ids:
            continue
        standalone = sum(problem.weights.get(g, 0) for g in c.groups) + max(0.0, c.evidence.score)
        standalone += sum(it["weight"] for it in problem.items
                          if any(c.id in cl for cl in it["closer_sets"]))
        if standalone <= 0:
            continue
        room = max((min(slack[t] for t in STAGES if t >= s) for s in STAGES if s >= c.earliest), default=0.0)
        label_en, label_zh = _label(facts, c.id, "en"), _label(facts, c.id, "zh")
        reason = None
        for a, b in sorted(problem.conflicts | problem.substitutes):
            if c.id in (a, b):
                other = b if a == c.id else a
                if other in present:
                    kind = "conflicts with" if (a, b) in problem.conflicts else "is a substitute for"
                    kind_zh = "相冲突" if (a, b) in problem.conflicts else "互为替代"
                    where = "already in place" if other in in_place else "chosen"
                    where_zh = "已有" if other in in_place else "已选入方案"
                    reason = (f"{label_en} {kind} {_label(facts, other, 'en')}, which is {where}",
                              f"{label_zh}与{_label(facts, other, 'zh')}（{where_zh}）{kind_zh}")
                    break
        if reason is None:
            missing = sorted(a for a, b in problem.prerequisites if b == c.id and a not in present)
            need = c.cost.central + sum(x.cost.central for x in problem.candidates if x.id in missing)
            if missing and need > room:
                names = ", ".join(_label(facts, m, "en") for m in missing)
                reason = (f"{label_en} needs {names} first; together {_pct(need)}% of GDP against "
                          f"{_pct(room)}% of remaining fiscal space",
                          f"{label_zh}需先实施{'、'.join(_label(facts, m, 'zh') for m in missing)}；合计占GDP "
                          f"{_pct(need)}%，剩余财政空间仅{_pct(room)}%")
        if reason is not None and c.cost.central > room and " needs " not in reason[0]:  # both reasons hold
            reason = (f"{reason[0]}; it would also cost {_pct(c.cost.central)}% of GDP against {_pct(room)}% of "
                      "remaining fiscal space",
                      f"{reason[1]}；且成本占GDP {_pct(c.cost.central)}%，剩余财政空间仅{_pct(room)}%")
        if reason is None and c.cost.central > room:
            reason = (f"{label_en}: {_pct(c.cost.central)}% of GDP against {_pct(room)}% of remaining fiscal space",
                      f"{label_zh}：成本占GDP {_pct(c.cost.central)}%，剩余财政空间仅{_pct(room)}%")
        full = [s for s in STAGES if s >= c.earliest and starts[s] >= problem.capacity]
        if reason is None and len(full) == len([s for s in STAGES if s >= c.earliest]):
            reason = (f"{label_en}: every stage it could enter already starts {problem.capacity} new instruments, "
                      "the administrative capacity assumed for this income group; the chosen ones are worth more",
                      f"{label_zh}：其可进入的各阶段均已启动{problem.capacity}项新措施（该收入组假定的行政能力上限），"
                      "已选措施价值更高")
        if reason is None:
            new = [g for g in c.groups if g not in covered and problem.weights.get(g, 0) > 0]
            if not new and c.evidence.score <= 0:
                reason = (f"{label_en}: fits ({_pct(c.cost.central)}% of GDP, {_pct(room)}% left) but adds no "
                          f"target group the plan does not already reach and its evidence score is "
                          f"{c.evidence.score:.2f}",
                          f"{label_zh}：可负担（占GDP {_pct(c.cost.central)}%，剩余{_pct(room)}%），"
                          f"但未覆盖新的目标群体，证据得分为{c.evidence.score:.2f}")
            else:
                reason = (f"{label_en}: {_pct(c.cost.central)}% of GDP; the remaining space ({_pct(room)}%) is "
                          "better spent on the chosen instruments at the stage where it would have to enter",
                          f"{label_zh}：占GDP {_pct(c.cost.central)}%；在其可进入的阶段，剩余空间（{_pct(room)}%）"
                          "用于已选措施收益更高")
        out.append((standalone, c.id, reason))
    out.sort(key=lambda t: (-t[0], t[1]))
    return [{"id": iid, "reason": r[0], "reason_zh": r[1], "value": round(v, 3)}
            for v, iid, r in out[:params["explanation"]["max_left_out"]]]
