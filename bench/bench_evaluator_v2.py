"""Evaluator v2 measurements (issue 13) for docs/benchmarks.md and docs/evaluator.md.

- the external check: Spearman's rank correlation between the inclusiveness level and SDG 1.3.1 coverage
  across every economy with ILO coverage data, with a scatter plot written as SVG to
  `docs/figures/inclusiveness-vs-coverage.svg` (a small SVG writer: no plotting library is needed);
- findings per G20 country against the previous evaluator (the integration commit this version started from,
  `PREVIOUS`), both run on the same compiled KB: the previous evaluator's code and rules are taken from git
  into a temporary folder and run in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evaluator.assess import scorecard  # noqa: E402
from evaluator.assess.engine import evaluate_all  # noqa: E402
from evaluator.assess.facts import KBFacts  # noqa: E402
from policyatlas.api import Atlas  # noqa: E402
from policyatlas.core.paths import BUILD_DIR  # noqa: E402

PREVIOUS = "2d0231b"  # the integration commit evaluator v2 started from
FIGURE = ROOT / "docs" / "figures" / "inclusiveness-vs-coverage.svg"
COVERAGE = "social-protection-coverage"

_COUNT_SCRIPT = """
import json
from policyatlas.api import Atlas
from evaluator.assess.engine import evaluate
atlas = Atlas.load()
facts = atlas.facts
out = {}
for iso3 in sorted(c for c, x in facts.countries.items() if x.g20 and not x.supranational):
    ev = evaluate(atlas, iso3)
    out[iso3] = {"findings": len(ev.findings), "scorecard": ev.scorecard}
print(json.dumps(out))
"""


def coverage_pairs(evaluations: dict, facts: KBFacts) -> list[tuple[str, float, str]]:
    """(iso3, SDG 1.3.1 coverage, inclusiveness level) for every economy with coverage data."""
    out = []
    for iso3, ev in sorted(evaluations.items()):
        fig = facts.countries[iso3].figures.get(COVERAGE)
        level = ev.ratings["inclusiveness"].level
        if fig is not None and level in scorecard.LEVELS:
            out.append((iso3, float(fig.value), level))
    return out


def write_svg(pairs: list[tuple[str, float, str]], rho: float, path: Path = FIGURE) -> Path:
    """A scatter plot: coverage on x, level on y (points spread a little vertically so they do not overlap)."""
    w, h, left, right, top, bottom = 720, 380, 110, 20, 40, 50
    pw, ph = w - left - right, h - top - bottom
    n = len(scorecard.LEVELS)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
             'font-size="12">', f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">Inclusiveness level against SDG 1.3.1 '
             f'coverage ({len(pairs)} economies, Spearman rho = {rho:.3f})</text>']
    for i, level in enumerate(scorecard.LEVELS):
        y = top + ph - (i + 0.5) * ph / n
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{level}</text>')
    for pct in range(0, 101, 20):
        x = left + pw * pct / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#eee"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + ph + 16}" text-anchor="middle">{pct}</text>')
    parts.append(f'<text x="{left + pw / 2}" y="{h - 10}" text-anchor="middle">population covered by at least one '
                 'social-protection cash benefit, % (SDG 1.3.1, ILO)</text>')
    for k, (iso3, cov, level) in enumerate(pairs):
        i = scorecard.LEVELS.index(level)
        jitter = ((k * 37) % 11 - 5) / 5 * ph / n * 0.3
        x, y = left + pw * min(max(cov, 0.0), 100.0) / 100, top + ph - (i + 0.5) * ph / n + jitter
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1f77b4" fill-opacity="0.6">'
                     f'<title>{iso3}: {cov:g}%, {level}</title></circle>')
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def previous_g20(ref: str = PREVIOUS) -> dict | None:
    """Findings per G20 country from the previous evaluator on the current build, or None when git or the
    commit is not available."""
    try:
        blob = subprocess.run(["git", "archive", ref, "evaluator", "policyatlas", "ontology"], cwd=ROOT,
                              capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(blob)) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": tmp, "POLICYATLAS_BUILD_DIR": str(BUILD_DIR)}
        done = subprocess.run([sys.executable, "-c", _COUNT_SCRIPT], cwd=tmp, env=env, capture_output=True,
                              text=True)
        if done.returncode != 0:
            return None
        return json.loads(done.stdout)


def measure() -> dict:
    atlas = Atlas.load()
    facts = KBFacts.from_atlas(atlas)
    evaluations = evaluate_all(atlas)
    pairs = coverage_pairs(evaluations, facts)
    rho = float(spearmanr([scorecard.LEVELS.index(lv) for _, _, lv in pairs], [c for _, c, _ in pairs]).statistic)
    g20 = sorted(c for c, x in facts.countries.items() if x.g20 and not x.supranational)
    now = {c: {"findings": len(evaluations[c].findings), "inclusiveness": evaluations[c].scorecard["inclusiveness"],
               "fiscal": evaluations[c].scorecard["financial-and-fiscal-sustainability"]} for c in g20}
    partial = sorted(c for c, ev in evaluations.items() if ev.partial)
    return {"pairs": pairs, "rho": rho, "now": now, "before": previous_g20(), "partial": partial,
            "countries": len(evaluations)}


def run() -> str:
    m = measure()
    path = write_svg(m["pairs"], m["rho"])
    lines = ["## Evaluator v2: scorecard against the ILO's data, G20 findings against the previous evaluator", "",
             f"- **Spearman rho between the inclusiveness level and SDG 1.3.1 coverage: {m['rho']:.3f}** over "
             f"{len(m['pairs'])} economies with ILO coverage data (the bar is 0.7; "
             f"{'met' if m['rho'] >= 0.7 else 'NOT met'}). Scatter plot: `{path.relative_to(ROOT)}`.",
             f"- Countries whose KB baseline is partial (a branch's coverage or a group's size unknown): "
             f"{len(m['partial'])} of {m['countries']}.", ""]
    before = m["before"] or {}
    lines += ["| G20 | findings before | findings now | inclusiveness before → now | fiscal before → now |",
              "|---|---|---|---|---|"]
    for iso3, now in m["now"].items():
        old = before.get(iso3, {})
        sc = old.get("scorecard", {})
        lines.append(f"| {iso3} | {old.get('findings', 'n/a')} | {now['findings']} | "
                     f"{sc.get('inclusiveness', 'n/a')} → {now['inclusiveness']} | "
                     f"{sc.get('financial-and-fiscal-sustainability', 'n/a')} → {now['fiscal']} |")
    if not before:
        lines.append("")
        lines.append(f"(The previous evaluator, commit {PREVIOUS}, could not be run here: no git history.)")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
