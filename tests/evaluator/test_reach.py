"""`Atlas.reach`: coverage in people by target group, as the evaluator's own `reach` estimates it, checked
against the KB's baseline (group sizes, branch coverage, programmes' beneficiaries), never imputing zero."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.assess.context import RuleContext
from evaluator.assess.engine import BASELINE_GROUPS
from policyatlas.api import REACH_BRANCHES, REACH_GROUPS, Atlas
from policyatlas.core.errors import UserError


def check_rows(atlas, iso3: str, rows: list[dict]) -> None:
    facts = atlas.facts
    base = facts.baseline_of(iso3)
    ctx = RuleContext(facts, iso3, sorted(facts.current_instruments(iso3)), "current")
    sized = [g for g in REACH_GROUPS if g in base.groups]
    assert [r["group"] for r in rows] == [g for g in REACH_GROUPS if g in sized or g in BASELINE_GROUPS]
    for row in rows:
        size = base.groups.get(row["group"])
        assert row["people"] == (size.people if size else None)
        assert row["people_year"] == (size.year if size else None)
        share = ctx.reach(row["group"], REACH_BRANCHES.get(row["group"], "none"))
        assert row["share"] == share
        if share is None or size is None:
            assert row["reached"] is None  # unknown stays unknown, never 0
        else:
            assert row["reached"] == round(size.people * share / 100)
        if row["basis"] == "coverage":
            status = base.branches[row["branch"]]
            assert (row["share"], row["year"], row["sources"]) == (status.coverage, status.year, [status.source])
        elif row["basis"] == "programmes":
            served = sum(p.beneficiaries for p in facts.current_programmes(iso3) if p.id in row["programmes"])
            assert row["share"] == pytest.approx(min(100.0, 100 * served / size.people))
            assert row["sources"]
        else:
            assert row["basis"] is None and share is None


@pytest.mark.parametrize("iso3", ["KEN", "DEU"])
def test_reach_follows_the_baseline(atlas, iso3):
    rows = atlas.reach(iso3)
    check_rows(atlas, iso3, rows)
    unemployed = next(r for r in rows if r["group"] == "unemployed")
    coverage = atlas.facts.baseline_of(iso3).branches["unemployment"].coverage
    assert unemployed["basis"] == "coverage" and unemployed["share"] == coverage
    assert unemployed["reached"] is not None and unemployed["reached"] <= unemployed["people"]


def test_reach_by_programmes_wherever_the_kb_has_it(atlas):
    """Every country whose programmes report beneficiaries: the share is theirs over the group's size."""
    seen = 0
    for iso3 in atlas.country_ids():
        rows = atlas.reach(iso3)
        if any(r["basis"] == "programmes" for r in rows):
            check_rows(atlas, iso3, rows)
            seen += 1
    assert seen >= 1


def test_reach_of_a_country_without_group_sizes_is_unknown(atlas):
    unsized = [c for c in atlas.country_ids() if not atlas.facts.baseline_of(c).groups]
    assert unsized, "every country has group sizes: pick another unknown-state test"
    rows = atlas.reach(unsized[0])
    assert [r["group"] for r in rows] == [g for g in REACH_GROUPS if g in BASELINE_GROUPS]
    assert all(r["people"] is None and r["reached"] is None for r in rows)


def test_reach_moves_with_the_facts(atlas):
    """Other coverage and group sizes give other people reached (the figures are read, not fixed)."""
    case = atlas.facts.with_case_facts("KEN", coverage={"unemployment": 7.5}, people={"unemployed": 1_000_000})

    class CaseAtlas(Atlas):
        facts = case

    rows = {r["group"]: r for r in CaseAtlas(atlas.store).reach("KEN")}
    assert (rows["unemployed"]["share"], rows["unemployed"]["reached"]) == (7.5, 75_000)


@given(st.text(max_size=12))
@settings(max_examples=50, deadline=None)
def test_reach_refuses_unknown_countries_clearly(atlas, code):
    try:
        rows = atlas.reach(code)
    except UserError as err:
        assert "unknown country" in str(err)
    else:
        assert all(set(r) >= {"group", "people", "reached", "share", "year", "sources", "basis"} for r in rows)
