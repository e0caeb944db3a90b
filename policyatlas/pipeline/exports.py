"""The KB as plain files for analysts and other tools: Turtle, N-Triples, JSON-LD, and a CSV per main class.

Every export is the compiled dataset (`build/policyatlas.nt`), so that what an analyst opens in a
spreadsheet is what researchers query with SPARQL. That includes the evaluator's findings on every
country's current programmes (`pa:Finding`, `pa:Bundle`, `pa:Rule`), which `policyatlas build` derives and
compiles in; bundles a user composes are evaluated live and are not part of it. The CSV files have one row
per individual and one column per property; a property with several values joins them with " | ";
language-tagged text gets one column per language (`label@en`, `label@zh`); IRIs of the project appear as
prefixed names (`country:DEU`), or in full where the local name cannot be one.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox

from policyatlas.core.errors import UserError
from policyatlas.core.namespaces import PA, PREFIXES
from policyatlas.core.paths import relative
from policyatlas.core.results import compact

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAIN_CLASSES = {
    "countries": "Country", "supranational-jurisdictions": "SupranationalJurisdiction",
    "instruments": "PolicyInstrument", "programmes": "PolicyProgramme", "evidence": "Evidence",
    "sources": "Source", "target-groups": "TargetGroup", "indicators": "Indicator",
    "observations": "Observation", "instrument-relations": "InstrumentRelation", "findings": "Finding",
    "bundles": "Bundle",
}
FORMATS = ("turtle", "ntriples", "jsonld", "csv")


def load(dataset: Path) -> ox.Store:
    """An in-memory store with the compiled dataset (the KB and the findings on current programmes)."""
    dataset = Path(dataset)
    if not dataset.exists():
        raise UserError(f"{relative(dataset)}: no compiled dataset; run `policyatlas build` first")
    store = ox.Store()
    store.bulk_load(path=str(dataset), format=ox.RdfFormat.N_TRIPLES)
    return store


def _triples(store: ox.Store):
    return sorted((q.triple for q in store.quads_for_pattern(None, None, None, None)),
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def write_rdf(store: ox.Store, fmt: str, out: Path) -> Path:
    """policyatlas.ttl / .nt / .jsonld in `out`."""
    triples = _triples(store)
    if fmt == "turtle":
        path = out / "policyatlas.ttl"
        ox.serialize(triples, path, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    elif fmt == "ntriples":
        path = out / "policyatlas.nt"
        ox.serialize(triples, path, format=ox.RdfFormat.N_TRIPLES)
    else:
        from policyatlas.pipeline.build import jsonld_bytes

        path = out / "policyatlas.jsonld"
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        path.write_bytes(jsonld_bytes(nt))
    return path


def _cell(term) -> str:
    if isinstance(term, ox.NamedNode):
        short = compact(term.value)
        return term.value if short.startswith("<") else short
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def write_csv(store: ox.Store, out: Path) -> list[Path]:
    """One CSV per main class that has individuals; returns the files written."""
    written = []
    for name, cls in MAIN_CLASSES.items():
        subjects = sorted({q.subject.value for q in store.quads_for_pattern(
            None, ox.NamedNode(RDF_TYPE), ox.NamedNode(str(PA[cls])), None) if isinstance(q.subject, ox.NamedNode)})
        if not subjects:
            continue
        rows, columns = [], {}
        for iri in subjects:
            row: dict[str, list[str]] = {}
            for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
                if q.predicate.value == RDF_TYPE:
                    key = "type"
                else:
                    key = compact(q.predicate.value)
                    key = key.split(":", 1)[1] if ":" in key and not key.startswith("<") else key
                    if key.startswith("<"):
                        key = q.predicate.value
                if isinstance(q.object, ox.Literal) and q.object.language:
                    key = f"{key}@{q.object.language}"
                row.setdefault(key, []).append(_cell(q.object))
                columns[key] = None
            rows.append((iri, row))
        header = ["id"] + sorted(columns, key=lambda k: (k != "type", k.split("@")[0] != "label", k))
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for iri, row in rows:
                writer.writerow([_cell(ox.NamedNode(iri))] + [" | ".join(sorted(row.get(k, []))) for k in header[1:]])
        written.append(path)
    return written


def export(dataset: Path, fmt: str, out: Path) -> list[Path]:
    """Write the export in `fmt` to the folder `out`; returns the files written."""
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store = load(dataset)
    if fmt == "csv":
        return write_csv(store, out)
    return [write_rdf(store, fmt, out)]
