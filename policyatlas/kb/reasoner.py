"""Logical consistency of the ontology together with the KB, checked by the HermiT reasoner.

HermiT (bundled with owlready2, run on the machine's Java) proves that nothing in the KB contradicts the
ontology: no programme that is also an instrument, no instrument in two safety-net layers, no evidence that
contests itself, no year written as text. It runs once per build, never per page or request (each call
starts a JVM, about a second).

Loading never reaches the network: `owl:imports` are resolved from `ontology/imports/` (listed in its
`catalog-v001.xml`, as Protégé does) or refused with a message, and literals outside the OWL 2 datatype map
(`xsd:gYear`, `xsd:date`, `xsd:float`, ...) are converted before HermiT sees them, because one such literal
fails the whole run.

HermiT only says "inconsistent"; `check_consistency` adds readable explanations from quick checks of the
usual causes (disjoint types, functional properties with two values, a relation to itself, values of the
wrong datatype).
"""

from __future__ import annotations

import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from policyatlas.core.errors import UserError
from policyatlas.core.namespaces import PREFIXES
from policyatlas.core.paths import ONTOLOGY_DIR, relative
from policyatlas.core.rdfio import import_catalog

ONTOLOGY_FILE = ONTOLOGY_DIR / "policyatlas.ttl"
IMPORTS_DIR = ONTOLOGY_DIR / "imports"
CATALOG_NAME = "catalog-v001.xml"
ONTOLOGY_IRI = "https://w3id.org/policyatlas/ontology"

#: Datatypes HermiT accepts and owlready2 round-trips unchanged.
KEPT_DATATYPES = {XSD.integer, XSD.decimal, XSD.boolean, XSD.string, XSD.anyURI, XSD.dateTime, RDF.langString,
                  RDF.PlainLiteral}
#: OWL 2 integer subtypes: valid, but written as xsd:integer so that every year compares alike.
INTEGER_TYPES = {XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
                 XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedInt, XSD.unsignedLong,
                 XSD.unsignedShort, XSD.unsignedByte}
_HERMIT_LOCK = threading.Lock()


# ---------------------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------------------

def check_consistency(data: str | Path | Graph, ontology: str | Path | None = None,
                      imports_dir: str | Path | None = None) -> list[str]:
    """Run HermiT on the ontology plus `data` (an N-Triples/Turtle/N-Quads file or an rdflib graph).

    Returns [] when the two together are consistent and every class is satisfiable; otherwise one readable
    line per problem found (what is wrong, on which IRI, how to fix it). Raises UserError when the input
    cannot be read, an `owl:imports` has no local copy, or Java/HermiT cannot run.
    """
    ontology_path = Path(ontology) if ontology is not None else ONTOLOGY_FILE
    imports = Path(imports_dir) if imports_dir is not None else IMPORTS_DIR
    merged = Graph()
    _add_all(merged, _read_graph(ontology_path))
    _add_all(merged, _as_graph(data))
    _resolve_imports(merged, imports)
    problems = sanitise_literals(merged)
    problems += _run_hermit(merged)
    return problems


# ---------------------------------------------------------------------------------------------------------
# Reading input without touching the network
# ---------------------------------------------------------------------------------------------------------

_FORMATS = {".nt": "nt", ".ttl": "turtle", ".nq": "nquads", ".trig": "trig", ".owl": "xml", ".rdf": "xml"}


def _read_graph(path: Path) -> Graph:
    """Parse one RDF file; RDF/XML with a DOCTYPE is refused (entity expansion can stall the parser)."""
    if not path.is_file():
        raise UserError(f"{relative(path)}: no such RDF file")
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UserError(f"{relative(path)}: unknown RDF format; use .nt, .ttl, .nq, .trig or .owl (RDF/XML)")
    if fmt == "xml" and b"<!DOCTYPE" in path.read_bytes()[:4096].upper():
        raise UserError(f"{relative(path)}: RDF/XML with a DOCTYPE is refused (entity expansion); "
                        "remove the DOCTYPE or convert the file to Turtle")
    graph: Graph = Dataset() if fmt in ("nquads", "trig") else Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as err:  # rdflib raises many parser-specific types
        raise UserError(f"{relative(path)}: cannot parse as {fmt}: {err}") from err
    return graph


def _as_graph(data: str | Path | Graph) -> Graph:
    if isinstance(data, Graph):
        return data
    return _read_graph(Path(data))


