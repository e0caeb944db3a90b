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


def bundle_report(evaluation: Mapping, fmt: str = "markdown", *, lang: str = "en",
                  labels: Mapping[str, Mapping[str, str]] | None = None, country_name: str | None = None,
                  share_query: str | None = None) -> str:
    """A composed bundle's evaluation (`Evaluation.to_json()`) as Markdown, JSON or CSV."""
    _check(fmt, lang)
    if fmt == "json":
        return json.dumps(evaluation, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _bundle_csv(evaluation)
    h = HEADINGS[lang]
    iso3 = evaluation["country"]
    lines = [f"# {h['bundle_title'].format(country=country_name or iso3)} ({iso3})", ""]
    if share_query:
        lines += [h["share"].format(query=share_query), ""]
    lines += [f"## {h['instruments']}", ""]
    bundle = evaluation.get("bundle") or []
    lines += [f"- {_name(labels, i, lang)} (`{i}`)" for i in bundle] or [h["empty"]]
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
    return "\n".join(lines) + "\n"


def _bundle_csv(evaluation: Mapping) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["country", "bundle", "kind", "rule", "gap", "severity", "criterion", "level",
                     "message_en", "message_zh", "instruments", "target_groups", "references"])
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
        return _plan_csv(plan)
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
        lines += [f"| {_cell(_name(labels, i['id'], lang))} | {_cell(i['reason'])} |" for i in left_out]
    assumptions = plan.get("assumptions") or {}
    if assumptions:
        lines += ["", f"## {h['assumptions']}", ""]
        lines += [f"- {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in assumptions.items()]
    return "\n".join(lines) + "\n"


def _plan_csv(plan: Mapping) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["country", "status", "stage", "years", "instrument", "layer", "cost_pct_gdp",
                     "closes", "evidence", "reason"])
    iso3 = plan["country"]
    for stage in plan.get("stages") or []:
        for item in stage.get("instruments") or []:
            writer.writerow([iso3, "chosen", stage["stage"], stage["years"], item["id"], item["layer"],
                             item.get("cost_pct_gdp"), ";".join(item.get("closes", [])),
                             ";".join(item.get("evidence", [])), ""])
    for item in plan.get("left_out") or []:
        writer.writerow([iso3, "left-out", "", "", item["id"], "", "", "", "", item["reason"]])
    return out.getvalue()
