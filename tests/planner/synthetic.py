"""Synthetic KB facts for the planner's tests: made-up countries with chosen figures, the 27 canonical
instruments with plausible layers, families, target groups and relations, and a few evidence records.

The figures are invented on purpose (they test the models, they are not data); nothing here enters kb/.
"""

from __future__ import annotations

from evaluator.assess.facts import (
    CountryFacts,
    EvidenceFacts,
    Figure,
    InstrumentFacts,
    KBFacts,
    ProgrammeFacts,
    RelationFacts,
)
from policyatlas.kb.baseline import Baseline, CountryBaseline, GroupSize

# id: (layer, family, target groups)
INSTRUMENTS = {
    "unemployment-insurance": ("base", "social-insurance", ["long-term-unemployed", "older-workers"]),
    "platform-worker-social-insurance": ("base", "social-insurance", ["platform-workers", "youth"]),
    "short-time-work": ("base", "working-time", ["older-workers", "high-ai-exposure-workers"]),
    "career-transition-allowance": ("base", "active-labour-market", ["high-ai-exposure-workers"]),
    "targeted-cash-transfer": ("base", "social-assistance", ["informal-workers", "women", "rural-workers"]),
    "public-employment-programme": ("base", "active-labour-market", ["rural-workers", "low-education-workers"]),
    "negative-income-tax": ("top", "income-guarantee", ["low-education-workers", "women"]),
    "individual-learning-account": ("middle", "skills-lifelong-learning", ["older-workers", "women"]),
    "micro-credentials": ("middle", "skills-lifelong-learning", ["youth", "low-education-workers"]),
    "career-transition-insurance": ("middle", "social-insurance", ["high-ai-exposure-workers"]),
    "vocational-skills-programme": ("middle", "skills-lifelong-learning", ["youth", "developing-country-workers"]),
    "digital-skills-infrastructure": ("cross-cutting", "digital-inclusion", ["rural-workers", "women"]),
    "employment-services": ("middle", "active-labour-market", ["long-term-unemployed", "youth",
                                                                "persons-with-disabilities"]),
    "wage-subsidy": ("middle", "active-labour-market", ["long-term-unemployed", "persons-with-disabilities"]),
    "conditional-basic-income": ("top", "income-guarantee", ["informal-workers", "long-term-unemployed"]),
    "universal-basic-income": ("top", "income-guarantee", ["informal-workers", "platform-workers", "women"]),
    "reduced-working-hours": ("top", "working-time", ["high-ai-exposure-workers"]),
    "employment-impact-assessment": ("cross-cutting", "ai-governance", ["high-ai-exposure-workers"]),
    "labour-market-monitoring-platform": ("cross-cutting", "ai-governance", []),
    "ai-impact-tax": ("cross-cutting", "firm-responsibility", []),
    "skills-investment-obligation": ("cross-cutting", "firm-responsibility", ["high-ai-exposure-workers"]),
    "human-centred-ai-standards": ("cross-cutting", "ai-governance", []),
    "ai-transition-fund": ("cross-cutting", "global-cooperation", ["developing-country-workers"]),
    "supply-chain-retraining-responsibility": ("cross-cutting", "firm-responsibility",
                                               ["developing-country-workers"]),
    "digital-financial-inclusion": ("cross-cutting", "digital-inclusion", ["informal-workers", "women"]),
    "psychosocial-support": ("cross-cutting", "psychosocial-community", ["long-term-unemployed"]),
    "community-rebuilding": ("cross-cutting", "psychosocial-community", ["rural-workers"]),
}

RELATIONS = [
    ("universal-basic-income", "substitute-for", "negative-income-tax"),
    ("universal-basic-income", "substitute-for", "conditional-basic-income"),
    ("negative-income-tax", "substitute-for", "conditional-basic-income"),
    ("short-time-work", "complements", "vocational-skills-programme"),
    ("digital-financial-inclusion", "prerequisite-of", "targeted-cash-transfer"),
    ("unemployment-insurance", "prerequisite-of", "short-time-work"),
    ("employment-services", "prerequisite-of", "wage-subsidy"),
    ("individual-learning-account", "complements", "micro-credentials"),
    ("reduced-working-hours", "conflicts-with", "short-time-work"),
    ("labour-market-monitoring-platform", "complements", "employment-impact-assessment"),
]

