"""The app's unit short forms and figure flags come from the catalogue (messages/<lang>/units.yaml): every KB
unit and every KB flag phrase has its words there in both languages, and the parsing stays in fmt.py."""

from __future__ import annotations

import csv
import glob
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policyatlas.core.i18n import area
from policyatlas.kb import vocab
from ui.components import charts, common, fmt
from ui.i18n import VOCAB_LISTS, code, strings

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
    zh = fmt.translate_flag("IMF staff estimate (latest actual FY2022/23); may be an IMF estimate", "zh")
    assert zh == "IMF工作人员估计（最新实际值：FY2022/23）；可能为IMF估计"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_any_flag_text_translates_without_error(text):
    assert isinstance(fmt.translate_flag(text, "zh"), str) and fmt.translate_flag(text, "en") == text


def test_the_ui_reads_code_lists_and_labels_from_the_vocabulary():
    """The app's styles are keyed by the vocabulary's ids, its code names are the vocabulary's labels, and
    the ui catalogue keeps only wording of its own (no `codes.*` entry that merely repeats the vocabulary)."""
    assert set(charts.LAYER_COLOURS) == set(vocab.ids("layer"))
    assert set(charts.RELATION_STYLES) == set(vocab.ids("relation"))
    assert set(common.SEVERITY_ICONS) == set(vocab.ids("severity")) == set(common.SEVERITY_RANK)
    assert common.SEVERITY_RANK["high"] < common.SEVERITY_RANK["low"]
    assert code("income", "LMC") == vocab.label("income_group", "LMC", "en")  # outside a session: English
    assert code("relation", "prerequisite-of") == vocab.label("relation", "prerequisite-of", "en")
    en, zh = strings("en"), strings("zh")
    own = [k for k in en if k.startswith("codes.")]
    assert own
    for key in own:
        _, kind, id_ = key.split(".", 2)
        name = VOCAB_LISTS.get(kind, kind)
        assert id_ in vocab.ids(name), key
        assert (en[key], zh[key]) != (vocab.label(name, id_, "en"), vocab.label(name, id_, "zh")), \
            f"{key} repeats the vocabulary's labels: drop it"
