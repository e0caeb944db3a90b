"""Write the costing model's demographic inputs into kb/figures/ from copies of the publishers' datasets.

Run: .venv/bin/python scripts/import_costing.py   (then `policyatlas validate`)

- working-age-share.csv: WDI SP.POP.1564.TO.ZS, population aged 15-64 as % of the total population, 2024
  (docs/research/countries/wdi/sp_pop_1564_to_zs.csv; see its SOURCES.md);
- population-growth.csv: IMF WEO October 2025 population (LP), growth from 2024 to the WEO's 2025 projection,
  % per year (docs/research/countries/population_millions_imf_weo2510.csv; see its SOURCES.md). Flagged as a
  projection. Economies without a 2025 value have no row.
Nothing is estimated: a missing value has no row.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESEARCH = ROOT / "docs" / "research" / "countries"
OUT = ROOT / "kb" / "figures"
COUNTRIES = {r["iso3"] for r in csv.DictReader(open(ROOT / "kb" / "countries" / "countries.csv", encoding="utf-8"))}
HEADER = ["iso3", "value", "year", "unit", "source", "flag"]


def _num(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _write(name: str, rows: list[list]) -> None:
    with open(OUT / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(sorted(rows))


def working_age() -> list[list]:
    rows = []
    for r in csv.DictReader(open(RESEARCH / "wdi" / "sp_pop_1564_to_zs.csv", encoding="utf-8")):
        if r["iso3"] in COUNTRIES and r["value"]:
            rows.append([r["iso3"], _num(float(r["value"]), 3), int(float(r["year"])), "percent of population",
                         "wb-wdi-population-ages-15-64", ""])
    return rows


def population_growth() -> list[list]:
    rows = []
    for r in csv.DictReader(open(RESEARCH / "population_millions_imf_weo2510.csv", encoding="utf-8")):
        if r["iso3"] not in COUNTRIES or not r["value"] or not r["value_2025"] or r["year"] != "2024":
            continue
        growth = 100.0 * (float(r["value_2025"]) / float(r["value"]) - 1.0)
        rows.append([r["iso3"], _num(growth, 3), 2025, "percent per year", "imf-weo-2025-10",
                     "IMF projection: population 2025 against 2024"])
    return rows


def main() -> None:
    _write("working-age-share", working_age())
    _write("population-growth", population_growth())


if __name__ == "__main__":
    main()
