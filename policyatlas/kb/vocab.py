"""The one vocabulary: every code list of Policy Atlas with its English and Chinese labels.

Gap kinds, safety-net layers, instrument families, target groups, CODI criteria and levels, income groups,
tool types, study designs, outcomes, effect directions and strengths, programme statuses, implementers and
scales, effect metrics, social-protection branches, scheme kinds and the baseline's population groups are SKOS
concept schemes of the ontology (`ontology/policyatlas.ttl`); relation kinds are its instrument-relation
properties. The few lists the
ontology does not hold (severities and the literal values of the KB format) are in `policyatlas/
vocabulary.yaml`. `compile_vocabulary()` reads both (with rdflib) and `python -m policyatlas.kb.vocab` writes the
result to `policyatlas/kb/vocabulary.json`, which is what the code reads at run time (a JSON load, no RDF parse
on start-up); `tests/kb/test_vocab.py` fails when that file is stale, and checks that the SHACL shapes'
`sh:in` lists and the KB format (`kbschema.py`) agree with it.

Use: `ids("gap")` (ordered as in the ontology), `label("gap", "fragmentation", "zh")`, `iri("layer", "base")`,
`concepts("gap")` (with extra fields: a gap kind's `informs`, a CODI level's `rank`, a relation's `symmetric`
and `property`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
JSON_PATH = HERE / "vocabulary.json"
DATA_PATH = HERE / "vocabulary.yaml"
ONTOLOGY_PATH = HERE.parents[1] / "ontology" / "policyatlas.ttl"

PA = "https://w3id.org/policyatlas/ontology#"
KB = "https://w3id.org/policyatlas/kb/"

#: name -> (concept scheme in the ontology, the IRI prefix a concept's id follows)
SCHEMES = {
    "layer": ("SafetyNetLayerScheme", KB + "layer/"),
    "family": ("InstrumentFamilyScheme", KB + "family/"),
    "target_group": ("TargetGroupScheme", KB + "target-group/"),
    "gap": ("GapKindScheme", KB + "gap/"),
    "codi_criterion": ("CodiCriterionScheme", KB + "codi/"),
    "codi_level": ("CodiLevelScheme", KB + "codi/"),
    "tool_type": ("ToolTypeScheme", KB + "vocab/tool-"),
    "income_group": ("IncomeGroupScheme", KB + "vocab/income-"),
    "design": ("StudyDesignScheme", KB + "vocab/design-"),
    "outcome": ("OutcomeScheme", KB + "vocab/outcome-"),
    "direction": ("DirectionScheme", KB + "vocab/direction-"),
    "strength": ("StrengthScheme", KB + "vocab/strength-"),
    "status": ("ProgrammeStatusScheme", KB + "vocab/status-"),
    "implementer": ("ImplementerScheme", KB + "vocab/implementer-"),
    "scale": ("ProgrammeScaleScheme", KB + "vocab/scale-"),
    "effect_metric": ("EffectMetricScheme", KB + "vocab/metric-"),
    "branch": ("SocialProtectionBranchScheme", KB + "vocab/branch-"),
    "scheme_kind": ("SchemeKindScheme", KB + "vocab/scheme-kind-"),
    "population_group": ("PopulationGroupScheme", KB + "target-group/"),
}
#: Lists read from vocabulary.yaml (relation kinds take their labels from the ontology's properties).
DATA_LISTS = ("relation", "severity", "confirmation", "source_type", "beneficiary_unit", "supranational",
              "scheme_exists")


@cache
def vocabulary() -> dict[str, list[dict]]:
    """Every list by name: its concepts in order, each `{"id", "iri"?, "label": {"en", "zh"}, ...}`."""
    with open(JSON_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def concepts(name: str) -> list[dict]:
    try:
        return vocabulary()[name]
    except KeyError:
        raise KeyError(f"no vocabulary {name!r}: use one of {', '.join(vocabulary())}") from None


@cache
def ids(name: str) -> tuple[str, ...]:
    """The ids of one list, in the ontology's (or the data file's) order."""
    return tuple(c["id"] for c in concepts(name))


@cache
def _index(name: str) -> dict[str, dict]:
    return {c["id"]: c for c in concepts(name)}


def get(name: str, id_: str) -> dict:
    return _index(name)[id_]


def label(name: str, id_: str, lang: str = "en") -> str:
    """The label of `id_` in `lang` (English where the other language lacks one; the id if unknown)."""
    entry = _index(name).get(id_)
    if entry is None:
        return id_
    return entry["label"].get(lang) or entry["label"].get("en") or id_


def labels(name: str) -> dict[str, dict[str, str]]:
    """`{id: {"en": ..., "zh": ...}}` of one list."""
    return {c["id"]: dict(c["label"]) for c in concepts(name)}


def iri(name: str, id_: str) -> str:
    return _index(name)[id_]["iri"]


# ---------------------------------------------------------------------------------------------------------
# Compiling the vocabulary from the ontology and the data file (rdflib; run by `python -m policyatlas.kb.vocab`
# and by the staleness test, never at run time)
# ---------------------------------------------------------------------------------------------------------


def _labels(graph, node) -> dict[str, str]:
    from rdflib.namespace import RDFS

    out = {lit.language: str(lit) for lit in graph.objects(node, RDFS.label) if getattr(lit, "language", None)}
    return {lang: out[lang] for lang in ("en", "zh") if lang in out}


def compile_vocabulary(ontology: Path = ONTOLOGY_PATH, data: Path = DATA_PATH) -> dict[str, list[dict]]:
    """The vocabulary as `vocabulary()` returns it, read from the ontology and the data file. Concepts keep the
    order in which the ontology declares them (the order the tables and the scorecard show)."""
    import rdflib
    import yaml
    from rdflib.namespace import OWL, RDF, SKOS

    text = ontology.read_text(encoding="utf-8")
    graph = rdflib.Graph().parse(data=text, format="turtle")
    prefixes = {str(ns): p for p, ns in graph.namespaces()}
    pa = rdflib.Namespace(PA)

    def position(node) -> int:
        """Where the ontology declares `node` (its first `prefix:local a` line)."""
        iri_ = str(node)
        for ns, prefix in prefixes.items():
            if prefix and iri_.startswith(ns):
                found = text.find(f"\n{prefix}:{iri_[len(ns):]} a ")
                if found >= 0:
                    return found
        raise ValueError(f"{iri_} is not declared as `prefix:name a ...` in {ontology}")

    out: dict[str, list[dict]] = {}
    for name, (scheme, prefix) in SCHEMES.items():
        members = sorted(graph.subjects(SKOS.inScheme, pa[scheme]), key=position)
        if not members:
            raise ValueError(f"{ontology}: the concept scheme pa:{scheme} has no concepts")
        items = []
        for node in members:
            if not str(node).startswith(prefix):
                raise ValueError(f"{ontology}: {node} in pa:{scheme} does not start with {prefix}")
            item = {"id": str(node)[len(prefix):], "iri": str(node), "label": _labels(graph, node)}
            informs = sorted(str(o)[len(KB + "codi/"):] for o in graph.objects(node, pa.gapInforms))
            if informs:
                item["informs"] = informs
            rank = graph.value(node, pa.levelRank)
            if rank is not None:
                item["rank"] = int(rank)
            items.append(item)
        out[name] = items
    with open(data, encoding="utf-8") as fh:
        listed = yaml.safe_load(fh)
    if set(listed) != set(DATA_LISTS):
        raise ValueError(f"{data}: expected the lists {', '.join(DATA_LISTS)}, found {', '.join(listed)}")
    for name in DATA_LISTS:
        items = []
        for entry in listed[name]:
            item = {"id": str(entry["id"])}
            if "property" in entry:
                prop = pa[entry["property"]]
                if (prop, RDF.type, OWL.ObjectProperty) not in graph:
                    raise ValueError(f"{data}: {name} {entry['id']}: pa:{entry['property']} is not an ontology "
                                     f"object property")
                item.update(iri=str(prop), property=entry["property"], label=_labels(graph, prop),
                            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph)
            else:
                item["label"] = {k: str(v) for k, v in entry["label"].items()}
            items.append(item)
        out[name] = items
    for name, items in out.items():
        for item in items:
            if set(item["label"]) != {"en", "zh"}:
                raise ValueError(f"{name} {item['id']} lacks an English or a Chinese label")
    return out


def dump(vocab: dict) -> str:
    return json.dumps(vocab, ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    JSON_PATH.write_text(dump(compile_vocabulary()), encoding="utf-8")
    print(f"wrote {JSON_PATH}")
