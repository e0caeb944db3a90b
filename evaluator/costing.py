"""What an instrument would cost a country, as a share of its GDP, in the style of the ILO RAP.

For a cash or service instrument: beneficiaries (a share of the population, built from the country's own
unemployment, informality and account-ownership figures) x benefit (a share of GDP per capita) x take-up x
(1 + administration overhead). Regulatory and governance instruments cost their administration: small,
never zero. Every parameter lives in `evaluator/data/costs.yaml` with a source or an explicit assumption;
nothing numeric is written here.

A country that lacks a figure the model needs gets the median of its income group, and the imputation is
reported in `CostRange.notes`, never silently. Costs are ranges: low (all low parameters), central, high.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from policyatlas.errors import UserError

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVELS = ("low", "central", "high")


@cache
def load_data(name: str) -> dict:
    """One YAML file of `evaluator/data/`, parsed once per process."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def indicator_id(role: str) -> str:
    """The KB indicator that plays a role in the models (evaluator/data/indicators.yaml)."""
    return load_data("indicators.yaml")["roles"][role]


# --- Reading the KB facts ------------------------------------------------------------------------------
# The planner reads `facts` (evaluator.facts.KBFacts, pulled from the KB through SPARQL) through these
# few functions only.

def country_record(facts, iso3: str):
    """The country's facts (labels, region, income group, figures); a UserError if the KB has no such country."""
    rec = facts.countries.get(iso3)
    if rec is not None and rec.supranational:
        raise UserError(f"{iso3!r} is a supranational jurisdiction, not a country: plan for a member state "
                        "(e.g. DEU, FRA)")
    if rec is None:
        raise UserError(f"unknown country {iso3!r}: not a country of the KB (use an ISO3 code such as KEN, "
                        "DEU or IND)")
    return rec


def income_group(facts, iso3: str) -> str:
    """World Bank income group code (HIC, UMC, LMC, LIC, UNC)."""
    return country_record(facts, iso3).income_group or "UNC"


def figure(facts, iso3: str, role: str):
    """The country's KB figure for a role (value, year, unit, source, flag), or None if the KB has none."""
    return country_record(facts, iso3).figures.get(indicator_id(role))


def figure_value(facts, iso3: str, role: str) -> float | None:
    fig = figure(facts, iso3, role)
    return None if fig is None else float(fig.value)


def group_median(facts, role: str, group: str) -> tuple[float, str] | None:
    """Median of a figure over the countries of an income group (all countries if the group has none)."""
    memo = _median_memo(facts)
    if (role, group) in memo:
        return memo[(role, group)]
    ind = indicator_id(role)
    countries = [c for c in facts.countries.values() if not c.supranational and ind in c.figures]
    values = [float(c.figures[ind].value) for c in countries if (c.income_group or "UNC") == group]
    basis = f"median of {len(values)} {group} countries"
    if not values:
        values = [float(c.figures[ind].value) for c in countries]
        basis = f"median of all {len(values)} countries with a value"
    memo[(role, group)] = (statistics.median(values), basis) if values else None
    return memo[(role, group)]


def _median_memo(facts) -> dict:
    derived = getattr(facts, "derived", None)  # KBFacts.derived: the facts' own memo
    return {} if derived is None else derived.setdefault("planner-medians", {})


def value_or_imputed(facts, iso3: str, role: str, notes: list[dict]) -> float | None:
    """A figure, or the income-group median with an imputation note appended to `notes`."""
    val = figure_value(facts, iso3, role)
    if val is not None:
        return val
    imputed = group_median(facts, role, income_group(facts, iso3))
    if imputed is None:
        return None
    value, basis = imputed
    notes.append({"kind": "imputed", "country": iso3, "indicator": indicator_id(role),
                  "value": round(value, 3), "basis": basis,
                  "message": f"IMPUTED: {iso3} has no {indicator_id(role)} figure in the KB; "
                             f"the {basis} ({value:.1f}) was used instead"})
    return value


