"""Build and validate time of the KB (and where it goes), and Oxigraph against rdflib's in-memory store on
the compiled dataset with the competency questions, side by side in one run."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from policyatlas.core.namespaces import prologue
from policyatlas.core.paths import DATASET, ONTOLOGY_DIR
from policyatlas.core.rdfio import load_ontology
from policyatlas.kb import validate as V
from policyatlas.kb.compile import canonical_ntriples, compile_kb, node_locations
from policyatlas.kb.loader import load_kb
from policyatlas.pipeline.build import build, validate_project


def _timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - started


def phases() -> list[tuple[str, float]]:
    kb, t_load = _timed(load_kb)
    (ontology, _), t_ont = _timed(load_ontology)
    kb_graph, t_compile = _timed(compile_kb, kb)
    graph = ontology + kb_graph
    locations = node_locations(kb)
    nt, t_canon = _timed(canonical_ntriples, graph)
    _, t_shacl = _timed(lambda: V.shacl_problems(V.shacl_data(ontology, kb_graph), locations))
    _, t_qc = _timed(lambda: V.qc_problems(V.to_store(nt), locations))
    _, t_hermit = _timed(V.consistency_problems, graph)
    return [("read and check kb/ files", t_load), ("parse ontology", t_ont), ("compile to RDF", t_compile),
            ("canonical N-Triples", t_canon), ("SHACL (pySHACL)", t_shacl), ("QC queries", t_qc),
            ("HermiT consistency", t_hermit)]


def stores(dataset: Path, repeats: int = 5) -> tuple[list[str], dict]:
    queries = sorted((ONTOLOGY_DIR / "cq").glob("*.rq"))
    data = dataset.read_bytes()
    oxi, t_ox_load = _timed(lambda: _ox_store(data))
    rdf, t_rdf_load = _timed(lambda: Graph().parse(data=data, format="nt"))
    rows = []
    totals = {"ox": 0.0, "rdflib": 0.0}
    all_faster = True
    for path in queries:
        text = prologue() + path.read_text(encoding="utf-8")
        t_ox = statistics.median(_timed(lambda t=text: _consume(oxi.query(t, use_default_graph_as_union=True)))[1]
                                 for _ in range(repeats))
        t_rdf = statistics.median(_timed(lambda t=text: _consume_rdflib(rdf.query(t)))[1] for _ in range(repeats))
        all_faster = all_faster and t_ox < t_rdf
        totals["ox"] += t_ox
        totals["rdflib"] += t_rdf
        rows.append(f"| `{path.name}` | {t_ox * 1000:.1f} | {t_rdf * 1000:.1f} | {t_rdf / max(t_ox, 1e-9):.1f}× |")
    return rows, {"ox_load": t_ox_load, "rdf_load": t_rdf_load, **totals, "n": len(queries), "all_faster": all_faster}


def _consume(answer):
    """Read a whole answer (rows, triples or an ASK boolean), as a user of the result would."""
    return bool(answer) if isinstance(answer, ox.QueryBoolean) else list(answer)


def _consume_rdflib(result):
    return bool(result.askAnswer) if result.type == "ASK" else list(result)


def _ox_store(data: bytes) -> ox.Store:
    store = ox.Store()
    store.bulk_load(data, ox.RdfFormat.N_TRIPLES)
    return store


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "kb.nt"
        result, t_build = _timed(build, None, out)
        checked, t_validate = _timed(validate_project)
        assert not checked.problems, checked.problems[:3]
        triples = result.triples
    phase_rows = phases()
    dataset = DATASET if DATASET.exists() else build().dataset
    cq_rows, s = stores(dataset)
    lines = [
        "## Foundation: build, validate, and the embedded store",
        "",
        f"The KB compiles to **{triples:,} triples**. Full `build` (validate + compile + write N-Triples, "
        f"JSON-LD and the Oxigraph store): **{t_build:.1f} s**; `validate` alone (every check, HermiT "
        f"included): **{t_validate:.1f} s**; ratio validate/build **{t_validate / t_build:.2f}**.",
        "",
        "Where the time goes (one more pass, phase by phase):",
        "",
        "| phase | seconds |",
        "|---|---|",
        *[f"| {name} | {secs:.2f} |" for name, secs in phase_rows],
        "",
        f"Competency questions ({s['n']}) on the compiled dataset, median of 5 runs each, in milliseconds. "
        f"Loading the dataset: Oxigraph {s['ox_load']:.2f} s, rdflib {s['rdf_load']:.2f} s "
        f"({s['rdf_load'] / max(s['ox_load'], 1e-9):.1f}× slower).",
        "",
        "| query | Oxigraph ms | rdflib ms | rdflib / Oxigraph |",
        "|---|---|---|---|",
        *cq_rows,
        f"| **all** | {s['ox'] * 1000:.1f} | {s['rdflib'] * 1000:.1f} | **{s['rdflib'] / max(s['ox'], 1e-9):.1f}×** |",
        "",
        ("Oxigraph is the default store: it was the faster one on every question above."
         if s["all_faster"] else
         "Oxigraph is the default store; note that rdflib was faster on at least one question in this run."),
    ]
    return "\n".join(lines)
