"""How much additional spending a country could devote to the safety-net instruments (its fiscal space).

The formula (parameters in `evaluator/models/data/fiscal_space.yaml`, explained in docs/planner.md):
a share of general government revenue that can be reprioritised or newly raised, plus part of the gap to
the income group's median revenue scaled by the country's revenue effort (revenue / peer median), scaled down
when the deficit is above the reference value, when gross debt is above its threshold, when interest takes a
large share of revenue, and by the IMF-World Bank risk of debt distress (a recent default counts as
distress); plus a share of external grants for low-income countries. The result is recurrent spending in % of
GDP over about a decade, released in stages. A country whose revenue or expenditure the KB lacks has no
modelled space: the caller must ask the user for `--fiscal-space` rather than guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from evaluator.models.costing import figure, figure_value, group_median, income_group, value_or_imputed
from evaluator.models.modeldata import load, role_indicator
from policyatlas.core.errors import UserError

#: The largest fiscal space a user may give, % of GDP (the `--fiscal-space` option has the same bounds).
MAX_GIVEN_SPACE = 100.0


def check_fiscal_space(value) -> float:
    """THE rule for a fiscal space a user gives (Atlas.suggest, the planner, `--fiscal-space`): a finite
    number from 0 to 100 percent of GDP. NaN, infinity, negative numbers and non-numbers are refused."""
    if isinstance(value, bool):
        value = None  # True is not 1 % of GDP
    try:
        space = float(value)
    except (TypeError, ValueError, OverflowError):
        raise UserError(f"fiscal space must be a number (percent of GDP), got {value!r}") from None
    if not math.isfinite(space) or not 0 <= space <= MAX_GIVEN_SPACE:
        raise UserError(f"fiscal space must be a finite number from 0 to {MAX_GIVEN_SPACE:g} percent of GDP, "
                        f"got {value!r}")
    return space


@dataclass(frozen=True)
class FiscalSpace:
    """The modelled fiscal space and every term of the formula, for the explanation."""

    iso3: str
    space: float
    headroom: float
    reprioritisation: float
    mobilisation: float
    deficit_multiplier: float
    debt_multiplier: float
    inputs: dict = field(default_factory=dict)
    notes: tuple = ()
    interest_multiplier: float = 1.0
    distress_multiplier: float = 1.0
    grants: float = 0.0
    revenue_effort: float = 1.0

    def to_json(self) -> dict:
        return {"space_pct_gdp": round(self.space, 3), "reprioritisation": round(self.reprioritisation, 3),
                "mobilisation": round(self.mobilisation, 3), "revenue_effort": round(self.revenue_effort, 3),
                "deficit_multiplier": round(self.deficit_multiplier, 3),
                "debt_multiplier": round(self.debt_multiplier, 3),
                "interest_multiplier": round(self.interest_multiplier, 3),
                "distress_multiplier": round(self.distress_multiplier, 3), "grants": round(self.grants, 3),
                "inputs": self.inputs, "imputed": [n["message"] for n in self.notes if n.get("kind") == "imputed"],
                "unknown": [n["message"] for n in self.notes if n.get("kind") == "unknown"]}


def params() -> dict:
    return load("fiscal_space.yaml")


def stage_phases() -> list[dict]:
    """Stages with their years and the cumulative share of fiscal space open by their end."""
    return params()["stages"]["phases"]


def fiscal_space_detail(facts, iso3: str) -> FiscalSpace | None:
    """The fiscal-space computation for a country, or None if the KB lacks revenue or expenditure."""
    p = params()
    revenue = figure_value(facts, iso3, "revenue")
    expenditure = figure_value(facts, iso3, "expenditure")
    if revenue is None or expenditure is None:
        return None
    group = income_group(facts, iso3)
    notes: list[dict] = []
    net_lending = figure_value(facts, iso3, "net_lending")
    if net_lending is None:
        net_lending = revenue - expenditure  # the identity behind the series, not an imputation
    debt = value_or_imputed(facts, iso3, "gross_debt", notes)
    peer = group_median(facts, "revenue", group)
    peer_revenue = peer[0] if peer else revenue

    reprioritisation = p["reprioritisation_share"]["value"] * revenue
    effort = min(p["revenue_effort_cap"]["value"], revenue / peer_revenue) if peer_revenue > 0 else 1.0
    gap = min(max(0.0, peer_revenue - revenue), p["mobilisation_cap"]["value"])
    mobilisation = p["mobilisation_share"]["value"] * gap * effort
    headroom = reprioritisation + mobilisation
    excess_deficit = max(0.0, -net_lending - p["deficit_reference"]["value"])
    deficit_multiplier = 1.0 / (1.0 + p["deficit_weight"]["value"] * excess_deficit)
    threshold = p["debt_threshold"].get(group, p["debt_threshold"]["UNC"])["value"]
    floor = p["debt_floor_multiplier"]["value"]
    multiplier = 1.0
    if debt is not None and debt > threshold:
        excess = min(1.0, (debt - threshold) / p["debt_range"]["value"])
        multiplier = 1.0 - excess * (1.0 - floor)
    interest_mult = _interest_multiplier(facts, iso3, p, notes)
    distress_mult = _distress_multiplier(facts, iso3, p, notes)
    grants = 0.0
    oda = figure(facts, iso3, "oda")
    if group in p["grant_income_groups"]["value"] and oda is not None and not _stale(oda):
        grants = p["grant_share"]["value"] * max(0.0, float(oda.value))
    space = headroom * deficit_multiplier * multiplier * interest_mult * distress_mult + grants
    inputs = {}
    for role in ("revenue", "expenditure", "net_lending", "gross_debt", "interest_burden", "debt_distress",
                 "default", "oda"):
        fig = figure(facts, iso3, role)
        if fig is not None:
            inputs[role] = {"value": float(fig.value), "year": fig.year, "source": fig.source}
    inputs["income_group"] = group
    inputs["peer_median_revenue"] = round(peer_revenue, 3)
    return FiscalSpace(iso3, space, headroom, reprioritisation, mobilisation, deficit_multiplier, multiplier,
                       inputs, tuple(notes), interest_mult, distress_mult, grants, effort)


def _stale(fig) -> bool:
    return "stale" in str(getattr(fig, "flag", "") or "")


def _interest_multiplier(facts, iso3: str, p: dict, notes: list[dict]) -> float:
    """1 below the threshold, falling linearly to the floor; 1 with an 'unknown' note without a recent figure."""
    fig = figure(facts, iso3, "interest_burden")
    if fig is None or _stale(fig):
        notes.append({"kind": "unknown", "indicator": role_indicator("interest_burden"),
                      "message": f"{iso3}: no recent figure for interest payments as a share of revenue; the "
                                 "interest burden is not taken into account"})
        return 1.0
    value, threshold = float(fig.value), p["interest_threshold"]["value"]
    if value <= threshold:
        return 1.0
    excess = min(1.0, (value - threshold) / p["interest_range"]["value"])
    return 1.0 - excess * (1.0 - p["interest_floor_multiplier"]["value"])


def _distress_multiplier(facts, iso3: str, p: dict, notes: list[dict]) -> float:
    """From the LIC DSF rating; a default within the window counts as distress; 1 with a note when unrated."""
    table = {int(k): float(v) for k, v in p["distress_multiplier"]["values"].items()}
    level = distress_level(facts, iso3, p)
    if level is None:
        notes.append({"kind": "unknown", "indicator": role_indicator("debt_distress"),
                      "message": f"{iso3}: no IMF-World Bank LIC DSF rating (a market-access country or not "
                                 "assessed); debt distress enters only through gross debt and interest"})
        return 1.0
    return table.get(level, 1.0)


def distress_level(facts, iso3: str, p: dict | None = None) -> int | None:
    """The LIC DSF rating (1 low .. 4 in distress), at least 4 after a default within the window; None unrated."""
    p = p or params()
    rating = figure(facts, iso3, "debt_distress")
    default = figure(facts, iso3, "default")
    level = None if rating is None else int(float(rating.value))
    if default is not None and float(default.value) >= 1:
        # the reference year is that of the fiscal figures (not today's date), so results do not drift with time
        ref = figure(facts, iso3, "revenue")
        ref_year = ref.year if ref is not None else default.year
        if ref_year - default.year <= p["default_window"]["value"]:
            level = max(level or 0, 4)
    return level


def debt_threshold(facts, iso3: str) -> float:
    """The gross-debt threshold of the country's income group (% of GDP)."""
    table = params()["debt_threshold"]
    return float(table.get(income_group(facts, iso3), table["UNC"])["value"])


def fiscal_space(facts, iso3: str) -> float | None:
    """Modelled additional fiscal space in % of GDP, or None if the KB lacks the fiscal figures."""
    detail = fiscal_space_detail(facts, iso3)
    return None if detail is None else detail.space
