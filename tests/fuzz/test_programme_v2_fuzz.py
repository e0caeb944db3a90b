"""Fuzzing the programme v2 checks (issue 12): whatever a curator writes under implementer, scale,
beneficiaries, coverage_pct, last_verified and applies_from, the loader reports problems with a file, a line
and a rule, and never raises; a coverage outside 0-100 and a count above the population are always caught.

Run: .venv/bin/python -m pytest -q tests/fuzz/test_programme_v2_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from policyatlas.kb.loader import load_kb
from tests.conftest import ROOT
from tests.fuzz.conftest import FUZZ, keep_failure, replay

VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"
AREA = "programme-v2"

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=8), scalars, max_size=4))
V2_KEYS = ("implementer", "scale", "branches", "applies_from", "last_verified", "beneficiaries", "coverage_pct")


def _kb(tmp: Path, record: dict) -> Path:
    kb = tmp / "kb"
    if kb.exists():
        shutil.rmtree(kb)
    shutil.copytree(VALID, kb)
    (kb / "programmes" / "ken-m-pesa.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return kb


def _base() -> dict:
    return yaml.safe_load((VALID / "programmes" / "ken-m-pesa.yaml").read_text(encoding="utf-8"))


def _check(tmp: Path, record: dict) -> list:
    problems = load_kb(_kb(tmp, record)).problems
    for p in problems:
        assert p.path and p.line >= 1 and p.rule, p
    return problems


@FUZZ
@given(st.dictionaries(st.sampled_from(V2_KEYS), values, max_size=len(V2_KEYS)))
def test_any_v2_values_give_located_problems_never_a_crash(tmp_path_factory, changes):
    record = {**_base(), **changes}
    with keep_failure(AREA, yaml.safe_dump(record, allow_unicode=True), ".yaml"):
        _check(tmp_path_factory.mktemp("kb"), record)


@FUZZ
@given(st.one_of(st.floats(min_value=100.0001, max_value=1e9), st.floats(min_value=-1e9, max_value=-0.0001),
                 st.integers(101, 10**9), st.integers(-10**9, -1)))
def test_coverage_outside_0_to_100_is_always_reported(tmp_path_factory, value):
    record = {**_base(), "coverage_pct": {"value": value, "of": "adults", "year": 2021, "source": "suri-jack-2016"}}
    problems = _check(tmp_path_factory.mktemp("kb"), record)
    # a value written with more than 18 digits is refused by the number reader first (issue 10): also a report
    assert any((p.rule == "out-of-range" and "coverage_pct.value" in p.message) or p.rule == "number-too-long"
               for p in problems), problems


@FUZZ
@given(st.integers(10**9, 10**15))
def test_a_count_above_the_population_is_always_reported(tmp_path_factory, number):
    tmp = tmp_path_factory.mktemp("kb")
    reach = {"number": number, "unit": "people", "year": 2023, "source": "suri-jack-2016"}
    record = {**_base(), "beneficiaries": reach}
    kb = _kb(tmp, record)
    (kb / "indicators" / "population.yaml").write_text(
        "id: population\nlabel: {en: Population, zh: 人口}\ndefinition: {en: Population in millions., zh: 人口。}\n"
        "unit: million persons\nmin: 0\nsources: [wb-class-fy2026]\n", encoding="utf-8")
    (kb / "figures" / "population.csv").write_text(
        "iso3,value,year,unit,source,flag\nKEN,51.5,2023,million persons,wb-class-fy2026,\n", encoding="utf-8")
    assert any(p.rule == "beneficiaries-above-population" for p in load_kb(kb).problems)


def test_kept_inputs_replay(tmp_path):
    def check(raw: bytes) -> None:
        record = yaml.safe_load(raw.decode("utf-8", "replace"))
        if isinstance(record, dict):
            _check(tmp_path, record)
    replay(AREA, check)
