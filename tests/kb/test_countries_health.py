"""Data health of the country side of the KB: `kb/countries/`, `kb/indicators/`, `kb/figures/` and the sources
they cite, read straight from the files an analyst edits; and `policyatlas stats`, checked against counts made
here from those same files.

Every figure must carry a value, a year, a unit and a source that resolves; every economy both names; the
Global South flag must follow its documented definition (kb/countries/README.md). A failure message says
which file and row to fix.

Run: .venv/bin/python -m pytest tests/kb/test_countries_health.py
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli

KB = ROOT / "kb"
COUNTRY_COLUMNS = ["iso3", "name_en", "name_zh", "wb_region", "income_group", "un_member", "g20_member",
                   "global_south", "source"]
FIGURE_COLUMNS = ["iso3", "value", "year", "unit", "source", "flag"]
CJK = re.compile(r"[\u3400-\u9fff]")

# The indicator ids the evaluator, planner and UI rely on (issue 3 / the task brief).
REQUIRED_INDICATORS = {
    "gen-gov-revenue", "gen-gov-expenditure", "gen-gov-net-lending", "gen-gov-gross-debt", "gdp-usd-bn",
    "gdp-per-capita-usd", "gdp-per-capita-ppp", "population", "unemployment-rate", "unemployment-rate-imf",
    "informal-employment-share", "social-protection-coverage", "account-ownership", "ai-preparedness-index",
    "aipi-digital-infrastructure", "aipi-human-capital-labour-policy", "aipi-innovation-integration",
    "aipi-regulation-ethics", "tax-revenue-central",
}
ALLOWED_UNITS = {"percent of GDP", "billion current US$", "current US$", "current international $ (PPP)",
                 "million persons", "percent of labour force", "percent of total employment",
                 "percent of population", "percent of adults 15+", "index 0-1",
                 # fiscal space v2 (issue 14): WDI interest and ODA, the IMF-World Bank LIC DSF rating, defaults
                 "percent of revenue", "net flow, percent of GNI (negative = net repayments)",
                 "LIC DSF risk of debt distress (1 low, 2 moderate, 3 high, 4 in debt distress)",
                 "external commercial default (1 = yes)",
                 # costing (issue 14): IMF WEO population growth
                 "percent per year"}
G20_COUNTRIES = {"ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "FRA", "GBR", "IDN", "IND", "ITA", "JPN", "KOR", "MEX",
                 "RUS", "SAU", "TUR", "USA", "ZAF"}
STALE_BEFORE = 2015


def read_csv(path: Path, columns: list[str]) -> list[tuple[int, dict]]:
    """Rows with the file line they are on; the header must be exactly `columns`."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert header == columns, f"{path.relative_to(ROOT)}:1: header must be {','.join(columns)}"
        return [(reader.line_num, dict(zip(columns, row, strict=True))) for row in reader]


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def countries() -> list[tuple[int, dict]]:
    return read_csv(KB / "countries" / "countries.csv", COUNTRY_COLUMNS)


@pytest.fixture(scope="module")
def source_ids() -> set[str]:
    return {p.stem for p in (KB / "sources").glob("*.yaml")}


@pytest.fixture(scope="module")
def indicators() -> dict[str, dict]:
    return {p.stem: load_yaml(p) for p in (KB / "indicators").glob("*.yaml")}


@pytest.fixture(scope="module")
def figures() -> dict[str, list[tuple[int, dict]]]:
    return {p.stem: read_csv(p, FIGURE_COLUMNS) for p in (KB / "figures").glob("*.csv")}


# ---- countries ---------------------------------------------------------------------------------------------

def test_all_218_economies_once_with_both_names(countries):
    codes = [row["iso3"] for _, row in countries]
    assert len(codes) == 218, f"kb/countries/countries.csv has {len(codes)} economies, the World Bank lists 218"
    assert len(set(codes)) == len(codes), "an ISO3 code appears twice"
    for line, row in countries:
        where = f"kb/countries/countries.csv:{line}"
        assert re.fullmatch(r"[A-Z]{3}", row["iso3"]), f"{where}: {row['iso3']!r} is not an upper-case code"
        assert row["name_en"].strip(), f"{where}: English name missing"
        assert CJK.search(row["name_zh"]), f"{where}: Chinese name {row['name_zh']!r} has no Chinese characters"
        assert row["wb_region"].strip(), f"{where}: World Bank region missing"
        for col in ("un_member", "g20_member", "global_south"):
            assert row[col] in ("true", "false"), f"{where}: {col} must be true or false"


def test_chinese_names_are_distinct(countries):
    seen: dict[str, str] = {}
    for _, row in countries:
        assert row["name_zh"] not in seen, f"{row['iso3']} and {seen.get(row['name_zh'])} share {row['name_zh']}"
        seen[row["name_zh"]] = row["iso3"]


