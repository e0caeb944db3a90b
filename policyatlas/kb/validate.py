"""Every check of the KB, in one pass, each problem reported as `path:line: [rule] message`.

Order: reading and format checks (kbschema), cross-file references, the checks a higher layer adds
(`extra_checks`: `policyatlas.pipeline.build.validate_project` adds the evaluator's rule files and the models'
parameter files, `evaluator/models/data/*.yaml` through `evaluator.models.modeldata`), SHACL shapes
(`ontology/shapes.ttl`), QC queries (`ontology/qc/*.rq`, each must return no rows), and last HermiT
consistency of ontology + KB. SHACL and QC results are mapped back to the file and line the offending node
was compiled from. This module is the KB layer's: it knows nothing of the evaluator (docs/architecture.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SH

from policyatlas.core.errors import Problem
from policyatlas.core.namespaces import PA, prologue
from policyatlas.core.paths import ONTOLOGY_DIR, relative
from policyatlas.core.rdfio import load_ontology, parse_local
from policyatlas.kb.compile import canonical_ntriples, compile_kb, node_locations
from policyatlas.kb.loader import KBSource, load_kb


@dataclass
class Checked:
    """The outcome of validation: the KB as read, its compiled graph (ontology + KB) and every problem."""

    kb: KBSource
    graph: Graph | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _shape_rule(shapes: Graph, shape) -> str:
    for prop in (PA.ruleId, SH.name):
        value = shapes.value(shape, prop)
        if value is not None:
            return str(value)
    return "shacl"


SCHEMA_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty, OWL.SymmetricProperty,
                OWL.AsymmetricProperty, OWL.IrreflexiveProperty, OWL.Restriction, OWL.AllDifferent,
                OWL.AllDisjointClasses, RDFS.Class, RDFS.Datatype, RDF.Property, RDF.List}


def shacl_data(ontology: Graph, kb_graph: Graph) -> Graph:
    """The graph pySHACL checks: the KB plus only what the shapes need from the ontology (the class
    hierarchy and its individuals: layers, gap kinds, code lists, target groups). Handing pySHACL the whole
    ontology as data made it 40 times slower on this KB (measured: 640 s against 16 s)."""
    data = Graph()
    for triple in kb_graph:
        data.add(triple)
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        data.add(triple)
    individuals = {s for s, o in ontology.subject_objects(RDF.type) if o not in SCHEMA_TYPES}
    for individual in individuals:
        for triple in ontology.triples((individual, None, None)):
            data.add(triple)
    return data


def shacl_problems(data: Graph, locations: dict, ontology_dir: Path = ONTOLOGY_DIR) -> list[Problem]:
    """Run pySHACL with the project's shapes; each violation points at its node's source file and line."""
    import pyshacl

    shapes_path = ontology_dir / "shapes.ttl"
    if not shapes_path.exists():
        return []
    shapes, problems = parse_local(shapes_path)
    if problems:
        return problems
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                           allow_warnings=True, inplace=True)  # `data` is our own copy
    if conforms:
        return []
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        rule = _shape_rule(shapes, shape) if shape is not None else "shacl"
        if rule == "shacl":
            # property shapes are often blank nodes inside a node shape: take the node shape's name
            for parent in shapes.subjects(SH.property, shape):
                rule = _shape_rule(shapes, parent)
        file, line = locations.get(str(focus), (relative(shapes_path), 1))
        where = f" (property {path.n3(data.namespace_manager)})" if path is not None and hasattr(path, "n3") else ""
        out.append(Problem(file, line, rule, f"{message or 'SHACL constraint violated'}{where}"))
    return out


def _header(text: str, key: str) -> str | None:
    match = re.search(rf"^#\s*{key}:\s*(.+)$", text, flags=re.MULTILINE)
    return match.group(1).strip() if match else None


def qc_problems(store: ox.Store, locations: dict, ontology_dir: Path = ONTOLOGY_DIR) -> list[Problem]:
    """Each `ontology/qc/*.rq` must return no rows; each row it returns is a problem at ?item's source."""
    out = []
    for path in sorted((ontology_dir / "qc").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        rule = _header(text, "rule") or path.stem
        try:
            result = store.query(prologue() + text)
            rows = list(result)
            names = [v.value for v in result.variables] if hasattr(result, "variables") else []
        except (SyntaxError, ValueError, OSError) as err:
            out.append(Problem(relative(path), 1, "qc-query", f"QC query does not run: {err}"))
            continue
        for row in rows:
            values = {name: row[name] for name in names}
            item = values.get("item")
            message = values.get("message")
            file, line = locations.get(item.value if item is not None else "", (relative(path), 1))
            text_msg = message.value if message is not None else (
                f"{_header(text, 'title') or rule}: {item.value if item is not None else row}")
            out.append(Problem(file, line, rule, text_msg))
    return out


def consistency_problems(graph: Graph, ontology_dir: Path = ONTOLOGY_DIR) -> list[Problem]:
    """HermiT (through owlready2) on ontology + KB: an inconsistency is one problem on the ontology."""
    from policyatlas.kb.reasoner import check_consistency

    main = ontology_dir / "policyatlas.ttl"
    messages = check_consistency(graph, ontology=main, imports_dir=ontology_dir / "imports")
    return [Problem(relative(main), 1, "owl-inconsistent", m) for m in messages]


# Problems of a record that still compiles: it points at a record that is missing (or failed its own checks).
REFERENCE_RULES = ("dangling-reference", "unknown-iso3")


def checked_part(kb: KBSource, problems: list[Problem]) -> KBSource:
    """The KB without the records that failed their own checks (a YAML file with such a problem, a CSV row
    with one): the compiler assumes well-formed records (one missing a required key, or holding a refused
    value, made it fail) and their problems are already reported. A record whose only fault is a reference
    to a missing record stays, so one bad file does not cascade into problems in every file that cites it."""
    bad_rows = {(p.path, p.line) for p in problems if p.rule not in REFERENCE_RULES} | kb.malformed
    bad_files = {path for path, _ in bad_rows}
    bad_tables = {p.path for p in problems if p.line == 1}  # a CSV's header or its indicator is wrong

    def keep(rec) -> bool:
        return (rec.path, rec.line) not in bad_rows and rec.path not in bad_tables

    records = {folder: {rid: rec for rid, rec in recs.items() if rec.path not in bad_files}
               for folder, recs in kb.records.items()}
    indicators = records.get("indicators", {})
    return replace(kb, records=records, countries={code: rec for code, rec in kb.countries.items() if keep(rec)},
                   figures=[rec for rec in kb.figures if keep(rec) and rec.data["indicator"] in indicators],
                   memberships=[rec for rec in kb.memberships if keep(rec)])


def to_store(graph_nt: str) -> ox.Store:
    store = ox.Store()
    store.bulk_load(graph_nt.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


def validate(kb_root: Path | None = None, *, reason: bool = True, ontology_dir: Path = ONTOLOGY_DIR,
             extra_checks: Iterable[Callable[[KBSource], Iterable[Problem]]] = ()) -> Checked:
    """Run every check of the KB, plus `extra_checks` (callables given the loaded KB, returning problems of
    files that are data too, such as the evaluator's rule files and the models' parameters); return the
    compiled graph along with the problems (empty when all is well)."""
    kb = load_kb(kb_root)
    problems = list(kb.problems)
    ontology, found = load_ontology(ontology_dir)
    problems.extend(found)
    for check in extra_checks:
        problems.extend(check(kb))
    if any(p.rule in ("missing-kb", "missing-ontology") for p in problems):
        return Checked(kb, None, problems)
    checked = checked_part(kb, problems)
    kb_graph = compile_kb(checked)
    graph = ontology + kb_graph
    locations = node_locations(checked)
    bad_files = {p.path for p in problems}
    for problem in shacl_problems(shacl_data(ontology, kb_graph), locations, ontology_dir):
        if problem.path not in bad_files:  # already reported by the format checks
            problems.append(problem)
    nt = canonical_ntriples(graph)
    problems.extend(p for p in qc_problems(to_store(nt), locations, ontology_dir) if p.path not in bad_files)
    if reason and not problems:
        problems.extend(consistency_problems(graph, ontology_dir))
    return Checked(kb, graph, sorted(set(problems)))
