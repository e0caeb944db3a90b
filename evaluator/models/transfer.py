"""Transferability: how much evidence from one country speaks to another, and an instrument's evidence score.

Evidence that Kurzarbeit saved jobs in Germany says more about Austria than about Niger. The weight of an
evidence record for a target country grows with the similarity of its setting (income group, region,
informality, account ownership); for low- and middle-income targets, evidence from Global South settings
ranks above evidence from rich countries (the South-South lesson of the source analysis). Every weight is
data in `evaluator/models/data/transferability.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.models.modeldata import load, role_indicator


def params() -> dict:
    return load("transferability.yaml")


def _south(country) -> bool:
    if country.global_south is not None:
        return bool(country.global_south)
    return (country.income_group or "UNC") != "HIC"


def similarity(target, setting) -> float:
    """Similarity of two countries' settings, 0-1 (weighted mean over the components both have)."""
    p = params()
    comps, ladder = p["components"], p["income_ladder"]["rungs"]
    total = weight_sum = 0.0
    dist = abs(ladder.get(target.income_group, ladder["UNC"]) - ladder.get(setting.income_group, ladder["UNC"]))
    parts = {"income_group": comps["income_group"]["by_distance"][dist]}
    if target.region and setting.region:
        parts["region"] = 1.0 if target.region == setting.region else 0.0
    for comp in ("informality", "account_ownership"):  # a component named after the indicator role it compares
        a, b = target.figure(role_indicator(comp)), setting.figure(role_indicator(comp))
        if a is not None and b is not None:
            parts[comp] = 1.0 - min(1.0, abs(float(a) - float(b)) / 100.0)
    for comp, value in parts.items():
        total += comps[comp]["weight"] * value
        weight_sum += comps[comp]["weight"]
    return total / weight_sum if weight_sum else 0.0


def transfer_weight(facts, target_iso3: str, setting_iso3: str) -> float:
    """Weight (0-1) of evidence from `setting_iso3` for `target_iso3`."""
    p = params()
    target = facts.countries[target_iso3]
    setting = facts.countries.get(setting_iso3)
    if setting is None or setting.supranational:
        return float(p["no_setting_weight"]["value"])
    if setting_iso3 == target_iso3:
        sim = 1.0
    else:
        sim = similarity(target, setting)
    lmic_target = (target.income_group or "UNC") in p["lmic_income_groups"]
    if lmic_target:
        band = p["bands"]["lmic_target_south_setting" if _south(setting) else "lmic_target_north_setting"]
    else:
        band = p["bands"]["other"]
    return band["low"] + (band["high"] - band["low"]) * sim


def record_weight(facts, target_iso3: str, record) -> float:
    """Weight of one evidence record: its best-matching setting (or the no-setting weight)."""
    if not record.setting_countries:
        return float(params()["no_setting_weight"]["value"])
    return max(transfer_weight(facts, target_iso3, s) for s in sorted(record.setting_countries))


@dataclass(frozen=True)
class EvidenceScore:
    """An instrument's evidence for one country: score in [-1, 1] and its records, most transferable first."""

    instrument: str
    score: float
    records: tuple[tuple[str, float], ...]  # (evidence id, contribution), sorted by weight then id
    sources: tuple[str, ...]


def evidence_score(facts, target_iso3: str, instrument_id: str) -> EvidenceScore:
    """Strength x direction x transferability, summed over the evidence records about the instrument."""
    p = params()
    total = 0.0
    scored = []
    for rec in sorted(facts.evidence_for(instrument_id), key=lambda e: e.id):
        w = record_weight(facts, target_iso3, rec)
        contrib = (p["strength"].get(rec.strength or "low", p["strength"]["low"])
                   * p["direction"].get(rec.direction or "null", 0.0) * w)
        if rec.contested:
            contrib *= p["contested_multiplier"]["value"]
        total += contrib
        scored.append((rec, w, contrib))
    scored.sort(key=lambda t: (-t[1], t[0].id))
    sat = p["saturation"]["value"]
    score = max(-1.0, min(1.0, total / sat))
    sources = []
    for rec, _w, _c in scored:
        for s in sorted(rec.sources):
            if s not in sources:
                sources.append(s)
    return EvidenceScore(instrument_id, score, tuple((r.id, round(c, 4)) for r, _w, c in scored), tuple(sources))