def _triples(graph: Graph) -> Iterable[tuple]:
    """Every triple of a graph, or of every named graph of a dataset."""
    if isinstance(graph, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph.triples((None, None, None))


def _add_all(target: Graph, source: Graph) -> None:
    for triple in _triples(source):
        target.add(triple)


def _resolve_imports(graph: Graph, imports_dir: Path) -> None:
    """Replace every owl:imports by the triples of its local copy, or refuse it; never fetch a URL."""
    catalog = import_catalog(imports_dir)
    done = {ONTOLOGY_IRI, ONTOLOGY_IRI + "/0.1.0"}
    while True:
        pending = [(s, o) for s, o in graph.subject_objects(OWL.imports)]
        if not pending:
            return
        for subject, target in pending:
            graph.remove((subject, OWL.imports, target))
            iri = str(target)
            if iri in done:
                continue
            local = catalog.get(iri)
            if local is None:
                raise UserError(
                    f"owl:imports <{iri}> has no local copy: Policy Atlas never loads ontologies over the "
                    f"network. Save the ontology under {relative(imports_dir)}/ and map its IRI to the file "
                    f"in {relative(imports_dir / CATALOG_NAME)}, or remove the owl:imports.")
            if not local.is_file():
                raise UserError(f"{relative(imports_dir / CATALOG_NAME)}: <{iri}> maps to {relative(local)}, "
                                "which does not exist")
            done.add(iri)
            _add_all(graph, _read_graph(local))


# ---------------------------------------------------------------------------------------------------------
# Literals: only the OWL 2 datatype map reaches HermiT
# ---------------------------------------------------------------------------------------------------------

def _convert(lit: Literal) -> Literal | None:
    """The OWL 2-safe equivalent of a literal, or None when its lexical form is not a valid value."""
    dt, text = lit.datatype, str(lit)
    if dt is None or dt in (XSD.string, XSD.anyURI):
        return lit
    if dt == XSD.boolean:
        return lit if text.strip() in ("true", "false", "1", "0") else None
    if dt == XSD.integer or dt in INTEGER_TYPES or dt == XSD.gYear:
        digits = text.strip()
        if dt == XSD.gYear:  # "2024", "2024Z", "2024+01:00": the year number only
            digits = digits[:4] if digits[:1] != "-" else digits[:5]
        try:
            return Literal(int(digits), datatype=XSD.integer)
        except ValueError:
            return None
    if dt in (XSD.decimal, XSD.float, XSD.double):
        try:
            number = Decimal(text.strip())
        except InvalidOperation:
            return None
        if not number.is_finite():
            return Literal(text, datatype=XSD.string) if dt != XSD.decimal else None
        return Literal(format(number, "f"), datatype=XSD.decimal)
    if dt == XSD.dateTime:
        return lit if lit.value is not None and not lit.ill_typed else None
    if dt == XSD.date:
        if lit.value is None or lit.ill_typed:
            return None
        return Literal(f"{lit.value.isoformat()}T00:00:00Z", datatype=XSD.dateTime)
    if dt in KEPT_DATATYPES:
        return lit
    return Literal(text, datatype=XSD.string)  # gYearMonth, duration, time, custom types: kept as text


def sanitise_literals(graph: Graph) -> list[str]:
    """Rewrite literals outside the OWL 2 datatype map in place; report (and drop) ill-typed ones."""
    problems = []
    changes = []
    for s, p, o in graph:
        if not isinstance(o, Literal) or o.language is not None or o.datatype in (None, XSD.string):
            continue
        new = _convert(o)
        if new is None:
            problems.append(f"{_short(s)} {_short(p)} \"{o}\": not a valid {_short(o.datatype)}; "
                            "write the value in that type's format (years as whole numbers, dates YYYY-MM-DD)")
        if new is None or new != o or new.datatype != o.datatype:
            changes.append(((s, p, o), None if new is None else (s, p, new)))
    for old, new in changes:
        graph.remove(old)
        if new is not None:
            graph.add(new)
    return problems


# ---------------------------------------------------------------------------------------------------------
# Running HermiT through owlready2
# ---------------------------------------------------------------------------------------------------------

def _run_hermit(graph: Graph) -> list[str]:
    import owlready2

    with _HERMIT_LOCK, tempfile.TemporaryDirectory(prefix="policyatlas-hermit-") as tmp:
        nt = Path(tmp) / "input.nt"
        graph.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        saved_tempdir = tempfile.tempdir
        # owlready2 leaves its temporary N-Triples file behind when HermiT says "inconsistent": keep it in
        # our own temporary directory, which is removed below.
        tempfile.tempdir = tmp
        try:
            with nt.open("rb") as handle:
                onto = world.get_ontology(ONTOLOGY_IRI).load(fileobj=handle, format="ntriples")
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            unsatisfiable = [c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing)]
        except owlready2.OwlReadyInconsistentOntologyError:
            causes = explain_inconsistency(graph)
            head = "HermiT: the ontology and the KB together are inconsistent"
            if not causes:
                return [head + " (the quick checks found no single cause; open build/policyatlas.nt with "
                        "ontology/policyatlas.ttl in Protégé and ask HermiT for an explanation)"]
            return [f"{head}: {cause}" for cause in causes]
        except owlready2.OwlReadyJavaError as err:
            raise UserError("HermiT could not run: " + _java_gist(str(err))) from err
        except FileNotFoundError as err:
            raise UserError(f"HermiT needs Java (17 or later) on the PATH: {err}") from err
        finally:
            tempfile.tempdir = saved_tempdir
            world.close()
    return [f"HermiT: class {_short(URIRef(iri))} is unsatisfiable (nothing can belong to it); "
            "check its disjointness and restrictions in ontology/policyatlas.ttl" for iri in unsatisfiable]


