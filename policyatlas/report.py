"""Exports of a composed bundle's evaluation and of a staged plan: Markdown report, JSON, CSV.

A policymaker takes these out of Policy Atlas into a briefing note (Markdown), another tool (JSON, the
same shapes as `policyatlas evaluate/suggest --format json`) or a spreadsheet (CSV). The UI, and anyone
scripting the API, call `bundle_report(evaluation, fmt)` and `plan_report(plan, fmt)`; both read the
`to_json()` dictionaries of `Atlas.evaluate` and `Atlas.suggest` and never recompute anything.

`labels` maps ids (instruments, target groups, gap kinds, ...) to `{"en", "zh"}` names so the report reads
in the chosen language; an id without a label is printed as the id.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Mapping

from policyatlas.errors import UserError

FORMATS = {"markdown": ("md", "text/markdown"), "json": ("json", "application/json"),
           "csv": ("csv", "text/csv")}

HEADINGS = {
    "en": {
        "bundle_title": "Policy bundle for {country}", "plan_title": "Staged plan for {country}",
        "instruments": "Instruments", "findings": "Findings", "scorecard": "Scorecard (ISPA CODI criteria)",
        "severity": "Severity", "gap": "Gap", "message": "Finding", "concerns": "Concerns",
        "references": "Sources", "criterion": "Criterion", "level": "Level", "no_findings": "No findings.",
        "instrument": "Instrument", "layer": "Layer", "cost": "Cost (% of GDP)", "closes": "Closes",
        "evidence": "Evidence", "stage": "Stage {stage} (years {years})", "stage_cost": "Stage cost",
        "fiscal_space": "Fiscal space", "total_cost": "Total cost", "objective": "Objective",
        "left_out": "Left out", "reason": "Reason", "assumptions": "Assumptions", "empty": "(empty)",
        "pct_gdp": "{value} % of GDP", "share": "Shared view: `{query}`",
        "cost_section": "Cost against fiscal space", "cost_central": "Annual cost, central estimate",
        "cost_range": "Range (low to high parameters)", "remaining": "Fiscal space left",
        "by_stage": "By stage (each instrument in the earliest stage its layer allows)",
        "cumulative": "Cumulative cost", "stage_col": "Stage", "in_place": "Already in place (not costed)",
        "space_model": "modelled by the planner from IMF WEO revenue, expenditure, net lending and debt",
        "space_override": "set by the user", "space_unknown": "unknown (the KB lacks the fiscal figures)",
        "assumption_cost": "Costs are annual, % of GDP, from the costing model (evaluator/costing.py) with its "
                           "low, central and high parameters; instruments the country already runs at scale "
                           "are not costed.",
        "assumption_findings": "Findings and scorecard come from the rule-based evaluator (evaluator/rules.yaml); "
                               "each names its sources.",
        "over": "The central cost exceeds the fiscal space by {value} % of GDP.",
    },
    "zh": {
        "bundle_title": "{country}的政策组合", "plan_title": "{country}的分阶段方案",
        "instruments": "政策工具", "findings": "评估发现", "scorecard": "评分卡（ISPA CODI 标准）",
        "severity": "严重程度", "gap": "缺口", "message": "发现", "concerns": "涉及",
        "references": "来源", "criterion": "标准", "level": "等级", "no_findings": "没有发现问题。",
        "instrument": "政策工具", "layer": "层级", "cost": "成本（占GDP%）", "closes": "弥补",
        "evidence": "证据", "stage": "第{stage}阶段（第{years}年）", "stage_cost": "阶段成本",
        "fiscal_space": "财政空间", "total_cost": "总成本", "objective": "目标函数值",
        "left_out": "未纳入", "reason": "原因", "assumptions": "假设", "empty": "（空）",
        "pct_gdp": "占GDP {value}%", "share": "共享视图：`{query}`",
        "cost_section": "成本与财政空间", "cost_central": "年度成本（中间估计）",
        "cost_range": "区间（低参数至高参数）", "remaining": "剩余财政空间",
        "by_stage": "按阶段（每项工具置于其层级允许的最早阶段）",
        "cumulative": "累计成本", "stage_col": "阶段", "in_place": "已有措施（不计成本）",
        "space_model": "由规划器根据IMF WEO的收入、支出、净借贷和债务数据建模",
        "space_override": "由用户设定", "space_unknown": "未知（知识库缺少财政数据）",
        "assumption_cost": "成本为年度成本，占GDP %，来自成本模型（evaluator/costing.py）的低、中、高参数；"
                           "该国已大规模实施的工具不计成本。",
        "assumption_findings": "评估发现和评分卡来自基于规则的评估器（evaluator/rules.yaml），每项均注明来源。",
        "over": "中间估计成本超出财政空间 占GDP {value}%。",
    },
}


def _name(labels: Mapping[str, Mapping[str, str]] | None, key: str, lang: str) -> str:
    entry = (labels or {}).get(key)
    if not entry:
        return key
    return entry.get(lang) or entry.get("en") or key


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _num(value) -> str:
    return "" if value is None else f"{float(value):.2f}"


def _check(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if lang not in HEADINGS:
        raise UserError(f"unknown report language {lang!r}; choose one of: {', '.join(HEADINGS)}")


def filename(kind: str, country: str, fmt: str) -> str:
    """A download name such as `policyatlas-bundle-KEN.md`."""
    return f"policyatlas-{kind}-{country}.{FORMATS[fmt][0]}"


def _cost_lines(budget: Mapping, h: Mapping[str, str], labels, lang: str) -> list[str]:
    """The bundle's cost against the fiscal space: totals, range, what is left, and the cost by stage."""
    cost, space = budget.get("cost") or {}, budget.get("fiscal_space")
    pct = h["pct_gdp"]
    source = {"model": h["space_model"], "override": h["space_override"]}.get(budget.get("fiscal_space_source") or "")
    lines = ["", f"## {h['cost_section']}", "",
             f"- {h['cost_central']}: {pct.format(value=_num(cost.get('central')))}",
             f"- {h['cost_range']}: {_num(cost.get('low'))} – {pct.format(value=_num(cost.get('high')))}"]
    if space is None:
        lines.append(f"- {h['fiscal_space']}: {h['space_unknown']}")
    else:
        lines += [f"- {h['fiscal_space']}: {pct.format(value=_num(space))}" + (f" ({source})" if source else ""),
                  f"- {h['remaining']}: {pct.format(value=_num(space - (cost.get('central') or 0.0)))}"]
        if (cost.get("central") or 0.0) > space:
            lines.append(f"- **{h['over'].format(value=_num((cost.get('central') or 0.0) - space))}**")
    if cost.get("in_place"):
        lines.append(f"- {h['in_place']}: " + ", ".join(_name(labels, i, lang) for i in cost["in_place"]))
    stages = budget.get("stages") or []
    if stages:
        lines += ["", f"### {h['by_stage']}", "",
                  f"| {h['stage_col']} | {h['instruments']} | {h['stage_cost']}"
                  f" | {h['cumulative']} | {h['fiscal_space']} |", "|---|---|---|---|---|"]
        total = 0.0
        for st in stages:
            total += st["cost"]
            names = ", ".join(_name(labels, i, lang) for i in st["instruments"]) or "–"
            lines.append(f"| {_cell(h['stage'].format(stage=st['stage'], years=st['years']))} | {_cell(names)}"
                         f" | {_num(st['cost'])} | {_num(total)} | {_num(space) if space is not None else '–'} |")
    return lines


