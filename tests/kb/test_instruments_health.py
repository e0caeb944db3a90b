"""Data health of `kb/instruments/` and `kb/target-groups/`: the 27 canonical instruments and 11 target groups
exist with both labels and definitions, each instrument sits in one safety-net layer and one family, every
reference (target group, relation target, source, size indicator) resolves, and the relation graph the
evaluator and planner rely on is sound: the relations the design names are there and prerequisites never
form a cycle (a cycle would leave the planner no instrument to stage first).

Run: .venv/bin/python -m pytest tests/kb/test_instruments_health.py
"""

from __future__ import annotations

import re

import networkx as nx
import pytest
import yaml

from tests.conftest import ROOT

KB = ROOT / "kb"
CJK = re.compile(r"[\u3400-\u9fff]")

# Canonical ids from the design (DESIGN.md); the CLI, evaluator and tests use them.
INSTRUMENTS = {
    "unemployment-insurance", "platform-worker-social-insurance", "short-time-work",
    "career-transition-allowance", "targeted-cash-transfer", "public-employment-programme",
    "negative-income-tax", "individual-learning-account", "micro-credentials", "career-transition-insurance",
    "vocational-skills-programme", "digital-skills-infrastructure", "employment-services", "wage-subsidy",
    "conditional-basic-income", "universal-basic-income", "reduced-working-hours",
    "employment-impact-assessment", "labour-market-monitoring-platform", "ai-impact-tax",
    "skills-investment-obligation", "human-centred-ai-standards", "ai-transition-fund",
    "supply-chain-retraining-responsibility", "digital-financial-inclusion", "psychosocial-support",
    "community-rebuilding",
}
TARGET_GROUPS = {
    "older-workers", "low-education-workers", "women", "youth", "informal-workers", "platform-workers",
    "long-term-unemployed", "high-ai-exposure-workers", "rural-workers", "persons-with-disabilities",
    "developing-country-workers",
}
LAYERS = {"base", "middle", "top", "cross-cutting"}
FAMILIES = {"social-insurance", "social-assistance", "active-labour-market", "skills-lifelong-learning",
            "income-guarantee", "working-time", "ai-governance", "firm-responsibility", "global-cooperation",
            "digital-inclusion", "psychosocial-community"}
TOOLS = {"nodality", "authority", "treasure", "organisation"}
KINDS = {"complements", "prerequisite-of", "substitute-for", "conflicts-with"}
# STIP Compass instrument codes confirmed in the project's research notes (anchors-and-facts.md §1.3).
STIP_CODES = {f"PI{n:03d}" for n in (6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
                                     26, 27, 28, 29, 30, 31, 32, 33)}

# The design's three-layer safety net: where the instruments it names must sit.
DESIGN_LAYERS = {
    "unemployment-insurance": "base", "platform-worker-social-insurance": "base", "short-time-work": "base",
    "career-transition-allowance": "base", "individual-learning-account": "middle",
    "conditional-basic-income": "top", "universal-basic-income": "top", "negative-income-tax": "top",
    "employment-impact-assessment": "cross-cutting", "labour-market-monitoring-platform": "cross-cutting",
    "ai-impact-tax": "cross-cutting", "skills-investment-obligation": "cross-cutting",
    "human-centred-ai-standards": "cross-cutting", "ai-transition-fund": "cross-cutting",
    "supply-chain-retraining-responsibility": "cross-cutting", "psychosocial-support": "cross-cutting",
}
# Relations the evaluator and planner rely on (subject, kind, object).
REQUIRED_RELATIONS = {
    ("digital-financial-inclusion", "prerequisite-of", "targeted-cash-transfer"),
    ("universal-basic-income", "substitute-for", "conditional-basic-income"),
    ("universal-basic-income", "substitute-for", "negative-income-tax"),
    ("individual-learning-account", "complements", "career-transition-allowance"),
    ("employment-impact-assessment", "complements", "labour-market-monitoring-platform"),
    ("short-time-work", "complements", "vocational-skills-programme"),
}


def load(folder: str) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (KB / folder).glob("*.yaml")}