def test_classification_codes_and_memberships(countries, source_ids):
    rows = {row["iso3"]: row for _, row in countries}
    assert {r["income_group"] for r in rows.values()} <= {"HIC", "UMC", "LMC", "LIC", "UNC"}
    assert {c for c, r in rows.items() if r["income_group"] == "UNC"} == {"ETH", "VEN"}, \
        "Ethiopia and Venezuela are the FY2026 unclassified economies"
    assert sum(r["un_member"] == "true" for r in rows.values()) == 193, "the UN has 193 member states"
    assert {c for c, r in rows.items() if r["g20_member"] == "true"} == G20_COUNTRIES
    for code, row in rows.items():
        assert row["source"] in source_ids, f"{code}: source {row['source']!r} is not in kb/sources/"
    # A few published FY2026 classifications and CLDR names, as anchors against a shifted column.
    assert (rows["DEU"]["income_group"], rows["IND"]["income_group"], rows["CRI"]["income_group"]) == \
        ("HIC", "LMC", "HIC")
    assert rows["NAM"]["income_group"] == "LMC" and rows["CPV"]["income_group"] == "UMC"
    assert rows["XKX"]["name_zh"] == "科索沃" and rows["CHN"]["name_zh"] == "中国"


def test_global_south_follows_its_definition(countries):
    """kb/countries/README.md: low- and middle-income economies plus the unclassified ones."""
    for line, row in countries:
        expected = "true" if row["income_group"] in {"LIC", "LMC", "UMC", "UNC"} else "false"
        assert row["global_south"] == expected, \
            f"kb/countries/countries.csv:{line}: {row['iso3']} ({row['income_group']}) global_south must be {expected}"


def test_supranational_jurisdictions(source_ids):
    rows = read_csv(KB / "countries" / "supranational.csv", COUNTRY_COLUMNS)
    assert [row["iso3"] for _, row in rows] == ["EUU", "OED", "WLD"]
    for line, row in rows:
        assert row["income_group"] == row["global_south"] == "", \
            f"supranational.csv:{line}: income group and Global South do not apply to a supranational body"
        assert CJK.search(row["name_zh"]) and row["name_en"], f"supranational.csv:{line}: both names needed"
        assert row["source"] in source_ids


# ---- indicators and figures -----------------------------------------------------------------------------

def test_required_indicators_defined_in_both_languages(indicators, source_ids):
    missing = REQUIRED_INDICATORS - set(indicators)
    assert not missing, f"missing kb/indicators/ files: {sorted(missing)}"
    for iid, doc in indicators.items():
        assert doc["id"] == iid, f"kb/indicators/{iid}.yaml: id must equal the file name"
        for key in ("label", "definition"):
            assert doc[key]["en"].strip(), f"kb/indicators/{iid}.yaml: {key}.en missing"
            assert CJK.search(doc[key]["zh"]), f"kb/indicators/{iid}.yaml: {key}.zh has no Chinese"
        assert doc["unit"] in ALLOWED_UNITS, f"kb/indicators/{iid}.yaml: unit {doc['unit']!r} not in the list"
        assert doc["sources"] and set(doc["sources"]) <= source_ids, f"kb/indicators/{iid}.yaml: bad sources"


def test_every_indicator_has_a_figure_file_and_back(indicators, figures):
    assert set(figures) == set(indicators), \
        f"figure files without indicator: {sorted(set(figures) - set(indicators))}; " \
        f"indicators without figures: {sorted(set(indicators) - set(figures))}"


def test_every_figure_row_is_complete_and_resolves(figures, indicators, countries, source_ids):
    codes = {row["iso3"] for _, row in countries}
    for iid, rows in figures.items():
        ind = indicators[iid]
        assert rows, f"kb/figures/{iid}.csv has no rows"
        seen = set()
        for line, row in rows:
            where = f"kb/figures/{iid}.csv:{line}"
            assert row["iso3"] in codes, f"{where}: {row['iso3']!r} is not a country in kb/countries/"
            assert row["iso3"] not in seen, f"{where}: {row['iso3']} has a second row; keep one per country"
            seen.add(row["iso3"])
            value = float(row["value"])  # raises with the bad text if it is not a number
            year = int(row["year"])
            assert 1970 <= year <= 2026, f"{where}: year {year} is implausible"
            assert row["unit"] == ind["unit"], f"{where}: unit {row['unit']!r} differs from the indicator's"
            assert row["source"] in source_ids, f"{where}: source {row['source']!r} is not in kb/sources/"
            if "min" in ind:
                assert value >= ind["min"], f"{where}: {value} below the indicator's minimum {ind['min']}"
            if "max" in ind:
                assert value <= ind["max"], f"{where}: {value} above the indicator's maximum {ind['max']}"


def test_old_figures_are_flagged_stale(figures):
    for iid, rows in figures.items():
        for line, row in rows:
            if int(row["year"]) < STALE_BEFORE:
                assert "stale" in row["flag"], f"kb/figures/{iid}.csv:{line}: {row['year']} value needs a stale flag"


