"""Simulate: how a bundle plays out over ten years, with uncertainty bands (docs/simulate.md).

A monthly stock-flow model of a country's labour force, run as a Monte Carlo over the ranges of its parameters:

- the labour force is split into six cells, exposure (low; high with high complementarity; high with low
  complementarity) x formality (formal, informal), each with people in employment, short-time work, short-term
  unemployment (under 12 months), long-term unemployment, training and out of the labour force (after
  displacement);
- each month people separate from jobs (a baseline rate, plus the scenario's AI displacement of the
  low-complementarity cells along an S-shaped adoption path), find jobs (a rate from a Cobb-Douglas matching
  function with vacancies held at their steady state, so finding slows as unemployment rises), pass into
  long-term unemployment after 12 months, and leave the labour force when discouraged;
- the model starts from the steady state that matches the country's observed unemployment rate;
- instruments act only through effect sizes taken from the KB's evidence records (`effects:`); an instrument
  with none is reported as "not modelled", never given an invented effect. Costs are the planner's costing
  (evaluator/models/data/costs.yaml: benefit per beneficiary as a share of GDP per capita, administration) charged on
  the simulated stocks;
- the bundle and the no-policy baseline (the country as it is) run on the same Latin-hypercube draws
  (scipy.stats.qmc, seeded): identical input and seed give identical output.

Every result is a scenario, conditional on stated assumptions: no general-equilibrium, wage or welfare
effects; exposure is not displacement; rich-country effects are not assumed to transfer (their ranges are
kept wide); the bands cover parameter uncertainty, not the model's own structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import qmc, spearmanr

from evaluator.models.modeldata import load
from policyatlas.core.errors import UserError
from policyatlas.core.i18n import message

EXPOSURE = ("low", "high-complementarity", "low-complementarity")
FORMALITY = ("formal", "informal")
CELLS = [(e, f) for e in EXPOSURE for f in FORMALITY]
MAX_DRAWS = 20000
MAX_YEARS = 30
LONG_TERM_MONTHS = 12

EFFECTS_QUERY = """
SELECT ?e ?metric ?estimate ?low ?high ?horizon ?conversion
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?i), STR(instrument:)); separator=" ") AS ?instruments)
WHERE {
  ?e a pa:Evidence ; pa:hasEffect ?x ; pa:aboutInstrument ?i .
  ?x pa:effectMetric ?m ; pa:estimate ?estimate ; pa:conversion ?conversion .
  BIND(STRAFTER(STR(?m), "metric-") AS ?metric)
  OPTIONAL { ?x pa:estimateLow ?low } OPTIONAL { ?x pa:estimateHigh ?high }
  OPTIONAL { ?x pa:horizonMonths ?horizon }
}
GROUP BY ?e ?metric ?estimate ?low ?high ?horizon ?conversion
ORDER BY ?e ?metric ?estimate"""


def spec() -> dict:
    """evaluator/models/data/simulation.yaml, read and checked by the typed loader (evaluator/models/modeldata.py)."""
    return load("simulation.yaml")


def solver(name: str) -> float:
    """A numerical setting or fallback of the simulator (simulation.yaml `solver`)."""
    return spec()["solver"][name]["value"]


def scenarios() -> list[str]:
    return list(spec()["scenarios"])


# --- Evidence -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Effect:
    evidence: str
    metric: str
    estimate: float
    low: float
    high: float
    horizon: int | None
    conversion: str


def _num(v) -> float | None:
    return None if v is None or v == "" else float(v)


def load_effects(atlas) -> dict[str, list[Effect]]:
    """Structured effect sizes of the KB's evidence, by instrument."""
    out: dict[str, list[Effect]] = {}
    for row in atlas.query(EFFECTS_QUERY).python_rows():
        est = float(row["estimate"])
        low, high = _num(row.get("low")), _num(row.get("high"))
        eff = Effect(str(row["e"]).rsplit("/", 1)[-1], str(row["metric"]), est,
                     est if low is None else low, est if high is None else high,
                     None if row.get("horizon") in (None, "") else int(row["horizon"]), str(row["conversion"]))
        for iid in str(row["instruments"]).split():
            out.setdefault(iid, []).append(eff)
    return out


@dataclass
class Mechanism:
    """What an instrument does in the model: a parameter range from the evidence it rests on."""
    instrument: str
    metric: str
    low: float
    high: float
    used: list[str]
    set_aside: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"instrument": self.instrument, "metric": self.metric, "low": self.low, "high": self.high,
                "evidence": self.used, "set_aside": self.set_aside}


