"""The instrument graph (typed edges, exports) and transferability (similarity, South-South first)."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from evaluator.models.graph import instrument_graph, pairs, prerequisites, relation, to_graphml, to_json
from evaluator.models.transfer import evidence_score, transfer_weight
from tests.planner import synthetic


def test_graph_has_every_instrument_and_typed_edges_with_reasons():
    g = instrument_graph(synthetic.facts())
    assert set(g.nodes) == set(synthetic.INSTRUMENTS)
    assert g.number_of_edges() == len(synthetic.RELATIONS)
    for _u, _v, k, d in g.edges(keys=True, data=True):
        assert k == d["kind"] in {"complements", "prerequisite-of", "substitute-for", "conflicts-with"}
        assert d["reason"] and d["sources"] == ["test-source"]


def test_symmetric_kinds_read_both_ways_prerequisites_one_way():
    g = instrument_graph(synthetic.facts())
    assert relation(g, "negative-income-tax", "universal-basic-income", "substitute-for") is not None
    assert ("short-time-work", "vocational-skills-programme") in pairs(g, "complements")
    assert relation(g, "short-time-work", "unemployment-insurance", "prerequisite-of") is None
    assert prerequisites(g, "short-time-work") == ["unemployment-insurance"]


def test_graphml_and_json_exports_round_trip():
    g = instrument_graph(synthetic.facts())
    back = nx.read_graphml(io.BytesIO(to_graphml(g).encode()), force_multigraph=True)
    assert set(back.nodes) == set(g.nodes) and back.number_of_edges() == g.number_of_edges()
    data = json.loads(to_json(g))
    assert {e["key"] for e in data["edges"]} <= {"complements", "prerequisite-of", "substitute-for",
                                                   "conflicts-with"}
    assert nx.node_link_graph(data, edges="edges", multigraph=True, directed=True).number_of_edges() == \
        g.number_of_edges()


@pytest.mark.parametrize("target", ["BBB", "CCC", "DDD", "EEE"])
def test_south_south_evidence_ranks_above_rich_country_evidence_for_developing_targets(target):
    f = synthetic.facts()
    south = [c for c, v in synthetic.COUNTRIES.items() if v[2] and c != target]
    north = [c for c, v in synthetic.COUNTRIES.items() if not v[2]]
    assert min(transfer_weight(f, target, s) for s in south) > max(transfer_weight(f, target, n) for n in north)


def test_similar_settings_weigh_more_for_a_rich_target():
    f = synthetic.facts()
    assert transfer_weight(f, "AAA", "FFF") > transfer_weight(f, "AAA", "DDD")
    assert transfer_weight(f, "AAA", "AAA") == pytest.approx(1.0)


def test_evidence_score_signs_and_sources():
    f = synthetic.facts()
    cash = evidence_score(f, "DDD", "targeted-cash-transfer")
    assert cash.score > 0 and cash.sources == ("src-ev-cash-south",)
    assert evidence_score(f, "DDD", "universal-basic-income").score == 0  # a null finding adds nothing
    assert evidence_score(f, "DDD", "ai-impact-tax").score == 0 and not evidence_score(
        f, "DDD", "ai-impact-tax").sources
    # the same positive study counts more where its setting is similar
    assert evidence_score(f, "CCC", "targeted-cash-transfer").score > \
        evidence_score(f, "AAA", "targeted-cash-transfer").score
