"""Data health of kb/programmes, kb/evidence and the sources they cite.

These tests read the YAML files directly (not through the loader), so they check the data against the
contract in docs/contracts.md and the promises of the KB (DESIGN.md, issue 3) independently of the code that
compiles it: required keys, every reference resolving, contested evidence linked both ways, the five key
references with their correct citations, the coverage floors. Each failure message says which file to fix.

Run: .venv/bin/python -m pytest -q tests/kb/test_programmes_evidence_health.py
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KB = ROOT / "kb"

# The contract (DESIGN.md): the 27 canonical instruments and 11 target groups.
INSTRUMENTS = {
    "unemployment-insurance", "platform-worker-social-insurance", "short-time-work", "career-transition-allowance",
    "targeted-cash-transfer", "public-employment-programme", "negative-income-tax", "individual-learning-account",
    "micro-credentials", "career-transition-insurance", "vocational-skills-programme",
    "digital-skills-infrastructure", "employment-services", "wage-subsidy", "conditional-basic-income",
    "universal-basic-income", "reduced-working-hours", "employment-impact-assessment",
    "labour-market-monitoring-platform", "ai-impact-tax", "skills-investment-obligation",
    "human-centred-ai-standards", "ai-transition-fund", "supply-chain-retraining-responsibility",
    "digital-financial-inclusion", "psychosocial-support", "community-rebuilding",
}
TARGET_GROUPS = {
    "older-workers", "low-education-workers", "women", "youth", "informal-workers", "platform-workers",
    "long-term-unemployed", "high-ai-exposure-workers", "rural-workers", "persons-with-disabilities",
    "developing-country-workers",
}
SUPRANATIONAL = {"EUU", "OED", "WLD"}
PROGRAMME_KEYS = {"id", "name", "jurisdiction", "instruments", "branches", "start_year", "end_year", "status",
                  "applies_from", "implementer", "scale", "target_groups", "beneficiaries", "coverage_pct", "cost",
                  "responsible_body", "legal_basis", "confirmation", "last_verified", "sources", "notes",
                  "summary"}
EVIDENCE_KEYS = {"id", "instruments", "programmes", "design", "outcomes", "direction", "finding", "magnitude",
                 "population", "finding_zh", "magnitude_zh", "population_zh",
                 "unconfirmed_zh", "setting_countries", "strength", "contested_by", "confirmation", "unconfirmed",
                 "sources", "effects"}
SOURCE_KEYS = {"id", "title", "authors", "publisher", "year", "doi", "url", "accessed", "type", "corrects", "notes"}
OUTCOMES = {"employment", "income", "poverty", "skills", "wellbeing", "health", "consumption", "savings",
            "inclusion", "labour-supply", "firm-behaviour", "other"}
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
URL = re.compile(r"^https?://\S+$")


def _load(folder: str) -> dict[str, dict]:
    records = {}
    for path in sorted((KB / folder).glob("*.yaml")):
        records[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return records


PROGRAMMES = _load("programmes")
EVIDENCE = _load("evidence")
SOURCES = _load("sources")


def _countries() -> dict[str, str]:
    """ISO3 → income group, from kb/countries (or the shared country list before it lands)."""
    table = KB / "countries" / "countries.csv"
    if table.exists():
        with table.open(encoding="utf-8", newline="") as f:
            return {r["iso3"]: r["income_group"] for r in csv.DictReader(f)}
    shared = ROOT.parent / "shared" / "data" / "countries" / "countries.csv"
    groups = {"High income": "HIC", "Upper middle income": "UMC", "Lower middle income": "LMC",
              "Low income": "LIC"}
    with shared.open(encoding="utf-8", newline="") as f:
        return {r["iso3"]: groups.get(r["wb_income_group"], "UNC") for r in csv.DictReader(f)}


COUNTRIES = _countries()


def _problems(checks: list[tuple[bool, str]]) -> list[str]:
    return [message for ok, message in checks if not ok]


# --- Programmes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pid", sorted(PROGRAMMES))
def test_programme_has_the_contract_keys_and_resolving_references(pid):
    p = PROGRAMMES[pid]
    where = f"kb/programmes/{pid}.yaml"
    problems = _problems([
        (set(p) <= PROGRAMME_KEYS, f"{where}: unknown keys {sorted(set(p) - PROGRAMME_KEYS)}"),
        (p.get("id") == pid, f"{where}: id {p.get('id')!r} must equal the file name"),
        (bool((p.get("name") or {}).get("en")), f"{where}: name.en is missing"),
        (p.get("jurisdiction") in COUNTRIES or p.get("jurisdiction") in SUPRANATIONAL,
         f"{where}: jurisdiction {p.get('jurisdiction')!r} is neither a country in kb/countries nor EUU/OED/WLD"),
        (bool(p.get("instruments")), f"{where}: list at least one instrument"),
        (set(p.get("instruments") or []) <= INSTRUMENTS,
         f"{where}: not canonical instruments: {sorted(set(p.get('instruments') or []) - INSTRUMENTS)}"),
        (set(p.get("target_groups") or []) <= TARGET_GROUPS,
         f"{where}: not canonical target groups: {sorted(set(p.get('target_groups') or []) - TARGET_GROUPS)}"),
        (p.get("status") in {"active", "ended", "pilot", "planned", "suspended"},
         f"{where}: bad status {p.get('status')!r}"),
        (p.get("implementer") in {"government", "supranational", "multilateral", "ngo", "private"},
         f"{where}: implementer {p.get('implementer')!r}: say who runs it"),
        (p.get("scale") in {"national", "subnational", "pilot"}, f"{where}: scale {p.get('scale')!r}"),
        (isinstance(p.get("last_verified"), dt.date) and p["last_verified"] <= dt.date.today(),
         f"{where}: last_verified must be a past date"),
        (p.get("confirmation") in {"confirmed", "partly-confirmed"}, f"{where}: bad confirmation"),
        (bool(p.get("sources")), f"{where}: cite at least one source"),
        (all(s in SOURCES for s in p.get("sources") or []),
         f"{where}: sources missing from kb/sources: {[s for s in p.get('sources') or [] if s not in SOURCES]}"),
    ])
    start, end = p.get("start_year"), p.get("end_year")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        problems.append(f"{where}: end_year {end} is before start_year {start}")
    if p.get("status") == "active" and isinstance(end, int) and end < dt.date.today().year - 1:
        problems.append(f"{where}: status active but end_year {end} has passed")
    for part in ("beneficiaries", "cost"):
        block = p.get(part)
        if block is not None:
            if not block.get("text") and not block.get("number"):
                problems.append(f"{where}: {part}.text is required: quote the source")
            if isinstance(start, int) and isinstance(block.get("year"), int) and block["year"] < start:
                problems.append(f"{where}: {part}.year {block['year']} is before start_year {start}")
    reach = p.get("beneficiaries") or {}
    if "number" in reach:
        if not isinstance(reach["number"], int | float) or reach["number"] <= 0:
            problems.append(f"{where}: beneficiaries.number must be a positive number")
        if not isinstance(reach.get("year"), int):
            problems.append(f"{where}: beneficiaries.number needs the year it refers to (beneficiaries.year)")
    if reach and reach.get("source") not in (p.get("sources") or []) and reach.get("source") not in SOURCES:
        problems.append(f"{where}: beneficiaries.source {reach.get('source')!r} is not in kb/sources")
    assert not problems, "\n".join(problems)


def test_supranational_programmes_are_not_given_a_country():
    """EU, OECD and UN-system programmes belong to EUU/OED/WLD, never to a member country."""
    wrong = [pid for pid in PROGRAMMES
             if pid.split("-")[0] in {"eu", "oed", "wld"}
             and PROGRAMMES[pid]["jurisdiction"] != {"eu": "EUU", "oed": "OED", "wld": "WLD"}[pid.split("-")[0]]]
    assert not wrong, f"supranational programmes filed under a country: {wrong}"


@pytest.mark.parametrize("pid, jurisdiction, instrument", [
    ("deu-kurzarbeitergeld", "DEU", "short-time-work"),
    ("sgp-skillsfuture-credit", "SGP", "individual-learning-account"),
    ("fin-basic-income-experiment", "FIN", "universal-basic-income"),
    ("usa-alaska-pfd", "USA", "universal-basic-income"),
    ("eu-ai-act", "EUU", "employment-impact-assessment"),
    ("eu-ai-pact", "EUU", "human-centred-ai-standards"),
    ("ind-pmkvy", "IND", "vocational-skills-programme"),
    ("ken-m-pesa", "KEN", "digital-financial-inclusion"),
])
def test_the_models_the_source_analysis_names_are_present(pid, jurisdiction, instrument):
    assert pid in PROGRAMMES, f"kb/programmes/{pid}.yaml is missing: the source analysis builds on it"
    assert PROGRAMMES[pid]["jurisdiction"] == jurisdiction
    assert instrument in PROGRAMMES[pid]["instruments"]


def test_programme_floors_hold():
    """At least 80 programmes, in at least 40 countries, at least 35 of them in low- or middle-income ones."""
    countries = Counter(p["jurisdiction"] for p in PROGRAMMES.values() if p["jurisdiction"] not in SUPRANATIONAL)
    lmic = [pid for pid, p in PROGRAMMES.items() if COUNTRIES.get(p["jurisdiction"]) in {"LIC", "LMC", "UMC"}]
    low_income = {p["jurisdiction"] for p in PROGRAMMES.values() if COUNTRIES.get(p["jurisdiction"]) == "LIC"}
    assert len(PROGRAMMES) >= 80, f"only {len(PROGRAMMES)} programmes"
    assert len(countries) >= 40, f"programmes in only {len(countries)} countries"
    assert len(lmic) >= 35, f"only {len(lmic)} programmes in low- or middle-income countries"
    assert len(low_income) >= 2, f"programmes in only {sorted(low_income)} among low-income countries"


# --- Evidence -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("eid", sorted(EVIDENCE))
def test_evidence_has_the_contract_keys_and_resolving_references(eid):
    e = EVIDENCE[eid]
    where = f"kb/evidence/{eid}.yaml"
    problems = _problems([
        (set(e) <= EVIDENCE_KEYS, f"{where}: unknown keys {sorted(set(e) - EVIDENCE_KEYS)}"),
        (e.get("id") == eid, f"{where}: id must equal the file name"),
        (bool(e.get("instruments") or e.get("programmes")), f"{where}: say what it is about (instruments/programmes)"),
        (set(e.get("instruments") or []) <= INSTRUMENTS,
         f"{where}: not canonical instruments: {sorted(set(e.get('instruments') or []) - INSTRUMENTS)}"),
        (all(p in PROGRAMMES for p in e.get("programmes") or []),
         f"{where}: unknown programmes {[p for p in e.get('programmes') or [] if p not in PROGRAMMES]}"),
        (e.get("design") in {"rct", "quasi-experimental", "meta-analysis", "observational", "descriptive",
                             "simulation"}, f"{where}: bad design {e.get('design')!r}"),
        (bool(e.get("outcomes")) and set(e["outcomes"]) <= OUTCOMES, f"{where}: outcomes must be outcome codes"),
        (e.get("direction") in {"positive", "null", "negative", "mixed"}, f"{where}: bad direction"),
        (bool(e.get("finding")) and bool(e.get("population")), f"{where}: finding and population are required"),
        (isinstance(e.get("setting_countries"), list), f"{where}: setting_countries must be a list (may be empty)"),
        (all(c in COUNTRIES for c in e.get("setting_countries") or []),
         f"{where}: unknown setting countries {[c for c in e.get('setting_countries') or [] if c not in COUNTRIES]}"),
        (e.get("strength") in {"high", "moderate", "low"}, f"{where}: bad strength"),
        (e.get("confirmation") in {"confirmed", "partly-confirmed"}, f"{where}: bad confirmation"),
        (all(x.get("outcome") in set(e.get("outcomes") or []) for x in e.get("effects") or []),
         f"{where}: an effect's outcome must be one of the record's outcomes"),
        (all(str(x.get("conversion") or "").strip() and (x.get("low", x["estimate"]) <= x["estimate"]
                                                         <= x.get("high", x["estimate"]))
             for x in e.get("effects") or []),
         f"{where}: an effect needs a conversion and low <= estimate <= high"),
        (bool(e.get("sources")) and all(s in SOURCES for s in e["sources"]),
         f"{where}: sources missing from kb/sources"),
        (eid not in (e.get("contested_by") or []), f"{where}: evidence cannot contest itself"),
        (all(c in EVIDENCE for c in e.get("contested_by") or []),
         f"{where}: contested_by targets missing: {[c for c in e.get('contested_by') or [] if c not in EVIDENCE]}"),
    ])
    if e.get("confirmation") == "partly-confirmed" and not e.get("unconfirmed"):
        problems.append(f"{where}: partly-confirmed evidence must say in 'unconfirmed' what is not confirmed")
    assert not problems, "\n".join(problems)


def test_contested_evidence_is_linked_both_ways():
    one_way = [f"{a} → {b}" for a, e in EVIDENCE.items() for b in e.get("contested_by") or []
               if a not in (EVIDENCE.get(b, {}).get("contested_by") or [])]
    assert not one_way, f"add the reverse contested_by link: {one_way}"


def test_m_pesa_evidence_records_its_critique():
    assert "bateman-duvendack-loubere-2019" in EVIDENCE["suri-jack-2016"]["contested_by"]
    assert "ken-m-pesa" in EVIDENCE["suri-jack-2016"]["programmes"]
    assert SOURCES["bateman-duvendack-loubere-2019"]["doi"] == "10.1080/03056244.2019.1614552"


def test_strength_follows_the_documented_grading():
    """kb/evidence/README.md: high needs a confirmed RCT or meta-analysis in a journal; weak designs are low."""
    wrong = []
    for eid, e in EVIDENCE.items():
        journal = all(SOURCES[s]["type"] == "article" for s in e["sources"])
        if e["strength"] == "high" and not (e["design"] in {"rct", "meta-analysis"}
                                            and e["confirmation"] == "confirmed" and journal):
            wrong.append(f"{eid}: high, but {e['design']}, {e['confirmation']}, journal={journal}")
        if e["design"] in {"observational", "descriptive", "simulation"} and e["strength"] != "low":
            wrong.append(f"{eid}: {e['design']} must be graded low, not {e['strength']}")
        if e["design"] == "quasi-experimental" and e["strength"] == "high":
            wrong.append(f"{eid}: quasi-experimental cannot be graded high")
    assert not wrong, "\n".join(wrong)


def test_evidence_floor_and_spread():
    """At least 60 records, every grade used, and evidence from low- and middle-income settings."""
    assert len(EVIDENCE) >= 60, f"only {len(EVIDENCE)} evidence records"
    assert set(Counter(e["strength"] for e in EVIDENCE.values())) == {"high", "moderate", "low"}
    lmic_settings = {c for e in EVIDENCE.values() for c in e["setting_countries"]
                     if COUNTRIES.get(c) in {"LIC", "LMC", "UMC"}}
    assert len(lmic_settings) >= 10, f"evidence from only {sorted(lmic_settings)} low/middle-income settings"


# --- Sources ------------------------------------------------------------------------------------------------

def _cited() -> set[str]:
    cited = {s for p in PROGRAMMES.values() for s in p["sources"]}
    return cited | {s for e in EVIDENCE.values() for s in e["sources"]}


@pytest.mark.parametrize("sid", sorted(_cited()))
def test_cited_source_is_complete(sid):
    s = SOURCES[sid]
    where = f"kb/sources/{sid}.yaml"
    problems = _problems([
        (set(s) <= SOURCE_KEYS, f"{where}: unknown keys {sorted(set(s) - SOURCE_KEYS)}"),
        (bool(s.get("title")), f"{where}: title is required"),
        (bool(s.get("authors") or s.get("publisher")), f"{where}: give authors or a publisher"),
        ("year" not in s and str(s.get("notes", "")).startswith("Undated:")
         or isinstance(s.get("year"), int) and 1800 <= s["year"] <= dt.date.today().year,
         f"{where}: bad year (an undated source leaves `year` out and its notes start with 'Undated:')"),
        (bool(s.get("doi") or s.get("url")), f"{where}: give a DOI or a URL"),
        (not s.get("doi") or bool(DOI.match(str(s["doi"]))), f"{where}: DOI must be bare (10.xxxx/...)"),
        (not s.get("url") or bool(URL.match(str(s["url"]))), f"{where}: URL must be http(s)"),
        (isinstance(s.get("accessed"), dt.date), f"{where}: accessed must be a YYYY-MM-DD date"),
        (s.get("type") in {"article", "report", "dataset", "webpage", "legal-text", "news", "book",
                           "working-paper"}, f"{where}: bad type {s.get('type')!r}"),
    ])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("sid, doi, year, wrong_citation", [
    ("acemoglu-restrepo-2022-tasks", "10.3982/ECTA19815", 2022, "10.3982/ECTA17483"),
    ("bessen-2018-ai-jobs-demand", "10.3386/w24235", 2018, "31234"),
    ("ilo-2019-work-for-a-brighter-future", None, 2019, "ILO 2023"),
    ("wdr-2023-migrants-refugees-societies", "10.1596/978-1-4648-1941-4", 2023, None),
    ("ec-2024-ai-pact", None, 2024, None),
])
def test_key_references_carry_the_correct_citation_and_the_correction(sid, doi, year, wrong_citation):
    """DESIGN.md "Key references": the KB is right where the source analysis mis-cites."""
    assert sid in SOURCES, f"kb/sources/{sid}.yaml is missing"
    s = SOURCES[sid]
    assert s["year"] == year
    if doi:
        assert s["doi"] == doi
    if wrong_citation:
        assert wrong_citation in (s.get("corrects") or ""), f"{sid}: record the mis-citation in 'corrects'"
    else:
        assert not s.get("corrects")


def test_key_reference_titles():
    assert SOURCES["acemoglu-restrepo-2022-tasks"]["title"].startswith("Tasks, Automation, and the Rise in U.S. Wage")
    assert SOURCES["bessen-2018-ai-jobs-demand"]["title"] == "AI and Jobs: The Role of Demand"
    assert "Work for a brighter future" in SOURCES["ilo-2019-work-for-a-brighter-future"]["title"]
    assert "Migrants, Refugees, and Societies" in SOURCES["wdr-2023-migrants-refugees-societies"]["title"]
    assert "European Commission" in SOURCES["ec-2024-ai-pact"]["publisher"]


# --- The conversion script ----------------------------------------------------------------------------------

def _script():
    spec = importlib.util.spec_from_file_location("import_catalogues", ROOT / "scripts" / "import_catalogues.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PROGRAMME_ROW = {
    "key": "xyz-test-scheme", "name": "Test Scheme", "name_local": "", "country_iso3": "KEN",
    "instrument_ids": "targeted-cash-transfer;digital-financial-inclusion", "start_year": "2015", "end_year": "",
    "status": "active", "target_groups": "women", "scale": "more than 5,000 households", "scale_year": "2020",
    "cost": "KES 1 billion", "cost_year": "2019", "responsible_body": "Ministry X", "legal_basis": "Act 1 of 2015",
    "source_title": "Daily Test: Scheme launched (3 May 2015)", "source_url": "https://example.org/a",
    "confidence": "confirmed", "notes": "Row notes.",
}
EVIDENCE_ROWS = [
    {"key": "doe-2020", "authors": "Jane Doe; John Roe", "year": "2020", "title": "A trial",
     "venue": "Journal of Tests 1(2): 3-4", "doi": "10.1234/abc", "url": "https://example.org/b",
     "instrument_ids": "targeted-cash-transfer", "setting_countries_iso3": "KEN", "design": "rct",
     "outcomes": "earnings; learning outcomes", "direction": "positive", "finding": "Transfers raised earnings.",
     "magnitude": "10% more", "population": "Poor households", "confidence": "partly-confirmed",
     "notes": "Pages not confirmed."},
    {"key": "roe-2019", "authors": "John Roe", "year": "2019", "title": "A model", "venue": "Working paper (May 2019)",
     "doi": "", "url": "https://example.org/c", "instrument_ids": "background", "setting_countries_iso3": "",
     "design": "theory", "outcomes": "wages", "direction": "negative", "finding": "Automation lowers wages.",
     "magnitude": "", "population": "US workers", "confidence": "confirmed", "notes": ""},
]


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_conversion_keeps_the_catalogue_and_marks_what_is_unconfirmed(tmp_path):
    module = _script()
    research, kb = tmp_path / "research", tmp_path / "kb"
    research.mkdir()
    _write_csv(research / "programme-catalogue.csv", [PROGRAMME_ROW])
    _write_csv(research / "evidence-catalogue.csv", EVIDENCE_ROWS)
    (kb / "sources").mkdir(parents=True)
    hand_written = "# Hand-written source, must survive\nid: roe-2019\n"
    (kb / "sources" / "roe-2019.yaml").write_text(hand_written, encoding="utf-8")

    assert module.main(["--research", str(research), "--kb", str(kb)]) == 0

    programme = yaml.safe_load((kb / "programmes" / "xyz-test-scheme.yaml").read_text(encoding="utf-8"))
    # a bound is not a count: the text is kept, no number
    assert programme["beneficiaries"] == {"text": "more than 5,000 households", "unit": "people", "year": 2020,
                                          "source": "xyz-test-scheme-src"}
    assert (programme["implementer"], programme["scale"]) == ("government", "national")
    assert programme["cost"] == {"text": "KES 1 billion", "year": 2019}
    assert programme["instruments"] == ["targeted-cash-transfer", "digital-financial-inclusion"]
    source = yaml.safe_load((kb / "sources" / "xyz-test-scheme-src.yaml").read_text(encoding="utf-8"))
    assert (source["publisher"], source["title"], source["year"]) == ("Daily Test", "Scheme launched (3 May 2015)",
                                                                      2015)
    evidence = yaml.safe_load((kb / "evidence" / "doe-2020.yaml").read_text(encoding="utf-8"))
    assert evidence["outcomes"] == ["income", "skills"]  # "learning" is skills, not "earning"
    assert evidence["strength"] == "moderate"  # an RCT in a journal, but only partly confirmed
    assert evidence["unconfirmed"] == "Pages not confirmed."
    assert not (kb / "evidence" / "roe-2019.yaml").exists()  # background only: a source, not evidence
    assert (kb / "sources" / "roe-2019.yaml").read_text(encoding="utf-8") == hand_written


@pytest.mark.parametrize("design, journal, confirmation, expected", [
    ("rct", True, "confirmed", "high"),
    ("meta-analysis", True, "confirmed", "high"),
    ("rct", False, "confirmed", "moderate"),
    ("rct", True, "partly-confirmed", "moderate"),
    ("quasi-experimental", True, "confirmed", "moderate"),
    ("observational", True, "confirmed", "low"),
    ("descriptive", True, "confirmed", "low"),
    ("simulation", True, "confirmed", "low"),
])
def test_strength_rule(design, journal, confirmation, expected):
    assert _script().strength_of("any-study", design, journal, confirmation) == expected


@pytest.mark.parametrize("venue, expected", [
    ("Econometrica 90(5): 1973-2016", ("article", True)),
    ("NBER Working Paper 32719", ("working-paper", False)),
    ("Review of Economic Studies (earlier CEPR DP13310, 2018)", ("article", True)),
    ("Alda (Association for Democracy and Sustainability) and Autonomy report, June 2021", ("report", False)),
    ("Conference proceedings (ICIEIFIL)", ("article", False)),
])
def test_venue_types(venue, expected):
    assert _script().venue_type(venue) == expected
