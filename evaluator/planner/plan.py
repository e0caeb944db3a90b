"""The planner: staged actions sized to a country's fiscal space, valued in people newly protected.

`suggest(atlas, iso3)` proposes *actions*: introduce an instrument the country lacks, or extend the coverage of a
scheme it runs ("unemployment insurance: from 25% to 50% of the unemployed"). Nothing in place is proposed as
new: an instrument counts as in place when an active national programme of the KB implements it or when the
baseline (kb/baseline, `policyatlas.kb.baseline`) records a scheme of its branch. The actions and their stages are
chosen by an exact mixed-integer programme (HiGHS through scipy.optimize.milp):

- maximise people newly protected, by target group (kb/baseline/group-sizes.csv), weighted by vulnerability
  (evaluator/models/data/vulnerability.yaml), each group counted at most up to its size, plus the evaluator findings
  (evaluator.assess.engine) the actions close, weighted by severity (evaluator/models/data/objective.yaml);
- lexicographically: first with the actions that have evidence in the KB, then, keeping that value, with all
  (an action without any evidence fills only the room left, and says so);
- subject to: the cumulative central cost up to each stage within the share of fiscal space open by then
  (evaluator/models/fiscal.py; cost from `costing.action_cost` on the people added); the delivery capacity of each
  stage (evaluator/models/data/delivery_capacity.yaml); prerequisites
  (evaluator/models/data/prerequisites.yaml and the KB's `prerequisite-of` relations); at most one action per
  instrument; never two substitutes or conflicting instruments. An action that reaches no one and closes no
  finding is not a candidate at all.

Ties are broken inside the solve: cheapest, then earliest, then first by id. Reasons are codes with numbers
(`{"code": "planner.reason...", "params": {...}}`) rendered by `policyatlas.core.i18n` in English and Chinese.
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

from evaluator.models.costing import (
    CostRange,
    action_cost,
    country_record,
    figure_value,
    income_group,
    load_data,
)
from evaluator.models.fiscal import check_fiscal_space, fiscal_space_detail, stage_phases
from evaluator.models.graph import instrument_graph, pairs
from evaluator.models.transfer import evidence_score
from policyatlas.core.errors import UserError
from policyatlas.core.i18n import message, render_reason
from policyatlas.kb import vocab

STAGES = (1, 2, 3)


def objective_params() -> dict:
    return load_data("objective.yaml")


def _reason(code: str, **params) -> dict:
    return {"code": f"planner.{code}", "params": params}


def _render(reasons: list[dict], lang: str) -> str:
    return message("planner.sep.reasons", lang).join(render_reason(r, lang) for r in reasons)


def group_label(facts, group: str, lang: str = "en") -> str:
    """A baseline target group's name (planner.group.*), or the KB's label for a KB group."""
    try:
        return message(f"planner.group.{group}", lang)
    except KeyError:
        return _label(facts, group, lang)


def _label(facts, key: str, lang: str) -> str:
    try:
        return facts.label(key, lang)
    except AttributeError:
        return key


# --- actions ----------------------------------------------------------------------------------------------

@dataclass
class Action:
    """One thing the plan may do: introduce an instrument, or extend an existing scheme to a coverage step."""

    id: str  # "introduce:<instrument>" or "extend:<instrument>:<step>"
    instrument: str
    kind: str  # introduce | extend
    layer: str | None
    cost: CostRange
    people: dict[str, float]  # target group -> people newly reached
    closes: tuple[str, ...]  # evaluator findings closed ("rule|key")
    evidenced: bool  # any evidence record on the instrument in the KB
    evidence: object = None  # transfer.EvidenceScore, for display
    coverage: dict | None = None  # extend: {"branch", "group", "from", "to"}
    flags: tuple = ()  # caveat reason codes
    unknown_groups: tuple = ()  # groups it would reach whose size the KB lacks

    @property
    def load_kind(self) -> str:
        return self.kind


@dataclass
class Requirement:
    """Actions of `instrument` (of `kind`, or any) need an action of one of `options` in the plan, no later
    than their own stage (strict: in an earlier stage)."""

    instrument: str
    options: frozenset[str]
    strict: bool
    code: str
    kind: str = "any"


@dataclass
class Problem:
    """Everything the optimiser needs for one country, built once and solvable at any fiscal space."""

    iso3: str
    actions: list[Action]
    in_place: list[str]
    weights: dict[str, float]  # vulnerability weight per group
    sizes: dict[str, float]  # people per group (the cap on people newly reached)
    unit: float  # people per objective unit
    findings: dict[str, dict]  # "rule|key" -> {rule, key, gap, severity, weight, title}
    substitutes: set[tuple[str, str]]
    conflicts: set[tuple[str, str]]
    requirements: list[Requirement]
    capacity: dict[int, int]
    load: dict[str, int]
    notes: list[dict] = field(default_factory=list)
    left: list[dict] = field(default_factory=list)  # instruments with no action, with the reason code
    urgent: set[str] = field(default_factory=set)  # missing prerequisites of what is in place: stage 1 if chosen
    prereq_pairs: set[tuple[str, str]] = field(default_factory=set)  # the KB's prerequisite-of relations


def _country_factor(facts, iso3: str, name: str | None) -> float | None:
    if not name:
        return 1.0
    role = {"formality": "informality", "unbanked": "account_ownership"}[name]
    val = figure_value(facts, iso3, role)
    if val is None:
        return None
    return max(0.0, min(1.0, 1.0 - val / 100.0))


def _condition_holds(facts, iso3: str, cond: dict, base) -> bool:
    if "indicator" in cond:
        val = figure_value(facts, iso3, cond["indicator"])
        if val is None:
            return False
        if "at_least" in cond:
            return val >= float(cond["at_least"])
        if "at_most" in cond:
            return val <= float(cond["at_most"])
        return val > float(cond["above"])
    if "branch" in cond:
        return base.exists(cond["branch"]) == "yes"
    return False


def in_place_instruments(facts, iso3: str) -> set[str]:
    """What the country runs: instruments of its current programmes plus those whose baseline branch has a
    scheme (actions.yaml `extend.instruments`)."""
    base = facts.baseline_of(iso3)
    out = set(facts.instruments_at_scale(iso3))
    for iid, spec in load_data("actions.yaml")["extend"]["instruments"].items():
        if iid in facts.instruments and base.exists(spec["branch"]) == "yes":
            out.add(iid)
    return out


def reference_people(facts, iso3: str) -> float:
    """The labour force (people), or population x the assumed share; 1e6 when the KB has neither."""
    lf = facts.baseline_of(iso3).people("labour-force")
    if lf:
        return float(lf)
    pop = figure_value(facts, iso3, "population")
    if pop:
        return float(pop) * 1e6 * objective_params()["reference_population"]["labour_force_share"]["value"]
    return 1e6


def _findings(facts, iso3: str, rule_list) -> tuple[object, dict[str, dict]]:
    from evaluator.assess.engine import evaluate_facts

    params = objective_params()["findings"]
    ignore = set(params["ignore_rules"]["value"])
    before = evaluate_facts(facts, iso3, rule_list=rule_list)
    out = {}
    for f in before.findings:
        if f.rule in ignore:
            continue
        out[f"{f.rule}|{f.key}"] = {"rule": f.rule, "key": f.key, "gap": f.gap, "severity": f.severity,
                                    "weight": float(params["severity"][f.severity]["value"]),
                                    "title": dict(f.title or f.message)}
    return before, out


def _closed(facts, iso3: str, open_ids: dict, rule_list, add=None, coverage=None) -> tuple[str, ...]:
    """The open findings an action closes: those that no longer fire with it (only the rules that fired are
    re-run, and only their conditions: `engine.fired_keys`)."""
    from evaluator.assess.engine import fired_keys

    if not open_ids:
        return ()
    if coverage:
        facts = facts.with_case_facts(iso3, coverage=coverage)
    still = fired_keys(facts, iso3, rule_list, add=add)
    return tuple(sorted(k for k in open_ids if k not in still))


def build_problem(facts, iso3: str, candidates: list[str] | None = None, graph=None,
                  in_place: list[str] | None = None) -> Problem:
    """The candidate actions of one country with their people, findings, costs and relations. `in_place`
    defaults to `in_place_instruments`; pass [] to plan from scratch (introductions only)."""
    from evaluator.assess.engine import rules

    country_record(facts, iso3)
    spec = load_data("actions.yaml")
    vul = load_data("vulnerability.yaml")["groups"]
    cap = load_data("delivery_capacity.yaml")
    prereq = load_data("prerequisites.yaml")
    scratch = in_place is not None and not in_place
    present = set(in_place) if in_place is not None else in_place_instruments(facts, iso3)
    present = {i for i in present if i in facts.instruments}
    base = facts.baseline_of(iso3)
    graph = graph if graph is not None else instrument_graph(facts)
    all_rules = rules()
    _before, findings = _findings(facts, iso3, all_rules)
    fired = {f["rule"] for f in findings.values()}
    rule_list = [r for r in all_rules if r.id in fired]  # only a rule that fired can stop firing: exact, faster
    ids = sorted(set(candidates if candidates is not None else facts.instruments) & set(facts.instruments))
    steps = [float(s) for s in spec["extend"]["steps"]["value"]]
    flags_by = _flags(facts, iso3, prereq)
    actions: list[Action] = []
    notes: list[dict] = []
    left: list[dict] = []
    for iid in ids:
        inst = facts.instruments[iid]
        evidenced = bool(facts.evidence_for(iid))
        ext = spec["extend"]["instruments"].get(iid)
        if iid in present:
            if ext is None or scratch:
                continue
            status = base.branches.get(ext["branch"])
            cov = status.coverage if status is not None else None
            size = base.people(ext["group"])
            if cov is None or size is None:
                left.append({"id": iid, "action": "extend", "value": 0.0,
                             "reason_code": _reason("reason.left_out.coverage_unknown", instrument=iid)})
                continue
            ev = None  # the evidence score, computed only for an instrument with an action
            for step in steps:
                if step <= cov + 1e-9:
                    continue
                people = size * (step - cov) / 100.0
                cost = action_cost(facts, iso3, iid, people=people)
                ev = ev if ev is not None else evidence_score(facts, iso3, iid)
                notes.extend(cost.notes)
                closes = _closed(facts, iso3, findings, rule_list, coverage={ext["branch"]: step})
                actions.append(Action(f"extend:{iid}:{int(step)}", iid, "extend", inst.layer, cost.range,
                                      {ext["group"]: people}, closes, evidenced, ev,
                                      {"branch": ext["branch"], "group": ext["group"], "from": cov, "to": step},
                                      flags_by.get(iid, ())))
            continue
        people: dict[str, float] = {}
        unknown = []
        for r in (spec["introduce"].get(iid) or {}).get("reaches", []):
            size = base.people(r["of"])
            factor = _country_factor(facts, iso3, r.get("factor"))
            if size is None or factor is None:
                unknown.append(r["group"])
                continue
            n = size * float(r["share"]) * factor
            if n > 0:
                people[r["group"]] = people.get(r["group"], 0.0) + n
        closes = _closed(facts, iso3, findings, rule_list, add=[iid])
        if not people and not closes:
            left.append({"id": iid, "action": "introduce", "value": 0.0,
                         "reason_code": _reason("reason.left_out.no_effect", instrument=iid)})
            continue
        cost = action_cost(facts, iso3, iid)
        notes.extend(cost.notes)
        actions.append(Action(f"introduce:{iid}", iid, "introduce", inst.layer, cost.range, people, closes,
                              evidenced, evidence_score(facts, iso3, iid), None, flags_by.get(iid, ()), tuple(unknown)))
    reqs = _requirements(facts, iso3, prereq, graph, present, base)
    group = income_group(facts, iso3)
    capacity = {int(k): int(v) for k, v in cap["capacity_by_income_group"][group].items()}
    load = {"introduce": int(cap["load"]["introduce"]), "extend": int(cap["load"]["extend"])}
    sizes = {g: float(base.people(g)) for g in vul if base.people(g) is not None}
    for a in actions:  # a group the KB has no size for is capped at what the actions reach
        for g, n in a.people.items():
            if g not in sizes:
                sizes[g] = n
    weights = {g: float(v["value"]) for g, v in vul.items()}
    unit = reference_people(facts, iso3) * float(objective_params()["unit_share"]["value"])
    urgent = {a for a, b in pairs(graph, "prerequisite-of") if b in present and a not in present}
    return Problem(iso3, actions, sorted(present), weights, sizes, unit, findings,
                   pairs(graph, "substitute-for"), pairs(graph, "conflicts-with"), reqs, capacity, load,
                   _dedupe(notes), left, urgent, pairs(graph, "prerequisite-of"))


def _flags(facts, iso3: str, prereq: dict) -> dict[str, tuple]:
    out: dict[str, list] = {}
    for fl in prereq.get("flags", []):
        cond = fl["when"]
        if _condition_holds(facts, iso3, cond, facts.baseline_of(iso3)):
            val = figure_value(facts, iso3, cond["indicator"])
            out.setdefault(fl["instrument"], []).append(
                _reason(f"reason.flag.{fl['code']}", **{cond["indicator"]: round(val, 1)}))
    return {k: tuple(v) for k, v in out.items()}


def _requirements(facts, iso3: str, prereq: dict, graph, present: set[str], base) -> list[Requirement]:
    reqs = []
    for rule in prereq["rules"]:
        if rule["instrument"] not in facts.instruments:
            continue
        opts, met = set(), False
        for cond in rule["needs_any"]:
            if "instrument" in cond:
                if cond["instrument"] in present:
                    met = True
                opts.add(cond["instrument"])
            elif _condition_holds(facts, iso3, cond, base):
                met = True
        if not met:
            reqs.append(Requirement(rule["instrument"], frozenset(opts), rule["order"] == "earlier", rule["code"],
                                    rule.get("kind", "any")))
    for a, b in sorted(pairs(graph, "prerequisite-of")):
        if a not in present and b in facts.instruments:
            reqs.append(Requirement(b, frozenset({a}), False, "kb-relation", "introduce"))
    return reqs


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
    """Chosen actions with their stages, the lexicographic objective, and the solver's time."""

    stages: dict[str, int]  # action id -> stage
    objective: float  # weighted people, all actions
    objective_evidenced: float  # weighted people from the actions with evidence (the first criterion)
    solve_seconds: float
    caps: dict[int, float]
    value: int = 0  # the integer objective (exactness tests)
    value_evidenced: int = 0


