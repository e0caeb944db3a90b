"""The one- or two-sentence summaries {en, zh} of kb/programmes (issue 15 point 3), checked on the YAML directly.

Data charter: a summary says nothing that the record does not say, and the Chinese says the same as the English.
What a script can check is checked here for every programme: both languages present, the Chinese written in
Chinese (Latin only for acronyms and names the English also uses), every number of the English found in the
rest of the record, years and percentages carried into the Chinese (and none added), the amounts equal after
converting magnitudes (million = 百万/万 x 100, billion = 亿 x 10, trillion = 万亿, lakh, crore), the English
at most 50 words. Meaning (hedges, attributions) needs a reader: see docs/kb-summaries-review.md.

Run: .venv/bin/python -m pytest -q tests/kb/test_programme_summaries.py
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PROGRAMMES = Path(__file__).resolve().parents[2] / "kb" / "programmes"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

NUM = r"\d[\d,]*(?:\.\d+)?"
EN_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5, "crore": 1e7}
ZH_SCALE = {"千": 1e3, "万": 1e4, "百万": 1e6, "亿": 1e8, "万亿": 1e12}
NOT_AMOUNTS = re.compile(r"COVID-19|G20|G7")  # names with digits in them
MAX_WORDS = 50


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _flat(x) -> str:
    if isinstance(x, dict):
        return " ".join(_flat(v) for v in x.values())
    if isinstance(x, list):
        return " ".join(_flat(v) for v in x)
    return str(x)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), 1.0)


def _is_acronym_or_name(word: str, names: str) -> bool:
    if re.fullmatch(r"[A-Z0-9&-]+s?", word) or re.fullmatch(r"[a-z]?[A-Z][A-Za-z]*[A-Z][A-Za-z0-9-]*", word):
        return True  # GDP, USD, ILO, AI, SMEs, eKYC, PhilHealth
    return word[0].isupper() and word in names  # a programme or place name the English also uses


def summary_problems(record: dict) -> list[str]:
    """What is wrong with record['summary'], as short sentences (empty if nothing is)."""
    summary = record.get("summary")
    if not isinstance(summary, dict):
        return ["no summary: {en, zh}"]
    en, zh = str(summary.get("en") or ""), str(summary.get("zh") or "")
    if not en.strip() or not zh.strip():
        return ["summary needs both en and zh"]
    out = []
    if not re.search(r"[\u4e00-\u9fff]", zh):
        out.append("zh has no Chinese characters")
    rest = " ".join(_flat({k: v for k, v in record.items() if k != "summary"}).split())
    rest_values = {_value(x) for x in re.findall(NUM, rest)}
    for x in re.findall(NUM, en):
        x = x.rstrip(",")
        if x not in rest and _value(x) not in rest_values:
            out.append(f"en number {x} is not in the record")
    year = r"(?<!\d)(?:19|20)\d\d(?![\d万亿])"
    out += [f"year {y} of the en is missing in zh" for y in re.findall(year, en) if y not in zh]
    out += [f"year {y} of the zh is not in the en" for y in re.findall(year, zh) if y not in en]
    for p in re.findall(NUM + r"(?=\s?(?:%|per ?cent))", en):
        if p + "%" not in zh.replace(" ", ""):
            out.append(f"{p}% of the en is missing in zh")
    for p in re.findall(NUM + r"(?=\s?%)", zh):
        if not re.search(re.escape(p) + r"\s?(?:%|per ?cent)", en):
            out.append(f"{p}% of the zh is not in the en")
    en_values = [_value(m.group(1)) * EN_SCALE.get((m.group(2) or "").lower(), 1)
                 for m in re.finditer(rf"({NUM})\s*(thousand|million|billion|trillion|lakh|crore)?",
                                      NOT_AMOUNTS.sub("", en))]
    zh_values = [_value(m.group(1)) * ZH_SCALE.get(m.group(2) or "", 1)
                 for m in re.finditer(rf"({NUM})\s*(万亿|百万|亿|万|千|月)?", NOT_AMOUNTS.sub("", zh))
                 if m.group(2) != "月"]  # a month of a date: the English writes the month's name
    out += [f"en amount {v:g} has no equal in zh" for v in en_values if not any(_close(v, w) for w in zh_values)]
    out += [f"zh amount {w:g} has no equal in en" for w in zh_values if not any(_close(v, w) for v in en_values)]
    words = len(en.split())
    if words > MAX_WORDS:
        out.append(f"en has {words} words (at most {MAX_WORDS})")
    names = " ".join([_flat(record.get("name", "")), str(record.get("id", "")), en])
    for word in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9'’&-]*", zh):
        if not _is_acronym_or_name(word, names):
            out.append(f"Latin word '{word}' in zh (only acronyms and names): translate it")
    return out


def test_every_programme_summary_passes_the_mechanical_checks():
    files = sorted(PROGRAMMES.glob("*.yaml"))
    assert len(files) > 400, "kb/programmes not found"
    problems = [f"kb/programmes/{f.name}: [summary] {p}"
                for f in files for p in summary_problems(yaml.load(f.read_text(encoding="utf-8"), Loader=LOADER))]
    assert not problems, "\n".join(problems)


def test_the_checks_catch_a_bad_summary():
    record = {
        "id": "xx-demo", "name": {"en": "Demo Grant"}, "start_year": 2015,
        "cost": {"text": "USD 4.2 billion a year, 30% of it from donors", "year": 2020},
        "summary": {
            "en": "Demo Grant since 2015 costing USD 4.2 billion a year (30% from donors), for 12 districts.",
            "zh": "自2016年起实施的Demo Grant补助，每年4.2亿美元（捐助方出资25%），covers twelve districts。",
        },
    }
    problems = "\n".join(summary_problems(record))
    assert "en number 12 is not in the record" in problems
    assert "year 2015 of the en is missing in zh" in problems and "year 2016 of the zh is not in the en" in problems
    assert "30% of the en is missing in zh" in problems and "25% of the zh is not in the en" in problems
    assert "en amount 4.2e+09 has no equal in zh" in problems  # 4.2 billion = 42亿, not 4.2亿
    assert "Latin word 'covers'" in problems and "Latin word 'Demo'" not in problems
    record["summary"] = {"en": " ".join(["word"] * 51), "zh": "no Chinese here"}
    problems = "\n".join(summary_problems(record))
    assert "en has 51 words" in problems and "zh has no Chinese characters" in problems
    assert summary_problems({"id": "xx"}) == ["no summary: {en, zh}"]
