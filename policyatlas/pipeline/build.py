"""`policyatlas build`: validate, then compile ontology + KB (plus the evaluator's findings on every
country's current programmes) into one dataset, atomically.

Outputs, as one release (`policyatlas/pipeline/release.py`): the dataset as sorted N-Triples (`policyatlas.nt`,
byte-identical for identical inputs), a JSON-LD export with an inline context (`.jsonld`), an on-disk
Oxigraph store (`.store/`) that the SPARQL endpoint's worker processes open read-only, and a manifest with the
hash of the inputs. They are written into a temporary release directory and published together by switching
one pointer (`build/current`), so a failed or killed build leaves the last good release untouched, and an
unchanged KB is not rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from policyatlas.core.errors import UserError, ValidationError
from policyatlas.core.paths import DATASET, KB_DIR, ONTOLOGY_DIR
from policyatlas.core.prefixes import BASE, PREFIXES
from policyatlas.pipeline import release

# rdflib, pyoxigraph, the compiler and the validator are imported where they are used, so that `build` on an
# unchanged KB answers "up to date" without loading them.

GENID = BASE + ".well-known/genid/"


@dataclass
class BuildResult:
    dataset: Path
    jsonld: Path
    store: Path
    triples: int
    seconds: float
    up_to_date: bool = False  # nothing changed since the current release: nothing was rebuilt
    release: Path | None = None


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
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=re.sub(r"_:(\w+)", rf"<{GENID}\1>", nt), format="nt")
    doc = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True))
    graph_items = doc.get("@graph", [])
    body = {"@context": dict(sorted(PREFIXES.items())), "@graph": _sorted_jsonld(graph_items)}
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _write_store(nt: str, target: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(target))
    store.bulk_load(nt.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    store.flush()
    store.optimize()
    del store


def findings_of_current_mixes(nt: str):
    """The evaluator's findings on every country's current programmes, as RDF (`pa:Finding`), so that
    researchers can query them beside the KB. They are derived data: the rules of evaluator/rules/ applied
    to the KB just compiled; a bundle a user composes is evaluated live, not stored."""
    # the evaluator itself, not Atlas: the api sits above the build (Atlas.load rebuilds a stale KB)
    from evaluator.assess.engine import evaluate_all
    from evaluator.assess.findings_rdf import findings_graph
    from policyatlas.core.store import EmbeddedStore

    return findings_graph(evaluate_all(EmbeddedStore.from_ntriples(nt)).values())


def default_rules_dir(kb_root: Path | None = None) -> Path | None:
    """The evaluator's rule folder checked with a KB: evaluator/rules/ with the project's KB, none with
    another KB folder (a small test KB need not hold every source the rules cite)."""
    if kb_root is not None:
        return None
    from evaluator.assess.rules_loader import RULES_DIR

    return RULES_DIR


def validate_project(kb_root: Path | None = None, *, reason: bool = True, ontology_dir: Path = ONTOLOGY_DIR,
                     rules_dir: Path | None = None, model_dir: Path | None = None):
    """`policyatlas validate`: the KB's checks (`policyatlas.kb.validate`, the KB layer) plus the files that are
    data too: the evaluator's rule files (malformed ones, or ones citing unknown sources, are problems) of
    `rules_dir` or `default_rules_dir(kb_root)`, and the models' parameter files (`evaluator/models/data/`, or
    `model_dir`) checked against the KB's ids by `evaluator.models.modeldata` and the cost model's own loader.
    The model files are checked with the project's KB, or with another KB when `model_dir` is given too.
    Returns `policyatlas.kb.validate.Checked`."""
    from policyatlas.kb import validate as kb_checks

    rules_dir = rules_dir if rules_dir is not None else default_rules_dir(kb_root)
    extra = []
    if rules_dir is not None:
        from evaluator.assess.rules_loader import validate_rules

        extra.append(lambda kb: validate_rules(Path(rules_dir), Path(kb_root or KB_DIR)))
    if model_dir is not None or kb_root is None:
        from evaluator.models.costing import check_costs
        from evaluator.models.modeldata import MODEL_DATA_DIR, check_folder

        folder = Path(model_dir or MODEL_DATA_DIR)
        extra.append(lambda kb: check_folder(folder, kb))
        if (folder / "costs.yaml").is_file():
            extra.append(lambda kb: check_costs(folder / "costs.yaml", Path(kb_root or KB_DIR)))
    return kb_checks.validate(kb_root, reason=reason, ontology_dir=ontology_dir, extra_checks=extra)


def _halt_hook():
    """Fault injection for the kill tests: with POLICYATLAS_BUILD_HALT_AT=PHASE the build stops itself
    (SIGSTOP) right after that phase, so that a test can SIGKILL it exactly there."""
    wanted = os.environ.get("POLICYATLAS_BUILD_HALT_AT")
    if not wanted:
        return None

    def halt(phase: str) -> None:
        if phase == wanted:
            print(f"build: halted after {phase}", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGSTOP)

    return halt


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def build(kb_root: Path | None = None, out: Path | None = None, *, reason: bool = True,
          ontology_dir: Path = ONTOLOGY_DIR, force: bool = False, echo=None) -> BuildResult:
    """Validate and compile into a new release and make it current; raise ValidationError (and publish
    nothing) when anything is wrong. On unchanged inputs return the current release at once (`up_to_date`)
    unless `force`. `echo` receives progress lines (phases)."""
    started = time.perf_counter()
    out = Path(out or DATASET)
    base, stem = out.parent, out.stem
    halt = _halt_hook()

    def phase(name: str) -> None:
        if echo is not None:
            echo(f"build: {name} ({time.perf_counter() - started:.1f} s)")
        if halt:
            halt(name)

    inputs = release.inputs_for(kb_root, ontology_dir)
    base.mkdir(parents=True, exist_ok=True)
    with release.locked(base, echo=echo) as releases:
        clash = release.check_stem(base, stem)
        if clash:
            raise UserError(clash)
        removed = release.clean(base, stem)
        if removed and echo is not None:
            echo(f"build: removed {len(removed)} leftover(s) of earlier builds")
        live = release.resolve(out)
        if not force and live is not None and release.stale_reason(live, inputs, reason=reason) is None:
            return BuildResult(out, out.with_suffix(".jsonld"), out.with_suffix(".store"),
                               live.manifest().get("triples", 0), time.perf_counter() - started, up_to_date=True,
                               release=live.dir)
        from policyatlas.kb.compile import canonical_ntriples

        try:
            input_hash, listing = release.fingerprints(inputs)
            phase("locked")
            checked = validate_project(kb_root, reason=reason, ontology_dir=ontology_dir)
            if checked.problems:
                raise ValidationError(checked.problems)
            phase("validated")
            graph = checked.graph + findings_of_current_mixes(canonical_ntriples(checked.graph))
            nt = canonical_ntriples(graph)
            jsonld = jsonld_bytes(nt)
            phase("compiled")
            tmp, release_id = release.new_release_dir(releases)
            rel = release.Release(tmp, stem)
            _write(rel.dataset, nt.encode("utf-8"))
            phase("dataset-written")
            _write(rel.jsonld, jsonld)
            _write_store(nt, rel.store)
            phase("store-written")
            triples = nt.count("\n")
            release.write_manifest(tmp, {
                "stem": stem, "id": release_id, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "inputs": inputs, "input_hash": input_hash, "reasoned": reason,
                "triples": triples,
                "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (rel.dataset, rel.jsonld)}})
            release.write_listing(tmp, listing)
            published = release.publish(base, stem, tmp, release_id, halt=halt)
            phase("published")
        finally:
            release.clean(base, stem)  # a failed build leaves no temporary release behind
    return BuildResult(out, out.with_suffix(".jsonld"), out.with_suffix(".store"), triples,
                       time.perf_counter() - started, release=published.dir)
