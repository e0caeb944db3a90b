"""The costing checks in docs/planner.md, recomputed from the code on the built KB: the country table, the
national programme checks (model / published within a factor of two, or the miss stated) and the UBI and base
layer by income group. A doc figure that no longer matches the code fails here (tolerances in the markers)."""

from __future__ import annotations

import csv
import re
import statistics

import pytest

from evaluator.models.costing import ROOT, action_cost

DOC = ROOT / "docs" / "planner.md"
COUNTRIES = ["KEN", "IND", "NGA", "ZAF", "DEU", "USA", "JPN", "BRA", "PAK", "ETH"]
COUNTRY_INSTRUMENTS = ["targeted-cash-transfer", "negative-income-tax", "universal-basic-income",
                       "unemployment-insurance"]
BASE_LAYER = ("targeted-cash-transfer", "unemployment-insurance", "public-employment-programme")
GROUPS = ("HIC", "UMC", "LMC", "LIC")
TOLERANCE = 2.0  # model / published within [1/2, 2]
# label, iso3, instrument, people priced, published % of GDP (sources in docs/planner.md)
CHECKS = [
    ("South Africa, social grants 2017/18", "ZAF", "targeted-cash-transfer", 17.0e6, 3.2),
    ("Germany, Kurzarbeit 2009", "DEU", "short-time-work", 1.0e6, 0.19),
    ("Brazil, Bolsa Família 2024", "BRA", "targeted-cash-transfer", 55.0e6, 1.44),
    ("Mexico, Prospera 2015", "MEX", "targeted-cash-transfer", 26.6e6, 0.4),
    ("India, MGNREGA 2023-24", "IND", "public-employment-programme", 30.5e6, 0.29),
]


def country_rows(facts) -> list[str]:
    rows = []
    for iso in COUNTRIES:
        cells = [f"{action_cost(facts, iso, i).central:.2f}" for i in COUNTRY_INSTRUMENTS]
        t = action_cost(facts, iso, "targeted-cash-transfer")
        rows.append(f"| {iso} | " + " | ".join(cells) + f" | {100 * t.per_person['share_of_gdp_per_capita']:.1f}% | "
                    f"{t.beneficiaries / 1e6:.1f} |")
    return rows


def check_rows(facts) -> list[str]:
    rows = []
    for label, iso, iid, people, published in CHECKS:
        a = action_cost(facts, iso, iid, people)
        ratio = a.central / published
        verdict = "within" if 1 / TOLERANCE <= ratio <= TOLERANCE else "**outside**"
        rows.append(f"| {label} ({iid}, {people / 1e6:.1f} million) | {published:.2f} | {a.central:.2f} "
                    f"({a.low:.2f}-{a.high:.2f}) | {ratio:.2f} | {verdict} |")
    return rows


def by_group(facts) -> dict[str, tuple[list[float], list[float]]]:
    out: dict[str, tuple[list[float], list[float]]] = {}
    for iso, rec in sorted(facts.countries.items()):
        if rec.supranational or rec.income_group not in GROUPS:
            continue
        ubi = action_cost(facts, iso, "universal-basic-income").central
        base = sum(action_cost(facts, iso, i).central for i in BASE_LAYER)
        u, b = out.setdefault(rec.income_group, ([], []))
        u.append(ubi)
        b.append(base)
    return out


def _iqr(values: list[float], digits: int) -> str:
    q = statistics.quantiles(values, n=4)
    return f"{statistics.median(values):.{digits}f} ({q[0]:.{digits}f}-{q[2]:.{digits}f})"


def ubi_rows(facts) -> list[str]:
    groups = by_group(facts)
    return [f"| {g} | {len(groups[g][0])} | {_iqr(groups[g][0], 1)} | {_iqr(groups[g][1], 2)} |" for g in GROUPS]


def summary(facts) -> dict[str, str]:
    groups = by_group(facts)
    lmic = [b for g in ("UMC", "LMC", "LIC") for b in groups[g][1]]
    return {"LMIC_FLOOR": f"{statistics.median(lmic):.2f}", "LIC_FLOOR": f"{statistics.median(groups['LIC'][1]):.2f}",
            "LIC_UBI": f"{statistics.median(groups['LIC'][0]):.1f}"}


def _table(marker: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    block = text[text.index(f"<!-- {marker}:"):].split("\n\n", 1)[0]
    return [[c.strip() for c in line.strip("|").split("|")] for line in block.splitlines()[3:]]


def _numbers(cell: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", cell.replace(",", ""))]


@pytest.fixture(scope="module")
def facts(atlas):
    from evaluator.assess.facts import KBFacts
    return KBFacts.from_atlas(atlas)


def _compare(doc_rows: list[list[str]], code_rows: list[str], tol: float) -> None:
    code = [[c.strip() for c in r.strip("|").split("|")] for r in code_rows]
    assert len(doc_rows) == len(code), "the doc table and the code disagree on the rows"
    for d, c in zip(doc_rows, code, strict=True):
        assert d[0] == c[0]
        got, want = _numbers(" ".join(d[1:])), _numbers(" ".join(c[1:]))
        assert len(got) == len(want), (d, c)
        assert all(abs(a - b) <= tol for a, b in zip(got, want, strict=True)), f"docs/planner.md {d} != code {c}"
        assert ("outside" in " ".join(d)) == ("outside" in " ".join(c)), (d, c)


def test_the_country_table_matches_the_code(facts):
    _compare(_table("costing-countries"), country_rows(facts), 0.006)


def test_the_national_checks_match_the_code_and_state_the_verdict(facts):
    _compare(_table("costing-checks"), check_rows(facts), 0.006)
    misses = [label for (label, *_), row in zip(CHECKS, check_rows(facts), strict=True) if "outside" in row]
    text = DOC.read_text(encoding="utf-8")
    for label in misses:  # every miss is explained in the notes under the table
        assert f"**{label.split(',')[0]}" in text and "Outside the tolerance" in text


def test_the_ubi_and_base_layer_by_income_group_match_the_code(facts):
    _compare(_table("costing-ubi"), ubi_rows(facts), 0.06)
    text = DOC.read_text(encoding="utf-8")
    for key, value in summary(facts).items():
        assert f"({value}%)" in text or f"{value}% of GDP" in text, (key, value)


def test_population_growth_is_the_imf_weo_arithmetic():
    src = ROOT / "docs" / "research" / "countries" / "population_millions_imf_weo2510.csv"
    kb = {r["iso3"]: float(r["value"]) for r in csv.DictReader(open(ROOT / "kb" / "figures" / "population-growth.csv",
                                                                  encoding="utf-8"))}
    rows = [r for r in csv.DictReader(open(src, encoding="utf-8")) if r["iso3"] in kb]
    assert len(rows) == len(kb) > 150
    for r in rows:
        assert kb[r["iso3"]] == pytest.approx(100 * (float(r["value_2025"]) / float(r["value"]) - 1), abs=6e-4)