def mechanisms(effects: dict[str, list[Effect]], instruments) -> tuple[dict[str, Mechanism], list[dict]]:
    """The instruments' mechanisms, and the instruments the model cannot represent (with the reason)."""
    table = spec()["mechanisms"]
    out: dict[str, Mechanism] = {}
    not_modelled: list[dict] = []
    for iid in sorted(set(instruments)):
        mech = table.get(iid)
        if mech is None:
            not_modelled.append({"instrument": iid, "reason": "no-mechanism",
                                 "message": f"{iid}: the model has no channel for this instrument"})
            continue
        metrics = mech["metric"] if isinstance(mech["metric"], list) else [mech["metric"]]
        usable, aside = [], []
        for e in effects.get(iid, []):
            if e.metric not in metrics:
                continue
            if e.horizon is not None and e.horizon < mech["min_horizon_months"]:
                aside.append({"evidence": e.evidence, "reason": "horizon-too-short", "horizon_months": e.horizon})
                continue
            usable.append(e)
        if not usable:
            not_modelled.append({"instrument": iid, "reason": "no-structured-effect",
                                 "set_aside": aside,
                                 "message": f"{iid}: no evidence record gives a usable {'/'.join(metrics)} effect"})
            continue
        lo = min(min(e.low, e.estimate) for e in usable)
        hi = max(max(e.high, e.estimate) for e in usable)
        out[iid] = Mechanism(iid, metrics[0], lo, hi, sorted({e.evidence for e in usable}), aside)
    return out, not_modelled


# --- Parameters and draws ------------------------------------------------------------------------------

@dataclass
class Params:
    names: list[str]
    low: np.ndarray
    high: np.ndarray
    sources: dict[str, str]

    def draw(self, n: int, seed: int) -> dict[str, np.ndarray]:
        k = len(self.names)
        if n == 1:
            u = np.full((1, k), 0.5)
        else:
            u = qmc.LatinHypercube(d=k, seed=np.random.default_rng(seed)).random(n)
        values = self.low + u * (self.high - self.low)
        return {name: values[:, i] for i, name in enumerate(self.names)}


def _range(p: dict) -> tuple[float, float]:
    return float(p["low"]), float(p["high"])


def build_params(scenario: dict, mechs: dict[str, Mechanism], cost_specs: dict) -> Params:
    names, lows, highs, sources = [], [], [], {}

    def add(name, lo, hi, source):
        names.append(name)
        lows.append(lo)
        highs.append(hi)
        sources[name] = source

    for name, p in spec()["model"].items():
        add(name, *_range(p), p.get("source", "assumption"))
    for name in ("displaced_fraction", "adoption_midpoint_years", "adoption_steepness"):
        add(name, *_range(scenario[name]), scenario[name].get("source", "assumption"))
    for iid, m in mechs.items():
        add(f"effect:{iid}", m.low, m.high, "evidence: " + ", ".join(m.used))
    for iid, c in cost_specs.items():
        if c.get("kind") == "benefit":
            add(f"benefit:{iid}", *_range(c["benefit"]), "evaluator/models/data/costs.yaml")
            add(f"admin:{iid}", *_range(c["admin"]), "evaluator/models/data/costs.yaml")
    return Params(names, np.array(lows, float), np.array(highs, float), sources)


# --- The model ------------------------------------------------------------------------------------------

@dataclass
class Country:
    iso3: str
    income_group: str
    unemployment: float          # share of the labour force
    informality: float           # share of employment
    population: float            # people
    ui_coverage: float | None    # share of the unemployed receiving a benefit (SDG 1.3.1), None when unknown
    in_place: frozenset[str]
    fiscal_space: float | None
    notes: list[dict]


def _steady_stocks(s, f, kappa, lam=1.0 / LONG_TERM_MONTHS):
    """Steady-state short- and long-term unemployment per employed person (see _steady_finding)."""
    us = s / (f + lam * (1 - f))
    return us, lam * (1 - f) * us / np.minimum(kappa * f, 1.0)


def _steady_finding(s, u, kappa, lam=1.0 / LONG_TERM_MONTHS):
    """Short-term job-finding rate f that makes the steady-state unemployment rate equal u.

    Monthly flows as the model steps them: E -> Us at s; Us -> E at f; the rest of Us -> Ul at lam; Ul -> E at
    kappa f. Per employed person, Us = s/(f + lam(1-f)) and Ul = lam(1-f) Us/(kappa f), and
    u = (Us+Ul)/(1+Us+Ul). Solved by bisection (u falls as f rises)."""
    lo, hi = np.full_like(s, 1e-4), np.full_like(s, 1.0)
    for _ in range(60):
        f = (lo + hi) / 2
        us, ul = _steady_stocks(s, f, kappa, lam)
        rate = (us + ul) / (1 + us + ul)
        too_high = rate > u
        lo = np.where(too_high, f, lo)
        hi = np.where(too_high, hi, f)
    return (lo + hi) / 2