def stage_caps(space: float) -> dict[int, float]:
    """Cumulative fiscal space open by the end of each stage (% of GDP)."""
    return {ph["stage"]: space * float(ph["share"]) for ph in stage_phases()}


def coefficients(problem: Problem) -> tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int],
                                             dict[str, int]]:
    """The integer data of the objective: people units per (action, group), value per group unit, value per
    finding, and each group's cap in units."""
    params = objective_params()
    scale = int(params["scale"])
    per_finding = params["findings"]["per_finding_share_of_labour_force"]["value"] / params["unit_share"]["value"]
    units = {(a.id, g): int(round(n / problem.unit)) for a in problem.actions for g, n in a.people.items()}
    gval = {g: int(round(problem.weights.get(g, 0.0) * scale)) for g in problem.sizes}
    fval = {k: int(round(f["weight"] * per_finding * scale)) for k, f in problem.findings.items()}
    caps = {g: int(round(n / problem.unit)) for g, n in problem.sizes.items()}
    return units, gval, fval, caps


def solve(problem: Problem, space: float) -> Solution:
    """Choose actions and stages: exact MILP, lexicographic (evidenced value, total value), ties by cost,
    stage and id."""
    params = objective_params()
    scale = int(params["scale"])
    caps = stage_caps(space)
    acts = problem.actions
    units, gval, fval, gcap = coefficients(problem)
    xs = [(a.id, s) for a in acts for s in STAGES]
    xi = {v: n for n, v in enumerate(xs)}
    groups = sorted(g for g in problem.sizes if gval.get(g, 0) > 0 and any((a.id, g) in units for a in acts))
    finds = sorted(k for k in problem.findings if fval[k] > 0 and any(k in a.closes for a in acts))
    nx_ = len(xs)
    # two copies of the value variables: [0] from every action, [1] from the evidenced ones only
    gi = [{g: nx_ + c * (len(groups) + len(finds)) + k for k, g in enumerate(groups)} for c in (0, 1)]
    fi = [{f: nx_ + c * (len(groups) + len(finds)) + len(groups) + k for k, f in enumerate(finds)} for c in (0, 1)]
    n = nx_ + 2 * (len(groups) + len(finds))
    value = [np.zeros(n), np.zeros(n)]
    for c in (0, 1):
        for g, k in gi[c].items():
            value[c][k] = gval[g]
        for f, k in fi[c].items():
            value[c][k] = fval[f]
    rows, lo, hi = [], [], []

    def add(coefs: dict[int, float], lower: float, upper: float) -> None:
        row = np.zeros(n)
        for k, v in coefs.items():
            row[k] += v
        rows.append(row)
        lo.append(lower)
        hi.append(upper)

    by_inst: dict[str, list[Action]] = {}
    for a in acts:
        by_inst.setdefault(a.instrument, []).append(a)
    last = STAGES[-1]
    for a in acts:  # once in place, it stays
        for s in STAGES[:-1]:
            add({xi[(a.id, s)]: 1.0, xi[(a.id, s + 1)]: -1.0}, -np.inf, 0)
    for group_ in by_inst.values():  # one action per instrument
        if len(group_) > 1:
            add({xi[(a.id, last)]: 1.0 for a in group_}, -np.inf, 1)
    for s in STAGES:  # cumulative cost within the space open by the end of stage s
        add({xi[(a.id, s)]: a.cost.central for a in acts}, -np.inf, max(0.0, caps[s] - 1e-7))
    for s in STAGES:  # delivery capacity: load of the actions started in stage s
        coefs = {xi[(a.id, s)]: float(problem.load[a.kind]) for a in acts}
        if s > 1:
            for a in acts:
                coefs[xi[(a.id, s - 1)]] = -float(problem.load[a.kind])
        add(coefs, -np.inf, problem.capacity[s])
    for r in problem.requirements:
        for a in by_inst.get(r.instrument, []):
            if r.kind not in ("any", a.kind):
                continue
            for s in STAGES:
                coefs = {xi[(a.id, s)]: 1.0}
                t = s - 1 if r.strict else s
                if t >= 1:
                    for o in sorted(r.options):
                        for b in by_inst.get(o, []):
                            coefs[xi[(b.id, t)]] = coefs.get(xi[(b.id, t)], 0.0) - 1.0
                add(coefs, -np.inf, 0)
    for a in acts:  # the missing prerequisite of a scheme in place comes first (stage 1) or not at all
        if a.instrument in problem.urgent:
            add({xi[(a.id, last)]: 1.0, xi[(a.id, 1)]: -1.0}, -np.inf, 0)
    present = set(problem.in_place)
    for a_, b_ in sorted(problem.substitutes | problem.conflicts):
        if a_ in present or b_ in present:
            for other in {a_, b_} - present:
                for act in by_inst.get(other, []):
                    add({xi[(act.id, last)]: 1.0}, 0, 0)
        else:
            both = by_inst.get(a_, []) + by_inst.get(b_, [])
            if by_inst.get(a_) and by_inst.get(b_):
                add({xi[(act.id, last)]: 1.0 for act in both}, -np.inf, 1)
    for c in (0, 1):
        pool = [a for a in acts if c == 0 or a.evidenced]
        for g, k in gi[c].items():  # people of g reached <= sum over chosen actions
            coefs = {xi[(a.id, last)]: -float(units[(a.id, g)]) for a in pool if (a.id, g) in units}
            coefs[k] = 1.0
            add(coefs, -np.inf, 0)
        for f, k in fi[c].items():
            coefs = {xi[(a.id, last)]: -1.0 for a in pool if f in a.closes}
            coefs[k] = 1.0
            add(coefs, -np.inf, 0)

    # tie-break: penalties summing to at most 0.2; with an absolute gap of 0.25 the solve stops as soon as no
    # plan can be 0.25 better, which (the objective being an integer) proves the integer objective optimal
    # exactly, while among equal plans it prefers the cheapest, then the earliest stages, then the first ids
    rank = {a.id: r for r, a in enumerate(sorted(acts, key=lambda a: a.id))}
    total_cost = sum(a.cost.central for a in acts) or 1.0
    m = max(1, len(acts))
    tie = np.zeros(n)
    for a in acts:
        tie[xi[(a.id, last)]] -= 0.15 * a.cost.central / total_cost + 0.025 * (rank[a.id] + 1) / (m + 1) / m
        for s in STAGES[:-1]:
            tie[xi[(a.id, last)]] -= 0.025 / (2 * m)
            tie[xi[(a.id, s)]] += 0.025 / (2 * m)
    integrality = np.array([1] * nx_ + [0] * (n - nx_))
    upper = np.ones(n)
    for c in (0, 1):
        for g, k in gi[c].items():
            upper[k] = gcap[g]
    options = {"mip_rel_gap": 0.0, "presolve": True, "time_limit": 120.0}
    t0 = time.perf_counter()
    # phase 1: the evidenced actions only
    up1 = upper.copy()
    for a in acts:
        if not a.evidenced:
            for s in STAGES:
                up1[xi[(a.id, s)]] = 0.0
    res = _milp(value[1] + tie, rows, lo, hi, integrality, up1, n, options, problem.iso3)
    v1 = int(round(float(value[1] @ res.x)))
    if any(not a.evidenced for a in acts):  # phase 2: keep v1, add what the unevidenced actions bring
        res = _milp(value[0] + tie, [*rows, value[1]], [*lo, v1 - 0.5], [*hi, np.inf], integrality, upper, n,
                    options, problem.iso3)
    elapsed = time.perf_counter() - t0
    x = np.round(res.x[:nx_])
    stages: dict[str, int] = {}
    for (aid, s), k in sorted(xi.items(), key=lambda t: t[0][1]):
        if x[k] > 0.5 and aid not in stages:
            stages[aid] = s
    total = _value_of(problem, set(stages), units, gval, fval, gcap, evidenced_only=False)
    ev_total = _value_of(problem, set(stages), units, gval, fval, gcap, evidenced_only=True)
    return Solution(stages, total * problem.unit / scale, ev_total * problem.unit / scale, elapsed, caps, total,
                    ev_total)


