"""A CODI-style scorecard: one four-level rating per ISPA CODI criterion, the same way for every country.

ISPA's Core Diagnostic Instrument (CODI) rates a social-protection system on performance criteria at four
levels (latent, emerging, established, advanced) and deliberately does not compare countries. Policy Atlas
adds the comparison by deriving every rating mechanically from the evaluator's findings, with the same rules
and the same cut-offs for every country:

1. each rule that fired contributes once per criterion it informs, with the weight of its most severe
   finding (`weights` in `evaluator/scorecard.yaml`: high 3, medium 2, low 1), so a rule that fires for six
   target groups counts as one rule, not six;
2. the contributions are summed per criterion;
3. the sum is mapped to a level by the cut-offs in `evaluator/scorecard.yaml` (0 → advanced, up to 2 →
   established, up to 5 → emerging, more → latent);
4. an empty instrument set (no bundle, no current programme recorded) is latent on every criterion.

Each rating keeps the findings that set it, so the UI and the JSON can say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from evaluator.rules_loader import CODI_CRITERIA

LEVELS = ("latent", "emerging", "established", "advanced")
SCORECARD_FILE = Path(__file__).with_name("scorecard.yaml")


@dataclass(frozen=True)
class ScorecardModel:
    """Weights per severity and the highest score allowed for each level (from scorecard.yaml)."""

    weights: dict[str, int]
    cutoffs: list[tuple[str, float]]  # (level, highest score) in order: advanced, established, emerging

    @classmethod
    def load(cls, path: Path = SCORECARD_FILE) -> ScorecardModel:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cutoffs = [(c["level"], float(c["max_score"])) for c in data["levels"]]
        return cls(weights={k: int(v) for k, v in data["weights"].items()}, cutoffs=cutoffs)

    def level(self, score: float) -> str:
        for name, highest in self.cutoffs:
            if score <= highest:
                return name
        return "latent"


@dataclass
class Rating:
    """The level of one criterion, its score, and the rules and findings that set it."""

    criterion: str
    level: str
    score: float
    rules: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"level": self.level, "score": self.score, "rules": self.rules, "findings": self.findings}


_MODEL: ScorecardModel | None = None


def model() -> ScorecardModel:
    global _MODEL
    if _MODEL is None:
        _MODEL = ScorecardModel.load()
    return _MODEL


def score(findings, empty: bool, scorecard_model: ScorecardModel | None = None) -> dict[str, Rating]:
    """Ratings for every CODI criterion from a list of findings (objects with rule, codi, severity, id)."""
    m = scorecard_model or model()
    worst: dict[tuple[str, str], int] = {}
    by_criterion: dict[str, list] = {c: [] for c in CODI_CRITERIA}
    for f in findings:
        for criterion in f.codi:
            key = (criterion, f.rule)
            worst[key] = max(worst.get(key, 0), m.weights[f.severity])
            by_criterion.setdefault(criterion, []).append(f)
    ratings: dict[str, Rating] = {}
    for criterion in CODI_CRITERIA:
        total = float(sum(w for (c, _), w in worst.items() if c == criterion))
        level = "latent" if empty else m.level(total)
        fs = by_criterion.get(criterion, [])
        ratings[criterion] = Rating(criterion, level, total, sorted({f.rule for f in fs}), [f.id for f in fs])
    return ratings