def _logistic_path(months: int, midpoint_years, steepness):
    """Cumulative share of eventual displacement by month (0 at the start, 1 at the end), draws x months+1."""
    t = np.arange(months + 1)[None, :] / 12.0
    raw = 1.0 / (1.0 + np.exp(-steepness[:, None] * (t - midpoint_years[:, None])))
    start, end = raw[:, :1], raw[:, -1:]
    return (raw - start) / np.maximum(end - start, 1e-12)


def run_model(country: Country, p: dict[str, np.ndarray], active: dict[str, Mechanism], scenario: dict,
              months: int, cost_specs: dict, shock: dict | None = None) -> dict[str, np.ndarray]:
    """One model run for every draw at once. Returns monthly series (draws x months+1)."""
    n = len(p["separation_formal"])
    ncell = len(CELLS)
    formal = np.array([f == "formal" for _, f in CELLS])
    lowc = np.array([e == "low-complementarity" for e, _ in CELLS])

    # Cell weights: formality from the KB; exposure from the scenario, informal workers less exposed.
    fshare = 1.0 - country.informality
    exposed_total = scenario["low_complementarity_share"].get(country.income_group, 0.0)
    # exposure of formal workers such that the overall low-complementarity share equals the scenario's figure
    denom = fshare + (1 - fshare) * p["informal_exposure_factor"]
    x_formal = np.minimum(exposed_total / np.maximum(denom, 1e-9), 1.0)
    x_inf = np.minimum(x_formal * p["informal_exposure_factor"], 1.0)
    weights = np.zeros((n, ncell))
    for c, (e, f) in enumerate(CELLS):
        x = x_formal if f == "formal" else x_inf
        share_f = fshare if f == "formal" else 1 - fshare
        # the high-complementarity cell holds as many workers as the low-complementarity one (IMF: about half)
        w = {"low": 1 - 2 * x, "high-complementarity": x, "low-complementarity": x}[e]
        weights[:, c] = share_f * np.clip(w, 0, 1)
    weights /= weights.sum(axis=1, keepdims=True)

    sep = np.where(formal[None, :], p["separation_formal"][:, None], p["separation_informal"][:, None])
    kappa = p["long_term_finding_ratio"][:, None]
    u0 = country.unemployment
    # Where unemployment is very low, a high separation rate could only be matched by a job-finding probability
    # above one a month: cap separations at what a finding probability of 0.9 can balance.
    lam_, fmax = 1.0 / LONG_TERM_MONTHS, solver("max_monthly_finding")
    s_max = (u0 / (1 - u0)) * (fmax + lam_ * (1 - fmax)) / (1 + lam_ * (1 - fmax) / (kappa * fmax))
    sep = np.minimum(sep, s_max)
    f0 = _steady_finding(sep, u0, kappa)
    lam = 1.0 / LONG_TERM_MONTHS

    # Policy channels
    eff = {iid: p[f"effect:{iid}"] for iid in active}
    sep_mult = np.ones((n, ncell))
    if "targeted-cash-transfer" in eff:  # beneficiaries (the poorest) leave work less often
        sep_mult = sep_mult * (1 + eff["targeted-cash-transfer"][:, None] * p["poorest_share"][:, None])
    ui_cov0 = country.ui_coverage if country.ui_coverage is not None else 0.0
    ui_cov = np.full(n, ui_cov0)
    if "unemployment-insurance" in eff:
        ui_cov = np.maximum(ui_cov, p["unemployment_insurance_take_up"] * fshare)
    dur = eff.get("unemployment-insurance", np.zeros(n))
    # covered unemployed search less: finding multiplied by 1/(1+dur) for the newly covered share only
    ui_find_mult = 1.0 - (ui_cov - ui_cov0) * (1.0 - 1.0 / (1.0 + dur))
    es_mult = np.ones(n)
    if "employment-services" in eff:
        orr = eff["employment-services"]
        p0 = 1 - np.exp(-6 * f0.mean(axis=1))  # probability of finding a job within six months
        p1 = orr * p0 / (1 - p0 + orr * p0)
        m = np.log(np.maximum(1 - p1, 1e-9)) / np.log(np.maximum(1 - p0, 1e-9))
        es_mult = 1 + p["employment_services_reach"] * (m - 1)

    path = _logistic_path(months, p["adoption_midpoint_years"], p["adoption_steepness"])
    us_ss, ul_ss = _steady_stocks(sep, f0, kappa, lam)
    tot = 1 + us_ss + ul_ss
    E = weights * (1 / tot)
    Us = weights * (us_ss / tot)
    Ul = weights * (ul_ss / tot)
    S = np.zeros((n, ncell))
    T = np.zeros((n, ncell))
    O = np.zeros((n, ncell))  # noqa: E741 (out of the labour force after displacement or discouragement)
    # jobs that disappear over the horizon: a share of the low-complementarity cells' starting employment
    displaced_total = p["displaced_fraction"][:, None] * lowc[None, :] * E
    U_eff0 = (Us + kappa * Ul).sum(axis=1)
    Ul0 = Ul.copy()
    stw = eff.get("short-time-work")
    stw_max = p["short_time_work_max_months"][:, None]
    tr_months = p["training_months"][:, None]
    lf0 = 1.0

    series = {k: np.zeros((n, months + 1)) for k in
              ("unemployment", "long_term", "short_time", "training", "inactive", "employment",
               "no_income", "cost")}
    ubi_shift = eff.get("universal-basic-income")
    rwh = eff.get("reduced-working-hours")
    ubi = "universal-basic-income" in active
    cash = p["poorest_share"] if active.keys() & {"targeted-cash-transfer", "negative-income-tax"} else np.zeros(n)

    def record(t):
        lf = (E + S + Us + Ul + T).sum(axis=1)
        u_tot = (Us + Ul).sum(axis=1)
        series["unemployment"][:, t] = u_tot / lf
        series["long_term"][:, t] = Ul.sum(axis=1) / lf
        series["short_time"][:, t] = S.sum(axis=1) / lf
        series["training"][:, t] = T.sum(axis=1) / lf
        series["inactive"][:, t] = O.sum(axis=1) / lf0
        series["employment"][:, t] = (E + S).sum(axis=1) / lf0
        # people with neither earnings nor a benefit (proxy): the unemployed without unemployment benefit or a
        # transfer, and those who left the labour force without a transfer
        covered = np.ones(n) if ubi else np.clip(ui_cov + (1 - ui_cov) * cash, 0, 1)
        series["no_income"][:, t] = (u_tot * (1 - covered) + O.sum(axis=1) * (0.0 if ubi else 1 - cash)) / lf0
        # cost in % of GDP: people on the instrument / population x benefit (share of GDP per capita) x (1+admin)
        lfp = p["labour_force_share"]
        cost = np.zeros(n)
        stocks = {"short-time-work": S.sum(axis=1), "vocational-skills-programme": T.sum(axis=1),
                  "unemployment-insurance": (ui_cov - ui_cov0) * u_tot}
        for iid, c in cost_specs.items():
            if c.get("kind") != "benefit":  # administrative instruments: their flat cost (central)
                cost = cost + (float(c["cost"]["central"]) if "cost" in c else 0.0)
                continue
            if iid in stocks:
                people_share = stocks[iid] * lfp
            elif iid == "wage-subsidy":
                people_share = p["wage_subsidy_hires"] * 6 * lfp
            elif iid == "employment-services":
                people_share = p["employment_services_reach"] * u_tot * lfp
            else:  # static beneficiary populations (basic income, transfers): the costing model's share
                people_share = np.full(n, c["_share"])
            cost = cost + 100 * people_share * p[f"benefit:{iid}"] * (1 + p[f"admin:{iid}"])
        series["cost"][:, t] = cost

    record(0)
    for t in range(1, months + 1):
        U_eff = (Us + kappa * Ul).sum(axis=1)
        ratio = (U_eff0 / np.maximum(U_eff, 1e-12)) ** p["matching_elasticity"]
        f = f0 * ratio[:, None] * ui_find_mult[:, None] * es_mult[:, None]
        # separations
        base_sep = sep * sep_mult * E
        disp = np.clip(displaced_total * (path[:, t] - path[:, t - 1])[:, None], 0, np.maximum(E - base_sep, 0))
        temp = np.zeros_like(E)
        if shock is not None and t <= shock["months"]:
            temp = np.minimum(shock["monthly"] * E, E - base_sep - disp)
        if rwh is not None and t <= 12:
            disp = disp + np.maximum(-rwh[:, None], 0) / 12 * E * formal[None, :]
        to_stw = np.zeros_like(E)
        if stw is not None:
            share = stw[:, None] * formal[None, :]
            to_stw = share * (disp + temp)
            disp, temp = disp - share * disp, temp - share * temp
        # flows out of short-time work: temporary shocks end and people go back; persistent losses end in unemployment
        if shock is not None and t > shock["months"]:
            stw_back, stw_out = S, np.zeros_like(S)
        elif shock is not None:
            stw_back, stw_out = np.zeros_like(S), np.zeros_like(S)
        else:
            stw_back, stw_out = np.zeros_like(S), S / stw_max
        find_s = np.minimum(f, 1.0) * Us
        find_l = np.minimum(kappa * f, 1.0) * Ul
        to_long = lam * (Us - find_s)
        # in the steady state leavers are replaced by entrants: only long-term unemployment above it discourages
        discouraged = p["discouragement"][:, None] * np.maximum(Ul - Ul0, 0)
        # training: entry from the unemployed, lock-in, then an employment effect on exit
        enter_tr = np.zeros_like(E)
        exit_tr = np.zeros_like(E)
        tr_gain = np.zeros_like(E)
        if "vocational-skills-programme" in eff:
            enter_tr = p["training_entry"][:, None] * (Us - find_s)
            exit_tr = T / tr_months
            tr_gain = np.clip(eff["vocational-skills-programme"][:, None], 0, 1) * exit_tr
        ws_gain = np.zeros_like(E)
        if "wage-subsidy" in eff:
            hires = p["wage_subsidy_hires"][:, None] * weights
            ws_gain = np.minimum(np.clip(eff["wage-subsidy"][:, None], 0, 1) * hires, Us - find_s - enter_tr)
            ws_gain = np.maximum(ws_gain, 0)
        ubi_flow = np.zeros_like(E)
        if ubi_shift is not None and t <= 12:
            ubi_flow = ubi_shift[:, None] / 12 * weights  # + into employment, - out of the labour force
        E = E - base_sep - disp - temp - to_stw + find_s + find_l + stw_back + tr_gain + ws_gain
        S = S + to_stw - stw_back - stw_out
        Us = Us + base_sep + disp + temp + stw_out - find_s - to_long - enter_tr + (exit_tr - tr_gain) - ws_gain
        Ul = Ul + to_long - find_l - discouraged
        T = T + enter_tr - exit_tr
        O = O + discouraged  # noqa: E741
        if ubi_shift is not None and t <= 12:
            move = np.minimum(np.abs(ubi_flow), E)
            E = E + np.where(ubi_flow >= 0, np.minimum(ubi_flow, O), -move)
            O = O + np.where(ubi_flow >= 0, -np.minimum(ubi_flow, O), move)  # noqa: E741
        record(t)
    return series


