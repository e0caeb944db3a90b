"""Evaluations as text a person reads: one country's findings and scorecard, or a cross-country summary.

Labels of instruments, target groups, gap kinds, CODI criteria and levels come from the KB in the chosen
language (English or Chinese); only the few headings below are written here.
"""

from __future__ import annotations

import unicodedata

from evaluator.engine import Evaluation, to_json_text
from evaluator.facts import LEFT_OUT_REASONS, KBFacts
from evaluator.rules_loader import CODI_CRITERIA

HEADINGS = {
    "en": {"country": "Country", "mode_current": "current programmes", "mode_bundle": "bundle",
           "instruments": "Instruments", "programmes": "Programmes", "findings": "Findings",
           "none": "(none)", "scorecard": "CODI-style scorecard", "criterion": "criterion", "level": "level",
           "rules": "set by rules", "severity": {"high": "HIGH", "medium": "MEDIUM", "low": "LOW"},
           "income": "income", "high": "high", "medium": "medium", "low": "low", "sources": "sources",
           "gap": "gap", "note": "Note", "left_out": "Left out", "mode_add": "current programmes plus",
           "basis": "set by (figures, rules) or missing", "missing": "not assessed, the KB lacks",
           "partial": "KB baseline partial, unknown", "branches": "branches:", "groups": "groups:", "kb": "KB",
           "partial_flag": "partial",
           "partial_legend": "KB = partial: the KB's baseline lacks a branch's coverage or a group's size ({n} "
                             "countries); see `evaluate --country ISO3`"},
    "zh": {"country": "国家", "mode_current": "现行项目", "mode_bundle": "政策组合",
           "instruments": "政策工具", "programmes": "项目", "findings": "评估发现",
           "none": "（无）", "scorecard": "CODI式评分卡", "criterion": "标准", "level": "等级",
           "rules": "依据规则", "severity": {"high": "高", "medium": "中", "low": "低"},
           "income": "收入组", "high": "高", "medium": "中", "low": "低", "sources": "来源",
           "gap": "缺口", "note": "说明", "left_out": "未计入", "mode_add": "现行项目加上",
           "basis": "依据（数据、规则）或缺失", "missing": "未评估，知识库缺少",
           "partial": "知识库基线不完整，未知", "branches": "领域：", "groups": "群体：", "kb": "知识库",
           "partial_flag": "不完整",
           "partial_legend": "知识库 = 不完整：知识库基线缺少某领域的覆盖率或某群体的规模（{n} 个国家）；"
                             "见 `evaluate --country ISO3`"},
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
    mode = {"current": h["mode_current"], "bundle": h["mode_bundle"]}.get(ev.mode) or (
        h["mode_add"] + " " + ", ".join(facts.label(i, lang) for i in ev.added))
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
    if ev.partial:
        gaps = ev.unknown
        out.append(f"{h['partial']}: {h['branches']} {', '.join(gaps['branches']) or '-'}; "
                   f"{h['groups']} {', '.join(gaps['groups']) or '-'}")
    out += ["", f"{h['findings']} ({len(ev.findings)})"]
    for f in ev.findings:
        out.append(f"  [{h['severity'][f.severity]}] {facts.label(f.gap, lang)} · {f.rule}")
        out.append(f"      {f.message[lang]}")
        out.append(f"      {h['sources']}: {', '.join(f.references)}")
    if not ev.findings:
        out.append("  " + h["none"])
    rows = [[facts.label(c, lang), facts.label(r.level, lang), _basis(r, h)] for c, r in ev.ratings.items()]
    out += ["", h["scorecard"], table([h["criterion"], h["level"], h["basis"]], rows)]
    return "\n".join(out)


def _basis(rating, h: dict) -> str:
    """What set a level: the figures (value, year), the rules that fired, or what is missing."""
    if rating.basis == "none":
        return f"{h['missing']}: " + ", ".join(rating.missing)
    if rating.basis == "data":
        figs = [f"{f['indicator']} {f['value']:g}" + (f" ({f['year']})" if f.get("year") else "")
                for f in rating.figures[:4]]
        return "; ".join(figs) + (f" · {', '.join(rating.rules)}" if rating.rules else "")
    return ", ".join(rating.rules) or "-"


def summary(evaluations: dict, facts: KBFacts, lang: str = "en") -> str:
    """Every country on one line: instruments, findings by severity and the level on each CODI criterion."""
    h = HEADINGS[lang]
    short = {"latent": "L", "emerging": "E", "established": "S", "advanced": "A", "not-assessed": "-"}
    header = ["ISO3", h["country"], h["income"], "#" + h["instruments"], h["high"], h["medium"], h["low"]]
    header += [f"C{i + 1}" for i in range(len(CODI_CRITERIA))] + [h["kb"]]
    rows = []
    for iso3, ev in sorted(evaluations.items()):
        c = facts.countries[iso3]
        counts = {s: sum(1 for f in ev.findings if f.severity == s) for s in ("high", "medium", "low")}
        rows.append([iso3, c.label.get(lang) or c.label.get("en", iso3), c.income_group or "-", str(len(ev.bundle)),
                     str(counts["high"]), str(counts["medium"]), str(counts["low"])]
                    + [short[ev.ratings[k].level] for k in CODI_CRITERIA]
                    + [h["partial_flag"] if ev.partial else ""])
    legend = "  ".join(f"C{i + 1} = {facts.label(k, lang)}" for i, k in enumerate(CODI_CRITERIA))
    levels = "  ".join(f"{v} = {facts.label(k, lang)}" for k, v in short.items())
    partial = sum(1 for ev in evaluations.values() if ev.partial)
    return "\n".join([table(header, rows), "", legend, levels, h["partial_legend"].format(n=partial)])


def json_text(evaluations: Evaluation | dict) -> str:
    """One evaluation as JSON, or a mapping ISO3 -> evaluation as one JSON object (docs/evaluator.md)."""
    return to_json_text(evaluations)


def turtle(evaluations: Evaluation | dict) -> str:
    """One evaluation, or a mapping ISO3 -> evaluation, as Turtle of `pa:Finding`s (evaluator.findings_rdf)."""
    from evaluator.findings_rdf import findings_graph  # rdflib: only for this format

    items = [evaluations] if isinstance(evaluations, Evaluation) else list(evaluations.values())
    return findings_graph(items).serialize(format="turtle")