def _value_of(problem: Problem, chosen: set[str], units, gval, fval, gcap, evidenced_only: bool) -> int:
    """The integer objective of a set of actions (what the MILP maximises, recomputed from the choice)."""
    pool = [a for a in problem.actions if a.id in chosen and (a.evidenced or not evidenced_only)]
    total = 0
    for g in gval:
        reached = sum(units.get((a.id, g), 0) for a in pool)
        total += gval[g] * min(reached, gcap.get(g, 0))
    closed = {f for a in pool for f in a.closes}
    total += sum(fval[f] for f in closed if f in fval)
    return total


def _milp(c, rows, lo, hi, integrality, upper, n, options, iso3):
    a = np.array(rows) if rows else np.zeros((0, n))
    with _quiet_stdout():
        res = milp(-c, constraints=LinearConstraint(a, lo, hi), integrality=integrality,
                   bounds=Bounds(np.zeros(n), upper), options=options)
    if res.x is None:
        raise UserError(f"the planner's optimiser failed for {iso3}: {res.message}")
    return res


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


# --- the plan and its explanation --------------------------------------------------------------------

@dataclass
class Plan:
    """A staged list of actions for one country, with costs, people, reasons and what was left out and why."""

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
    objective_evidenced: float = 0.0
    people_by_group: dict[str, float] = field(default_factory=dict)

    @property
    def chosen(self) -> list[str]:
        """Instrument ids of the chosen actions (introduced or extended)."""
        return [i["id"] for st in self.stages for i in st["instruments"]]

    @property
    def actions(self) -> list[dict]:
        return [i for st in self.stages for i in st["instruments"]]

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
            "objective_evidenced": round(self.objective_evidenced, 3),
            "people_newly_reached": {g: round(v) for g, v in self.people_by_group.items()},
            "left_out": self.left_out,
            "findings_closed": self.findings_closed,
            "assumptions": self.assumptions,
        }

    def to_table(self, lang: str = "en") -> str:
        lang = "zh" if lang == "zh" else "en"

        def t(key: str) -> str:
            return message(f"planner.table.{key}", lang)

        name = self.label.get(lang) or self.label.get("en") or self.country
        src = t("model") if self.fiscal_space_source == "model" else t("user")
        lines = [f"{t('title')} {name} ({self.country})",
                 f"{t('fiscal_space')}: {self.fiscal_space:.2f} {t('of_gdp')} ({src}); "
                 f"{t('total')} {t('cost')}: {self.total_cost:.2f} {t('of_gdp')}; {t('objective')} "
                 f"{self.objective:,.0f}", ""]
        if self.in_place:
            lines.append(f"{t('in_place')}: {', '.join(self.in_place)}")
            lines.append("")
        for st in self.stages:
            lines.append(f"{t('stage')} {st['stage']} ({st['years']} {t('years')}): {t('cost')} "
                         f"{st['cost_pct_gdp']:.3f} {t('of_gdp')}; {t('space')} {st['space_pct_gdp']:.3f}")
            if not st["instruments"]:
                lines.append(f"  {t('none')}")
            for i in st["instruments"]:
                layer = vocab.label("layer", i["layer"], lang)
                rng = i["cost_range_pct_gdp"]
                lines.append(f"  - {i['title'][lang]} [{layer}] {i['cost_pct_gdp']:.3f} "
                             f"{t('of_gdp')} ({rng['low']:.3f}-{rng['high']:.3f})")
                lines.append(f"    {i['explanation'][lang]}")
                if i["evidence"]:
                    lines.append(f"    {t('evidence')}: {', '.join(i['evidence'])}")
            lines.append("")
        if self.left_out:
            lines.append(f"{t('left_out')}:")
            for lo in self.left_out:
                lines.append(f"  - {lo['id']}: {lo['reason_zh'] if lang == 'zh' else lo['reason']}")
        imputed = self.assumptions.get("imputed") or []
        if imputed:
            lines.append("")
            lines.append(f"{t('assumptions')}:")
            lines.extend(f"  ! {m}" for m in imputed)
        return "\n".join(lines) + "\n"


