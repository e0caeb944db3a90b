"""Data health of `kb/baseline/` (issue 12), read through the loader an analyst's `validate` uses.

Every economy has a row for every branch; `exists` never rests on an imputed number; each coverage
observation keeps its own source and year (older vintages are not overwritten); every derived group size is
marked imputed with its method; the well-known contrasts hold (Japan's unemployment protection reaches far
more of the unemployed than Kenya's). A failure names the file and line to fix.

Run: .venv/bin/python -m pytest tests/kb/test_baseline_health.py
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest

from policyatlas.kb import kbschema as S
from policyatlas.kb.loader import load_kb
from tests.conftest import ROOT

BASELINE = ROOT / "kb" / "baseline"


@pytest.fixture(scope="module")
def kb():
    loaded = load_kb(ROOT / "kb")
    baseline_problems = [p for p in loaded.problems if "kb/baseline" in p.path]
    assert not baseline_problems, "\n".join(map(str, baseline_problems))
    return loaded


VINTAGE = {"ilostat-sdg-0131-2025": 3, "un-sdg-1-3-1-by-branch-2023": 2, "ilo-wspr-2020-22": 1}


def latest(kb, iso3: str, branch: str):
    """The latest observation as kb/baseline/README.md defines it: newest vintage with a value, then year."""
    rows = [r.data for r in kb.coverage if r.data["iso3"] == iso3 and r.data["branch"] == branch]
    return max(rows, key=lambda d: (VINTAGE.get(d["source"], 0), d["year"])) if rows else None


def test_every_economy_has_a_row_for_every_branch(kb):
    economies = {c for c, r in kb.countries.items() if r.data["income_group"] is not None}
    assert len(economies) == 218
    have = Counter((r.data["iso3"], r.data["branch"]) for r in kb.schemes)
    missing = sorted((c, b) for c in economies for b in S.BRANCHES if (c, b) not in have)
    assert not missing, f"kb/baseline/schemes.csv lacks rows for {missing[:10]} ..."
    assert set(have.values()) == {1}


def test_exists_is_derived_from_observed_sources_only(kb):
    """No imputed value in a fact field: the sources behind `exists` are datasets of schemes or coverage,
    never the derived group sizes; 'yes' always names its source."""
    size_sources = {s for r in kb.group_sizes for s in r.data["sources"]} - {r.data["source"] for r in kb.coverage}
    for rec in kb.schemes:
        d = rec.data
        assert not set(d["sources"]) & size_sources, f"{rec.path}:{rec.line}: exists rests on {d['sources']}"
        if d["exists"] != "unknown":
            assert d["sources"], f"{rec.path}:{rec.line}: {d['exists']} without a source"


def test_positive_coverage_means_a_scheme_and_zero_does_not_mean_none(kb):
    status = {(r.data["iso3"], r.data["branch"]): r for r in kb.schemes}
    for (iso3, branch), rec in status.items():
        obs = latest(kb, iso3, branch)
        if obs is not None and obs["value"] > 0:
            assert rec.data["exists"] == "yes", f"{rec.path}:{rec.line}: coverage {obs['value']} but not yes"
        if obs is not None and obs["value"] == 0 and rec.data["exists"] == "no":
            assert "state" in rec.data["basis"], f"{rec.path}:{rec.line}: 'no' from a zero alone"
    assert status[("KEN", "unemployment")].data["exists"] == "unknown"  # 0.0 does not prove absence


def test_older_vintages_are_kept_as_their_own_rows(kb):
    sources = defaultdict(set)
    for r in kb.coverage:
        sources[(r.data["iso3"], r.data["branch"])].add(r.data["source"])
    assert {"ilostat-sdg-0131-2025", "un-sdg-1-3-1-by-branch-2023", "ilo-wspr-2020-22"} <= sources[("JPN", "old-age")]
    assert sum(len(s) >= 2 for s in sources.values()) > 1000
    assert all(0 <= r.data["value"] <= 100 for r in kb.coverage)
    assert not any(r.data["branch"] == "sickness" for r in kb.coverage)  # no SDG 1.3.1 series for sickness


def test_japan_unemployment_coverage_far_above_kenya(kb):
    jpn, ken = latest(kb, "JPN", "unemployment"), latest(kb, "KEN", "unemployment")
    assert jpn["value"] >= ken["value"] + 20
    for iso3 in ("JPN", "USA", "DEU", "FRA"):
        assert next(r for r in kb.schemes if r.data["iso3"] == iso3 and r.data["branch"] == "unemployment"
                    ).data["exists"] == "yes", iso3


def test_work_injury_kind_and_first_law_come_from_gwip(kb):
    rows = {r.data["iso3"]: r.data for r in kb.schemes if r.data["branch"] == "employment-injury"}
    with (ROOT / "docs" / "research" / "baseline" / "gwip20_work_injury_schemes.csv").open(encoding="utf-8") as f:
        gwip = {r["ISO3c"]: r for r in csv.DictReader(f)}
    checked = 0
    for iso3, g in gwip.items():
        if iso3 in rows:
            assert rows[iso3]["exists"] == "yes" and rows[iso3]["since"] == int(g["labor_workinjury_firstlaw"]), iso3
            if g["labor_workinjury_firstins"] == "NA":
                assert rows[iso3]["kind"] == "employer-liability", iso3
            checked += 1
    assert checked >= 180


def test_group_sizes_are_honest(kb):
    by = defaultdict(dict)
    for rec in kb.group_sizes:
        d = rec.data
        assert d["imputed"] == bool(d["method"]), f"{rec.path}:{rec.line}: imputed and method disagree"
        by[d["iso3"]][d["group"]] = d
    assert len(by) >= 187
    for iso3, groups in by.items():
        lf = groups.get("labour-force")
        if lf is None:
            continue
        assert not lf["imputed"]
        for part in ("employed", "unemployed", "informal-workers", "women-employed", "genai-exposed-workers"):
            if part in groups:
                assert groups[part]["people"] <= lf["people"] + 1, (iso3, part)
        if "employed" in groups and "unemployed" in groups:
            assert abs(groups["employed"]["people"] + groups["unemployed"]["people"] - lf["people"]) <= 2, iso3
    # group averages are marked as such, never presented as a country estimate
    assert all("group average" in g["genai-exposed-workers"]["method"] for g in by.values()
               if "genai-exposed-workers" in g)
    assert by["IND"]["labour-force"]["people"] > by["KEN"]["labour-force"]["people"] * 10


def test_size_groups_reuse_the_target_group_ids_that_mean_the_same_population(kb):
    groups = set(kb.records["target-groups"])
    for size_group, (target, how) in S.SIZE_GROUP_MATCH.items():
        assert target in groups, target
        assert (size_group == target) == (how == "same"), size_group
