"""SPARQL benchmark: the query library on Oxigraph, rdflib and Virtuoso, on the real KB and a 100× synthetic
KB, and the endpoint's throughput and 95th-percentile latency with 1, 8 and 32 concurrent clients.

`run() -> str` returns the Markdown section for docs/benchmarks.md. Every step is bounded: rdflib runs in a
child process that is stopped when its time budget passes (its queries cannot be interrupted otherwise),
Virtuoso gets a per-query timeout, and the endpoint loops are a fixed number of requests on loopback.
Environment: POLICYATLAS_BENCH_SCALE (default 100) sets the synthetic factor.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sparql"))

SCALE = int(os.environ.get("POLICYATLAS_BENCH_SCALE", "100"))
RDFLIB_SCALE = 3  # rdflib's memory store at 100x would take far more than the time budget to load
RDFLIB_BUDGET = 150.0  # seconds per size, loads included
RDFLIB_QUERY_LIMIT = 15.0  # seconds per query
VIRTUOSO_QUERY_TIMEOUT = 60.0


def _rdflib_worker(path: str, queries_file: str) -> None:
    """Child side (run as `bench_sparql.py --rdflib-worker NT QUERIES.json`): one JSON line per step."""
    import json

    from rdflib import Graph

    from policyatlas.core.namespaces import prologue

    def say(*item):
        print(json.dumps(item), flush=True)

    queries = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    started = time.perf_counter()
    graph = Graph()
    graph.parse(path, format="nt")
    say("load", time.perf_counter() - started, len(graph))
    for qid, text in queries:
        t = time.perf_counter()
        try:
            result = graph.query(prologue() + text)
            rows = len(list(result)) if result.type != "ASK" else 1
        except Exception as err:  # rdflib fails on some valid queries: report it, go on
            say(qid, -1.0, f"{type(err).__name__}: {err}")
            continue
        say(qid, time.perf_counter() - t, rows)
    say("done", 0.0, 0)


def _start_rdflib_child(path: Path, todo, folder: Path):
    """A child process running _rdflib_worker, and a queue that receives its lines."""
    import json
    import queue
    import subprocess
    import threading

    queries_file = folder / "rdflib-queries.json"
    queries_file.write_text(json.dumps(todo), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--rdflib-worker", str(path),
                             str(queries_file)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT)
    lines: queue.Queue = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put(tuple(json.loads(line)))

    threading.Thread(target=pump, daemon=True).start()
    return proc, lines


def rdflib_times(path: Path, queries, budget: float = RDFLIB_BUDGET,
                 per_query: float = RDFLIB_QUERY_LIMIT) -> dict[str, float | str | None]:
    """Seconds per query in rdflib's memory store, in a child process. A query over `per_query` seconds is
    recorded as "> N s" and the child is replaced (rdflib cannot stop a query), reloading the graph, to go
    on with the next query; None = not reached within the whole budget; a string = rdflib's error."""
    times: dict[str, float | str | None] = {qid: None for qid, _ in queries}
    deadline = time.monotonic() + budget
    todo = list(queries)
    folder = Path(tempfile.mkdtemp(prefix="policyatlas-bench-rdflib-"))
    try:
        while todo and time.monotonic() < deadline:
            proc, out = _start_rdflib_child(path, todo, folder)
            current = todo[0][0]
            limit = deadline
            while time.monotonic() < min(limit, deadline):
                try:
                    key, seconds, info = out.get(timeout=max(0.1, min(limit, deadline) - time.monotonic()))
                except Exception:
                    break
                if key == "done":
                    todo = []
                    break
                if key != "load":
                    times[key] = seconds if seconds >= 0 else f"error ({str(info).split(':')[0]})"
                    todo = [q for q in todo if q[0] != key]
                current = todo[0][0] if todo else None
                limit = time.monotonic() + per_query
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            if todo and current is not None and time.monotonic() < deadline:
                times[current] = f"> {per_query:.0f} s"
                todo = [q for q in todo if q[0] != current]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return times


def oxigraph_times(path: Path, queries) -> tuple[dict[str, float], float, int]:
    import pyoxigraph as ox

    from policyatlas.core.namespaces import PREFIXES
    from policyatlas.core.results import from_oxigraph

    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    load = time.perf_counter() - started
    times = {}
    for qid, text in queries:
        t = time.perf_counter()
        from_oxigraph(store.query(text, prefixes=PREFIXES))
        times[qid] = time.perf_counter() - t
    return times, load, len(store)