def _sum_ranges(stages: list[dict]) -> dict:
    out = {"low": 0.0, "central": 0.0, "high": 0.0}
    for st in stages:
        for i in st["instruments"]:
            for k in out:
                out[k] += i["cost_range_pct_gdp"][k]
    return {k: round(v, 3) for k, v in out.items()}


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
    """A staged plan for a country within its fiscal space (the model's, or `fiscal_space` in % of GDP)."""
    from evaluator.assess.facts import KBFacts

    facts = KBFacts.from_atlas(atlas)
    return suggest_facts(facts, facts.check_country(iso3), fiscal_space)


def _action_reasons(facts, problem: Problem, a: Action, before: dict[str, int], stage: int) -> list[dict]:
    """Why an action is in the plan, as reason codes: what it does, whom it reaches, what it closes, after
    what, with which evidence or caveat."""
    out = []
    if a.kind == "extend":
        cov = a.coverage
        out.append(_reason("reason.extend", instrument=_label(facts, a.instrument, "en"),
                           instrument_id=a.instrument, from_pct=cov["from"], to_pct=cov["to"],
                           group=cov["group"]))
    else:
        out.append(_reason("reason.introduce", instrument=_label(facts, a.instrument, "en"),
                           instrument_id=a.instrument))
    for g, n in sorted(a.people.items()):
        out.append(_reason("reason.reaches", people=round(n), group=g))
    for g in a.unknown_groups:
        out.append(_reason("reason.reaches_unknown", group=g))
    for f in a.closes:
        info = problem.findings[f]
        out.append(_reason("reason.closes", finding=info["title"].get("en", info["rule"]),
                           finding_zh=info["title"].get("zh") or info["title"].get("en", info["rule"]),
                           rule=info["rule"], key=info["key"]))
    for r in problem.requirements:
        if r.instrument == a.instrument and r.kind in ("any", a.kind):
            met = sorted(o for o in r.options if before.get(o, 99) <= (stage - 1 if r.strict else stage))
            if met:
                out.append(_reason("reason.needs", prerequisite=_label(facts, met[0], "en"), prerequisite_id=met[0],
                                   why=r.code))
    if a.instrument in problem.urgent:
        deps = sorted(b for x, b in problem.prereq_pairs if x == a.instrument and b in problem.in_place)
        if deps:
            out.append(_reason("reason.first", dependent=_label(facts, deps[0], "en"), dependent_id=deps[0]))
    if a.evidenced:
        out.append(_reason("reason.evidence", score=round(a.evidence.score, 3), sources=len(a.evidence.sources)))
    else:
        out.append(_reason("reason.no_evidence", instrument=_label(facts, a.instrument, "en"),
                           instrument_id=a.instrument))
    out.extend(a.flags)
    return out


