"""The baseline part of `policyatlas stats` (issue 12): what the KB knows of every economy's social
protection, per branch, region and income group, and how many of its figures are observed or imputed.

Kept in its own module so that the programme tables of the same command can change independently;
`stats.collect` calls `collect_baseline` and `stats.sections` appends `baseline_sections`.
"""

from __future__ import annotations

from decimal import Decimal

from policyatlas.kb import kbschema as S

Q_STATUS = """
SELECT ?branch ?exists ?region ?income (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a pa:SchemeStatus ; pa:branch ?b ; pa:schemeExists ?exists ; pa:baselineArea ?c .
  ?c pa:worldBankRegion ?region ; pa:incomeGroup ?ig .
  BIND(STRAFTER(STR(?b), STR(vocab:branch-)) AS ?branch)
  BIND(STRAFTER(STR(?ig), "income-") AS ?income)
} GROUP BY ?branch ?exists ?region ?income"""

Q_COVERAGE = """
SELECT ?branch ?source (COUNT(DISTINCT ?o) AS ?rows) (COUNT(DISTINCT ?c) AS ?countries)
       (MIN(?y) AS ?year_min) (MAX(?y) AS ?year_max) WHERE {
  ?o a pa:CoverageObservation ; pa:branch ?b ; pa:baselineArea ?c ; pa:dataYear ?y ; dcterms:source ?s .
  BIND(STRAFTER(STR(?b), STR(vocab:branch-)) AS ?branch)
  BIND(STRAFTER(STR(?s), STR(source:)) AS ?source)
} GROUP BY ?branch ?source"""

Q_SIZES = """
SELECT ?group ?imputed (COUNT(DISTINCT ?s) AS ?rows) (COUNT(DISTINCT ?c) AS ?countries) WHERE {
  ?s a pa:GroupSize ; pa:populationGroup ?g ; pa:imputed ?imputed ; pa:baselineArea ?c .
  BIND(STRAFTER(STR(?g), STR(group:)) AS ?group)
} GROUP BY ?group ?imputed"""


def _n(value) -> int:
    return int(value) if isinstance(value, Decimal | int | float) else int(value or 0)


def collect_baseline(rows) -> dict:
    """Counts from SPARQL (`rows(query) -> list of dicts of Python values`), as JSON-able data."""
    status = [{"branch": r["branch"], "exists": r["exists"], "region": r["region"], "income_group": r["income"],
               "n": _n(r["n"])} for r in rows(Q_STATUS)]
    coverage = sorted(({"branch": r["branch"], "source": r["source"], "rows": _n(r["rows"]),
                        "countries": _n(r["countries"]), "year_min": _n(r["year_min"]),
                        "year_max": _n(r["year_max"])} for r in rows(Q_COVERAGE)),
                      key=lambda c: (S.BRANCHES.index(c["branch"]) if c["branch"] in S.BRANCHES else 99, c["source"]))
    sizes: dict[str, dict] = {}
    for r in rows(Q_SIZES):
        entry = sizes.setdefault(r["group"], {"group": r["group"], "observed": 0, "imputed": 0,
                                              "countries_observed": 0, "countries_imputed": 0})
        kind = "imputed" if r["imputed"] else "observed"
        entry[kind] += _n(r["rows"])
        entry[f"countries_{kind}"] += _n(r["countries"])
    order = {g: i for i, g in enumerate(S.SIZE_GROUPS)}
    return {"status": status, "coverage": coverage,
            "group_sizes": sorted(sizes.values(), key=lambda e: order.get(e["group"], 99))}


def _known_by(status: list[dict], key: str) -> tuple[list[str], dict, dict]:
    """For each value of `key` (region or income group): economies in it, and per branch those with a known
    status (yes or no)."""
    totals: dict[str, dict[str, int]] = {}
    known: dict[tuple[str, str], int] = {}
    for s in status:
        totals.setdefault(s[key], {}).setdefault(s["branch"], 0)
        totals[s[key]][s["branch"]] += s["n"]
        if s["exists"] != "unknown":
            known[(s[key], s["branch"])] = known.get((s[key], s["branch"]), 0) + s["n"]
    groups = sorted(totals, key=lambda g: (S.INCOME_GROUPS.index(g) if g in S.INCOME_GROUPS else 9, g))
    return groups, totals, known


def baseline_sections(stats: dict) -> list[tuple[str, str, list[str], list[list]]]:
    base = stats.get("baseline")
    if not base:
        return []
    status = base["status"]
    out = []
    per_branch = {b: {"yes": 0, "no": 0, "unknown": 0} for b in S.BRANCHES}
    for s in status:
        per_branch.setdefault(s["branch"], {"yes": 0, "no": 0, "unknown": 0})[s["exists"]] += s["n"]
    with_cov = {}
    for c in base["coverage"]:
        with_cov.setdefault(c["branch"], set()).add(c["source"])
    out.append(("Baseline: economies with a known scheme status, per branch (issue 12)",
                "From kb/baseline/schemes.csv: yes where effective coverage is above 0 or GWIP/SIED record a law "
                "or insurance; no only where a source states there is none; unknown otherwise (never imputed).",
                ["branch", "yes", "no", "unknown", "known", "coverage sources"],
                [[b, v["yes"], v["no"], v["unknown"], f"{v['yes'] + v['no']} of {sum(v.values())}",
                  ", ".join(sorted(with_cov.get(b, [])))
                  or ("none (SDG 1.3.1 has no series)" if b == "sickness" else "none")]
                 for b, v in per_branch.items()]))
    for key, title in (("region", "region"), ("income_group", "income group")):
        groups, totals, known = _known_by(status, key)
        out.append((f"Baseline: economies with a known status per branch, by {title}",
                    "Known (yes or no) of the economies in the group.",
                    [title, *S.BRANCHES],
                    [[g, *[f"{known.get((g, b), 0)} of {totals[g].get(b, 0)}" for b in S.BRANCHES]] for g in groups]))
    out.append(("Baseline: effective coverage observations by branch and source",
                "Every vintage is kept as its own dated observation (kb/baseline/coverage.csv); all are observed "
                "(published) values.",
                ["branch", "source", "observations", "economies", "years"],
                [[c["branch"], c["source"], c["rows"], c["countries"], f"{c['year_min']}-{c['year_max']}"]
                 for c in base["coverage"]]))
    sizes = base["group_sizes"]
    out.append(("Baseline: target-group sizes, observed vs imputed",
                "Observed: a number of people as the source publishes it; imputed: derived from rates, shares or a "
                "group average, with its method (kb/baseline/group-sizes.csv).",
                ["group", "observed", "imputed", "economies (observed)", "economies (imputed)"],
                [[g["group"], g["observed"], g["imputed"], g["countries_observed"], g["countries_imputed"]]
                 for g in sizes]
                + [["total", sum(g["observed"] for g in sizes), sum(g["imputed"] for g in sizes), "", ""]]))
    return out