# iso3: (income group, region, global south, figures by indicator id)
COUNTRIES = {
    "AAA": ("HIC", "Europe & Central Asia", False,
            {"gen-gov-revenue": 45.0, "gen-gov-expenditure": 47.0, "gen-gov-net-lending": -2.0,
             "gen-gov-gross-debt": 55.0, "unemployment-rate": 5.0, "informal-employment-share": 4.0,
             "account-ownership": 99.0, "population": 50.0, "gdp-usd-bn": 2500.0, "gdp-per-capita-usd": 50000.0,
             "gdp-per-capita-ppp": 60000.0, "working-age-share": 64.0, "population-growth": 0.3}),
    "BBB": ("UMC", "Latin America & Caribbean", True,
            {"gen-gov-revenue": 28.0, "gen-gov-expenditure": 33.0, "gen-gov-net-lending": -5.0,
             "gen-gov-gross-debt": 80.0, "unemployment-rate": 8.0, "informal-employment-share": 50.0,
             "account-ownership": 70.0, "population": 100.0, "gdp-usd-bn": 1000.0, "gdp-per-capita-usd": 10000.0,
             "gdp-per-capita-ppp": 20000.0, "working-age-share": 67.0, "population-growth": 0.8}),
    "CCC": ("LMC", "Sub-Saharan Africa", True,
            {"gen-gov-revenue": 16.0, "gen-gov-expenditure": 21.0, "gen-gov-net-lending": -5.0,
             "gen-gov-gross-debt": 65.0, "unemployment-rate": 6.0, "informal-employment-share": 85.0,
             "account-ownership": 75.0, "population": 55.0, "gdp-usd-bn": 100.0, "gdp-per-capita-usd": 1818.0,
             "gdp-per-capita-ppp": 6000.0, "working-age-share": 58.0, "population-growth": 2.0}),
    "DDD": ("LIC", "Sub-Saharan Africa", True,
            {"gen-gov-revenue": 12.0, "gen-gov-expenditure": 16.0, "gen-gov-net-lending": -4.0,
             "gen-gov-gross-debt": 45.0, "unemployment-rate": 4.0, "informal-employment-share": 95.0,
             "account-ownership": 25.0, "population": 25.0, "gdp-usd-bn": 15.0, "gdp-per-capita-usd": 600.0,
             "gdp-per-capita-ppp": 1800.0, "working-age-share": 52.0, "population-growth": 2.8}),
    "EEE": ("LMC", "South Asia", True,  # no informality figure and no group sizes: imputed, loudly
            {"gen-gov-revenue": 20.0, "gen-gov-expenditure": 28.0, "gen-gov-net-lending": -8.0,
             "gen-gov-gross-debt": 82.0, "unemployment-rate": 4.5, "account-ownership": 78.0}),
    "FFF": ("HIC", "East Asia & Pacific", False,  # no fiscal figures: no modelled fiscal space
            {"unemployment-rate": 3.0, "informal-employment-share": 10.0}),
}

# Countries whose group sizes the synthetic baseline holds: labour force = LABOUR_FORCE_SHARE x population,
# unemployed, employed and informal workers from the unemployment rate and informality (EEE and FFF have none).
LABOUR_FORCE_SHARE = 0.45
BASELINE_COUNTRIES = ("AAA", "BBB", "CCC", "DDD")

EVIDENCE = [
    ("ev-ui-north", ["unemployment-insurance"], "quasi-experimental", "positive", "high", ["AAA"]),
    ("ev-cash-south", ["targeted-cash-transfer"], "rct", "positive", "high", ["CCC"]),
    ("ev-ubi-null", ["universal-basic-income"], "rct", "null", "high", ["AAA"]),
    ("ev-train-mixed", ["vocational-skills-programme"], "meta-analysis", "mixed", "high", []),
    ("ev-digital", ["digital-financial-inclusion"], "quasi-experimental", "positive", "moderate", ["DDD"]),
]


# iso3: branch -> effective coverage (%) of a scheme that exists (the synthetic baseline)
SCHEMES = {"AAA": {"unemployment": 40.0, "social-assistance": 60.0}, "CCC": {"social-assistance": 10.0}}


def baseline():
    """Synthetic baseline: group sizes derived from the invented figures (none where population is missing)."""
    from policyatlas.kb.baseline import BranchStatus

    out = Baseline()
    for iso3, (_g, _r, _s, figs) in COUNTRIES.items():
        cb = CountryBaseline(iso3)
        for branch, cov in SCHEMES.get(iso3, {}).items():
            cb.branches[branch] = BranchStatus("yes", None, cov, 2024, "test-source")
        if "population" in figs:
            lf = figs["population"] * 1e6 * LABOUR_FORCE_SHARE
            emp = lf * (1 - figs["unemployment-rate"] / 100)
            sizes = {"labour-force": lf, "employed": emp, "unemployed": lf - emp, "youth-neet": lf * 0.1,
                     "older-workers": lf * 0.15, "genai-exposed-workers": emp * 0.4,
                     "informal-workers": emp * figs.get("informal-employment-share", 50.0) / 100}
            cb.groups = {g: GroupSize(v, 2024, "test-source", True) for g, v in sizes.items()}
        out.countries[iso3] = cb
    return out


def facts(in_place: dict[str, list[str]] | None = None) -> KBFacts:
    """A fresh synthetic fact set; `in_place` maps iso3 to instruments its active programmes implement."""
    countries = {}
    for iso3, (group, region, south, figs) in COUNTRIES.items():
        countries[iso3] = CountryFacts(
            iso3=iso3, label={"en": f"Country {iso3}", "zh": f"国家{iso3}"}, income_group=group, region=region,
            global_south=south, g20=False, supranational=False,
            figures={k: Figure(v, 2024, "test unit", "test-source") for k, v in figs.items()})
    instruments = {iid: InstrumentFacts(iid, {"en": iid.replace("-", " "), "zh": iid}, layer, fam, "treasure",
                                        frozenset(groups))
                   for iid, (layer, fam, groups) in INSTRUMENTS.items()}
    relations = [RelationFacts(a, k, b, f"{a} {k} {b}", frozenset({"test-source"})) for a, k, b in RELATIONS]
    evidence = {eid: EvidenceFacts(eid, frozenset(ins), frozenset(), design, direction, strength,
                                   frozenset(settings), frozenset(), False, frozenset({f"src-{eid}"}))
                for eid, ins, design, direction, strength, settings in EVIDENCE}
    programmes = {}
    for iso3, ids in (in_place or {}).items():
        programmes[f"{iso3.lower()}-prog"] = ProgrammeFacts(f"{iso3.lower()}-prog", "A programme", iso3,
                                                            frozenset(ids), "active", frozenset(), frozenset())
    kb = KBFacts(countries, instruments, {}, programmes, evidence, relations, {}, frozenset(), {}, baseline())
    kb._index()
    return kb