def _localise(reason: dict, facts, lang: str) -> dict:
    """The reason with instrument, group, finding and prerequisite names in `lang` (params stay the ids too)."""
    p = dict(reason["params"])
    if "instrument_id" in p:
        p["instrument"] = _label(facts, p["instrument_id"], lang)
    if "prerequisite_id" in p:
        p["prerequisite"] = _label(facts, p["prerequisite_id"], lang)
        p["why"] = message(f"planner.reason.prerequisite.{p['why']}", lang)
    if "group" in p:
        p["group"] = group_label(facts, p["group"], lang)
    if "dependent_id" in p:
        p["dependent"] = _label(facts, p["dependent_id"], lang)
    if "other_id" in p:
        p["other"] = _label(facts, p["other_id"], lang)
        p["relation"] = message(f"planner.reason.left_out.relation.{p['relation']}", lang)
        p["where"] = message(f"planner.reason.left_out.where.{p['where']}", lang)
    if "prerequisite_ids" in p:
        p["prerequisites"] = message("planner.sep.items", lang).join(_label(facts, m, lang)
                                                                  for m in p["prerequisite_ids"])
    if lang == "zh" and "finding_zh" in p:
        p["finding"] = p["finding_zh"]
    return {"code": reason["code"], "params": p}


def _text(reasons: list[dict], facts, lang: str) -> str:
    return _render([_localise(r, facts, lang) for r in reasons], lang)


