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
    if selected and OUT.exists():  # a partial run replaces only its own sections of the page
        parts = _merge(OUT.read_text(encoding="utf-8"), parts)
    OUT.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 1 if failed else 0


def _sections(text: str) -> list[str]:
    """The page split at its `## ` headings (the first item is the header)."""
    out, current = [], []
    for line in text.splitlines():
        if line.startswith("## ") and current:
            out.append("\n".join(current).rstrip() + "\n")
            current = []
        current.append(line)
    if current:
        out.append("\n".join(current).rstrip() + "\n")
    return out


def _merge(old: str, new_parts: list[str]) -> list[str]:
    """Old page with the sections of this run replaced (by heading) or appended; the new header on top."""
    old_sections = _sections(old)[1:]
    new_sections = [p for p in new_parts[2:]]
    heads = {s.splitlines()[0]: s for s in new_sections}
    merged = [heads.pop(s.splitlines()[0], s) for s in old_sections]
    merged.extend(s for s in new_sections if s.splitlines()[0] in heads)
    return new_parts[:2] + merged


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
