"""The reports: a composed bundle's evaluation and a staged plan as Markdown, JSON or CSV (the exports), and
an evaluation as terminal text (`policyatlas evaluate`: one country, or every country on one line each).

A policymaker takes these out of Policy Atlas into a briefing note (Markdown), another tool (JSON, the
same shapes as `policyatlas evaluate/suggest --format json`) or a spreadsheet (CSV). The UI, and anyone
scripting the API, call `bundle_report(evaluation, fmt)` and `plan_report(plan, fmt)`; both read the
`to_json()` dictionaries of `Atlas.evaluate` and `Atlas.suggest` and never recompute anything.

`labels` maps ids (instruments, target groups, gap kinds, ...) to `{"en", "zh"}` names so the report reads
in the chosen language; an id without a label is printed as the id. The terminal report takes its labels
from the evaluator's KB facts. Every heading is in the message catalogue (`policyatlas.core.i18n`, area `report`).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Mapping
from functools import cache

from policyatlas.core import json as render_json
from policyatlas.core.errors import UserError
from policyatlas.core.i18n import catalogue, message, render_reason
from policyatlas.core.markdown import table as md_table
from policyatlas.core.table import table
from policyatlas.kb import vocab

FORMATS = {"markdown": ("md", "text/markdown"), "json": ("json", "application/json"),
           "csv": ("csv", "text/csv")}

LANGUAGES = ("en", "zh")


@cache
def headings(section: str, lang: str) -> dict:
    """The headings of one report section (`export`, `csv`, `text`) in `lang`, by their short key."""
    prefix = f"report.{section}."
    flat = {key[len(prefix):]: text for key, text in catalogue(lang).items() if key.startswith(prefix)}
    tree: dict = {}
    for key, text in flat.items():
        *parents, leaf = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = text
    return tree


def _name(labels: Mapping[str, Mapping[str, str]] | None, key: str, lang: str) -> str:
    entry = (labels or {}).get(key)
    if not entry:
        return key
    return entry.get(lang) or entry.get("en") or key


def _num(value) -> str:
    return "" if value is None else f"{float(value):.2f}"


def _check(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise UserError(f"unknown report language {lang!r}; choose one of: {', '.join(LANGUAGES)}")


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
        rows, total = [], 0.0
        for st in stages:
            total += st["cost"]
            names = ", ".join(_name(labels, i, lang) for i in st["instruments"]) or "–"
            rows.append([h["stage"].format(stage=st["stage"], years=st["years"]), names, _num(st["cost"]),
                         _num(total), _num(space) if space is not None else "–"])
        lines += ["", f"### {h['by_stage']}", "",
                  *md_table([h["stage_col"], h["instruments"], h["stage_cost"], h["cumulative"], h["fiscal_space"]],
                            rows)]
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
        return render_json.dumps(doc, newline=True)
    if fmt == "csv":
        return _bundle_csv(evaluation, lang)
    h = headings("export", lang)
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
        rows = []
        for f in findings:
            concerns = [_name(labels, i, lang) for i in f.get("instruments", []) + f.get("target_groups", [])]
            rows.append([_name(labels, f["severity"], lang), _name(labels, f["gap"], lang),
                         f["message"].get(lang) or f["message"].get("en", ""), ", ".join(concerns),
                         ", ".join(f.get("references", []))])
        lines += md_table([h["severity"], h["gap"], h["message"], h["concerns"], h["references"]], rows)
    else:
        lines.append(h["no_findings"])
    scorecard = (evaluation.get("scorecard") or {}).items()
    lines += ["", f"## {h['scorecard']}", "",
              *md_table([h["criterion"], h["level"]],
                        [[_name(labels, c, lang), _name(labels, v, lang)] for c, v in scorecard])]
    if budget:
        lines += ["", f"## {h['assumptions']}", "", f"- {h['assumption_cost']}", f"- {h['assumption_findings']}"]
    return "\n".join(lines) + "\n"


def _header(columns: list[str], lang: str) -> list[str]:
    """CSV column headers: the ids a script reads in English, translated in Chinese (report.csv.*)."""
    names = headings("csv", lang)
    return [names.get(c, c) for c in columns]


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
        return render_json.dumps(plan, newline=True)
    if fmt == "csv":
        return _plan_csv(plan, lang)
    h = headings("export", lang)
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
                  *md_table([h["instrument"], h["layer"], h["cost"], h["closes"], h["evidence"]],
                            [[_name(labels, item["id"], lang), _name(labels, item["layer"], lang),
                              _num(item.get("cost_pct_gdp")),
                              ", ".join(_name(labels, c, lang) for c in item.get("closes", [])),
                              ", ".join(item.get("evidence", []))] for item in stage.get("instruments") or []])]
    left_out = plan.get("left_out") or []
    if left_out:
        lines += ["", f"## {h['left_out']}", "",
                  *md_table([h["instrument"], h["reason"]],
                            [[_name(labels, i["id"], lang), _reason(i, lang)] for i in left_out])]
    assumptions = plan.get("assumptions") or {}
    if assumptions:
        lines += ["", f"## {h['assumptions']}", ""]
        lines += [f"- {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in assumptions.items()]
    return "\n".join(lines) + "\n"


def _reason(item: Mapping, lang: str) -> str:
    """Why the planner left a candidate out, in the report's language: a reason code with its numbers
    (`{"code", "params"}`, rendered from the catalogue) or, from an older planner, the texts themselves."""
    if isinstance(item.get("reason"), Mapping):
        return render_reason(item["reason"], lang)
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


# ---------------------------------------------------------------------------------------------------------
# Terminal text of `policyatlas evaluate`: `ev` is an evaluator Evaluation, `facts` its KB facts (labels)
# ---------------------------------------------------------------------------------------------------------


def one(ev, facts, lang: str = "en") -> str:
    """One evaluation: what was judged, each finding with its severity and sources, then the scorecard."""
    h = headings("text", lang)
    country = facts.countries[ev.country]
    name = country.label.get(lang) or country.label.get("en") or ev.country
    mode = {"current": h["mode_current"], "bundle": h["mode_bundle"]}.get(ev.mode) or (
        h["mode_add"] + " " + ", ".join(facts.label(i, lang) for i in ev.added))
    out = [f"{h['country']}: {name} ({ev.country}, {h['income']} {country.income_group}) · {mode}",
           f"{h['instruments']}: " + (h["list_sep"].join(facts.label(i, lang) for i in ev.bundle) or h["none"])]
    if ev.programmes:
        out.append(f"{h['programmes']}: " + ", ".join(ev.programmes))
    if ev.left_out:
        reasons = [h["left_out_item"].format(label=p["label"],
                                             reason=message(f"evaluator.left_out.{p['reason']}", lang))
                   for p in ev.left_out]
        out.append(h["left_out_line"].format(items=h["list_sep"].join(reasons)))
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


def summary(evaluations: dict, facts, lang: str = "en") -> str:
    """Every country on one line: instruments, findings by severity and the level on each CODI criterion."""
    h = headings("text", lang)
    short = {"latent": "L", "emerging": "E", "established": "S", "advanced": "A", "not-assessed": "-"}
    header = ["ISO3", h["country"], h["income"], "#" + h["instruments"], h["high"], h["medium"], h["low"]]
    header += [f"C{i + 1}" for i in range(len(vocab.ids("codi_criterion")))] + [h["kb"]]
    rows = []
    for iso3, ev in sorted(evaluations.items()):
        c = facts.countries[iso3]
        counts = {s: sum(1 for f in ev.findings if f.severity == s) for s in vocab.ids("severity")}
        rows.append([iso3, c.label.get(lang) or c.label.get("en", iso3), c.income_group or "-", str(len(ev.bundle)),
                     str(counts["high"]), str(counts["medium"]), str(counts["low"])]
                    + [short[ev.ratings[k].level] for k in vocab.ids("codi_criterion")]
                    + [h["partial_flag"] if ev.partial else ""])
    legend = "  ".join(f"C{i + 1} = {facts.label(k, lang)}" for i, k in enumerate(vocab.ids("codi_criterion")))
    levels = "  ".join(f"{v} = {facts.label(k, lang)}" for k, v in short.items())
    partial = sum(1 for ev in evaluations.values() if ev.partial)
    return "\n".join([table(header, rows), "", legend, levels, h["partial_legend"].format(n=partial)])