# --- Cost ranges ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CostRange:
    """A cost in % of GDP: low, central and high estimates, and the imputations behind it."""

    low: float
    central: float
    high: float
    notes: tuple = field(default=(), compare=False)

    def __add__(self, other: CostRange) -> CostRange:
        return CostRange(self.low + other.low, self.central + other.central, self.high + other.high,
                         _merge_notes(self.notes, other.notes))

    def rounded(self, digits: int = 3) -> dict:
        return {"low": round(self.low, digits), "central": round(self.central, digits),
                "high": round(self.high, digits)}


ZERO = CostRange(0.0, 0.0, 0.0)


def _merge_notes(a: Iterable[dict], b: Iterable[dict]) -> tuple:
    seen, out = set(), []
    for note in (*a, *b):
        key = note["message"]
        if key not in seen:
            seen.add(key)
            out.append(note)
    return tuple(out)


def _factor(facts, iso3: str, name: str, notes: list[dict]) -> dict[str, float]:
    spec = load_data("costs.yaml")["factors"][name]
    if "param" in spec:
        return {lv: float(spec["param"][lv]) for lv in LEVELS}
    value = value_or_imputed(facts, iso3, spec["indicator"], notes)
    if value is None:
        raise UserError(f"cannot cost for {iso3}: the KB has no {indicator_id(spec['indicator'])} figure "
                        "for it or for any country of its income group")
    share = min(max(value / 100.0, 0.0), 1.0)
    if spec.get("complement"):
        share = 1.0 - share
    return dict.fromkeys(LEVELS, share)


def beneficiary_share(facts, iso3: str, population: str, notes: list[dict]) -> dict[str, float]:
    """A beneficiary population as a share of the total population, low / central / high."""
    terms = load_data("costs.yaml")["populations"][population]
    total = dict.fromkeys(LEVELS, 0.0)
    for product in terms:
        part = dict.fromkeys(LEVELS, 1.0)
        for name in product:
            f = _factor(facts, iso3, name, notes)
            part = {lv: part[lv] * f[lv] for lv in LEVELS}
        total = {lv: total[lv] + part[lv] for lv in LEVELS}
    return total


def cost_spec(instrument_id: str) -> dict:
    spec = load_data("costs.yaml")["instruments"].get(instrument_id)
    if spec is None:
        raise UserError(f"no cost model for instrument {instrument_id!r} in evaluator/data/costs.yaml")
    return spec


def instrument_cost(facts, iso3: str, instrument_id: str) -> CostRange:
    """Annual cost of introducing one instrument in a country, in % of GDP (low, central, high)."""
    country_record(facts, iso3)
    spec = cost_spec(instrument_id)
    notes: list[dict] = []
    if spec["kind"] == "administrative":
        c = spec["cost"]
        return CostRange(float(c["low"]), float(c["central"]), float(c["high"]))
    share = beneficiary_share(facts, iso3, spec["beneficiaries"], notes)
    cost = {lv: 100.0 * share[lv] * float(spec["benefit"][lv]) * float(spec["take_up"][lv])
            * (1.0 + float(spec["admin"][lv])) for lv in LEVELS}
    return CostRange(cost["low"], cost["central"], cost["high"], tuple(notes))


def bundle_cost(facts, iso3: str, instrument_ids: Iterable[str]) -> CostRange:
    """Annual cost of a bundle in % of GDP: the sum of its instruments' costs (each counted once)."""
    total = ZERO
    for iid in sorted(set(instrument_ids)):
        total = total + instrument_cost(facts, iso3, iid)
    return total


def beneficiaries_count(facts, iso3: str, instrument_id: str) -> float | None:
    """Central number of beneficiaries (people), for display; None for administrative instruments."""
    spec = cost_spec(instrument_id)
    pop = figure_value(facts, iso3, "population")
    if spec["kind"] == "administrative" or pop is None:
        return None
    share = beneficiary_share(facts, iso3, spec["beneficiaries"], [])
    return share["central"] * float(spec["take_up"]["central"]) * pop * 1e6