def bundle_report(evaluation: Mapping, fmt: str = "markdown", *, lang: str = "en",
                  labels: Mapping[str, Mapping[str, str]] | None = None, country_name: str | None = None,
                  share_query: str | None = None, budget: Mapping | None = None) -> str:
    """A composed bundle's evaluation (`Evaluation.to_json()`) as Markdown, JSON or CSV. `budget`
    ({"cost": Atlas.cost(...), "fiscal_space", "fiscal_space_source", "stages": [{stage, years,
    instruments, cost}]}) adds the cost against the fiscal space, as the Compose page shows it."""
    _check(fmt, lang)
    if fmt == "json":
        doc = {**evaluation, "budget": dict(budget)} if budget else evaluation
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _bundle_csv(evaluation, lang)
    h = HEADINGS[lang]
    iso3 = evaluation["country"]
    lines = [f"# {h['bundle_title'].format(country=country_name or iso3)} ({iso3})", ""]
    if share_query:
        lines += [h["share"].format(query=share_query), ""]
    lines += [f"## {h['instruments']}", ""]
    bundle = evaluation.get("bundle") or []
    lines += [f"- {_name(labels, i, lang)} (`{i}`)" for i in bundle] or [h["empty"]]
    if budget:
        lines += _cost_lines(budget, h, labels, lang)
    lines += ["", f"## {h['findings']}", ""]
    findings = evaluation.get("findings") or []
    if findings:
        lines += [f"| {h['severity']} | {h['gap']} | {h['message']} | {h['concerns']} | {h['references']} |",
                  "|---|---|---|---|---|"]
        for f in findings:
            concerns = [_name(labels, i, lang) for i in f.get("instruments", []) + f.get("target_groups", [])]
            message = f["message"].get(lang) or f["message"].get("en", "")
            severity, gap = _name(labels, f["severity"], lang), _name(labels, f["gap"], lang)
            lines.append(f"| {_cell(severity)} | {_cell(gap)} | {_cell(message)}"
                         f" | {_cell(', '.join(concerns))} | {_cell(', '.join(f.get('references', [])))} |")
    else:
        lines.append(h["no_findings"])
    lines += ["", f"## {h['scorecard']}", "", f"| {h['criterion']} | {h['level']} |", "|---|---|"]
    for criterion, level in (evaluation.get("scorecard") or {}).items():
        lines.append(f"| {_cell(_name(labels, criterion, lang))} | {_cell(_name(labels, level, lang))} |")
    if budget:
        lines += ["", f"## {h['assumptions']}", "", f"- {h['assumption_cost']}", f"- {h['assumption_findings']}"]
    return "\n".join(lines) + "\n"


