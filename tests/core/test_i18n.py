"""The message catalogue: both languages hold the same keys, placeholders match, reasons render."""

import re

import pytest

from policyatlas.core.i18n import LANGUAGES, catalogue, message, render_reason

PLACEHOLDER = re.compile(r"{(\w+)")


def test_languages_have_the_same_keys():
    en, zh = catalogue("en"), catalogue("zh")
    assert set(en) == set(zh), sorted(set(en) ^ set(zh))


def test_placeholders_match_between_languages():
    en, zh = catalogue("en"), catalogue("zh")
    bad = [k for k in en if set(PLACEHOLDER.findall(en[k])) != set(PLACEHOLDER.findall(zh[k]))]
    assert not bad, bad


def test_message_and_reason():
    assert message("common.not_assessed", "zh") == "未评估"
    assert render_reason({"code": "common.unknown"}, "en") == "unknown"
    with pytest.raises(ValueError):
        catalogue("fr")
    assert set(LANGUAGES) == {"en", "zh"}
