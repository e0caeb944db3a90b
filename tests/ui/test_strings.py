"""Every interface string exists in English and Chinese, with the same placeholders, and every key the
code asks for is defined (a missing key would show a KeyError to a user of the other language)."""

from __future__ import annotations

import re
import string
from pathlib import Path

from ui.i18n import strings

UI = Path(__file__).resolve().parents[2] / "ui"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_.\-]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders():
    en, zh = strings("en"), strings("zh")
    assert set(en) == set(zh), sorted(set(en) ^ set(zh))
    for key in en:
        assert placeholders(en[key]) == placeholders(zh[key]), key
        assert zh[key].strip(), key


def test_every_key_the_code_uses_is_defined():
    used = {m.group(1) for path in UI.rglob("*.py") for m in LITERAL_KEY.finditer(path.read_text("utf-8"))}
    assert len(used) > 100
    assert not used - set(strings("en")), sorted(used - set(strings("en")))


def test_chinese_strings_are_chinese():
    zh = strings("zh")
    han = re.compile(r"[\u4e00-\u9fff]")
    sections = ("nav.", "sidebar.", "compose.", "plan.", "compare.", "evidence.", "atlas.", "country.")
    for key, text in zh.items():
        if key.startswith(sections):
            assert han.search(text), f"{key} is not translated: {text!r}"
