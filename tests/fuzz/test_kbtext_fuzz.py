"""Fuzzing the checks of the KB's Chinese text (policyatlas/kb/kbtext.py, rules zh-text, zh-numbers,
summary-number): whatever a curator writes under `summary`, `finding_zh`, `magnitude_zh`, `population_zh` or
`unconfirmed_zh`, the loader reports problems with a file, a line and a rule and never raises; a translation
that drops a year or a percentage and a summary that invents a number are always caught.

Run: .venv/bin/python -m pytest -q tests/fuzz/test_kbtext_fuzz.py
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from policyatlas.kb import kbtext
from policyatlas.kb.loader import load_kb
from tests.conftest import ROOT
from tests.fuzz.conftest import FUZZ, keep_failure, replay

VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"
AREA = "kbtext"
TEXT = st.text(alphabet=st.sampled_from("0123456789,.% 年月日万亿百千 millionbillion 肯尼亚家庭abc-"), max_size=40)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9), st.floats(allow_nan=True), TEXT,
                    st.text(max_size=20))
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.sampled_from(["en", "zh", "fr"]),
                                                                           scalars, max_size=3))
KEYS = ("finding_zh", "magnitude_zh", "population_zh", "unconfirmed_zh")


def _kb(tmp: Path, folder: str, name: str, record: dict) -> Path:
    kb = tmp / "kb"
    if kb.exists():
        shutil.rmtree(kb)
    shutil.copytree(VALID, kb)
    (kb / folder / f"{name}.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return kb


def _load(path: Path, folder: str, name: str) -> list:
    kb = load_kb(path)
    for p in kb.problems:
        assert p.path and p.line >= 1 and p.rule, p
    return [p for p in kb.problems if p.path.endswith(f"{folder}/{name}.yaml")]


@FUZZ
@given(key=st.sampled_from(KEYS + ("summary",)), value=values)
def test_any_value_under_a_chinese_key_is_a_problem_or_accepted(tmp_path_factory, key, value):
    folder, name = ("programmes", "ind-pmkvy") if key == "summary" else ("evidence", "suri-jack-2016-m-pesa")
    record = yaml.safe_load((VALID / folder / f"{name}.yaml").read_text(encoding="utf-8"))
    record[key] = value
    data = yaml.safe_dump(record, allow_unicode=True)
    with keep_failure(AREA, data, ".yaml"):
        _load(_kb(tmp_path_factory.mktemp("kb"), folder, name, record), folder, name)


@FUZZ
@given(year=st.integers(1900, 2099), pct=st.integers(0, 999), filler=TEXT)
def test_a_translation_that_drops_a_year_or_a_percentage_is_caught(year, pct, filler):
    en = f"In {year}, {pct}% of households moved."
    assert kbtext.kept_numbers(en, f"{year}年，{pct}%的家庭迁移。") == []
    dropped = filler.replace(str(year), "").replace(f"{pct}%", "")
    missing = kbtext.kept_numbers(en, f"家庭迁移了。{dropped}")
    assert str(year) in missing or str(year) in dropped


@FUZZ
@given(number=st.integers(11, 10**7), extra=st.integers(11, 10**7))
def test_a_summary_number_must_be_the_records(number, extra):
    record = {"notes": f"Reached {number:,} people.", "summary": {"en": f"Reaches {number:,} people.",
                                                                   "zh": f"覆盖{number}人。"}}
    assert list(kbtext.summary_problems(record)) == []
    if extra != number:
        record["summary"] = {"en": f"Reaches {extra:,} people.", "zh": "覆盖人群。"}
        assert list(kbtext.summary_problems(record)) == [("en", f"{extra:,}")]


def test_scaled_numbers_match_across_languages():
    record = {"beneficiaries": {"text": "1.2 million households"}, "cost": {"text": "SAR 3.4 billion", "year": 2017}}
    record["summary"] = {"en": "1,200,000 households; SAR 3.4 billion.", "zh": "120万户；34亿里亚尔；2017年12月。"}
    assert list(kbtext.summary_problems(record)) == []
    record["summary"]["zh"] = "12万户"
    assert list(kbtext.summary_problems(record)) == [("zh", "12万")]


def test_corpus_replays():
    def check(raw: bytes) -> None:
        record = yaml.safe_load(raw.decode("utf-8"))
        programme = isinstance(record, dict) and "jurisdiction" in record
        folder, name = ("programmes", "ind-pmkvy") if programme else ("evidence", "suri-jack-2016-m-pesa")
        with tempfile.TemporaryDirectory() as tmp:
            _load(_kb(Path(tmp), folder, name, record), folder, name)
    replay(AREA, check)