def explain(facts, problem: Problem, sol: Solution, rec, space: float, source: str, detail) -> Plan:
    """Turn a solution into the plan users read: each action with its reasons, each strong omission too."""
    params = objective_params()
    by_id = {a.id: a for a in problem.actions}
    stage_of_inst = {by_id[aid].instrument: s for aid, s in sol.stages.items()}
    max_src = params["explanation"]["max_evidence_sources"]
    phases = {ph["stage"]: ph for ph in stage_phases()}
    reached: dict[str, float] = {}
    stages, cum = [], 0.0
    closed_all: set[str] = set()
    for s in STAGES:
        ids = sorted((aid for aid, st in sol.stages.items() if st == s),
                     key=lambda aid: (_depth(problem, by_id[aid].instrument, stage_of_inst), -sum(
                         by_id[aid].people.values()), aid))
        entries = []
        for aid in ids:
            a = by_id[aid]
            for g, n in a.people.items():
                reached[g] = min(problem.sizes.get(g, n), reached.get(g, 0.0) + n)
            closed_all |= set(a.closes)
            reasons = _action_reasons(facts, problem, a, stage_of_inst, s)
            gaps = sorted({problem.findings[f]["gap"] for f in a.closes})
            entries.append({
                "id": a.instrument,
                "action": a.kind,
                "action_id": a.id,
                "label": dict(facts.instruments[a.instrument].label),
                "layer": a.layer,
                "stage": s,
                "cost_pct_gdp": round(a.cost.central, 6),
                "cost_range_pct_gdp": a.cost.rounded(6),
                "people": round(sum(a.people.values())),
                "reaches": {g: round(n) for g, n in sorted(a.people.items())},
                "coverage": dict(a.coverage) if a.coverage else None,
                "closes": gaps,
                "closes_findings": sorted({problem.findings[f]["rule"] for f in a.closes}),
                "target_groups": sorted(facts.instruments[a.instrument].target_groups),
                "evidence": list(a.evidence.sources[:max_src]) if a.evidence is not None else [],
                "evidence_score": round(a.evidence.score, 3) if a.evidence is not None else 0.0,
                "evidenced": a.evidenced,
                "caveats": [r for r in reasons if r["code"] in ("planner.reason.no_evidence",)
                            or r["code"].startswith("planner.reason.flag.")],
                "reasons": reasons,
                "explanation": {"en": _text(reasons[1:], facts, "en"), "zh": _text(reasons[1:], facts, "zh")},
                "title": {"en": _text(reasons[:1], facts, "en"), "zh": _text(reasons[:1], facts, "zh")},
            })
        cost = sum(e["cost_pct_gdp"] for e in entries)
        cum += cost
        stages.append({"stage": s, "years": phases[s]["years"], "instruments": entries,
                       "cost_pct_gdp": round(cost, 6), "cumulative_cost_pct_gdp": round(cum, 6),
                       "space_pct_gdp": round(sol.caps[s], 6)})
    findings_closed = [{"rule": problem.findings[f]["rule"], "key": problem.findings[f]["key"],
                        "gap": problem.findings[f]["gap"], "severity": problem.findings[f]["severity"],
                        "title": problem.findings[f]["title"]} for f in sorted(closed_all)]
    left = _left_out(facts, problem, sol)
    notes = list(problem.notes) + (list(detail.notes) if detail is not None else [])
    assumptions = {
        "cost_basis": params["staging"]["cost_basis"],
        "stage_shares_of_fiscal_space": {ph["stage"]: ph["share"] for ph in stage_phases()},
        "fiscal_space": "modelled (evaluator/models/data/fiscal_space.yaml)" if source == "model"
        else "given by the user (--fiscal-space)",
        "delivery_capacity": dict(problem.capacity),
        "parameters": "evaluator/models/data/costs.yaml, fiscal_space.yaml, transferability.yaml, objective.yaml, "
                      "actions.yaml, vulnerability.yaml, prerequisites.yaml, delivery_capacity.yaml",
        "imputed": [n["message"] for n in _dedupe(notes)],
        "solver": "HiGHS MILP via scipy.optimize.milp, exact (mip_rel_gap 0), lexicographic: evidenced actions "
                  "first, then all; ties by cost, stage and id",
    }
    return Plan(problem.iso3, dict(rec.label), space, source, detail.to_json() if detail else None, stages, left,
                list(problem.in_place), sol.objective, assumptions, sol.solve_seconds, findings_closed,
                sol.objective_evidenced, {g: reached[g] for g in sorted(reached)})


