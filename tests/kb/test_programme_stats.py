"""`policyatlas stats` on programmes (issue 12): the implementer x scale table and the list of countries
whose programmes are all left out of their current mix agree with the YAML files an analyst edits.

Run: .venv/bin/python -m pytest -q tests/kb/test_programme_stats.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROGRAMMES = [yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in sorted((ROOT / "kb" / "programmes").glob("*.yaml"))]


@pytest.fixture(scope="module")
def stats(atlas):
    from policyatlas.cli.commands.stats import collect

    return collect(atlas)


def test_programmes_by_implementer_and_scale_match_the_files(stats):
    got = Counter()
    for cell in stats["programmes_by_implementer_scale_status"]:
        got[(cell["implementer"], cell["scale"], cell["status"])] += cell["n"]
    want = Counter((p["implementer"], p["scale"], p["status"]) for p in PROGRAMMES)
    assert got == want


def test_countries_with_only_left_out_programmes_match_the_files(stats):
    by_country: dict[str, list[dict]] = {}
    for p in PROGRAMMES:
        by_country.setdefault(p["jurisdiction"], []).append(p)
    want = {iso3 for iso3, ps in by_country.items() if len(iso3) == 3 and iso3 not in {"EUU", "OED", "WLD"}
            and not any(p["implementer"] == "government" and p["scale"] == "national" and p["status"] == "active"
                        for p in ps)}
    got = {c["iso3"] for c in stats["countries_without_national_programme_in_force"]}
    assert got == want
    assert got, "the KB holds countries whose programmes are all pilots, subnational or ended"


def test_the_report_shows_the_tables(stats):
    from policyatlas.cli.commands.stats import to_markdown

    text = to_markdown(stats)
    assert "## Programmes by implementer and scale" in text
    assert "## Countries whose programmes in the KB are all left out of the current mix" in text
