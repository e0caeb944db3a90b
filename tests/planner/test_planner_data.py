"""Code health of the planner's data: every parameter sourced or marked as an assumption with a note, every
reference resolving, every KB instrument costed. Failure messages say which file and key to fix."""

from __future__ import annotations

from pathlib import Path

import yaml

from evaluator.models.costing import DATA_DIR, load_costs

ROOT = Path(__file__).resolve().parents[2]
DATA = {name: yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
        for name in ("costs.yaml", "fiscal_space.yaml", "transferability.yaml", "objective.yaml",
                     "indicators.yaml", "actions.yaml", "vulnerability.yaml", "prerequisites.yaml",
                     "delivery_capacity.yaml")}


def _parameters(node, path=()):
    """Every dict that carries a number (value, or low/central/high): the parameters of the models."""
    if isinstance(node, dict):
        if "value" in node or {"low", "central", "high"} <= set(node):
            yield path, node
        for k, v in node.items():
            yield from _parameters(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _parameters(v, (*path, str(i)))


def _provenance(node, path=()):
    """Every dict that states provenance (a source, or an assumption)."""
    if isinstance(node, dict):
        if "source" in node or "assumption" in node:
            yield path, node
        for k, v in node.items():
            yield from _provenance(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _provenance(v, (*path, str(i)))


def _covered(path, provenance_paths) -> bool:
    return any(path[:len(p)] == p for p in provenance_paths)


def test_every_parameter_has_a_source_or_is_an_assumption_with_a_note():
    problems = []
    for name, data in DATA.items():
        prov = {p: n for p, n in _provenance(data)}
        for p, n in prov.items():
            if not n.get("source") and n.get("assumption") is not True:
                problems.append(f"evaluator/models/data/{name}: {'.'.join(p)} needs `source: <id>` or "
                                "`assumption: true`")
            if not str(n.get("note") or "").strip():
                problems.append(f"evaluator/models/data/{name}: {'.'.join(p)} needs a `note` saying why")
        for p, _n in _parameters(data):
            if not _covered(p, prov) and not any(_covered(p[:k], prov) for k in range(len(p))):
                problems.append(f"evaluator/models/data/{name}: {'.'.join(p)} has no source or assumption")
    assert not problems, "\n".join(problems)


def test_every_referenced_source_exists_in_the_kb():
    known = {p.stem for p in (ROOT / "kb" / "sources").glob("*.yaml")}
    missing = []
    for name, data in DATA.items():
        for p, n in _provenance(data):
            refs = [n["source"]] if n.get("source") else []
            for sid in refs:
                if sid not in known:
                    missing.append(f"evaluator/models/data/{name}: {'.'.join(p)} cites unknown source {sid!r}")
        for p, n in _parameters(data):
            for sid in n.get("informed_by", []) if isinstance(n, dict) else []:
                if sid not in known:
                    missing.append(f"evaluator/models/data/{name}: {'.'.join(p)} informed_by unknown source {sid!r}")
    assert not missing, "\n".join(missing) + "\n(add the source to kb/sources/ or fix the id)"


def test_every_kb_instrument_has_a_cost_model_and_no_cost_model_is_orphaned():
    kb = {p.stem for p in (ROOT / "kb" / "instruments").glob("*.yaml")}
    costed = set(DATA["costs.yaml"]["instruments"])
    assert not (kb - costed), f"add these instruments to evaluator/models/data/costs.yaml: {sorted(kb - costed)}"
    assert not (costed - kb), f"costs.yaml prices instruments the KB lacks: {sorted(costed - kb)}"


def test_roles_name_existing_indicators():
    known = {p.stem for p in (ROOT / "kb" / "indicators").glob("*.yaml")}
    roles = DATA["indicators.yaml"]["roles"]
    missing = {r: i for r, i in roles.items() if i not in known}
    assert not missing, f"evaluator/models/data/indicators.yaml names indicators not in kb/indicators: {missing}"


def test_cost_model_references_resolve():
    # the typed loader (evaluator.models.costing.load_costs) checks factors, bases and references; here the shape
    costs = DATA["costs.yaml"]
    roles = DATA["indicators.yaml"]["roles"]
    model, problems = load_costs()
    assert model is not None and not problems, [str(p) for p in problems]
    for name, spec in costs["factors"].items():
        assert ("indicator" in spec) != ({"low", "central", "high"} <= set(spec)), name
        if "indicator" in spec:
            assert spec["indicator"] in roles, f"factor {name}: unknown role {spec['indicator']}"
    for iid, spec in model.instruments.items():
        assert spec.kind in {"benefit", "administrative"}, iid
        for term in spec.terms:
            assert term.base in {"population", "working_age", "labour-force", "employed", "unemployed",
                                 "informal-workers"}, f"{iid}: base {term.base} is not a KB group size"