# --- Country facts --------------------------------------------------------------------------------------

def country_facts(atlas, iso3: str) -> Country:
    from evaluator.models import costing

    facts = atlas.facts
    rec = costing.country_record(facts, iso3)
    notes: list[dict] = []
    u = costing.value_or_imputed(facts, iso3, "unemployment_rate", notes)
    inf = costing.value_or_imputed(facts, iso3, "informality", notes)
    pop = costing.value_or_imputed(facts, iso3, "population", notes)
    if u is None or pop is None:
        raise UserError(f"{iso3}: the KB has no unemployment rate or population for this country or its income "
                        "group; it cannot be simulated")
    ui = None
    branch = facts.baseline_of(iso3).branches.get("unemployment")
    if branch is not None and branch.coverage is not None:
        ui = float(branch.coverage) / 100.0
        notes.append({"kind": "input", "indicator": "effective coverage, unemployment branch", "country": iso3,
                      "coverage": round(float(branch.coverage), 1), "year": branch.year, "source": branch.source,
                      "message": f"{iso3}: {branch.coverage:.1f}% of the unemployed receive a benefit "
                                 f"({branch.year}, {branch.source}); the baseline keeps that coverage"})
    else:
        notes.append({"kind": "missing", "indicator": "effective coverage, unemployment branch",
                      "message": f"{iso3}: the KB has no effective coverage of the unemployed; the baseline "
                                 "assumes none receive a benefit"})
    from evaluator.models.fiscal import fiscal_space
    unknown_informality = solver("unknown_informality_pct")
    return Country(iso3, rec.income_group or "UNC", max(u, solver("min_unemployment_pct")) / 100.0,
                   (inf if inf is not None else unknown_informality) / 100.0,
                   pop * 1e6, ui, facts.instruments_at_scale(iso3), fiscal_space(facts, iso3), notes)


