"""Simulator benchmark (issue 16): one country with 2,000 draws over 10 years, all countries in one pass, and
how time grows with draws and years, all measured side by side in one process on one Atlas."""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from policyatlas.api import Atlas  # noqa: E402

BUNDLE = ["short-time-work", "vocational-skills-programme", "unemployment-insurance", "targeted-cash-transfer"]


def _time(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> str:
    atlas = Atlas.load()
    atlas.simulate("KEN", BUNDLE, draws=10)  # facts and effects loaded once, outside the timings
    one = _time(lambda: atlas.simulate("KEN", BUNDLE, scenario="severe", draws=2000, years=10))
    rows = []
    base = None
    timings = {}
    for draws in (250, 500, 1000, 2000, 4000):
        t = _time(lambda d=draws: atlas.simulate("KEN", BUNDLE, scenario="severe", draws=d, years=10))
        base = base or t
        timings[draws] = t
        rows.append(f"| {draws:,} | 10 | {t * 1000:,.0f} ms | {t / base:.2f} |")
    base_y = None
    for years in (5, 10, 15, 20):
        t = _time(lambda y=years: atlas.simulate("KEN", BUNDLE, scenario="severe", draws=1000, years=y))
        base_y = base_y or t
        rows.append(f"| 1,000 | {years} | {t * 1000:,.0f} ms | {t / base_y:.2f} (vs 5 years) |")
    start = time.perf_counter()
    done, skipped = atlas.simulate_all(BUNDLE, scenario="severe", draws=200, years=10)
    all_t = time.perf_counter() - start
    per = all_t / max(len(done), 1)
    return "\n".join([
        "## Simulate (issue 16)",
        "",
        f"Bundle: {', '.join(BUNDLE)}; scenario severe; Kenya; one Atlas, facts and effects loaded once.",
        "",
        f"- One country, **2,000 draws over 10 years**: {one * 1000:,.0f} ms (median of 3).",
        f"- **All countries in one pass** (200 draws, 10 years): {len(done)} simulated in {all_t:.1f} s "
        f"({per * 1000:,.0f} ms each), {len(skipped)} skipped for want of figures "
        f"({', '.join(s['country'] for s in skipped[:8])}{'…' if len(skipped) > 8 else ''}).",
        "",
        "| draws | years | time | ratio |",
        "|---|---|---|---|",
        *rows,
        "",
        f"Fitted on this run, time grows as draws^{math.log(timings[4000] / timings[250]) / math.log(16):.2f} "
        "between 250 and 4,000 draws (draws are numpy arrays; there is one Python step per month, so years "
        "add a fixed cost per step).",
    ])


if __name__ == "__main__":
    print(run())
