"""Evaluator benchmark: evaluating every country against evaluating one, in one process.

`run()` returns a Markdown section for docs/benchmarks.md. Each measurement starts from a freshly opened
`Atlas` (opening the store is not timed) whose fact cache is empty, so both timings include the one set of
SPARQL queries that `KBFacts.from_atlas` runs; the engine then works set-wise over those facts. The issue's
bar: all countries must cost no more than 2 times one country (issue 13; it was 5). Also reported: the
fact queries alone, the warm per-country time (facts already cached), and the same for a fixed
two-instrument bundle.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evaluator.assess.engine import evaluate, evaluate_all  # noqa: E402
from evaluator.assess.facts import KBFacts  # noqa: E402
from policyatlas.api import Atlas  # noqa: E402

ONE = "DEU"
BUNDLE = ["targeted-cash-transfer", "vocational-skills-programme"]
REPEATS = 3


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _cold(fn) -> float:
    """Median time of fn(atlas) over fresh atlases (store opened outside the timing)."""
    times = []
    for _ in range(REPEATS):
        atlas = Atlas.load()
        times.append(_timed(lambda a=atlas: fn(a)))
    return statistics.median(times)


def measure() -> dict:
    facts_time = _cold(KBFacts.from_atlas)
    one = _cold(lambda a: evaluate(a, ONE))
    everything = _cold(evaluate_all)
    one_bundle = _cold(lambda a: evaluate(a, ONE, BUNDLE))
    all_bundle = _cold(lambda a: evaluate_all(a, BUNDLE))
    warm_atlas = Atlas.load()
    results = evaluate_all(warm_atlas)
    warm_all = statistics.median(_timed(lambda: evaluate_all(warm_atlas)) for _ in range(REPEATS))
    warm_one = statistics.median(_timed(lambda: evaluate(warm_atlas, ONE)) for _ in range(REPEATS * 5))
    n = len(results)
    findings = sum(len(ev.findings) for ev in results.values())
    return {"countries": n, "findings": findings, "facts": facts_time, "one": one, "all": everything,
            "ratio": everything / one, "one_bundle": one_bundle, "all_bundle": all_bundle,
            "ratio_bundle": all_bundle / one_bundle, "warm_all": warm_all, "warm_one": warm_one,
            "per_country": warm_all / n}


def run() -> str:
    m = measure()
    ms = 1000.0
    lines = [
        "## Evaluator: all countries against one",
        "",
        f"Each timing starts from a freshly opened Atlas with an empty fact cache (median of {REPEATS}); "
        "both sides include the one set of SPARQL queries that pull the facts for every country. "
        f"{m['countries']} countries, {m['findings']} findings on their current programmes.",
        "",
        "| measurement | time (ms) |",
        "|---|---|",
        f"| fact queries alone (`KBFacts.from_atlas`) | {m['facts'] * ms:.1f} |",
        f"| one country ({ONE}, current programmes) | {m['one'] * ms:.1f} |",
        f"| all {m['countries']} countries (`evaluate_all`) | {m['all'] * ms:.1f} |",
        f"| one country, bundle {'+'.join(BUNDLE)} | {m['one_bundle'] * ms:.1f} |",
        f"| all countries, same bundle | {m['all_bundle'] * ms:.1f} |",
        f"| warm: one country (facts cached) | {m['warm_one'] * ms:.2f} |",
        f"| warm: all countries (facts cached) | {m['warm_all'] * ms:.1f} |",
        "",
        f"- **Ratio all / one: {m['ratio']:.2f}** (current programmes), {m['ratio_bundle']:.2f} (bundle); "
        f"the bar is 2. {'Met.' if max(m['ratio'], m['ratio_bundle']) <= 2 else 'NOT met.'}",
        f"- Per-country time once the facts are loaded: {m['per_country'] * ms:.2f} ms.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