def virtuoso_times(path: Path, queries, folder: Path) -> tuple[dict[str, float | str | None], float]:
    import httpx
    import virtuoso_server

    from policyatlas.core.namespaces import prologue
    from policyatlas.core.remote import DEFAULT_GRAPH

    server = virtuoso_server.Virtuoso(folder, result_max_rows=1_000_000, max_seconds=int(VIRTUOSO_QUERY_TIMEOUT))
    server.start()
    try:
        data = folder / "load"
        data.mkdir(exist_ok=True)
        target = data / "kb.nt"
        os.link(path, target) if path.stat().st_dev == folder.stat().st_dev else target.write_bytes(path.read_bytes())
        started = time.perf_counter()
        server.isql(f"ld_dir('{data}', 'kb.nt', '{DEFAULT_GRAPH}');")
        server.isql("rdf_loader_run();", timeout=1800)
        server.isql("checkpoint;", timeout=600)
        load = time.perf_counter() - started
        times: dict[str, float | str | None] = {}
        with httpx.Client(timeout=VIRTUOSO_QUERY_TIMEOUT + 10) as client:
            for qid, text in queries:
                t = time.perf_counter()
                resp = client.post(server.sparql, data={"query": prologue() + text, "default-graph-uri": DEFAULT_GRAPH},
                                   headers={"Accept": "application/sparql-results+json, text/turtle"})
                times[qid] = time.perf_counter() - t if resp.status_code == 200 else f"HTTP {resp.status_code}"
        return times, load
    finally:
        server.stop()


