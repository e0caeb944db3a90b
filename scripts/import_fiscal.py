"""Write the fiscal-space v2 inputs into kb/figures/ from the copies in docs/research/fiscal/.

Run: .venv/bin/python scripts/import_fiscal.py   (then `policyatlas validate`)

- interest-pct-revenue.csv: WDI GC.XPN.INTP.RV.ZS, latest year per economy (rows older than 2015 flagged stale);
- oda-pct-gni.csv: WDI DT.ODA.ODAT.GN.ZS, latest year (rows older than 2015 flagged stale);
- debt-distress-risk.csv: IMF LIC DSA list as of 2023-11-30, coded 1 low, 2 moderate, 3 high, 4 in debt distress;
  the year is that of the latest DSA; rows without a LIC DSF rating are left out;
- sovereign-default.csv: external commercial defaults since 2020, from the news sources in DEFAULTS (value 1, the
  year of the default).
Nothing is estimated: a missing value has no row.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "docs" / "research" / "fiscal"
OUT = ROOT / "kb" / "figures"
COUNTRIES = {r["iso3"] for r in csv.DictReader(open(ROOT / "kb" / "countries" / "countries.csv", encoding="utf-8"))}
STALE_BEFORE = 2015
RISK = {"Low": 1, "Moderate": 2, "High": 3, "In debt distress": 4}
# iso3 -> (year, source id): a missed external commercial payment past its grace period, as the source reports
DEFAULTS = {
    "ZMB": (2020, "news-2021-zambia-eurobond-default"),
    "LKA": (2022, "news-2022-sri-lanka-default"),
    "GHA": (2022, "news-2022-ghana-external-debt-suspension"),
    "ETH": (2023, "news-2023-ethiopia-eurobond-default"),
}
HEADER = ["iso3", "value", "year", "unit", "source", "flag"]
# Economies WDI has no interest figure for, where a publisher's figure was read (iso3 -> value, year, source, flag)
HAND_INTEREST = {
    "NGA": ("96.3", 2022, "news-2023-nigeria-debt-service-revenue",
            "federal government debt service to revenue (World Bank Macro Poverty Outlook, April 2023), not WDI"),
}


def _write(name: str, rows: list[list]) -> None:
    with open(OUT / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(sorted(rows))


def _wdi(file: str, unit: str, source: str, digits: int = 3) -> list[list]:
    rows = []
    for r in csv.DictReader(open(SRC / file, encoding="utf-8")):
        if r["iso3"] not in COUNTRIES or not r["value"]:
            continue
        year = int(float(r["year"]))
        flag = f"stale: latest year before {STALE_BEFORE}" if year < STALE_BEFORE else ""
        rows.append([r["iso3"], f"{float(r['value']):.{digits}f}".rstrip("0").rstrip("."), year, unit, source, flag])
    return rows


def main() -> None:
    interest = _wdi("gc_xpn_intp_rv_zs.csv", "percent of revenue", "wb-wdi-interest-payments")
    have = {r[0] for r in interest}
    interest += [[iso, v, y, "percent of revenue", src, flag]
                 for iso, (v, y, src, flag) in HAND_INTEREST.items() if iso not in have]
    _write("interest-pct-revenue", interest)
    oda_unit = "net flow, percent of GNI (negative = net repayments)"
    _write("oda-pct-gni", _wdi("dt_oda_odat_gn_zs.csv", oda_unit, "wb-wdi-net-oda"))
    risk_unit = "LIC DSF risk of debt distress (1 low, 2 moderate, 3 high, 4 in debt distress)"
    rows = []
    for r in csv.DictReader(open(SRC / "imf_lic_dsa_list_as_of_2023-11-30.csv", encoding="utf-8")):
        code = RISK.get(r["risk_of_distress"])
        if code is None or r["iso3c"] not in COUNTRIES:
            continue
        year = int(r["date_latest_pub"][:4])
        flag = f"stale: latest DSA before {STALE_BEFORE}" if year < STALE_BEFORE else ""
        rows.append([r["iso3c"], code, year, risk_unit, "imf-lic-dsa-list-2023-11", flag])
    _write("debt-distress-risk", rows)
    _write("sovereign-default", [[iso, 1, year, "external commercial default (1 = yes)", src, ""]
                                 for iso, (year, src) in DEFAULTS.items()])


if __name__ == "__main__":
    main()
