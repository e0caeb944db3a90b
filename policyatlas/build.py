"""`policyatlas build`: validate, then compile ontology + KB (plus the evaluator's findings on every
country's current programmes) into one dataset, atomically.

Outputs, side by side: the dataset as sorted N-Triples (`build/policyatlas.nt`, byte-identical for identical
inputs), a JSON-LD export with an inline context (`.jsonld`), and an on-disk Oxigraph store (`.store/`) that
the SPARQL endpoint's worker processes open read-only. Each is written to a temporary name and renamed into
place only when everything succeeded, so a failed build leaves the last good output untouched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from policyatlas.compile import canonical_ntriples
from policyatlas.errors import ValidationError
from policyatlas.namespaces import BASE, PREFIXES
from policyatlas.paths import DATASET, ONTOLOGY_DIR, store_dir_for
from policyatlas.validate import validate

GENID = BASE + ".well-known/genid/"


@dataclass
class BuildResult:
    dataset: Path
    jsonld: Path
    store: Path
    triples: int
    seconds: float


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sorted_jsonld(value):
    if isinstance(value, dict):
        return {k: _sorted_jsonld(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_jsonld(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld_bytes(nt: str) -> bytes:
    """JSON-LD with an inline context of the project's prefixes, keys and lists sorted for determinism."""
    # Blank nodes (OWL lists and restrictions of the ontology) keep their canonical labels as skolem IRIs,
    # since a parser would otherwise give them fresh random ids on every run.
    graph = Graph()
    graph.parse(data=re.sub(r"_:(\w+)", rf"<{GENID}\1>", nt), format="nt")
    doc = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True))
    graph_items = doc.get("@graph", [])
    body = {"@context": dict(sorted(PREFIXES.items())), "@graph": _sorted_jsonld(graph_items)}
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _write_store(nt: str, target: Path) -> None:
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(nt.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
        store.flush()
        store.optimize()
        del store
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def findings_of_current_mixes(nt: str) -> Graph:
    """The evaluator's findings on every country's current programmes, as RDF (`pa:Finding`), so that
    researchers can query them beside the KB. They are derived data: the rules of evaluator/rules/ applied
    to the KB just compiled; a bundle a user composes is evaluated live, not stored."""
    from evaluator.findings_rdf import findings_graph
    from policyatlas.api import Atlas
    from policyatlas.store import EmbeddedStore

    atlas = Atlas(EmbeddedStore.from_ntriples(nt))
    return findings_graph(atlas.evaluate_all().values())


def build(kb_root: Path | None = None, out: Path | None = None, *, reason: bool = True,
          ontology_dir: Path = ONTOLOGY_DIR) -> BuildResult:
    """Validate and compile; raise ValidationError (and write nothing) when anything is wrong."""
    started = time.perf_counter()
    out = Path(out or DATASET)
    checked = validate(kb_root, reason=reason, ontology_dir=ontology_dir)
    if checked.problems:
        raise ValidationError(checked.problems)
    graph = checked.graph + findings_of_current_mixes(canonical_ntriples(checked.graph))
    nt = canonical_ntriples(graph)
    jsonld = jsonld_bytes(nt)
    out.parent.mkdir(parents=True, exist_ok=True)
    store = store_dir_for(out)
    _write_store(nt, store)
    _atomic_write(out.with_suffix(".jsonld"), jsonld)
    _atomic_write(out, nt.encode("utf-8"))
    return BuildResult(out, out.with_suffix(".jsonld"), store, nt.count("\n"), time.perf_counter() - started)