# --- The public entry point -----------------------------------------------------------------------------

@dataclass
class Simulation:
    country: str
    scenario: str
    years: int
    draws: int
    seed: int
    instruments: list[str]
    in_place: list[str]
    mechanisms: list[dict]
    not_modelled: list[dict]
    parameters: list[dict]
    outcomes: dict
    stages: list[dict]
    drivers: list[dict]
    notes: list[dict]
    fiscal_space: float | None

    def to_json(self) -> dict:
        return {"country": self.country, "scenario": self.scenario, "years": self.years, "draws": self.draws,
                "seed": self.seed, "caveat": message("simulate.caveat"), "instruments": self.instruments,
                "already_in_place": self.in_place, "mechanisms": self.mechanisms,
                "not_modelled": self.not_modelled, "parameters": self.parameters, "fiscal_space_pct_gdp":
                self.fiscal_space, "outcomes": self.outcomes, "cost_by_stage": self.stages,
                "drivers": self.drivers, "notes": self.notes}

    def rows(self) -> list[dict]:
        """One row per year and outcome: median and 5-95% band for the policy run and the baseline."""
        out = []
        for name, o in self.outcomes.items():
            for i, year in enumerate(o["years"]):
                out.append({"country": self.country, "scenario": self.scenario, "outcome": name, "year": year,
                            "baseline_p05": o["baseline"]["p05"][i], "baseline_median": o["baseline"]["median"][i],
                            "baseline_p95": o["baseline"]["p95"][i], "policy_p05": o["policy"]["p05"][i],
                            "policy_median": o["policy"]["median"][i], "policy_p95": o["policy"]["p95"][i]})
        return out

    def summary(self) -> dict:
        """One row for a many-country run: the horizon's medians and the cost against fiscal space."""
        u, c = self.outcomes["unemployment"], self.outcomes["cost"]
        last = self.stages[-1] if self.stages else {}
        return {"country": self.country, "scenario": self.scenario, "years": self.years,
                "unemployment_start": u["baseline"]["median"][0],
                "unemployment_end_baseline": u["baseline"]["median"][-1],
                "unemployment_end_policy": u["policy"]["median"][-1],
                "unemployment_peak_baseline": max(u["baseline"]["median"]),
                "long_term_end_policy": self.outcomes["long_term"]["policy"]["median"][-1],
                "no_income_end_baseline": self.outcomes["no_income"]["baseline"]["median"][-1],
                "no_income_end_policy": self.outcomes["no_income"]["policy"]["median"][-1],
                "cost_pct_gdp_end": c["policy"]["median"][-1],
                "fiscal_space_pct_gdp": self.fiscal_space,
                "last_stage_within_space_share": last.get("within_space_share"),
                "not_modelled": " ".join(n["instrument"] for n in self.not_modelled)}

    def to_table(self, lang: str = "en") -> str:
        return simulation_table(self, lang)


