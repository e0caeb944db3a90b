"""The one vocabulary (policyatlas/kb/vocab.py): current with the ontology, and the KB format and the SHACL
shapes' `sh:in` lists agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import SH

from policyatlas.kb import kbschema, vocab

SHAPES = Path(__file__).resolve().parents[2] / "ontology" / "shapes.ttl"
PA = rdflib.Namespace(vocab.PA)
#: sh:path of a literal `sh:in` list -> the vocabulary list it must equal (IRI lists are matched by their IRIs).
LITERAL_LISTS = {PA.relationKind: "relation", PA.severity: "severity", PA.sourceType: "source_type",
                 PA.confirmation: "confirmation", PA.beneficiaryUnit: "beneficiary_unit", PA.iso3: "supranational",
                 PA.schemeExists: "scheme_exists"}


def test_the_compiled_vocabulary_is_current():
    """policyatlas/kb/vocabulary.json is what the ontology and vocabulary.yaml say; regenerate it with
    `python -m policyatlas.kb.vocab` after editing either."""
    assert vocab.compile_vocabulary() == vocab.vocabulary(), "run: python -m policyatlas.kb.vocab"


def test_shacl_in_lists_agree_with_the_vocabulary():
    graph = rdflib.Graph().parse(SHAPES, format="turtle")
    by_iris = {tuple(c["iri"] for c in vocab.concepts(name)): name for name in vocab.vocabulary()
               if all("iri" in c for c in vocab.concepts(name))}
    seen = set()
    for shape, head in graph.subject_objects(SH["in"]):
        members = list(Collection(graph, head))
        if all(isinstance(m, rdflib.URIRef) for m in members):
            name = by_iris.get(tuple(str(m) for m in members))
            assert name, f"{shape}: sh:in {[str(m) for m in members]} is no vocabulary list (in order)"
        else:
            path = graph.value(shape, SH.path)
            name = LITERAL_LISTS.get(path)
            assert name, f"{shape}: a literal sh:in list on {path} with no vocabulary list named in this test"
            assert tuple(str(m) for m in members) == vocab.ids(name), f"{shape} disagrees with vocabulary {name}"
        seen.add(name)
    # every list the KB format restricts is checked by a shape too
    assert {"layer", "family", "tool_type", "income_group", "gap", "severity", "relation", "status", "implementer",
            "scale", "design", "outcome", "direction", "strength", "branch", "scheme_kind", "source_type",
            "confirmation", "beneficiary_unit", "supranational", "scheme_exists"} <= seen, seen


def test_the_kb_format_uses_the_vocabulary():
    lists = {vocab.ids(name) for name in vocab.vocabulary()}

    def enums(fields: dict):
        for key, f in fields.items():
            if f.type in ("enum", "enums"):
                yield key, f.values
            yield from enums(f.fields)

    found = [(kind, key, values) for kind, fields in kbschema.SCHEMAS.items() for key, values in enums(fields)]
    assert len(found) > 10
    for kind, key, values in found:
        assert values in lists, f"kbschema {kind}.{key}: {values} is not a vocabulary list"
    # the baseline's group sizes keep their own column order; the members are the ontology's population groups
    assert set(kbschema.SIZE_GROUPS) == set(vocab.ids("population_group"))


def test_labels_and_lookups():
    assert vocab.label("gap", "fragmentation", "zh") == "政策碎片化"
    assert vocab.label("layer", "base") == "base layer"
    assert vocab.label("gap", "no-such-gap") == "no-such-gap"
    assert vocab.iri("layer", "top") == "https://w3id.org/policyatlas/kb/layer/top"
    assert {c["id"]: c["symmetric"] for c in vocab.concepts("relation")} == {
        "complements": True, "prerequisite-of": False, "substitute-for": True, "conflicts-with": True}
    assert [c["rank"] for c in vocab.concepts("codi_level")] == [1, 2, 3, 4]
    assert all(set(c["label"]) == {"en", "zh"} for name in vocab.vocabulary() for c in vocab.concepts(name))
    with pytest.raises(KeyError, match="no vocabulary"):
        vocab.ids("colours")


def test_a_broken_ontology_is_refused(tmp_path):
    """The compiler refuses a scheme member outside its IRI space and a data list naming no ontology property."""
    text = vocab.ONTOLOGY_PATH.read_text(encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    head = "layer:base a pa:SafetyNetLayer , skos:Concept ;\n    skos:inScheme "
    bad.write_text(text.replace(head + "pa:SafetyNetLayerScheme", head + "pa:GapKindScheme"), encoding="utf-8")
    with pytest.raises(ValueError, match="does not start with"):
        vocab.compile_vocabulary(bad)
    data = tmp_path / "bad.yaml"
    data.write_text(vocab.DATA_PATH.read_text(encoding="utf-8").replace("property: conflictsWith",
                                                                       "property: fightsWith"), encoding="utf-8")
    with pytest.raises(ValueError, match="not an ontology object property"):
        vocab.compile_vocabulary(data=data)