#: CSV column headers in Chinese (the English headers are the ids a script reads).
CSV_HEADERS_ZH = {
    "country": "国家", "bundle": "政策组合", "kind": "类型", "rule": "规则", "gap": "缺口", "severity": "严重程度",
    "criterion": "标准", "level": "等级", "message_en": "发现（英文）", "message_zh": "发现（中文）",
    "instruments": "政策工具", "target_groups": "目标群体", "references": "来源", "status": "状态",
    "stage": "阶段", "years": "年份", "instrument": "政策工具", "layer": "层级", "cost_pct_gdp": "成本（占GDP%）",
    "closes": "弥补", "evidence": "证据", "reason": "原因",
}


def _header(columns: list[str], lang: str) -> list[str]:
    return [CSV_HEADERS_ZH.get(c, c) for c in columns] if lang == "zh" else columns


def _bundle_csv(evaluation: Mapping, lang: str = "en") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_header(["country", "bundle", "kind", "rule", "gap", "severity", "criterion", "level",
                             "message_en", "message_zh", "instruments", "target_groups", "references"], lang))
    iso3, bundle = evaluation["country"], ";".join(evaluation.get("bundle") or [])
    for f in evaluation.get("findings") or []:
        writer.writerow([iso3, bundle, "finding", f["rule"], f["gap"], f["severity"], "", "",
                         f["message"].get("en", ""), f["message"].get("zh", ""),
                         ";".join(f.get("instruments", [])), ";".join(f.get("target_groups", [])),
                         ";".join(f.get("references", []))])
    for criterion, level in (evaluation.get("scorecard") or {}).items():
        writer.writerow([iso3, bundle, "scorecard", "", "", "", criterion, level, "", "", "", "", ""])
    return out.getvalue()


