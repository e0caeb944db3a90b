"""Checks of the KB's prose in two languages (kb/evidence `*_zh`, kb/programmes `summary`).

Cheap checks that a translation or a summary did not lose or invent a number:
- `zh-text`: a Chinese text holds Chinese characters, and translates an English text that exists;
- `zh-numbers`: every year (19xx, 20xx) and every percentage in the English text appears, in digits, in the
  Chinese text (a translation keeps its numbers);
- `summary-number`: every number in a programme's `summary` (either language) is a number of the record
  itself: its notes, cost, beneficiaries, coverage, years, name or legal basis, read as written or scaled by
  its word ("1.2 million" = 1,200,000 = "120万").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policyatlas.kb import kbschema as S

# Evidence keys with a Chinese translation: English key -> Chinese key.
TRANSLATED = {"finding": "finding_zh", "population": "population_zh", "magnitude": "magnitude_zh",
              "unconfirmed": "unconfirmed_zh"}

YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?!\d)")
PERCENT = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)\s*(?:%|per ?cent\b)", re.IGNORECASE)
# A number after "B/." or "Rs." (a currency sign ending in a dot) counts; one after a digit and a dot does not.
NUMBER_EN = re.compile(r"(?<!\d)(?<!\d[.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
                       r"(?:\s*(trillion|billion|million|thousand|crore|lakh|bn|m)\b)?",
                       re.IGNORECASE)
# A number directly before 月 or 日 is the month or day of a date ("2017年12月"), which the English writes as
# a word ("December 2017"): not a figure to look up. "12个月" (twelve months) is a figure.
NUMBER_ZH = re.compile(r"(?<!\d)(?<!\d[.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d.,]*\d)(?![月日号])"
                       r"\s*(万亿|千万|百万|亿|万|千)?")
SCALE = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6, "thousand": 1e3, "crore": 1e7,
         "lakh": 1e5,
         "万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}


def _key(value: float) -> float:
    return float(f"{value:.6g}")


def numbers(text: str, pattern: re.Pattern = NUMBER_EN) -> Iterator[tuple[str, float, float]]:
    """Each number in `text`: (as written, its value, its value scaled by the word after it)."""
    for match in pattern.finditer(text or ""):
        whole, frac, word = match.group(1), match.group(2) or "", match.group(3)
        value = float(whole.replace(",", "") + frac)
        scaled = value * SCALE[word.lower() if word.isascii() else word] if word else value
        yield match.group(0).strip(), _key(value), _key(scaled)


def kept_numbers(en: str, zh: str) -> list[str]:
    """The years and percentages of the English text that the Chinese text does not have, in digits."""
    missing = []
    for year in dict.fromkeys(YEAR.findall(en)):
        if not re.search(rf"(?<![\d.]){year}(?!\d)", zh):
            missing.append(year)
    for pct in dict.fromkeys(PERCENT.findall(en)):
        if not re.search(rf"(?<![\d.]){re.escape(pct)}\s*[%％]", zh):
            missing.append(f"{pct}%")
    return missing


def record_numbers(d: dict) -> set[float]:
    """Every number a programme record states (as written and scaled), for the summary check."""
    texts = [d.get("notes"), d.get("legal_basis"), d.get("responsible_body")]
    for key in ("name", "cost", "beneficiaries", "coverage_pct"):
        part = d.get(key)
        if isinstance(part, dict):
            texts.extend(str(v) for v in part.values() if isinstance(v, str | int | float) and not isinstance(v, bool))
    for key in ("start_year", "end_year"):
        if isinstance(d.get(key), int):
            texts.append(str(d[key]))
    found: set[float] = set()
    for text in texts:
        if isinstance(text, str):
            for pattern in (NUMBER_EN, NUMBER_ZH):
                for _, value, scaled in numbers(text, pattern):
                    found |= {value, scaled}
    return found


def summary_problems(d: dict) -> Iterator[tuple[str, str]]:
    """(language, number) for each number of the summary that the record does not state."""
    summary = d.get("summary")
    if not isinstance(summary, dict):
        return
    known = record_numbers(d)
    for lang, pattern in (("en", NUMBER_EN), ("zh", NUMBER_ZH)):
        text = summary.get(lang)
        if not isinstance(text, str):
            continue
        for written, value, scaled in numbers(text, pattern):
            if value not in known and scaled not in known:
                yield lang, written


def translation_problems(d: dict) -> Iterator[tuple[str, str, str]]:
    """(key, rule, message) for each Chinese text of an evidence record that fails a check."""
    for en_key, zh_key in TRANSLATED.items():
        zh = d.get(zh_key)
        if not isinstance(zh, str) or not zh.strip():
            continue
        en = d.get(en_key)
        if not isinstance(en, str) or not en.strip():
            yield zh_key, "zh-text", f"'{zh_key}' translates '{en_key}', which the record does not have; " \
                                     f"add '{en_key}' or remove '{zh_key}'"
            continue
        if not S.CJK.search(zh):
            yield zh_key, "zh-text", f"'{zh_key}' has no Chinese characters: {zh[:60]!r}; write the Chinese text"
            continue
        missing = kept_numbers(en, zh)
        if missing:
            yield zh_key, "zh-numbers", (f"'{zh_key}' lacks {', '.join(missing)} of '{en_key}'; keep years and "
                                         "percentages as digits in the translation")
