"""Runs the evaluation cases in tests/cases/*.yaml against the built KB.

Each case names a country and a bundle (or none: the country's current programmes) and the rules (and gap
kinds) that must and must not fire, optionally with the severity, instruments and target groups a finding
must carry. The module also checks that the cases together show every rule firing and not firing, in a
high-, an upper-middle-, a lower-middle- and a low-income country at least.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.assess.engine import evaluate, evaluate_facts
from evaluator.assess.facts import KBFacts
from evaluator.assess.rules_loader import load_rules
from policyatlas.core.yamlio import read_yaml

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "cases").glob("*.yaml"))
KEYS = {"description", "country", "bundle", "add", "facts", "fires", "does_not_fire", "gaps_fire",
        "gaps_do_not_fire"}
FACT_KEYS = {"figures", "coverage", "people", "relations"}


def read_case(path: Path) -> dict:
    loaded = read_yaml(path)
    assert not loaded.problems, "\n".join(map(str, loaded.problems))
    data = loaded.data
    unknown = set(data) - KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}; allowed: {sorted(KEYS)}"
    assert {"description", "country", "fires", "does_not_fire"} <= set(data), f"{path.name}: missing keys"
    return data


def evaluate_case(atlas, case: dict):
    """The case's evaluation; `facts` fixes the figures, coverage and group sizes the verdict depends on."""
    fixed = case.get("facts")
    if not fixed:
        return evaluate(atlas, case["country"], case.get("bundle"), add=case.get("add"))
    unknown = set(fixed) - FACT_KEYS
    assert not unknown, f"unknown facts keys {sorted(unknown)}; allowed: {sorted(FACT_KEYS)}"
    facts = KBFacts.from_atlas(atlas).with_case_facts(case["country"], **fixed)
    return evaluate_facts(facts, case["country"], case.get("bundle"), add=case.get("add"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(kb_atlas, path):
    case = read_case(path)
    ev = evaluate_case(kb_atlas, case)
    by_rule: dict[str, list] = {}
    for f in ev.findings:
        by_rule.setdefault(f.rule, []).append(f)
    shown = "\n".join(f"  {f.rule} [{f.severity}] {f.instruments} {f.target_groups}" for f in ev.findings)
    for i, want in enumerate(case["fires"]):
        where = f"{path.name}:{case['fires'].lines[i]}"
        got = by_rule.get(want["rule"], [])
        assert got, f"{where}: rule {want['rule']} did not fire; findings were:\n{shown}"
        matching = [f for f in got
                    if ("severity" not in want or f.severity == want["severity"])
                    and set(want.get("instruments", [])) <= set(f.instruments)
                    and set(want.get("target_groups", [])) <= set(f.target_groups)]
        assert matching, (f"{where}: rule {want['rule']} fired, but not as expected {dict(want)}; "
                          f"findings were:\n{shown}")
    for i, rule in enumerate(case["does_not_fire"]):
        assert rule not in by_rule, (f"{path.name}:{case['does_not_fire'].lines[i]}: rule {rule} must not fire "
                                     f"but did: {[f.message['en'] for f in by_rule[rule]]}")
    gaps = ev.gaps()
    for gap in case.get("gaps_fire", []):
        assert gap in gaps, f"{path.name}: no {gap} finding; findings were:\n{shown}"
    for gap in case.get("gaps_do_not_fire", []):
        assert gap not in gaps, f"{path.name}: unexpected {gap} finding:\n{shown}"


def test_cases_cover_every_rule_both_ways_and_every_income_group(kb_atlas):
    assert len(CASES) >= 24, f"only {len(CASES)} evaluation cases; the floor is 24"
    rules = {r.id for r in load_rules()}
    fired, silent, groups = set(), set(), set()
    facts = kb_atlas.facts
    for path in CASES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# How to run:"), f"{path.name} must open with a comment saying how to run it"
        case = read_case(path)
        fired |= {w["rule"] for w in case["fires"]}
        silent |= set(case["does_not_fire"])
        groups.add(facts.countries[case["country"]].income_group)
    unknown = (fired | silent) - rules
    assert not unknown, f"cases name rules that do not exist: {sorted(unknown)}"
    assert rules <= fired, f"rules never shown firing: {sorted(rules - fired)}"
    assert rules <= silent, f"rules never shown not firing: {sorted(rules - silent)}"
    assert {"HIC", "UMC", "LMC", "LIC"} <= groups, f"income groups covered: {sorted(groups)}"
