"""CLI start-up, the query path, and `make run` to a healthy app on an unchanged KB (issue 11, points 6-7).

Side by side in one run, each the median of several runs of a fresh process:
- `policyatlas --help` against a bare `python -c "import click, pyoxigraph"` (goal: within 3x);
- `policyatlas query -f <library query> --format csv` against a bare pyoxigraph script that opens the same
  compiled store read-only, runs the same query with the same prefixes and prints CSV (goal: within 2x);
- `policyatlas build` on an unchanged KB (it answers "up to date");
- `make run` (setup taken as done: `make -o .venv/.installed`) until the app answers `/_stcore/health`.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = ROOT / "ontology" / "queries" / "basic-income-evidence.rq"
RUNS = 7
BARE_QUERY = """
import sys
import pyoxigraph as ox
from policyatlas.prefixes import prologue
store = ox.Store.read_only(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
answer = store.query(prologue() + text, use_default_graph_as_union=True)
sys.stdout.buffer.write(answer.serialize(format=ox.QueryResultsFormat.CSV))
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def median_seconds(args: list[str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, cwd=ROOT, env=_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_run_to_healthy(timeout: float = 180.0) -> float:
    """Seconds from `make run` to the app's health check answering, with the KB unchanged."""
    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(["make", "-s", "-o", ".venv/.installed", "run", f"UI_ARGS=--port {port} --headless"],
                            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"make run exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the app did not answer within {timeout:.0f} s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def run() -> str:
    from policyatlas import release

    py = sys.executable
    current = release.ensure_fresh()  # the project's KB, built if stale (not part of any timing)
    bare_import = median_seconds([py, "-c", "import click, pyoxigraph"])
    cli_help = median_seconds([py, "-m", "policyatlas", "--help"])
    bare_query = median_seconds([py, "-c", BARE_QUERY, str(current.store), str(QUERY)])
    cli_query = median_seconds([py, "-m", "policyatlas", "query", "-f", str(QUERY), "--format", "csv"])
    up_to_date = median_seconds([py, "-m", "policyatlas", "build"], runs=3)
    make_run = statistics.median(make_run_to_healthy() for _ in range(3))
    rows = [
        ("`policyatlas --help`", cli_help, "bare `python -c \"import click, pyoxigraph\"`", bare_import, 3),
        (f"`policyatlas query -f {QUERY.relative_to(ROOT)} --format csv`", cli_query,
         "bare pyoxigraph script, same store and query", bare_query, 2),
    ]
    lines = ["## CLI start-up and freshness", "",
             f"Median of {RUNS} fresh processes each, side by side; the KB is release "
             f"`{current.dir.name}` ({current.manifest().get('triples')} triples).", "",
             "| command | s | baseline | s | ratio | goal |", "|---|---|---|---|---|---|"]
    for name, seconds, base_name, base, goal in rows:
        ratio = seconds / base
        lines.append(f"| {name} | {seconds:.3f} | {base_name} | {base:.3f} | {ratio:.1f}x | "
                     f"{'within' if ratio <= goal else 'OVER'} {goal}x |")
    lines += ["", "| unchanged KB | s |", "|---|---|",
              f"| `policyatlas build` (answers \"up to date\"; median of 3) | {up_to_date:.2f} |",
              f"| `make run` until `/_stcore/health` answers (median of 3) | {make_run:.2f} |", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(run())