#: The outcomes the simulator reports (their labels: simulate.outcome.* in the message catalogue).
OUTCOMES = ("unemployment", "long_term", "no_income", "cost")


def _bands(x: np.ndarray, years: int) -> dict:
    yearly = x[:, ::12][:, : years + 1]
    q = np.percentile(yearly, [5, 50, 95], axis=0)
    return {"p05": [round(float(v), 4) for v in q[0]], "median": [round(float(v), 4) for v in q[1]],
            "p95": [round(float(v), 4) for v in q[2]]}


def check_inputs(years, draws, seed) -> None:
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_YEARS:
        raise UserError(f"--years must be a whole number from 1 to {MAX_YEARS}, not {years!r}")
    if not isinstance(draws, int) or isinstance(draws, bool) or not 1 <= draws <= MAX_DRAWS:
        raise UserError(f"--draws must be a whole number from 1 to {MAX_DRAWS}, not {draws!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise UserError(f"--seed must be a whole number from 0 to {2**32 - 1}, not {seed!r}")


def simulate(atlas, iso3: str, instruments, *, add: bool = False, scenario: str = "moderate", years: int = 10,
             draws: int = 500, seed: int = 0, effects: dict | None = None) -> Simulation:
    """Simulate a bundle (or the current mix plus additions, `add=True`) against the country as it is."""
    check_inputs(years, draws, seed)
    if scenario not in spec()["scenarios"]:
        raise UserError(f"unknown scenario {scenario!r}: choose one of {', '.join(scenarios())}")
    scen = spec()["scenarios"][scenario]
    from evaluator.models import costing

    country = country_facts(atlas, iso3)
    ids = sorted(set(instruments))
    in_place = sorted(i for i in ids if add and i in country.in_place)
    new = [i for i in ids if i not in in_place]
    effects = load_effects(atlas) if effects is None else effects
    mechs, not_modelled = mechanisms(effects, new)
    cost_specs = {}
    for iid in new:
        c = costing.simulation_spec(atlas.facts, iso3, iid)  # benefit as a share of GDP per capita
        if c:
            cost_specs[iid] = c
    params = build_params(scen, mechs, cost_specs)
    drawn = params.draw(draws, seed)
    months = 12 * years
    base = run_model(country, drawn, {}, scen, months, {})
    pol = run_model(country, drawn, mechs, scen, months, cost_specs)
    outcomes = {}
    for key in OUTCOMES:
        label = message(f"simulate.outcome.{key}")
        scale = 100.0 if key != "cost" else 1.0
        outcomes[key] = {"label": label, "years": list(range(years + 1)),
                         "baseline": _bands(base[key] * scale, years), "policy": _bands(pol[key] * scale, years)}
    # cost against fiscal space by stage
    from evaluator.models.fiscal import stage_phases
    stages = []
    for ph in stage_phases():
        a, b = _stage_years(ph["years"], years)
        if a > years:
            continue
        mean_cost = pol["cost"][:, 12 * a: 12 * b + 1].mean(axis=1)
        cap = None if country.fiscal_space is None else country.fiscal_space * float(ph["share"])
        q = np.percentile(mean_cost, [5, 50, 95])
        stages.append({"stage": ph["stage"], "years": f"{a}-{b}", "cost_p05": round(float(q[0]), 3),
                       "cost_median": round(float(q[1]), 3), "cost_p95": round(float(q[2]), 3),
                       "fiscal_space_cap": None if cap is None else round(cap, 3),
                       "within_space_share": None if cap is None else round(float((mean_cost <= cap).mean()), 3)})
    # drivers: rank correlation of each drawn parameter with the policy's effect on unemployment at the horizon
    target = pol["unemployment"][:, -1] - base["unemployment"][:, -1]
    if not new:
        target = base["unemployment"][:, -1]
    drivers = []
    if draws >= 10:
        for name in params.names:
            x = drawn[name]
            if np.ptp(x) == 0 or np.ptp(target) == 0:
                continue
            rho = spearmanr(x, target).statistic
            if np.isfinite(rho):
                drivers.append({"parameter": name, "spearman": round(float(rho), 3),
                                "source": params.sources[name]})
        drivers.sort(key=lambda d: (-abs(d["spearman"]), d["parameter"]))
    parameters = [{"name": n, "low": round(float(lo), 6), "high": round(float(hi), 6), "source": params.sources[n]}
                  for n, lo, hi in zip(params.names, params.low, params.high, strict=True)]
    return Simulation(iso3, scenario, years, draws, seed, ids, in_place, [m.to_json() for m in mechs.values()],
                      not_modelled, parameters, outcomes, stages, drivers[:8], country.notes, country.fiscal_space)


def _stage_years(text: str, horizon: int) -> tuple[int, int]:
    """'0-2' -> (0, 2); '5+' -> (5, horizon); capped at the horizon."""
    text = str(text).strip()
    if text.endswith("+"):
        return int(text[:-1]), horizon
    a, _, b = text.partition("-")
    return int(a), min(int(b or a), horizon)


def validate_germany(atlas=None, draws: int = 200, seed: int = 0) -> dict:
    """The Germany 2008-10 episode (docs/simulate.md): a temporary shock with and without short-time work.

    The shock size is the one unobserved input: it is set so that the run WITH short-time work reaches the
    observed peak (7.1% -> 7.6%, Destatis). The check is the counterfactual: how much more unemployment would
    have risen without short-time work, against Brenke, Rinne & Zimmermann's 'approximately twice as much'.
    The short-time-work effect comes from the KB's other evidence (not from that paper)."""
    v = spec()["validation"]["germany-2009"]
    effects = load_effects(atlas) if atlas is not None else {}
    mechs, _ = mechanisms(effects, ["short-time-work"])
    if "short-time-work" not in mechs:
        raise UserError("no structured short-time-work effect in the KB: the validation cannot run")
    scen = spec()["scenarios"]["none"]
    params = build_params(scen, mechs, {})
    drawn = params.draw(draws, seed)
    country = Country(v["country"], "HIC", v["start_unemployment_pct"] / 100, v["informality_share"]["value"],
                      v["population_millions"]["value"] * 1e6, None, frozenset(), None, [])
    months = v["months"]

    def peak(shock_monthly, with_stw):
        series = run_model(country, drawn, mechs if with_stw else {}, scen, months, {},
                           shock={"months": v["shock_months"], "monthly": shock_monthly})
        return series["unemployment"].max(axis=1), series

    target = v["observed_peak_pct"] / 100
    lo, hi = 0.0, solver("shock_search_max")
    # bisection on the shock so that the median peak with short-time work is the observed one
    for _ in range(solver("shock_search_steps")):
        mid = (lo + hi) / 2
        pk, _ = peak(mid, True)
        if np.median(pk) < target:
            lo = mid
        else:
            hi = mid
    shock = (lo + hi) / 2
    pk_with, s_with = peak(shock, True)
    pk_without, s_without = peak(shock, False)
    u0 = v["start_unemployment_pct"] / 100
    ratio = (pk_without - u0) / np.maximum(pk_with - u0, 1e-9)
    q = np.percentile(ratio, [5, 50, 95])
    lo_t, hi_t = v["tolerance_ratio"]
    return {"episode": "Germany 2008-10", "shock_monthly_separation_share": round(shock, 5),
            "observed_start_pct": v["start_unemployment_pct"], "observed_peak_pct": v["observed_peak_pct"],
            "model_peak_with_stw_pct": round(float(np.median(pk_with)) * 100, 2),
            "model_peak_without_stw_pct": round(float(np.median(pk_without)) * 100, 2),
            "ratio_without_to_with": {"p05": round(float(q[0]), 2), "median": round(float(q[1]), 2),
                                      "p95": round(float(q[2]), 2)},
            "published_ratio": v["counterfactual_ratio"], "published_source": v["counterfactual_source"],
            "tolerance": [lo_t, hi_t], "within_tolerance": bool(lo_t <= q[1] <= hi_t),
            "stw_effect_range": [mechs["short-time-work"].low, mechs["short-time-work"].high],
            "stw_evidence": mechs["short-time-work"].used,
            "path_with_stw_pct": [round(float(x) * 100, 2) for x in np.median(s_with["unemployment"], axis=0)[::3]],
            "path_without_stw_pct": [round(float(x) * 100, 2)
                                     for x in np.median(s_without["unemployment"], axis=0)[::3]]}



def simulation_table(sim: Simulation, lang: str = "en") -> str:
    """The simulation as text for people, in English or Chinese."""
    lang = "zh" if lang == "zh" else "en"
    tx = {key: message(f"simulate.table.{key}", lang) for key in
          ("year", "baseline", "policy", "stage", "cap", "nocap", "not_modelled", "in_place", "drivers", "mechanism")}
    lines = [message("simulate.table.title", lang, country=sim.country, scenario=sim.scenario, years=sim.years,
                     draws=sim.draws, seed=sim.seed), message("simulate.caveat", lang), ""]
    for key, o in sim.outcomes.items():
        label = message(f"simulate.outcome.{key}", lang)
        lines.append(label)
        lines.append(f"  {tx['year']:>4}  {tx['baseline']:<28}  {tx['policy']}")
        for i, year in enumerate(o["years"]):
            b, p = o["baseline"], o["policy"]
            lines.append(f"  {year:>4}  {b['median'][i]:7.2f} [{b['p05'][i]:.2f}-{b['p95'][i]:.2f}]"
                         f"{'':<8}  {p['median'][i]:7.2f} [{p['p05'][i]:.2f}-{p['p95'][i]:.2f}]")
        lines.append("")
    for st in sim.stages:
        line = tx["stage"].format(stage=st["stage"], years=st["years"], median=st["cost_median"], p05=st["cost_p05"],
                                  p95=st["cost_p95"])
        if st["fiscal_space_cap"] is None:
            line += tx["nocap"]
        else:
            line += tx["cap"].format(cap=st["fiscal_space_cap"], share=st["within_space_share"])
        lines.append(line)
    for m in sim.mechanisms:
        lines.append(tx["mechanism"].format(instrument=m["instrument"], metric=m["metric"], low=m["low"],
                                            high=m["high"], evidence=", ".join(m["evidence"])))
    if sim.in_place:
        lines.append(tx["in_place"].format(ids=", ".join(sim.in_place)))
    if sim.not_modelled:
        lines.append(tx["not_modelled"].format(ids=", ".join(n["instrument"] for n in sim.not_modelled)))
    if sim.drivers:
        lines.append(tx["drivers"])
        lines.extend(f"  {d['parameter']}: {d['spearman']:+.2f} ({d['source']})" for d in sim.drivers[:5])
    for n in sim.notes:
        lines.append(f"! {n['message']}")
    return "\n".join(lines) + "\n"
