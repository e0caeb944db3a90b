"""A CODI-style scorecard: one rating per ISPA CODI criterion, the same way for every country.

ISPA's Core Diagnostic Instrument (CODI) rates a social-protection system on performance criteria at four
levels (latent, emerging, established, advanced) and deliberately does not compare countries. Policy Atlas
adds the comparison by deriving every rating mechanically, with the same cut-offs for every country
(`evaluator/models/data/scorecard.yaml`), and a fifth state, **not assessed**, when the KB lacks what a criterion needs.

Criteria anchored to data:

- **inclusiveness** from effective coverage, SDG 1.3.1 (`social-protection-coverage`), with the baseline's
  coverage by branch reported beside it; the mix's own inclusiveness findings lower the level by at most one
  step, and only when on their own they would rate it latent;
- **financial and fiscal sustainability** from points for the fiscal position (deficit, gross debt above the
  income group's threshold, interest burden, IMF-World Bank debt-distress rating, as read by
  `evaluator.models.fiscal`) and for the central cost of the mix's new instruments against the modelled fiscal space;
- **adequacy** needs benefit levels, which the KB does not have yet: not assessed.

The other criteria judge the design of the mix from the evaluator's findings:

1. each rule that fired contributes once per criterion it informs, with the weight of its most severe
   finding (`weights`: high 3, medium 2, low 1), so a rule that fires for six target groups counts once;
2. the contributions are summed per criterion and mapped by the cut-offs (`levels`);
3. an empty bundle is latent on every such criterion; an empty current mix (the KB records no national
   programme for the country) is not assessed.

Each rating keeps the figures (value, year, source) and the findings that set it, so the UI and the JSON can
say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evaluator.assess.rules_loader import CODI_CRITERIA
from evaluator.models import modeldata
from policyatlas.core.errors import ValidationError
from policyatlas.kb import vocab

LEVELS = vocab.ids("codi_level")
NOT_ASSESSED = "not-assessed"
STATES = (NOT_ASSESSED, *LEVELS)
SCORECARD_FILE = modeldata.MODEL_DATA_DIR / "scorecard.yaml"


@dataclass(frozen=True)
class ScorecardModel:
    """Weights, cut-offs and the data anchors of the criteria (from scorecard.yaml)."""

    weights: dict[str, int]
    cutoffs: list[tuple[str, float]]  # (level, highest score) in order: advanced, established, emerging
    anchors: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = SCORECARD_FILE) -> ScorecardModel:
        """Read through the typed loader (evaluator/models/modeldata.py); a file with problems raises
        ValidationError."""
        if path == SCORECARD_FILE:
            data = modeldata.load("scorecard.yaml")
        else:
            data, problems = modeldata.check_file(path, "scorecard.yaml")
            if problems:
                raise ValidationError(problems)
        cutoffs = [(c["level"], float(c["max_score"])) for c in data["levels"]]
        return cls(weights={k: int(v) for k, v in data["weights"].items()}, cutoffs=cutoffs,
                   anchors=dict(data.get("anchors") or {}))

    def level(self, score: float) -> str:
        return _by_max(score, self.cutoffs)


def _by_max(score: float, cutoffs) -> str:
    for name, highest in cutoffs:
        if score <= highest:
            return name
    return "latent"


@dataclass
class Rating:
    """The state of one criterion, its score, and the figures, rules and findings that set it."""

    criterion: str
    level: str
    score: float | None
    rules: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)  # {indicator, value, year, source[, points]}
    basis: str = "findings"  # findings | data | none
    missing: list[str] = field(default_factory=list)  # what the KB lacks for this criterion

    def to_json(self) -> dict:
        return {"level": self.level, "score": self.score, "basis": self.basis, "figures": self.figures,
                "missing": self.missing, "rules": self.rules, "findings": self.findings}


@dataclass
class ScoreInputs:
    """The figures the data-anchored criteria read for one country and one instrument set."""

    coverage: object | None = None  # Figure of SDG 1.3.1 (value, year, source)
    branches: dict = field(default_factory=dict)  # branch -> BranchStatus (policyatlas.kb.baseline)
    fiscal: object | None = None  # evaluator.models.fiscal.FiscalSpace, or None without revenue and expenditure
    debt_threshold: float | None = None
    distress: int | None = None  # LIC DSF rating 1..4 (a recent default counts as 4), None when unrated
    cost: float | None = None  # central cost of the new instruments, % of GDP (None: unknown)
    new_instruments: int = 0


_MODEL: ScorecardModel | None = None


def model() -> ScorecardModel:
    global _MODEL
    if _MODEL is None:
        _MODEL = ScorecardModel.load()
    return _MODEL


def score(findings, empty: bool, scorecard_model: ScorecardModel | None = None,
          inputs: ScoreInputs | None = None, mode: str = "bundle") -> dict[str, Rating]:
    """Ratings for every CODI criterion from the findings (objects with rule, codi, severity, id) and, for the
    criteria anchored to data, from `inputs` (without inputs those criteria are judged from findings only)."""
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
        fs = by_criterion.get(criterion, [])
        rating = Rating(criterion, m.level(total), total, sorted({f.rule for f in fs}), [f.id for f in fs])
        anchor = m.anchors.get(criterion) if inputs is not None else None
        if anchor is not None:
            # an empty current mix is what the KB does not know: its findings say nothing about the system
            _anchored(rating, criterion, anchor, inputs, m, judge_findings=not (empty and mode == "current"))
        elif empty:
            if mode == "current":
                rating.level, rating.score, rating.basis = NOT_ASSESSED, None, "none"
                rating.missing = ["programmes-in-force"]  # an id, like benefit-levels (its words: the catalogue)
            else:
                rating.level = "latent"
        ratings[criterion] = rating
    return ratings


def _anchored(rating: Rating, criterion: str, anchor: dict, inputs: ScoreInputs, m: ScorecardModel,
              judge_findings: bool = True) -> None:
    if criterion == "inclusiveness":
        _inclusiveness(rating, anchor, inputs, m, judge_findings)
    elif criterion == "financial-and-fiscal-sustainability":
        _fiscal(rating, anchor, inputs)
    else:  # a criterion whose figures the KB does not hold at all (adequacy: benefit levels)
        rating.level, rating.score, rating.basis = NOT_ASSESSED, None, "none"
        rating.missing = [str(anchor.get("requires", "data"))]


def _inclusiveness(rating: Rating, anchor: dict, inputs: ScoreInputs, m: ScorecardModel,
                   judge_findings: bool = True) -> None:
    for branch in anchor.get("branches", []):
        status = inputs.branches.get(branch)
        if status is not None and status.coverage is not None:
            rating.figures.append({"indicator": f"coverage-{branch}", "value": status.coverage,
                                   "year": status.year, "source": status.source})
    cov = inputs.coverage
    if cov is None:
        rating.level, rating.score, rating.basis = NOT_ASSESSED, None, "none"
        rating.missing = [anchor["indicator"]]
        return
    value = float(cov.value)
    rating.figures.insert(0, {"indicator": anchor["indicator"], "value": value, "year": cov.year,
                              "source": cov.source})
    level = "latent"
    for cut in anchor["levels"]:
        if value >= float(cut["min"]):
            level = cut["level"]
            break
    if judge_findings and m.level(rating.score or 0.0) == "latent" and level != "latent":
        level = LEVELS[max(0, LEVELS.index(level) - int(anchor.get("findings_lower_by", 0)))]
    rating.level, rating.score, rating.basis = level, value, "data"


def _points(value: float | None, steps: list[dict]) -> int:
    if value is None:
        return 0
    got = 0
    for step in steps:
        if value > float(step["above"]):
            got = max(got, int(step["points"]))
    return got


def _fiscal(rating: Rating, anchor: dict, inputs: ScoreInputs) -> None:
    detail = inputs.fiscal
    if detail is None:
        rating.level, rating.score, rating.basis = NOT_ASSESSED, None, "none"
        rating.missing = [modeldata.role_indicator("revenue"), modeldata.role_indicator("expenditure")]
        return
    figs = detail.inputs
    total = 0

    def add(key: str, indicator: str, value: float | None, steps: list[dict], fig: dict | None = None):
        nonlocal total
        if value is None:
            rating.missing.append(indicator)
            return
        pts = _points(value, steps)
        total += pts
        row = {"indicator": indicator, "value": round(value, 3), "points": pts}
        if fig:
            row.update({"year": fig.get("year"), "source": fig.get("source")})
        rating.figures.append(row)

    lending = figs.get("net_lending")
    deficit = -lending["value"] if lending else None
    add("deficit", "deficit-pct-gdp", deficit, anchor["deficit"], lending)
    debt = figs.get("gross_debt")
    over = None if debt is None or inputs.debt_threshold is None else debt["value"] - inputs.debt_threshold
    add("debt", "gen-gov-gross-debt-above-threshold", over, anchor["debt_above_threshold"], debt)
    if debt is not None and rating.figures:
        rating.figures[-1].update({"debt_pct_gdp": debt["value"], "threshold": inputs.debt_threshold})
    interest = figs.get("interest_burden")
    add("interest", modeldata.role_indicator("interest_burden"), interest["value"] if interest else None,
        anchor["interest"], interest)
    distress = figs.get("debt_distress") or figs.get("default")
    if inputs.distress is not None:
        add("distress", modeldata.role_indicator("debt_distress"), float(inputs.distress), anchor["distress"], distress)
    ratio = None
    if inputs.new_instruments and inputs.cost is not None:
        ratio = inputs.cost / detail.space if detail.space > 0 else float("inf")
    if inputs.new_instruments and inputs.cost is None:
        rating.missing.append("cost of the new instruments")
    if ratio is not None:
        pts = _points(ratio, anchor["cost_to_space"])
        total += pts
        rating.figures.append({"indicator": "cost-to-fiscal-space", "value": round(ratio, 2), "points": pts,
                               "cost_pct_gdp": round(inputs.cost, 3), "space_pct_gdp": round(detail.space, 3)})
    if not any(f["indicator"] != "cost-to-fiscal-space" for f in rating.figures):
        # no deficit, debt, interest or distress figure: the fiscal position is unknown, not sound
        rating.level, rating.score, rating.basis = NOT_ASSESSED, None, "none"
        rating.figures = []
        return
    cutoffs = [(c["level"], float(c["max_points"])) for c in anchor["levels"]]
    rating.level, rating.score, rating.basis = _by_max(total, cutoffs), float(total), "data"
