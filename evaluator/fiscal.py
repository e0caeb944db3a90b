"""How much additional spending a country could devote to the safety-net instruments (its fiscal space).

The formula (parameters in `evaluator/data/fiscal_space.yaml`, explained in docs/planner.md):
a share of general government revenue that can be reprioritised or newly raised, plus part of the gap to
the income group's median revenue, scaled down when the deficit is above the reference value and again when
gross debt is above its threshold. The result is recurrent spending in % of GDP over about a decade,
released in stages. A country whose revenue or expenditure the KB lacks has no modelled space: the caller
must ask the user for `--fiscal-space` rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluator.costing import figure, figure_value, group_median, income_group, load_data, value_or_imputed


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

    def to_json(self) -> dict:
        return {"space_pct_gdp": round(self.space, 3), "reprioritisation": round(self.reprioritisation, 3),
                "mobilisation": round(self.mobilisation, 3), "deficit_multiplier": round(self.deficit_multiplier, 3),
                "debt_multiplier": round(self.debt_multiplier, 3), "inputs": self.inputs,
                "imputed": [n["message"] for n in self.notes]}


def params() -> dict:
    return load_data("fiscal_space.yaml")


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
    mobilisation = p["mobilisation_share"]["value"] * max(0.0, peer_revenue - revenue)
    headroom = reprioritisation + mobilisation
    excess_deficit = max(0.0, -net_lending - p["deficit_reference"]["value"])
    deficit_multiplier = 1.0 / (1.0 + p["deficit_weight"]["value"] * excess_deficit)
    threshold = p["debt_threshold"].get(group, p["debt_threshold"]["UNC"])["value"]
    floor = p["debt_floor_multiplier"]["value"]
    multiplier = 1.0
    if debt is not None and debt > threshold:
        excess = min(1.0, (debt - threshold) / p["debt_range"]["value"])
        multiplier = 1.0 - excess * (1.0 - floor)
    space = headroom * deficit_multiplier * multiplier
    inputs = {}
    for role in ("revenue", "expenditure", "net_lending", "gross_debt"):
        fig = figure(facts, iso3, role)
        if fig is not None:
            inputs[role] = {"value": float(fig.value), "year": fig.year, "source": fig.source}
    inputs["income_group"] = group
    inputs["peer_median_revenue"] = round(peer_revenue, 3)
    return FiscalSpace(iso3, space, headroom, reprioritisation, mobilisation, deficit_multiplier, multiplier,
                       inputs, tuple(notes))


def fiscal_space(facts, iso3: str) -> float | None:
    """Modelled additional fiscal space in % of GDP, or None if the KB lacks the fiscal figures."""
    detail = fiscal_space_detail(facts, iso3)
    return None if detail is None else detail.space