def _java_gist(message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith("at ")]
    return " | ".join(useful[:4]) or message


# ---------------------------------------------------------------------------------------------------------
# Explanations: the usual causes of an inconsistency, found directly in the triples
# ---------------------------------------------------------------------------------------------------------

def _short(term) -> str:
    text = str(term)
    for prefix, iri in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(iri) and len(text) > len(iri):
            return f"{prefix}:{text[len(iri):]}"
    return f"<{text}>" if isinstance(term, URIRef) else text


def _list(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def _superclasses(graph: Graph) -> dict:
    """Named class -> itself and every named superclass (transitive rdfs:subClassOf)."""
    parents = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents[sub].add(sup)
    closure = {}

    def up(cls, seen):
        result = {cls}
        for parent in parents.get(cls, ()):
            if parent not in seen:
                result |= up(parent, seen | {parent})
        return result

    for cls in set(parents) | {o for ps in parents.values() for o in ps}:
        closure[cls] = up(cls, {cls})
    return closure


def _types(graph: Graph) -> dict:
    """Individual -> {class: why}, from rdf:type and the named domains and ranges of the properties used."""
    closure = _superclasses(graph)
    domains = {p: d for p, d in graph.subject_objects(RDFS.domain) if isinstance(d, URIRef)}
    ranges = {p: r for p, r in graph.subject_objects(RDFS.range)
              if isinstance(r, URIRef) and (p, RDF.type, OWL.ObjectProperty) in graph}
    reasons = defaultdict(dict)

    def note(individual, cls, why):
        for sup in closure.get(cls, {cls}):
            reasons[individual].setdefault(sup, why)

    for s, p, o in graph:
        if p == RDF.type and isinstance(o, URIRef):
            if (o, RDF.type, OWL.Class) in graph or o in closure:
                note(s, o, "typed so")
            continue
        if p in domains:
            note(s, domains[p], f"subject of {_short(p)}")
        if p in ranges and not isinstance(o, Literal):
            note(o, ranges[p], f"value of {_short(p)}")
    return reasons


def _disjoint_pairs(graph: Graph) -> set[frozenset]:
    pairs = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.disjointWith)}
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = _list(graph, graph.value(node, OWL.members))
        pairs |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    return pairs


def _different(graph: Graph) -> set[frozenset]:
    pairs = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.differentFrom)}
    for node in graph.subjects(RDF.type, OWL.AllDifferent):
        members = _list(graph, graph.value(node, OWL.distinctMembers) or graph.value(node, OWL.members))
        pairs |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    return pairs


def _same_value(a, b) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        if a.language or b.language:
            return a == b
        try:
            return a.toPython() == b.toPython()
        except Exception:  # values rdflib cannot convert compare lexically
            return str(a) == str(b)
    return a == b


