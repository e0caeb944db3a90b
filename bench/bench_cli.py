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
import resource
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
from policyatlas.core.prefixes import prologue
store = ox.Store.read_only(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
answer = store.query(prologue() + text, use_default_graph_as_union=True)
sys.stdout.buffer.write(answer.serialize(format=ox.QueryResultsFormat.CSV))
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def median_seconds(args: list[str], runs: int = RUNS) -> float:
    return timings(args, runs)[0]


def timings(args: list[str], runs: int = RUNS) -> tuple[float, float]:
    """Median wall-clock and median CPU (user + system) seconds of `runs` fresh processes. CPU time is the
    steadier figure on a shared machine, where waiting for a core inflates wall-clock time."""
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(args, cwd=ROOT, env=_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(wall), statistics.median(cpu)


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
    from policyatlas.pipeline import release

    py = sys.executable
    current = release.ensure_fresh()  # the project's KB, built if stale (not part of any timing)
    bare_import = timings([py, "-c", "import click, pyoxigraph"])
    cli_help = timings([py, "-m", "policyatlas", "--help"])
    bare_query = timings([py, "-c", BARE_QUERY, str(current.store), str(QUERY)])
    cli_query = timings([py, "-m", "policyatlas", "query", "-f", str(QUERY), "--format", "csv"])
    up_to_date = median_seconds([py, "-m", "policyatlas", "build"], runs=3)
    make_run = statistics.median(make_run_to_healthy() for _ in range(3))
    rows = [
        ("`policyatlas --help`", cli_help, "bare `python -c \"import click, pyoxigraph\"`", bare_import, 3),
        (f"`policyatlas query -f {QUERY.relative_to(ROOT)} --format csv`", cli_query,
         "bare pyoxigraph script, same store and query", bare_query, 2),
    ]
    lines = ["## CLI start-up and freshness", "",
             f"Median of {RUNS} fresh processes each, side by side, as wall-clock and as CPU time (user + "
             f"system; steadier on a shared machine); the KB is release `{current.dir.name}` "
             f"({current.manifest().get('triples')} triples); load average {os.getloadavg()[0]:.1f} on "
             f"{os.cpu_count()} cores; " + ("no bytecode cache (PYTHONDONTWRITEBYTECODE is set: each run compiles "
                                           "the project's modules it imports)." if os.environ.get(
                                               "PYTHONDONTWRITEBYTECODE") else "bytecode cached in __pycache__."),
             "",
             "| command | wall s | CPU s | baseline | wall s | CPU s | ratio wall / CPU | goal |",
             "|---|---|---|---|---|---|---|---|"]
    for name, (wall, cpu), base_name, (base_wall, base_cpu), goal in rows:
        ratios = (wall / base_wall, cpu / base_cpu)
        verdict = "within" if max(ratios) <= goal else ("within (CPU)" if min(ratios) <= goal else "OVER")
        lines.append(f"| {name} | {wall:.3f} | {cpu:.3f} | {base_name} | {base_wall:.3f} | {base_cpu:.3f} | "
                     f"{ratios[0]:.1f}x / {ratios[1]:.1f}x | {verdict} {goal}x |")
    lines += ["", "| unchanged KB | s |", "|---|---|",
              f"| `policyatlas build` (answers \"up to date\"; median of 3) | {up_to_date:.2f} |",
              f"| `make run` until `/_stcore/health` answers (median of 3) | {make_run:.2f} |", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(run())