def endpoint_latency(store: Path, levels=(1, 8, 32), requests_per_level: int = 320) -> list[tuple]:
    """(clients, requests, seconds, requests/s, p50 ms, p95 ms, errors) per concurrency level."""
    import httpx
    from sparql_server import Server

    query = ('SELECT ?en WHERE { ?c pa:iso3 ?iso ; rdfs:label ?en . FILTER(LANG(?en) = "en") '
             'VALUES ?iso { "DEU" "KEN" "IND" "BRA" } }')
    server = Server(store, "--timeout", "10")
    rows = []
    try:
        for clients in levels:
            per_client = max(1, requests_per_level // clients)

            def client(_, per_client=per_client):
                lat, errors = [], 0
                with httpx.Client(timeout=60) as http:
                    for _ in range(per_client):
                        t = time.perf_counter()
                        resp = http.get(server.url, params={"query": query},
                                        headers={"Accept": "application/sparql-results+json"})
                        lat.append(time.perf_counter() - t)
                        errors += resp.status_code != 200
                return lat, errors

            started = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                results = list(pool.map(client, range(clients)))
            elapsed = time.perf_counter() - started
            lat = sorted(x for r in results for x in r[0])
            errors = sum(r[1] for r in results)
            p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
            rows.append((clients, len(lat), elapsed, len(lat) / elapsed, statistics.median(lat) * 1000,
                         p95 * 1000, errors))
    finally:
        server.stop()
    return rows


FAST_QUERY = ('SELECT ?en WHERE { ?c pa:iso3 ?iso ; rdfs:label ?en . FILTER(LANG(?en) = "en") '
              'VALUES ?iso { "DEU" "KEN" "IND" "BRA" } }')
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs into the time limit
CARTESIAN_ORDER_BY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"


def mixed_load(store: Path, slow_slots: int, slow_clients: int = 2, fast_clients: int = 8,
               seconds: float = 20.0, timeout: float = 10.0) -> tuple:
    """Quick queries while `slow_clients` clients keep a query running into the time limit, on the default
    number of workers; (slow lane, fast requests, requests/s, p50 ms, p95 ms, fast errors, slow answers)."""
    import threading

    import httpx
    from sparql_server import Server

    server = Server(store, "--timeout", f"{timeout:g}", "--slow-slots", str(slow_slots))
    stop = threading.Event()

    def slow_client(_):
        statuses = []
        with httpx.Client(timeout=120) as http:
            while not stop.is_set():
                statuses.append(http.get(server.url, params={"query": SLOW_QUERY}).status_code)
        return statuses

    def fast_client(_):
        lat, errors = [], 0
        with httpx.Client(timeout=120) as http:
            while not stop.is_set():
                t = time.perf_counter()
                resp = http.get(server.url, params={"query": FAST_QUERY},
                                headers={"Accept": "application/sparql-results+json"})
                lat.append(time.perf_counter() - t)
                errors += resp.status_code != 200
        return lat, errors

    try:
        with ThreadPoolExecutor(slow_clients + fast_clients) as pool:
            slow = [pool.submit(slow_client, i) for i in range(slow_clients)]
            time.sleep(0.5)  # the slow queries are running first
            fast = [pool.submit(fast_client, i) for i in range(fast_clients)]
            time.sleep(seconds)
            stop.set()
            fast_results = [f.result() for f in fast]
            slow_statuses = [s for f in slow for s in f.result()]
    finally:
        server.stop()
    lat = sorted(x for r in fast_results for x in r[0])
    errors = sum(r[1] for r in fast_results)
    if not lat:
        return slow_slots, 0, 0.0, None, None, errors, len(slow_statuses)
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
    return (slow_slots, len(lat), len(lat) / seconds, statistics.median(lat) * 1000, p95 * 1000, errors,
            len(slow_statuses))


def cartesian_memory(store: Path, memory_mib: int = 1024) -> tuple[int, float, int, str]:
    """Peak resident memory of the query workers while the cartesian ORDER BY runs on the real KB:
    (status, seconds to the answer, peak worker RSS in MiB, first line of the answer)."""
    import httpx
    from sparql_server import Server

    server = Server(store, "--timeout", "60", "--worker-memory", str(memory_mib))
    peak = 0
    try:
        children = []
        for task in Path(f"/proc/{server.proc.pid}/task").iterdir():
            children += (task / "children").read_text().split()
        with ThreadPoolExecutor(1) as pool:
            started = time.perf_counter()
            answer = pool.submit(httpx.get, server.url, params={"query": CARTESIAN_ORDER_BY}, timeout=120)
            while not answer.done():
                for pid in children:
                    try:
                        status = Path(f"/proc/{pid}/status").read_text()
                    except OSError:
                        continue
                    rss = next((int(line.split()[1]) for line in status.splitlines()
                                if line.startswith("VmRSS:")), 0)
                    peak = max(peak, rss // 1024)
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
            resp = answer.result()
    finally:
        server.stop()
    return resp.status_code, elapsed, peak, resp.text.strip().splitlines()[0][:160] if resp.text else ""


def _fmt(x: float | str | None) -> str:
    if isinstance(x, str):
        return x
    return "n/a" if x is None else (f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s")


def _ratio(a, b) -> str:
    if not isinstance(a, float | int) or not isinstance(b, float | int) or b == 0:
        return "n/a"
    return f"{a / b:.1f}×"


def _num(x) -> float:
    return x if isinstance(x, float | int) else 0.0


def _load_synthetic():
    """bench/synthetic.py, loaded by path (another folder on sys.path may hold a `synthetic` module)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("policyatlas_bench_synthetic", ROOT / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(work: Path) -> str:
    import virtuoso_server

    from policyatlas.core.paths import DATASET, store_dir_for
    from policyatlas.core.query_library import load_library

    queries = [(q.id, q.sparql) for q in load_library()]
    synthetic = _load_synthetic()
    real = work / "kb.nt"  # a copy: a build during the bench must not change what is measured
    shutil.copyfile(DATASET, real)
    big = work / f"kb-x{SCALE}.nt"  # the KB's ABox N times, findings included (bench/synthetic.py)
    big_triples = synthetic.write(real, SCALE, big)
    mid = work / f"kb-x{RDFLIB_SCALE}.nt"
    synthetic.write(real, RDFLIB_SCALE, mid)

    ox1, ox1_load, n1 = oxigraph_times(real, queries)
    oxn, oxn_load, nn = oxigraph_times(big, queries)
    oxm, _, _ = oxigraph_times(mid, queries)
    rd1 = rdflib_times(real, queries)
    rdm = rdflib_times(mid, queries)
    have_virtuoso = virtuoso_server.available()
    if have_virtuoso:
        v1, v1_load = virtuoso_times(real, queries, work / "v1")
        vn, vn_load = virtuoso_times(big, queries, work / "vn")
    else:
        v1 = vn = {}
        v1_load = vn_load = None

    out = ["## SPARQL: the query library on three stores, and the endpoint under load", "",
           f"Real KB (the compiled dataset, the evaluator's findings on current programmes included): {n1:,} "
           f"triples. Synthetic KB ({SCALE}× the KB's ABox, findings included, bench/synthetic.py): "
           f"{big_triples:,} triples ({nn:,} distinct in Oxigraph). rdflib's memory store is "
           f"measured at 1× and {RDFLIB_SCALE}× only (at {SCALE}× loading alone would take most of the "
           f"10-minute budget); it runs in a child process, each query limited to {RDFLIB_QUERY_LIMIT:.0f} s "
           f"(the child is then replaced and the graph reloaded) and each size to {RDFLIB_BUDGET:.0f} s "
           "(n/a = not reached in time). Virtuoso: " + ("Debian virtuoso-opensource-7 on loopback, bulk-loaded with "
                                              "ld_dir/rdf_loader_run, queried over HTTP (so its times include "
                                              "the protocol round trip)." if have_virtuoso else
                                              "not installed on this machine, not measured."), "",
           f"Loading: Oxigraph {_fmt(ox1_load)} (1×), {_fmt(oxn_load)} ({SCALE}×); Virtuoso {_fmt(v1_load)} (1×), "
           f"{_fmt(vn_load)} ({SCALE}×).", "",
           f"| query | Oxigraph 1× | rdflib 1× | Virtuoso 1× | rdflib/Oxigraph 1× | Oxigraph {RDFLIB_SCALE}× | "
           f"rdflib {RDFLIB_SCALE}× | Oxigraph {SCALE}× | Virtuoso {SCALE}× | growth Oxigraph 1→{SCALE}× | "
           f"growth Virtuoso 1→{SCALE}× |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for qid, _ in queries:
        out.append(f"| {qid} | {_fmt(ox1[qid])} | {_fmt(rd1[qid])} | {_fmt(v1.get(qid))} | "
                   f"{_ratio(rd1[qid], ox1[qid])} | {_fmt(oxm[qid])} | {_fmt(rdm[qid])} | {_fmt(oxn[qid])} | "
                   f"{_fmt(vn.get(qid))} | {_ratio(oxn[qid], ox1[qid])} | {_ratio(vn.get(qid), v1.get(qid))} |")
    tot = {name: sum(_num(t.get(q)) for q, _ in queries) for name, t in
           [("ox1", ox1), ("oxn", oxn), ("rd1", rd1), ("v1", v1), ("vn", vn)]}
    out += ["", f"Whole library: Oxigraph {_fmt(tot['ox1'])} (1×) and {_fmt(tot['oxn'])} ({SCALE}×, growth "
            f"{_ratio(tot['oxn'], tot['ox1'])}); rdflib {_fmt(tot['rd1'])} (1×, "
            f"{_ratio(tot['rd1'], tot['ox1'])} Oxigraph's time over the queries it finished); Virtuoso "
            f"{_fmt(tot['v1'] or None)} (1×) and {_fmt(tot['vn'] or None)} ({SCALE}×).", ""]

    store = store_dir_for(DATASET)
    out += ["### Endpoint throughput (`policyatlas serve`, loopback, default workers)", "",
            "| clients | requests | seconds | requests/s | p50 latency | p95 latency | errors |",
            "|---|---|---|---|---|---|---|"]
    if (store / "CURRENT").exists():
        for clients, n, secs, rps, p50, p95, errors in endpoint_latency(store):
            out.append(f"| {clients} | {n} | {secs:.1f} | {rps:.0f} | {p50:.0f} ms | {p95:.0f} ms | {errors} |")
    else:
        out.append("| (no compiled store: run `policyatlas build`) | | | | | | |")
    out.append("")
    if (store / "CURRENT").exists():
        out += ["### Quick queries while slow ones run (the slow lane)", "",
                "Eight clients send a quick query in a loop for 20 s while two other clients keep a query running "
                "into the 10 s time limit (a three-way cross product), on the default number of workers "
                f"({os.cpu_count()} cores here). Slow lane off (`--slow-slots 0`, the endpoint before issue 10) "
                "against on (the default, 2 slots).", "",
                "| slow lane slots | quick requests | quick requests/s | p50 | p95 | quick errors | slow answers |",
                "|---|---|---|---|---|---|---|"]
        for slots, n, rps, p50, p95, errors, slow in (mixed_load(store, 0), mixed_load(store, 2)):
            out.append(f"| {slots} | {n} | {rps:.1f} | {_ms(p50)} | {_ms(p95)} | {errors} | {slow} |")
        status, secs, peak, first = cartesian_memory(store)
        out += ["", f"Cartesian `ORDER BY` ({CARTESIAN_ORDER_BY}) on the real KB with the default 1024 MiB cap "
                f"per worker: HTTP {status} after {secs:.1f} s, peak worker resident memory {peak} MiB "
                f"(\"{first}\").", ""]
    return "\n".join(out)


def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f} ms"


def run() -> str:
    """The Markdown section; the synthetic files (about 1 GB at 100×) are removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="policyatlas-bench-sparql-"))
    try:
        return _run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rdflib-worker"]:
        _rdflib_worker(sys.argv[2], sys.argv[3])
    else:
        print(run())
