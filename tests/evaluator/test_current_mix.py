"""Which programmes make up a country's current policy mix on the real KB (issue 12, point 3): only those
run by a government (or the EU) at national scale and in force; NGO trials, private products, pilots and
state or city schemes stay in the KB and are listed as left out, with the reason.

Run: .venv/bin/python -m pytest -q tests/evaluator/test_current_mix.py
"""

from __future__ import annotations

import datetime as dt

from evaluator.assess.engine import evaluate
from evaluator.assess.facts import LEFT_OUT_REASONS, KBFacts


def _left_out(facts: KBFacts, iso3: str) -> dict[str, str]:
    return {p.id: why for p, why in facts.left_out_programmes(iso3)}


def test_kenya_counts_neither_givedirectly_nor_m_pesa(kb_atlas):
    facts = KBFacts.from_atlas(kb_atlas)
    assert "universal-basic-income" not in facts.current_instruments("KEN")
    left = _left_out(facts, "KEN")
    assert left["ken-givedirectly-ubi"] == "ngo"
    assert left["ken-m-pesa"] == "private"
    assert "ken-inua-jamii" in {p.id for p in facts.current_programmes("KEN")}


def test_state_city_and_trial_programmes_are_left_out_with_their_reason(kb_atlas):
    facts = KBFacts.from_atlas(kb_atlas)
    usa = _left_out(facts, "USA")
    assert usa["usa-alaska-pfd"] == "subnational" and usa["usa-nyc-local-law-144"] == "subnational"
    assert usa["usa-stockton-seed"] == "pilot"
    assert _left_out(facts, "FIN")["fin-basic-income-experiment"] == "pilot"
    assert "universal-basic-income" not in facts.current_instruments("USA")


def test_every_left_out_reason_is_a_known_code_and_counted_programmes_qualify(kb_atlas):
    facts = KBFacts.from_atlas(kb_atlas)
    for iso3 in facts.country_ids():
        for p, why in facts.left_out_programmes(iso3):
            assert why in LEFT_OUT_REASONS, (p.id, why)
        for p in facts.current_programmes(iso3):
            assert p.implementer in {"government", "supranational"} and p.scale == "national", p.id
            assert p.status == "active", p.id
            assert p.applies_from is None or p.applies_from <= dt.date.today(), p.id


def test_kenya_evaluation_names_what_it_left_out(kb_atlas):
    ev = evaluate(kb_atlas, "KEN")
    reasons = {p["id"]: p["reason"] for p in ev.to_json()["left_out"]}
    assert reasons["ken-givedirectly-ubi"] == "ngo" and reasons["ken-m-pesa"] == "private"
