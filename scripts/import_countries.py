"""How `kb/countries/` and `kb/figures/` were made: the reproducible import of the shared country data.

The product reads only `kb/`. This script documents, and can repeat, how the CSVs there were derived from
the public country files gathered for the project (copied into `docs/research/countries/`, described in its
`SOURCES.md`): which file feeds which indicator, which source id each value cites, what the flags mean, and
where the Chinese country names come from (CLDR through Babel). It never estimates or imputes: a country
without a value in the input gets no row.

Run from the project root:

    .venv/bin/python scripts/import_countries.py [--data docs/research/countries] [--kb kb]
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import babel
import pycountry

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "docs" / "research" / "countries"

CLASSIFICATION_SOURCE = "wb-class-fy2026"

INCOME_CODES = {
    "High income": "HIC",
    "Upper middle income": "UMC",
    "Lower middle income": "LMC",
    "Low income": "LIC",
    "Unclassified (FY2026)": "UNC",
}

# Global South as defined in kb/countries/README.md: the World Bank's low- and middle-income economies
# plus the two economies it left unclassified in FY2026 for want of data (Ethiopia, Venezuela).
GLOBAL_SOUTH_GROUPS = {"LIC", "LMC", "UMC", "UNC"}

# World Bank codes that are not ISO 3166-1 alpha-3, and the CLDR territory they map to (None: no single one).
WB_TO_ALPHA2 = {"XKX": "XK", "CHI": None}

# Chinese names chosen over CLDR, each with its reason (repeated in kb/countries/README.md).
NAME_ZH_OVERRIDES = {
    # CLDR has no Channel Islands territory; the World Bank economy covers the bailiwicks of Jersey and
    # Guernsey, whose CLDR names are joined under the usual Chinese name of the islands.
    "CHI": "海峡群岛（{JE}、{GG}）",
    # The World Bank names the economy "Taiwan, China"; CLDR's 台湾 is replaced by the matching 中国台湾.
    "TWN": "中国台湾",
}

SUPRANATIONAL = [
    # iso3, English, Chinese, G20 member
    ("EUU", "European Union", "欧洲联盟", True),
    ("OED", "Organisation for Economic Co-operation and Development (OECD)", "经济合作与发展组织", False),
    ("WLD", "United Nations system and global initiatives", "联合国系统与全球倡议", False),
]

STALE_BEFORE = 2015
STALE_FLAG = f"stale: latest year before {STALE_BEFORE}"


@dataclass(frozen=True)
class Series:
    """One KB indicator: the shared file it comes from, its value column, unit and source id."""

    indicator: str
    file: str
    column: str
    unit: str
    source: str
    kind: str = "plain"  # plain | weo2510 | weo-revenue | imf-datamapper


SERIES = [
    Series("gen-gov-revenue", "gen_gov_revenue_pct_gdp_imf_weo.csv", "value", "percent of GDP",
           "imf-weo-2025-10", "weo-revenue"),
    Series("gen-gov-expenditure", "gen_gov_expenditure_pct_gdp_imf_weo2510.csv", "value", "percent of GDP",
           "imf-weo-2025-10", "weo2510"),
    Series("gen-gov-net-lending", "gen_gov_net_lending_pct_gdp_imf_weo2510.csv", "value", "percent of GDP",
           "imf-weo-2025-10", "weo2510"),
    Series("gen-gov-gross-debt", "gov_gross_debt_pct_gdp_imf_weo2510.csv", "value", "percent of GDP",
           "imf-weo-2025-10", "weo2510"),
    Series("gdp-usd-bn", "gdp_current_usd_bn_imf_weo2510.csv", "value", "billion current US$",
           "imf-weo-2025-10", "weo2510"),
    Series("gdp-per-capita-usd", "gdp_per_capita_current_usd_imf_weo2510.csv", "value", "current US$",
           "imf-weo-2025-10", "weo2510"),
    Series("population", "population_millions_imf_weo2510.csv", "value", "million persons",
           "imf-weo-2025-10", "weo2510"),
    Series("gdp-per-capita-ppp", "gdp_per_capita_ppp.csv", "value", "current international $ (PPP)",
           "wb-wdi-gdp-per-capita-ppp"),
    Series("unemployment-rate", "unemployment_rate_ilo_modelled.csv", "value", "percent of labour force",
           "ilo-modelled-unemployment"),
    Series("unemployment-rate-imf", "unemployment_rate_imf_weo.csv", "value", "percent of labour force",
           "imf-datamapper-lur-2026", "imf-datamapper"),
    Series("informal-employment-share", "informal_employment_share.csv", "value",
           "percent of total employment", "ilostat-informal-employment-rate"),
    Series("social-protection-coverage", "social_protection_coverage.csv", "value", "percent of population",
           "un-sdg-1-3-1-coverage"),
    Series("account-ownership", "account_ownership.csv", "value", "percent of adults 15+", "wb-findex-2021"),
    Series("ai-preparedness-index", "ai_preparedness_index_imf.csv", "aipi", "index 0-1", "imf-aipi-2024"),
    Series("aipi-digital-infrastructure", "ai_preparedness_index_imf.csv", "digital_infrastructure",
           "index 0-1", "imf-aipi-2024"),
    Series("aipi-human-capital-labour-policy", "ai_preparedness_index_imf.csv",
           "human_capital_labor_market_policies", "index 0-1", "imf-aipi-2024"),
    Series("aipi-innovation-integration", "ai_preparedness_index_imf.csv", "innovation_economic_integration",
           "index 0-1", "imf-aipi-2024"),
    Series("aipi-regulation-ethics", "ai_preparedness_index_imf.csv", "regulation_ethics", "index 0-1",
           "imf-aipi-2024"),
    Series("tax-revenue-central", "tax_revenue_pct_gdp.csv", "value", "percent of GDP", "wb-wdi-tax-revenue"),
]


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def alpha2(iso3: str) -> str | None:
    if iso3 in WB_TO_ALPHA2:
        return WB_TO_ALPHA2[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise SystemExit(f"{iso3}: not an ISO 3166-1 alpha-3 code and not a known World Bank code")
    return country.alpha_2


def chinese_name(iso3: str, territories: dict) -> str:
    if iso3 in NAME_ZH_OVERRIDES:
        return NAME_ZH_OVERRIDES[iso3].format(**territories)
    code = alpha2(iso3)
    name = territories.get(code)
    if not name:
        raise SystemExit(f"{iso3}: CLDR has no Chinese name for territory {code}")
    return name


def boolean(text: str) -> str:
    return {"True": "true", "False": "false"}[text]


def country_rows(data: Path) -> list[dict]:
    territories = babel.Locale.parse("zh_Hans").territories
    out = []
    for row in read_rows(data / "countries.csv"):
        income = INCOME_CODES[row["wb_income_group"]]
        out.append({
            "iso3": row["iso3"],
            "name_en": row["name"],
            "name_zh": chinese_name(row["iso3"], territories),
            "wb_region": row["wb_region"],
            "income_group": income,
            "un_member": boolean(row["un_member"]),
            "g20_member": boolean(row["g20_member"]),
            "global_south": "true" if income in GLOBAL_SOUTH_GROUPS else "false",
            "source": CLASSIFICATION_SOURCE,
        })
    return sorted(out, key=lambda r: r["iso3"])


def supranational_rows() -> list[dict]:
    # Region, income group and the Global South flag do not apply to a supranational body: left empty.
    return [{"iso3": code, "name_en": en, "name_zh": zh, "wb_region": "", "income_group": "",
             "un_member": "false", "g20_member": "true" if g20 else "false", "global_south": "",
             "source": CLASSIFICATION_SOURCE} for code, en, zh, g20 in SUPRANATIONAL]


OUTSIDE_RANGE = "outside 10-60 range"
OUTSIDE_RANGE_TEXT = "outside 10-60 percent of GDP (the published IMF figure; see the IMF country note)"


def fiscal_year_status(data: Path) -> dict[tuple[str, str, int], bool | None]:
    """Whether a fiscal-year economy's value is an IMF staff estimate, as decided for the revenue file.

    The revenue file's preparers mapped each `FY…` label to a calendar year with the rule in the IMF country
    note. Another WEO series of the same economy with the same latest-actual label and the same year has the
    same status, so the decision is reused; `None` means the note states no rule.
    """
    status: dict[tuple[str, str, int], bool | None] = {}
    for row in read_rows(data / "gen_gov_revenue_pct_gdp_imf_weo.csv"):
        latest = row["imf_latest_actual"].strip()
        if not latest.startswith("FY"):
            continue
        flag = row["flag"]
        known = None if "not stated" in flag else "IMF staff estimate" in flag
        status[(row["iso3"], latest, int(row["year"]))] = known
    return status


def figure_flag(series: Series, row: dict, year: int, fy_status: dict) -> str:
    """The caveats a reader must see next to the value, from the input file and the stale-year rule."""
    parts = [p.strip() for p in (row.get("flag") or "").split(";") if p.strip()]
    parts = [OUTSIDE_RANGE_TEXT if p == OUTSIDE_RANGE else p for p in parts]
    latest = (row.get("imf_latest_actual") or "").strip()
    if series.kind == "weo2510":
        if parts == ["IMF staff estimate"] and latest:
            parts = [f"IMF staff estimate (latest actual {latest})"]
        elif not parts and latest.startswith("FY"):
            known = fy_status.get((row["iso3"], latest, year), "unknown")
            if known is True:
                parts = [f"IMF staff estimate (latest actual {latest})"]
            elif known is None or known == "unknown":
                parts = [f"fiscal-year data (latest actual {latest}); whether {year} is actual is not known"]
    if series.kind == "imf-datamapper" and year >= 2025:
        parts.append(f"{year} value from an IMF DataMapper vintage of 2026; may be an IMF estimate")
    if year < STALE_BEFORE and not any(p.startswith("stale") for p in parts):
        parts.append(STALE_FLAG)
    return "; ".join(parts)


def figure_rows(series: Series, data: Path, known: set[str]) -> list[dict]:
    fy_status = fiscal_year_status(data)
    out = []
    for row in read_rows(data / series.file):
        value = (row.get(series.column) or "").strip()
        if not value:
            continue  # missing means missing: no row
        if row["iso3"] not in known:
            raise SystemExit(f"{series.file}: {row['iso3']} is not one of the World Bank economies")
        year = int(row["year"])
        out.append({"iso3": row["iso3"], "value": value, "year": str(year), "unit": series.unit,
                    "source": series.source, "flag": figure_flag(series, row, year, fy_status)})
    return sorted(out, key=lambda r: r["iso3"])


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the shared country files")
    parser.add_argument("--kb", type=Path, default=ROOT / "kb", help="KB folder to write into")
    args = parser.parse_args(argv)
    columns = ["iso3", "name_en", "name_zh", "wb_region", "income_group", "un_member", "g20_member",
               "global_south", "source"]
    countries = country_rows(args.data)
    write_csv(args.kb / "countries" / "countries.csv", columns, countries)
    write_csv(args.kb / "countries" / "supranational.csv", columns, supranational_rows())
    known = {r["iso3"] for r in countries}
    for series in SERIES:
        rows = figure_rows(series, args.data, known)
        write_csv(args.kb / "figures" / f"{series.indicator}.csv",
                  ["iso3", "value", "year", "unit", "source", "flag"], rows)
        print(f"{series.indicator}: {len(rows)} rows")
    print(f"countries: {len(countries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