def test_imf_estimates_and_informality_caveats_are_kept(figures):
    revenue_flags = [row["flag"] for _, row in figures["gen-gov-revenue"]]
    assert sum("IMF staff estimate" in f for f in revenue_flags) >= 40, "IMF staff-estimate flags were dropped"
    informal = {row["iso3"]: row["flag"] for _, row in figures["informal-employment-share"]}
    for code in ("DEU", "FRA"):
        assert "harmonized series" in informal[code], f"{code}: the European HIC informality caveat is missing"


def test_g20_have_the_fiscal_figures_the_planner_needs(figures):
    for iid in ("gen-gov-revenue", "gen-gov-expenditure", "gen-gov-gross-debt", "gdp-usd-bn", "population"):
        covered = {row["iso3"] for _, row in figures[iid]}
        assert G20_COUNTRIES <= covered, f"{iid}: no value for {sorted(G20_COUNTRIES - covered)}"


# ---- sources ------------------------------------------------------------------------------------------

def test_cited_sources_are_complete(countries, indicators, figures):
    cited = {row["source"] for _, row in countries}
    cited |= {s for doc in indicators.values() for s in doc["sources"]}
    cited |= {row["source"] for rows in figures.values() for _, row in rows}
    for sid in sorted(cited):
        path = KB / "sources" / f"{sid}.yaml"
        doc = load_yaml(path)
        where = f"kb/sources/{sid}.yaml"
        assert doc["id"] == sid and doc["title"].strip() and isinstance(doc["year"], int), where
        assert doc.get("authors") or doc.get("publisher"), f"{where}: needs authors or a publisher"
        assert doc.get("doi") or doc.get("url"), f"{where}: needs a DOI or a URL"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(doc["accessed"])), f"{where}: accessed must be YYYY-MM-DD"
        if doc["type"] == "dataset" and "github" not in (doc.get("url") or ""):
            assert "commit" in (doc.get("notes") or ""), \
                f"{where}: a dataset read from a copy must name the copy and its commit in notes"


# ---- policyatlas stats agrees with the files ------------------------------------------------------------

@pytest.fixture(scope="module")
def stats(atlas):
    """The stats of the compiled KB (`make test` builds it from kb/ first, so it matches the files)."""
    from policyatlas.cli.commands.stats import collect

    return collect(atlas)


def test_stats_counts_match_the_files(stats, countries, figures, indicators):
    assert stats["counts"]["countries"] == len(countries)
    assert stats["counts"]["supranational"] == 3
    assert stats["counts"]["indicators"] == len(indicators)
    assert stats["counts"]["observations"] == sum(len(rows) for rows in figures.values())
    by_indicator = {f["indicator"]: f for f in stats["figures"]["indicators"]}
    for iid, rows in figures.items():
        assert by_indicator[iid]["countries"] == len(rows), iid
        assert by_indicator[iid]["flagged_rows"] == sum(1 for _, r in rows if r["flag"]), iid
    assert stats["figures"]["global_south"] == sum(r["global_south"] == "true" for _, r in countries)


def test_stats_lists_exactly_the_countries_without_programme(stats, countries):
    with_programme = set()
    for path in (KB / "programmes").glob("*.yaml"):
        with_programme.add(load_yaml(path)["jurisdiction"])
    expected = sorted(row["iso3"] for _, row in countries if row["iso3"] not in with_programme)
    assert sorted(c["iso3"] for c in stats["countries_without_programme"]) == expected
    programmes = len(list((KB / "programmes").glob("*.yaml")))
    assert sum(p["programmes"] for p in stats["programmes_by_income_group"]) == programmes


def test_the_issue_3_floors_hold(stats):
    unmet = [f for f in stats["floors"] if not f["met"]]
    assert not unmet, "floors not met: " + "; ".join(f"{f['what']}: {f['actual']} < {f['required']}" for f in unmet)


def test_stats_cli_json_and_markdown(tmp_path):
    out = tmp_path / "coverage.md"
    proc = run_cli("stats", "--format", "json", "--write", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["counts"]["countries"] == 218
    text = out.read_text(encoding="utf-8")
    for heading in ("## Entities by type", "## Programmes by income group", "## Evidence by study design",
                    "## Countries with no programme yet", "## Figure coverage per indicator"):
        assert heading in text
    bad = run_cli("stats", "--format", "yaml")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_stats_counts_a_working_copy_given_with_kb():
    """An analyst's working copy (--kb) is counted, not the project's KB: here the small valid fixture."""
    fixture = ROOT / "tests" / "fixtures" / "valid" / "kb"
    proc = run_cli("stats", "--kb", str(fixture), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    expected = len(read_csv(fixture / "countries" / "countries.csv", COUNTRY_COLUMNS))
    assert data["counts"]["countries"] == expected
    assert data["counts"]["programmes"] == len(list((fixture / "programmes").glob("*.yaml")))
    assert not next(f for f in data["floors"] if f["floor"] == "countries")["met"]
