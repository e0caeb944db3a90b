"""Evaluations as text a person reads: one country's findings and scorecard, or a cross-country summary.

Labels of instruments, target groups, gap kinds, CODI criteria and levels come from the KB in the chosen
language (English or Chinese); only the few headings below are written here.
"""

from __future__ import annotations

import unicodedata

from evaluator.facts import LEFT_OUT_REASONS, KBFacts
from evaluator.rules_loader import CODI_CRITERIA

HEADINGS = {
    "en": {"country": "Country", "mode_current": "current programmes", "mode_bundle": "bundle",
           "instruments": "Instruments", "programmes": "Programmes", "findings": "Findings",
           "none": "(none)", "scorecard": "CODI-style scorecard", "criterion": "criterion", "level": "level",
           "rules": "set by rules", "severity": {"high": "HIGH", "medium": "MEDIUM", "low": "LOW"},
           "income": "income", "high": "high", "medium": "medium", "low": "low", "sources": "sources",
           "gap": "gap", "note": "Note", "left_out": "Left out"},
    "zh": {"country": "国家", "mode_current": "现行项目", "mode_bundle": "政策组合",
           "instruments": "政策工具", "programmes": "项目", "findings": "评估发现",
           "none": "（无）", "scorecard": "CODI式评分卡", "criterion": "标准", "level": "等级",
           "rules": "依据规则", "severity": {"high": "高", "medium": "中", "low": "低"},
           "income": "收入组", "high": "高", "medium": "中", "low": "低", "sources": "来源",
           "gap": "缺口", "note": "说明", "left_out": "未计入"},
}


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain aligned text table."""
    cols = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(pad(str(h), c) for h, c in zip(header, cols, strict=True)).rstrip(),
             "  ".join("-" * c for c in cols)]
    lines += ["  ".join(pad(str(v), c) for v, c in zip(r, cols, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def one(ev, facts: KBFacts, lang: str = "en") -> str:
    """One evaluation: what was judged, each finding with its severity and sources, then the scorecard."""
    h = HEADINGS[lang]
    country = facts.countries[ev.country]
    name = country.label.get(lang) or country.label.get("en") or ev.country
    mode = h["mode_current"] if ev.mode == "current" else h["mode_bundle"]
    out = [f"{h['country']}: {name} ({ev.country}, {h['income']} {country.income_group}) · {mode}",
           f"{h['instruments']}: " + (("、" if lang == "zh" else ", ").join(facts.label(i, lang) for i in ev.bundle)
                                     or h["none"])]
    if ev.programmes:
        out.append(f"{h['programmes']}: " + ", ".join(ev.programmes))
    if ev.left_out:
        sep, colon, (op, cl) = ("、", "：", "（）") if lang == "zh" else (", ", ": ", "()")
        reasons = [f"{p['label']}{' ' if lang != 'zh' else ''}{op}{LEFT_OUT_REASONS[p['reason']][lang]}{cl}"
                   for p in ev.left_out]
        out.append(f"{h['left_out']}{colon}" + sep.join(reasons))
    if ev.note:
        out.append(f"{h['note']}: {ev.note[lang]}")
    out += ["", f"{h['findings']} ({len(ev.findings)})"]
    for f in ev.findings:
        out.append(f"  [{h['severity'][f.severity]}] {facts.label(f.gap, lang)} · {f.rule}")
        out.append(f"      {f.message[lang]}")
        out.append(f"      {h['sources']}: {', '.join(f.references)}")
    if not ev.findings:
        out.append("  " + h["none"])
    rows = [[facts.label(c, lang), facts.label(r.level, lang), ", ".join(r.rules) or "-"]
            for c, r in ev.ratings.items()]
    out += ["", h["scorecard"], table([h["criterion"], h["level"], h["rules"]], rows)]
    return "\n".join(out)


def summary(evaluations: dict, facts: KBFacts, lang: str = "en") -> str:
    """Every country on one line: instruments, findings by severity and the level on each CODI criterion."""
    h = HEADINGS[lang]
    short = {"latent": "L", "emerging": "E", "established": "S", "advanced": "A", "not-assessed": "-"}
    header = ["ISO3", h["country"], h["income"], "#" + h["instruments"], h["high"], h["medium"], h["low"]]
    header += [f"C{i + 1}" for i in range(len(CODI_CRITERIA))]
    rows = []
    for iso3, ev in sorted(evaluations.items()):
        c = facts.countries[iso3]
        counts = {s: sum(1 for f in ev.findings if f.severity == s) for s in ("high", "medium", "low")}
        rows.append([iso3, c.label.get(lang) or c.label.get("en", iso3), c.income_group or "-", str(len(ev.bundle)),
                     str(counts["high"]), str(counts["medium"]), str(counts["low"])]
                    + [short[ev.ratings[k].level] for k in CODI_CRITERIA])
    legend = "  ".join(f"C{i + 1} = {facts.label(k, lang)}" for i, k in enumerate(CODI_CRITERIA))
    levels = "  ".join(f"{v} = {facts.label(k, lang)}" for k, v in short.items())
    return "\n".join([table(header, rows), "", legend, levels])
