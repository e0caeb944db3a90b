"""The app's unit short forms and figure flags come from the catalogue (messages/<lang>/units.yaml): every KB
unit and every KB flag phrase has its words there in both languages, and the parsing stays in fmt.py."""

from __future__ import annotations

import csv
import glob
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policyatlas.i18n import area
from ui.components import fmt

KB = Path(__file__).resolve().parents[2] / "kb"


def kb_column(name: str) -> set[str]:
    return {row[name] for path in glob.glob(str(KB / "figures" / "*.csv"))
            for row in csv.DictReader(open(path, encoding="utf-8")) if row.get(name)}


def test_every_unit_has_its_short_form_in_both_languages():
    for lang in ("en", "zh"):
        short = {k.removeprefix("units.short."): v for k, v in area(lang, "units").items() if ".short." in k}
        assert set(short) == set(fmt.UNITS), (lang, sorted(set(short) ^ set(fmt.UNITS)))


def test_every_flag_pattern_has_its_words_and_every_kb_flag_reads_in_both_languages():
    for lang in ("en", "zh"):
        words = {k.removeprefix("units.flag.") for k in area(lang, "units") if ".flag." in k}
        assert words == set(fmt.FLAG_PATTERNS), (lang, sorted(words ^ set(fmt.FLAG_PATTERNS)))
    flags = kb_column("flag")
    assert len(flags) > 5
    for text in flags:
        # English gives the KB's wording back; Chinese leaves no known English phrase behind
        assert fmt.translate_flag(text, "en") == text
        zh = fmt.translate_flag(text, "zh")
        assert not any(p.search(zh) for _, p in fmt._FLAGS), (text, zh)
    assert fmt.translate_flag("IMF staff estimate (latest actual FY2022/23)", "zh") == "IMF工作人员估计（最新实际值：FY2022/23）"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_any_flag_text_translates_without_error(text):
    assert isinstance(fmt.translate_flag(text, "zh"), str) and fmt.translate_flag(text, "en") == text