def _depth(problem: Problem, instrument: str, chosen: dict[str, int], seen: frozenset = frozenset()) -> int:
    """How many chosen prerequisites come before an instrument (to list prerequisites first in a stage)."""
    deps = [o for r in problem.requirements if r.instrument == instrument for o in r.options
            if o in chosen and o not in seen]
    return max((1 + _depth(problem, o, chosen, seen | {instrument}) for o in deps), default=0)


def _left_out(facts, problem: Problem, sol: Solution) -> list[dict]:
    """The most valuable actions not chosen (one per instrument), each with the reason as a code."""
    params = objective_params()
    by_id = {a.id: a for a in problem.actions}
    chosen_inst = {by_id[aid].instrument: s for aid, s in sol.stages.items()}
    present = set(problem.in_place) | set(chosen_inst)
    cum = {s: sum(by_id[aid].cost.central for aid, st in sol.stages.items() if st <= s) for s in STAGES}
    slack = {s: sol.caps[s] - cum[s] for s in STAGES}
    load = {s: sum(problem.load[by_id[aid].kind] for aid, st in sol.stages.items() if st == s) for s in STAGES}
    room = min(slack.values()) if slack else 0.0
    units, gval, fval, _caps = coefficients(problem)
    best: dict[str, tuple[float, Action]] = {}
    for a in problem.actions:
        if a.instrument in chosen_inst:
            continue
        v = (sum(gval.get(g, 0) * units.get((a.id, g), 0) for g in a.people)
             + sum(fval.get(f, 0) for f in a.closes)) * problem.unit / int(params["scale"])
        old = best.get(a.instrument)
        if old is None or (v, -a.cost.central) > (old[0], -old[1].cost.central):
            best[a.instrument] = (v, a)
    out = []
    for iid, (v, a) in best.items():
        name = _label(facts, iid, "en")
        reason = None
        for x, y in sorted(problem.conflicts | problem.substitutes):
            if iid in (x, y):
                other = y if x == iid else x
                if other in present:
                    rel = "conflicts-with" if (x, y) in problem.conflicts else "substitute-for"
                    reason = _reason("reason.left_out.excluded", instrument=name, instrument_id=iid,
                                     relation=rel, other=_label(facts, other, "en"), other_id=other,
                                     where="in_place" if other in problem.in_place else "chosen")
                    break
        if reason is None:
            missing = sorted({o for r in problem.requirements if r.instrument == iid and r.kind in ("any", a.kind)
                              and not (r.options & present) for o in r.options})
            need = a.cost.central + sum(min((b.cost.central for b in problem.actions if b.instrument == m),
                                            default=0.0) for m in missing)
            if missing and need > room:
                reason = _reason("reason.left_out.needs", instrument=name, instrument_id=iid,
                                 prerequisites=", ".join(_label(facts, m, "en") for m in missing),
                                 prerequisite_ids=missing, need=round(need, 4), room=round(room, 4))
        if reason is None and a.cost.central > room:
            reason = _reason("reason.left_out.cost", instrument=name, instrument_id=iid,
                             cost=round(a.cost.central, 4), room=round(max(room, 0.0), 4))
        if reason is None and all(load[s] + problem.load[a.kind] > problem.capacity[s] for s in STAGES):
            reason = _reason("reason.left_out.capacity", instrument=name, instrument_id=iid)
        if reason is None:
            reason = _reason("reason.left_out.better_spent", instrument=name, instrument_id=iid,
                             cost=round(a.cost.central, 4), room=round(max(room, 0.0), 4))
        out.append((v, iid, a, reason))
    out.sort(key=lambda t: (-t[0], t[1]))
    rows = [{"id": iid, "action": a.kind, "action_id": a.id, "value": round(v, 3), "reason_code": r}
            for v, iid, a, r in out[:params["explanation"]["max_left_out"]]]
    rows += [dict(lo) for lo in problem.left][:max(0, params["explanation"]["max_left_out"] - len(rows))]
    for row in rows:
        row["reason"] = _text([row["reason_code"]], facts, "en")
        row["reason_zh"] = _text([row["reason_code"]], facts, "zh")
    return rows