def plan_report(plan: Mapping, fmt: str = "markdown", *, lang: str = "en",
                labels: Mapping[str, Mapping[str, str]] | None = None,
                country_name: str | None = None) -> str:
    """A staged plan (`Plan.to_json()`) as Markdown, JSON or CSV."""
    _check(fmt, lang)
    if fmt == "json":
        return json.dumps(plan, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _plan_csv(plan, lang)
    h = HEADINGS[lang]
    iso3 = plan["country"]
    pct = h["pct_gdp"]
    lines = [f"# {h['plan_title'].format(country=country_name or iso3)} ({iso3})", "",
             f"- {h['fiscal_space']}: {pct.format(value=_num(plan.get('fiscal_space_pct_gdp')))}",
             f"- {h['total_cost']}: {pct.format(value=_num(plan.get('total_cost_pct_gdp')))}"]
    if plan.get("objective") is not None:
        lines.append(f"- {h['objective']}: {plan['objective']}")
    for stage in plan.get("stages") or []:
        lines += ["", f"## {h['stage'].format(stage=stage['stage'], years=stage['years'])}", "",
                  f"{h['stage_cost']}: {pct.format(value=_num(stage.get('cost_pct_gdp')))}", "",
                  f"| {h['instrument']} | {h['layer']} | {h['cost']} | {h['closes']} | {h['evidence']} |",
                  "|---|---|---|---|---|"]
        for item in stage.get("instruments") or []:
            closes = ", ".join(_name(labels, c, lang) for c in item.get("closes", []))
            name, layer = _name(labels, item["id"], lang), _name(labels, item["layer"], lang)
            lines.append(f"| {_cell(name)} | {_cell(layer)}"
                         f" | {_num(item.get('cost_pct_gdp'))} | {_cell(closes)}"
                         f" | {_cell(', '.join(item.get('evidence', [])))} |")
    left_out = plan.get("left_out") or []
    if left_out:
        lines += ["", f"## {h['left_out']}", "", f"| {h['instrument']} | {h['reason']} |", "|---|---|"]
        lines += [f"| {_cell(_name(labels, i['id'], lang))} | {_cell(_reason(i, lang))} |" for i in left_out]
    assumptions = plan.get("assumptions") or {}
    if assumptions:
        lines += ["", f"## {h['assumptions']}", ""]
        lines += [f"- {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in assumptions.items()]
    return "\n".join(lines) + "\n"


def _reason(item: Mapping, lang: str) -> str:
    """Why the planner left a candidate out, in the report's language."""
    return (item.get("reason_zh") if lang == "zh" else None) or item.get("reason") or ""


def _plan_csv(plan: Mapping, lang: str = "en") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_header(["country", "status", "stage", "years", "instrument", "layer", "cost_pct_gdp",
                             "closes", "evidence", "reason"], lang))
    iso3 = plan["country"]
    for stage in plan.get("stages") or []:
        for item in stage.get("instruments") or []:
            writer.writerow([iso3, "chosen", stage["stage"], stage["years"], item["id"], item["layer"],
                             item.get("cost_pct_gdp"), ";".join(item.get("closes", [])),
                             ";".join(item.get("evidence", [])), ""])
    for item in plan.get("left_out") or []:
        writer.writerow([iso3, "left-out", "", "", item["id"], "", "", "", "", _reason(item, lang)])
    return out.getvalue()


#: Print style of the HTML (and so the PDF) report: A4, readable tables, CJK fonts when present.
REPORT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; font-size: 10.5pt;
       color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 18pt; margin: 0 0 8pt; } h2 { font-size: 13pt; margin: 14pt 0 6pt; border-bottom: 1px solid #ccc; }
h3 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; page-break-inside: auto; }
th, td { border: 1px solid #bbb; padding: 3pt 5pt; vertical-align: top; text-align: left; }
th { background: #eef3f8; } tr { page-break-inside: avoid; }
code { font-size: 9pt; }
"""


def to_html(markdown_text: str, lang: str = "en") -> str:
    """A Markdown report as a standalone HTML page (Python-Markdown with its tables extension), ready to
    print to PDF."""
    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables"], output_format="html")
    title = next((line[2:] for line in markdown_text.splitlines() if line.startswith("# ")), "Policy Atlas")
    return (f'<!doctype html><html lang="{"zh-Hans" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{REPORT_CSS}</style></head><body>{body}</body></html>")