def _datatype_clash(graph: Graph, value: Literal, rng) -> str | None:
    """Why `value` cannot belong to the data range `rng`, or None when it can."""
    if isinstance(rng, BNode):
        allowed = _list(graph, graph.value(rng, OWL.oneOf))
        if allowed and not any(_same_value(value, a) for a in allowed):
            return f"is not one of {', '.join(repr(str(a)) for a in allowed)}"
        return None
    if rng == RDF.langString:
        return None if value.language else "needs a language tag (write it as \"...\"@en or @zh)"
    if rng == RDF.PlainLiteral:
        return None if value.language or value.datatype in (None, XSD.string) else (
            f"is a {_short(value.datatype)} but must be text")
    if value.language:
        return f"is language-tagged but must be a plain {_short(rng)}"
    dt = value.datatype or XSD.string
    ok = {XSD.decimal: {XSD.decimal, XSD.integer}, XSD.integer: {XSD.integer}}.get(rng, {rng})
    if rng in (XSD.string, XSD.anyURI, XSD.boolean, XSD.dateTime, XSD.integer, XSD.decimal) and dt not in ok:
        return f"is a {_short(dt)} but must be a {_short(rng)}"
    return None


def explain_inconsistency(graph: Graph) -> list[str]:
    """Readable causes of an inconsistency, found by direct checks of the usual OWL axioms."""
    causes = []
    types = _types(graph)
    for pair in sorted(_disjoint_pairs(graph), key=lambda p: sorted(map(str, p))):
        a, b = sorted(pair, key=str)
        for individual, classes in types.items():
            if a in classes and b in classes:
                causes.append(f"{_short(individual)} is both a {_short(a)} ({classes[a]}) and a {_short(b)} "
                              f"({classes[b]}), which are disjoint")
    different = _different(graph)
    for prop in sorted(set(graph.subjects(RDF.type, OWL.FunctionalProperty)), key=str):
        values = defaultdict(list)
        for s, o in graph.subject_objects(prop):
            values[s].append(o)
        for subject, objs in values.items():
            for i, a in enumerate(objs):
                for b in objs[i + 1:]:
                    if isinstance(a, Literal) and isinstance(b, Literal) and not _same_value(a, b):
                        causes.append(f"{_short(subject)} has two values for {_short(prop)}, which allows "
                                      f"only one: \"{a}\" and \"{b}\"")
                    elif frozenset((a, b)) in different:
                        causes.append(f"{_short(subject)} has two values for {_short(prop)}, which allows "
                                      f"only one: {_short(a)} and {_short(b)}")
                    elif isinstance(a, URIRef) and isinstance(b, URIRef) and a != b:
                        causes.append(f"{_short(subject)} has two values for {_short(prop)}, which allows "
                                      f"only one: {_short(a)} and {_short(b)} (HermiT then takes them for one "
                                      "thing, which clashes with what else is said about them)")
    for prop in sorted(set(graph.subjects(RDF.type, OWL.IrreflexiveProperty)), key=str):
        for s, o in graph.subject_objects(prop):
            if s == o:
                causes.append(f"{_short(s)} {_short(prop)} itself; remove that relation")
    symmetric = set(graph.subjects(RDF.type, OWL.SymmetricProperty))

    def edges(prop):
        found = set(graph.subject_objects(prop))
        return found | {(o, s) for s, o in found} if prop in symmetric else found

    for prop in sorted(set(graph.subjects(RDF.type, OWL.AsymmetricProperty)), key=str):
        for s, o in graph.subject_objects(prop):
            if (o, prop, s) in graph and str(s) < str(o):
                causes.append(f"{_short(s)} and {_short(o)} are each {_short(prop)} the other; keep one direction")
    for p1, p2 in sorted(graph.subject_objects(OWL.propertyDisjointWith), key=str):
        for s, o in sorted(edges(p1) & edges(p2), key=str):
            if str(s) <= str(o) or p1 not in symmetric or p2 not in symmetric:
                causes.append(f"{_short(s)} is both {_short(p1)} and {_short(p2)} {_short(o)}, "
                              "which exclude each other; keep one")
    for prop, rng in graph.subject_objects(RDFS.range):
        if (prop, RDF.type, OWL.DatatypeProperty) not in graph:
            continue
        for s, value in graph.subject_objects(prop):
            if isinstance(value, Literal):
                why = _datatype_clash(graph, value, rng)
                if why:
                    causes.append(f"{_short(s)} {_short(prop)} \"{value}\" {why}")
            else:
                causes.append(f"{_short(s)} {_short(prop)} points to {_short(value)} but must be a literal value")
    return sorted(set(causes))