@pytest.fixture(scope="module")
def instruments() -> dict[str, dict]:
    return load("instruments")


@pytest.fixture(scope="module")
def groups() -> dict[str, dict]:
    return load("target-groups")


@pytest.fixture(scope="module")
def source_ids() -> set[str]:
    return {p.stem for p in (KB / "sources").glob("*.yaml")}


def prerequisite_cycles(instruments: dict[str, dict]) -> list[list[str]]:
    """Every cycle in the prerequisite-of graph (empty when the planner can order all prerequisites)."""
    graph = nx.DiGraph()
    for iid, doc in instruments.items():
        for rel in doc.get("relations") or []:
            if rel["kind"] == "prerequisite-of":
                graph.add_edge(iid, rel["target"])
    return list(nx.simple_cycles(graph))


def bilingual(doc: dict, key: str, where: str) -> None:
    assert isinstance(doc.get(key), dict), f"{where}: {key} must have en and zh"
    assert doc[key].get("en", "").strip(), f"{where}: {key}.en is missing"
    assert CJK.search(doc[key].get("zh", "")), f"{where}: {key}.zh has no Chinese characters"


def test_the_canonical_instruments_exist(instruments):
    assert set(instruments) >= INSTRUMENTS, f"missing: {sorted(INSTRUMENTS - set(instruments))}"


def test_instruments_are_complete(instruments, groups, source_ids):
    for iid, doc in instruments.items():
        where = f"kb/instruments/{iid}.yaml"
        assert doc["id"] == iid, f"{where}: id must equal the file name"
        bilingual(doc, "label", where)
        bilingual(doc, "definition", where)
        assert doc["layer"] in LAYERS, f"{where}: layer {doc['layer']!r}"
        assert doc["family"] in FAMILIES, f"{where}: family {doc['family']!r}"
        assert doc["tool_type"] in TOOLS, f"{where}: tool_type {doc['tool_type']!r}"
        assert doc["target_groups"], f"{where}: name the target groups it is meant to reach"
        assert set(doc["target_groups"]) <= set(groups), \
            f"{where}: unknown target groups {sorted(set(doc['target_groups']) - set(groups))}"
        assert doc["sources"], f"{where}: at least one source"
        assert set(doc["sources"]) <= source_ids, \
            f"{where}: sources not in kb/sources/: {sorted(set(doc['sources']) - source_ids)}"
        if "stip_code" in doc:
            assert doc["stip_code"] in STIP_CODES, f"{where}: {doc['stip_code']} is not a confirmed STIP code"


def test_glossary_terms_are_the_chinese_labels(instruments):
    """A sample of the project glossary: labels must use the agreed Chinese terms."""
    glossary = {"unemployment-insurance": "失业保险", "conditional-basic-income": "有条件基本收入",
                "universal-basic-income": "全民基本收入", "ai-impact-tax": "AI影响税",
                "digital-financial-inclusion": "数字普惠金融",
                "labour-market-monitoring-platform": "国家级AI-劳动力监测平台"}
    for iid, zh in glossary.items():
        assert instruments[iid]["label"]["zh"] == zh, iid


def test_layers_follow_the_design(instruments):
    for iid, layer in DESIGN_LAYERS.items():
        assert instruments[iid]["layer"] == layer, f"kb/instruments/{iid}.yaml: the design puts it in {layer}"
    present = {doc["layer"] for doc in instruments.values()}
    assert present == LAYERS, "every layer must hold at least one instrument"


def test_relations_resolve_and_have_reasons(instruments, source_ids):
    for iid, doc in instruments.items():
        seen = set()
        for n, rel in enumerate(doc.get("relations") or [], start=1):
            where = f"kb/instruments/{iid}.yaml relation {n}"
            assert rel["kind"] in KINDS, f"{where}: kind {rel['kind']!r}"
            assert rel["target"] in instruments, f"{where}: target {rel['target']!r} is not an instrument"
            assert rel["target"] != iid, f"{where}: an instrument cannot relate to itself"
            assert rel["reason"].strip(), f"{where}: give a one-line reason"
            assert set(rel.get("sources") or []) <= source_ids, f"{where}: unknown sources"
            assert (rel["kind"], rel["target"]) not in seen, f"{where}: duplicate relation"
            seen.add((rel["kind"], rel["target"]))


