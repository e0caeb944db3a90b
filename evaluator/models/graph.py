"""The instrument graph: how policy instruments support, require, replace or clash with one another.

Built from the KB's instrument relations (`relations` in kb/instruments/*.yaml, compiled as
pa:InstrumentRelation). Edge kinds:
- `complements`: the two work better together (short-time work and vocational training);
- `prerequisite-of`: the source must exist before the target can work (digital financial inclusion before a
  digitally paid transfer);
- `substitute-for`: both meet the same need, a bundle needs only one (UBI and negative income tax);
- `conflicts-with`: the two work against each other.
Complements, substitutes and conflicts are symmetric in meaning: `pairs()` reads them both ways. The graph is
shared by the evaluator and the planner and exported as GraphML or JSON (`policyatlas graph`).
"""

from __future__ import annotations

import json

import networkx as nx

from policyatlas.kb import vocab

KINDS = vocab.ids("relation")
SYMMETRIC = {c["id"] for c in vocab.concepts("relation") if c["symmetric"]}


def instrument_graph(facts) -> nx.MultiDiGraph:
    """One node per instrument (layer, family, labels, target groups), one edge per KB relation."""
    g = nx.MultiDiGraph(name="Policy Atlas instrument graph")
    for iid in sorted(facts.instruments):
        inst = facts.instruments[iid]
        g.add_node(iid, layer=inst.layer, family=inst.family, label_en=inst.label.get("en", iid),
                   label_zh=inst.label.get("zh", ""), target_groups=sorted(inst.target_groups))
    for rel in sorted(facts.relations, key=lambda r: (r.subject, r.kind, r.object)):
        if rel.kind not in KINDS or rel.subject == rel.object or not {rel.subject, rel.object} <= g.nodes:
            continue
        g.add_edge(rel.subject, rel.object, key=rel.kind, kind=rel.kind, reason=rel.reason or "",
                   sources=sorted(rel.sources), symmetric=rel.kind in SYMMETRIC)
    return g


def pairs(graph: nx.MultiDiGraph, kind: str) -> set[tuple[str, str]]:
    """Instrument pairs related by `kind`; symmetric kinds as sorted pairs, prerequisites as (before, after)."""
    out = set()
    for u, v, k in graph.edges(keys=True):
        if k != kind:
            continue
        out.add(tuple(sorted((u, v))) if kind in SYMMETRIC else (u, v))
    return out


def relation(graph: nx.MultiDiGraph, a: str, b: str, kind: str) -> dict | None:
    """The edge data relating a and b by `kind` (either direction for symmetric kinds), or None."""
    for u, v in ((a, b), (b, a)) if kind in SYMMETRIC else ((a, b),):
        if graph.has_edge(u, v, key=kind):
            return graph.edges[u, v, kind]
    return None


def prerequisites(graph: nx.MultiDiGraph, iid: str) -> list[str]:
    """Instruments that must be in place before `iid`."""
    return sorted(u for u, _v, k in graph.in_edges(iid, keys=True) if k == "prerequisite-of")


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text; list attributes are joined with ';' because GraphML holds scalars only."""
    flat = nx.MultiDiGraph(name=graph.graph.get("name", ""))
    for n, d in graph.nodes(data=True):
        flat.add_node(n, **{k: (";".join(v) if isinstance(v, list) else ("" if v is None else v))
                            for k, v in d.items()})
    for u, v, k, d in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **{a: (";".join(b) if isinstance(b, list) else b) for a, b in d.items()})
    return "\n".join(nx.generate_graphml(flat, named_key_ids=True)) + "\n"


def to_json(graph: nx.MultiDiGraph) -> str:
    """Node-link JSON (networkx's format: `nodes` and `edges` lists), sorted for stable output."""
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"], e["key"]))
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
