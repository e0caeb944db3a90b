"""How `kb/baseline/` was made: the reproducible import of every economy's social-protection baseline.

Reads only the copies kept in the repository (`docs/research/baseline/` and `docs/research/countries/`, each
with its `SOURCES.md`) and writes three CSV files (format: `docs/contracts.md`, meaning: `kb/baseline/README.md`):

- `kb/baseline/coverage.csv`: SDG 1.3.1 effective coverage by branch as dated observations, one row per
  economy, branch and source. Three vintages are kept side by side, never merged: ILOSTAT SDG_0131 (2025
  vintage, newest), the UN SDG database (December 2023 copy) and the ILO World Social Protection Report
  2020-22 annex table. Sickness has no SDG 1.3.1 series, so it has no coverage rows.
- `kb/baseline/schemes.csv`: for every economy (218) and branch (8), whether a scheme exists (yes / no /
  unknown), its kind where a source says it, and the basis of that statement (`inference rules` below).
- `kb/baseline/group-sizes.csv`: target-group sizes in people. Only the labour force is published as a
  number of people; every other size is derived (rates x populations) and marked `imputed` with its method.

Inference rules for `exists` (documented in kb/baseline/README.md):
1. Effective coverage above 0 in an economy's newest coverage observation for the branch means at least one
   benefit of that branch reaches people: exists = yes. Coverage 0.0 does not prove absence (the ILO:
   "usually, not always" because no scheme exists), so it leaves exists unknown.
2. Employment injury: a work-injury law recorded in GWIP (189 economies) means exists = yes, since the year
   of the first law. Kind: employer-liability where GWIP records no risk-pooling law; social-insurance where it
   records risk pooling and no provident fund; left empty where a provident fund came first (GWIP does not
   code whether it was later turned into social insurance).
3. Unemployment, sickness, old age, employment injury: SIED (37 OECD/EU economies), newest year: a coverage
   ratio above 0 and a number insured above 0 means a social-insurance scheme exists (kind social-insurance).
   A ratio of 0 says there is no social-insurance scheme of that branch, not that there is no scheme (a
   means-tested benefit may exist), so it never gives exists = no.
4. No source used here states that a country has no scheme of a branch, so the import writes no `no`: every
   branch without positive evidence stays `unknown`. An analyst who finds such a statement writes `no` by hand,
   citing it.

Run from the project root:

    .venv/bin/python scripts/import_baseline.py [--kb kb]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "docs" / "research" / "baseline"
COUNTRIES = ROOT / "docs" / "research" / "countries"
WDI = COUNTRIES / "wdi"

sys.path.insert(0, str(ROOT))
from policyatlas.kb import kbschema as S  # noqa: E402

ILOSTAT = "ilostat-sdg-0131-2025"
UNSDG = "un-sdg-1-3-1-by-branch-2023"
WSPR = "ilo-wspr-2020-22"
GWIP = "gwip-2020"
SIED = "sied-2020"
WDI_LF = "wb-wdi-labour-force"
WDI_POP = "wb-wdi-population-by-age-sex"
WDI_NEET = "wb-wdi-youth-neet"
WDI_LF_FEMALE = "wb-wdi-labour-force-female"
ILO_UNEMP = "ilo-modelled-unemployment"
INFORMAL = "ilostat-informal-employment-rate"
IMF_SDN = "cazzaniga-et-al-2024-imf-sdn"

# Newest vintage first. The "latest" observation of an economy and branch is the one from the newest vintage
# that has a value (each vintage already gives the publisher's latest year), then the newest year within it.
# Vintage before year, because the WSPR copy carries no years (every row says 2020) and because a newer vintage
# revises older values of the same year.
SOURCE_PRIORITY = (ILOSTAT, UNSDG, WSPR)

ILOSTAT_BRANCH = {
    "SOC_CONTIG_CHILD": "children-family", "SOC_CONTIG_MAT": "maternity", "SOC_CONTIG_DISAB": "disability",
    "SOC_CONTIG_UNE": "unemployment", "SOC_CONTIG_PENSION": "old-age", "SOC_CONTIG_INJ": "employment-injury",
    "SOC_CONTIG_VULN": "social-assistance",
}
UNSDG_BRANCH = {
    "SI_COV_CHLD": "children-family", "SI_COV_MATNL": "maternity", "SI_COV_DISAB": "disability",
    "SI_COV_UEMP": "unemployment", "SI_COV_PENSN": "old-age", "SI_COV_WKINJRY": "employment-injury",
    "SI_COV_VULN": "social-assistance",
}
WSPR_BRANCH = {
    "children": "children-family", "mothers_newborns": "maternity", "severe_disability": "disability",
    "unemployed": "unemployment", "older_persons": "old-age", "work_injury": "employment-injury",
    "vulnerable_social_assistance": "social-assistance",
}
# WSPR 2020-22's annex gives "2020 or latest available year"; the copy does not carry each value's year.
WSPR_YEAR = 2020
WSPR_FLAG = "year not in the copy: the WSPR 2020-22 annex reports 2020 or the latest available year"

# SIED: (coverage ratio column, number insured column) per branch.
SIED_BRANCH = {
    "unemployment": ("ucovratl", "unoinsur"), "sickness": ("scovratl", "snoinsur"),
    "old-age": ("pcovratp", "pnoinsur"), "employment-injury": ("acovratl", "anoinsur"),
}

# Share of employment exposed to AI by IMF country group (Cazzaniga et al. 2024, SDN/2024/001: about 60% in
# advanced economies, 40% in emerging markets, 26% in low-income countries; confirmed with the search tool,
# see docs/baseline-checks.md). World Bank income groups are mapped onto the IMF groups as stated here.
AI_EXPOSURE_SHARE = {"HIC": (60, "advanced economies"), "UMC": (40, "emerging markets"),
                     "LMC": (40, "emerging markets"), "LIC": (26, "low-income countries")}


# Platform workers: only published national counts, confirmed with the search tool (docs/baseline-checks.md);
# never derived. (iso3, people, year, source id, flag)
PLATFORM_ESTIMATES = [
    ("USA", 1_600_000, 2017, "bls-2018-electronically-mediated-work",
     "electronically mediated workers in the reference week of May 2017 (main, second or additional job), "
     "BLS recoded estimate, published rounded to 0.1 million"),
]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def number(text: str | None) -> float | None:
    if text is None or text.strip() in ("", "NA", "..", "…"):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def fmt(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def countries() -> dict[str, dict]:
    rows = read(ROOT / "kb" / "countries" / "countries.csv")
    return {r["iso3"]: r for r in rows}


# ---------------------------------------------------------------------------------------------------------
# Effective coverage by branch
# ---------------------------------------------------------------------------------------------------------

def coverage_rows(known: set[str]) -> list[dict]:
    out = []
    for r in read(BASELINE / "ilostat_sdg131_coverage_by_branch_2025vintage_long.csv"):
        branch = ILOSTAT_BRANCH.get(r["classif1_code"])
        value = number(r["value"])
        if branch and value is not None and r["iso3"] in known:
            flag = r["flag"].strip()
            if flag.startswith("0 reported for 2023"):
                flag = "0 reported for 2023 while an earlier year is above 0; flagged in the source file"
            out.append(dict(iso3=r["iso3"], branch=branch, value=fmt(value), year=str(int(float(r["year"]))),
                            source=ILOSTAT, flag=flag))
    for r in read(BASELINE / "unsdg_sdg131_coverage_by_branch_dec2023_latest.csv"):
        branch = UNSDG_BRANCH.get(r["series_code"])
        value = number(r["value"])
        if branch and value is not None and r["iso3"] in known:
            out.append(dict(iso3=r["iso3"], branch=branch, value=fmt(value), year=str(int(float(r["year"]))),
                            source=UNSDG, flag=""))
    for r in read(BASELINE / "ilo_wspr_2020_22_effective_coverage_by_branch.csv"):
        if r["iso3"] not in known:
            continue
        for column, branch in WSPR_BRANCH.items():
            value = number(r[column])
            if value is not None:
                out.append(dict(iso3=r["iso3"], branch=branch, value=fmt(value), year=str(WSPR_YEAR),
                                source=WSPR, flag=WSPR_FLAG))
    for row in out:
        row["unit"] = S.COVERAGE_UNIT
    order = {b: i for i, b in enumerate(S.BRANCHES)}
    rank = {s: i for i, s in enumerate(SOURCE_PRIORITY)}
    out.sort(key=lambda r: (r["iso3"], order[r["branch"]], rank[r["source"]], -int(r["year"])))
    return out


def latest(rows: list[dict]) -> dict[tuple[str, str], dict]:
    """The latest observation per economy and branch: newest vintage first, then newest year (see
    SOURCE_PRIORITY); the rule the library query `scheme-coverage-by-branch.rq` follows too."""
    rank = {s: i for i, s in enumerate(SOURCE_PRIORITY)}
    best: dict[tuple[str, str], dict] = {}
    for r in rows:
        key = (r["iso3"], r["branch"])
        cur = best.get(key)
        if cur is None or (-rank[r["source"]], int(r["year"])) > (-rank[cur["source"]], int(cur["year"])):
            best[key] = r
    return best


# ---------------------------------------------------------------------------------------------------------
# Schemes by branch
# ---------------------------------------------------------------------------------------------------------

def gwip_evidence(known: set[str]) -> dict[str, dict]:
    out = {}
    for r in read(BASELINE / "gwip20_work_injury_schemes.csv"):
        iso3 = r["ISO3c"]
        if iso3 not in known:
            continue
        first_law = number(r["labor_workinjury_firstlaw"])
        first_ins = number(r["labor_workinjury_firstins"])
        first_fund = number(r["labor_workinjury_first_fund"])
        if first_law is None:
            continue
        if first_ins is None:
            kind, detail = "employer-liability", "no risk-pooling law recorded, so employer liability"
        elif first_fund is None:
            kind, detail = "social-insurance", f"risk pooling (insurance) by law since {int(first_ins)}"
        else:
            kind, detail = "", (f"risk pooling since {int(first_ins)}, first as a provident fund "
                                f"({int(first_fund)}); today's form is not coded in GWIP")
        out[iso3] = dict(since=int(first_law), kind=kind,
                         basis=f"GWIP: first work-injury law {int(first_law)}; {detail}")
    return out


def sied_evidence() -> dict[tuple[str, str], dict]:
    rows = read(BASELINE / "sied_1930_2020_social_insurance_entitlements.csv")
    newest: dict[str, dict] = {}
    for r in rows:
        if r["country"] not in newest or int(r["year"]) > int(newest[r["country"]]["year"]):
            newest[r["country"]] = r
    out = {}
    for iso3, r in newest.items():
        for branch, (ratio_col, insured_col) in SIED_BRANCH.items():
            ratio, insured = number(r[ratio_col]), number(r[insured_col])
            if ratio is None:
                continue
            if ratio > 0 and insured is not None and insured > 0:
                out[(iso3, branch)] = dict(exists="yes", year=r["year"], basis=(
                    f"SIED {r['year']}: social insurance covers a share {ratio:.2f} of the relevant population"
                    f" ({ratio_col}), {int(insured)} thousand insured"))
            else:
                out[(iso3, branch)] = dict(exists="unknown", year=r["year"], basis=(
                    f"SIED {r['year']}: no social-insurance scheme of this branch coded ({ratio_col} {ratio:.2f},"
                    f" {insured_col} {fmt(insured) if insured is not None else 'empty'}); a scheme of another"
                    " kind may exist"))
    return out


def scheme_rows(known: list[str], best: dict, gwip: dict, sied: dict) -> list[dict]:
    out = []
    for iso3 in known:
        for branch in S.BRANCHES:
            exists, kind, since, basis, sources = "unknown", "", "", [], []
            obs = best.get((iso3, branch))
            if obs is not None:
                value = float(obs["value"])
                if value > 0:
                    exists = "yes"
                    basis.append(f"effective coverage {obs['value']}% in {obs['year']} ({obs['source']}) is above 0:"
                                 " at least one benefit of this branch reaches people")
                    sources.append(obs["source"])
                    if branch == "social-assistance":
                        kind = "social-assistance"
                else:
                    basis.append(f"effective coverage 0 in {obs['year']} ({obs['source']}): no benefit reached"
                                 " anyone, which does not prove there is no scheme")
                    sources.append(obs["source"])
            if branch == "employment-injury" and iso3 in gwip:
                g = gwip[iso3]
                exists, since = "yes", str(g["since"])
                kind = g["kind"] or kind
                basis.append(g["basis"])
                sources.append(GWIP)
            s = sied.get((iso3, branch))
            if s is not None:
                basis.append(s["basis"])
                sources.append(SIED)
                if s["exists"] == "yes":
                    exists = "yes"
                    if branch != "employment-injury" or not kind:
                        kind = "social-insurance"
            if not basis:
                basis.append("no source consulted here has an observation for this branch")
            out.append(dict(iso3=iso3, branch=branch, exists=exists, kind=kind if exists == "yes" else "",
                            since=since, basis="; ".join(basis), sources=";".join(dict.fromkeys(sources))))
    return out


# ---------------------------------------------------------------------------------------------------------
# Target-group sizes
# ---------------------------------------------------------------------------------------------------------

def wdi(name: str) -> dict[str, tuple[float, int]]:
    out = {}
    for r in read(WDI / name):
        v = number(r["value"])
        if v is not None and r["year"]:
            out[r["iso3"]] = (v, int(float(r["year"])))
    return out


def group_rows(known: dict[str, dict]) -> list[dict]:
    lf, ur, neet = wdi("sl_tlf_totl_in.csv"), wdi("sl_uem_totl_zs.csv"), wdi("sl_uem_neet_zs.csv")
    fe_share = wdi("sl_tlf_totl_fe_zs.csv")
    pop, pop_fe = wdi("sp_pop_totl.csv"), wdi("sp_pop_totl_fe_zs.csv")
    bands = {f"{a}_{s}": wdi(f"sp_pop_{a}_{s}_5y.csv") for a in ("1519", "2024", "5559", "6064") for s in ("fe", "ma")}
    informal = {r["iso3"]: (float(r["value"]), int(r["year"])) for r in read(ROOT / "kb" / "figures" /
                                                                              "informal-employment-share.csv")}
    out = []

    def add(iso3, group, people, year, sources, method="", flag=""):
        out.append(dict(iso3=iso3, group=group, people=str(round(people)), year=str(year), unit=S.PEOPLE_UNIT,
                        sources=";".join(sources), imputed="true" if method else "false", method=method, flag=flag))

    def people_in(iso3, ages):
        if iso3 not in pop or iso3 not in pop_fe or any(iso3 not in bands[f"{a}_{s}"] for a in ages
                                                          for s in ("fe", "ma")):
            return None
        total, fe = pop[iso3][0], pop_fe[iso3][0] / 100
        return sum(total * fe * bands[f"{a}_fe"][iso3][0] / 100 + total * (1 - fe) * bands[f"{a}_ma"][iso3][0] / 100
                   for a in ages), pop[iso3][1]

    for iso3, c in known.items():
        if iso3 in lf:
            labour, year = lf[iso3]
            add(iso3, "labour-force", labour, year, [WDI_LF])
            if iso3 in ur and ur[iso3][1] == year:
                rate = ur[iso3][0]
                employed = labour * (1 - rate / 100)
                add(iso3, "employed", employed, year, [WDI_LF, ILO_UNEMP],
                    f"labour force x (1 - unemployment rate {rate}%/100), both ILO modelled estimates for {year}")
                add(iso3, "unemployed", labour * rate / 100, year, [WDI_LF, ILO_UNEMP],
                    f"labour force x unemployment rate {rate}%/100, both ILO modelled estimates for {year}")
                if iso3 in fe_share and fe_share[iso3][1] == year:
                    share = fe_share[iso3][0]
                    add(iso3, "women-employed", employed * share / 100, year, [WDI_LF, WDI_LF_FEMALE, ILO_UNEMP],
                        f"employed x female share of the labour force {share:.2f}%/100: assumes women's unemployment"
                        " rate equals the total rate (no rate by sex in the inputs)")
                if iso3 in informal:
                    share, iyear = informal[iso3]
                    flag = "" if iyear == year else f"informality share is for {iyear}"
                    add(iso3, "informal-workers", employed * share / 100, year, [WDI_LF, ILO_UNEMP, INFORMAL],
                        f"employed ({year}) x informal employment share {share}% ({iyear}, ILOSTAT harmonized)", flag)
                ai = AI_EXPOSURE_SHARE.get(c["income_group"])
                if ai is not None:
                    share, group_name = ai
                    add(iso3, "genai-exposed-workers", employed * share / 100, year, [WDI_LF, ILO_UNEMP, IMF_SDN],
                        f"employed x {share}%, the IMF SDN 2024/001 share of employment exposed to AI in {group_name}"
                        f" (World Bank income group {c['income_group']} mapped to that IMF group); a group average,"
                        " not a country estimate")
        if iso3 in neet:
            youth = people_in(iso3, ("1519", "2024"))
            if youth is not None:
                rate, nyear = neet[iso3]
                flag = "" if nyear >= 2015 else "stale: NEET rate before 2015"
                add(iso3, "youth-neet", youth[0] * rate / 100, nyear, [WDI_NEET, WDI_POP],
                    f"population aged 15-24 ({youth[1]}, from the female and male 5-year age shares) x share of youth"
                    f" not in education, employment or training {rate}% ({nyear})", flag)
        older = people_in(iso3, ("5559", "6064"))
        if older is not None:
            add(iso3, "older-workers", older[0], older[1], [WDI_POP],
                "population aged 55-64 from total population x female share x female and male 5-year age shares;"
                " all people of that age, in work or not (no employment by age in the inputs)",
                "population aged 55-64, not only workers")
    for iso3, people, year, source, flag in PLATFORM_ESTIMATES:
        add(iso3, "platform-workers", people, year, [source], flag=flag)
    order = {g: i for i, g in enumerate(S.SIZE_GROUPS)}
    out.sort(key=lambda r: (r["iso3"], order[r["group"]]))
    return out


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=ROOT / "kb")
    args = parser.parse_args(argv)
    known = countries()
    cov = coverage_rows(set(known))
    best = latest(cov)
    schemes = scheme_rows(sorted(known), best, gwip_evidence(set(known)), sied_evidence())
    groups = group_rows(known)
    write(args.kb / "baseline" / "coverage.csv", S.COVERAGE_COLUMNS, cov)
    write(args.kb / "baseline" / "schemes.csv", S.SCHEME_COLUMNS, schemes)
    write(args.kb / "baseline" / "group-sizes.csv", S.GROUP_SIZE_COLUMNS, groups)
    print(f"coverage: {len(cov)} observations; schemes: {len(schemes)} rows "
          f"({sum(r['exists'] == 'yes' for r in schemes)} yes); group sizes: {len(groups)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