def test_symmetric_relations_are_written_once(instruments):
    """complements, substitute-for and conflicts-with read both ways: one file states each pair once."""
    seen: dict[tuple, str] = {}
    for iid, doc in instruments.items():
        for rel in doc.get("relations") or []:
            if rel["kind"] == "prerequisite-of":
                continue
            key = (rel["kind"], frozenset((iid, rel["target"])))
            assert key not in seen, \
                f"kb/instruments/{iid}.yaml: {rel['kind']} {rel['target']} is already stated in {seen[key]}.yaml"
            seen[key] = iid


def test_the_relations_the_design_names_are_there(instruments):
    present = {(iid, rel["kind"], rel["target"]) for iid, doc in instruments.items()
               for rel in doc.get("relations") or []}
    assert REQUIRED_RELATIONS <= present, f"missing: {sorted(REQUIRED_RELATIONS - present)}"


def test_every_instrument_is_connected(instruments):
    linked = set()
    for iid, doc in instruments.items():
        for rel in doc.get("relations") or []:
            linked |= {iid, rel["target"]}
    assert linked == set(instruments), f"instruments with no relation at all: {sorted(set(instruments) - linked)}"


def test_no_prerequisite_cycles(instruments):
    cycles = prerequisite_cycles(instruments)
    assert not cycles, "prerequisite cycles (remove one edge of each): " + "; ".join(" -> ".join(c) for c in cycles)


def test_cycle_check_finds_a_cycle():
    """The check above is only worth something if it can fail: a two-instrument loop must be found."""
    loop = {"a": {"relations": [{"kind": "prerequisite-of", "target": "b"}]},
            "b": {"relations": [{"kind": "prerequisite-of", "target": "a"},
                                {"kind": "complements", "target": "a"}]}}
    assert [sorted(c) for c in prerequisite_cycles(loop)] == [["a", "b"]]


def test_no_pair_is_both_complement_and_conflict_or_substitute(instruments):
    kinds: dict[frozenset, set[str]] = {}
    for iid, doc in instruments.items():
        for rel in doc.get("relations") or []:
            kinds.setdefault(frozenset((iid, rel["target"])), set()).add(rel["kind"])
    for pair, found in kinds.items():
        assert not ({"complements", "conflicts-with"} <= found), f"{sorted(pair)} both complement and conflict"
        assert not ({"substitute-for", "prerequisite-of"} <= found), f"{sorted(pair)} both substitute and prerequisite"


# ---- target groups --------------------------------------------------------------------------------------

def test_canonical_target_groups(groups, source_ids):
    assert set(groups) == TARGET_GROUPS, f"expected exactly {sorted(TARGET_GROUPS)}"
    indicators = {p.stem for p in (KB / "indicators").glob("*.yaml")}
    for gid, doc in groups.items():
        where = f"kb/target-groups/{gid}.yaml"
        assert doc["id"] == gid
        bilingual(doc, "label", where)
        bilingual(doc, "definition", where)
        assert doc["sources"] and set(doc["sources"]) <= source_ids, f"{where}: sources must resolve"
        if "size_indicator" in doc:
            assert doc["size_indicator"] in indicators, f"{where}: no indicator {doc['size_indicator']!r}"
    assert groups["informal-workers"]["size_indicator"] == "informal-employment-share"


def test_every_target_group_is_reached_by_some_instrument(instruments, groups):
    reached = {g for doc in instruments.values() for g in doc["target_groups"]}
    assert set(groups) <= reached, f"groups no instrument targets: {sorted(set(groups) - reached)}"


def test_loader_reports_nothing_in_these_folders():
    """The product's own loader (policyatlas validate) must find no problem in instruments or target groups."""
    from policyatlas.kb.loader import load_kb

    kb = load_kb()
    mine = [str(p) for p in kb.problems
            if p.path.startswith(("kb/instruments/", "kb/target-groups/", "kb/countries/", "kb/figures/",
                                  "kb/indicators/"))]
    assert not mine, "\n".join(mine)
