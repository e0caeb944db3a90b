"""`make bench`: run every `bench/bench_*.py` in one process run and write docs/benchmarks.md.

Each module defines `run() -> str`, a Markdown section whose figures are measured side by side in that one
run (ratios, since these machines are noisy). A module that fails is reported as failed in the page and
makes the run exit 1, so a broken benchmark is never mistaken for a measurement.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import platform
import sys
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = ROOT / "docs" / "benchmarks.md"


def main(selected: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    modules = sorted(BENCH.glob("bench_*.py"))
    if selected:
        modules = [m for m in modules if any(s in m.stem for s in selected)]
    parts = [
        "# Benchmarks\n",
        f"Written by `make bench` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}. Figures in one section were measured side by side in "
        "one run; compare ratios, not absolute times, across runs.\n",
    ]
    failed = 0
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        started = time.perf_counter()
        print(f"bench: {path.stem} ...", flush=True)
        try:
            spec.loader.exec_module(module)
            section = module.run()
        except Exception:
            failed += 1
            section = f"## {path.stem}\n\nFAILED:\n\n```\n{traceback.format_exc()}\n```\n"
        took = time.perf_counter() - started
        print(f"bench: {path.stem} done in {took:.0f} s", flush=True)
        parts.append(section.rstrip() + f"\n\n_(section took {took:.0f} s)_\n")
    OUT.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
