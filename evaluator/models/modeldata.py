"""The models' parameter files (`evaluator/models/data/*.yaml`), read through one typed loader and checked by
`validate`.

Each file of the model folder has a schema written here as a tree of small frozen dataclasses (`Fields`,
`MapOf`, `ListOf`, `Num`, `Text`, `Choice`, `Ref`, ...). A file is read with `policyatlas.core.yamlio` (which keeps
the line of every key and item and refuses YAML tricks) and walked against its schema; every deviation is a
`Problem(path, line, rule, message)` whose message says how to fix it. Nothing raises for bad content.

Rules reported (each has a fixture in `tests/fixtures/invalid-model/` or a test in tests/evaluator/test_modeldata.py):

- `unknown-key`, `missing-field`, `wrong-type`, `bad-value`, `out-of-range`: the shape of the file;
- `bad-range`: low <= central <= high (or low <= high) does not hold;
- `not-ascending`: thresholds or stages out of order; `stages-incomplete`: the last stage does not open 100%;
- `unsourced-parameter`: a number with neither `source:` nor `assumption: true` and a `note:`;
- `unknown-reference`: an instrument, indicator, target group, source or country the KB does not have;
- `missing-entry`: an instrument of the KB without a cost model (and any `MapOf(..., complete=...)`);
- `indicator-without-figures`: an indicator role pointing at an indicator no figure in the KB has;
- `missing-file`: a registered file is not in the folder.

The reader's own rules (policyatlas.core.yamlio: key-type, duplicate-key, yaml-alias, ...) come first, as for the KB.

Two ways in:

- `load(name)` at run time: the file, checked for shape only (no KB needed), cached per process; a file with
  problems raises `ValidationError` (the CLI prints each `path:line: [rule]`, exit 1), never a `KeyError`
  deep inside a model;
- `check_folder(folder, kb)` from `policyatlas validate`: every registered file, with the references and the
  completeness checks that need the KB's ids (`KBIds.from_kb`).

Why not a library: msgspec reports one error, as text with a `$.a.b` path; pydantic or cattrs would collect
every error with a key path we could map to lines, but the checks that matter here (references to the KB,
completeness, a source for each number, orders across keys) would all be custom validators, on top of a new
compiled dependency. The schema language below is ~250 lines in the style of the KB's own checker
(`policyatlas/kb/loader.py`) and needs nothing but `yamlio`.

Adding or rewriting a file (for the authors of costs.yaml and objective.yaml): write its schema with the
node types below, put a `ModelFile(name, schema, checks=(...))` in `REGISTRY` (or call `register`), and read
it with `load(name)`. A `check` is a function `(data, ids, add) -> None` for what a tree cannot say (sums,
orders across keys); `add(line, rule, message)` reports a problem. `Ref("instrument")` checks an id against
the KB; `MapOf(Ref("instrument"), ..., complete="instrument")` also reports every KB instrument that has no
entry (`missing-entry`). Numbers that are model parameters use `param(...)` / `value_range(...)`, which ask
for a source or an explicit assumption.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from policyatlas.core.errors import Problem, ValidationError
from policyatlas.core.paths import relative
from policyatlas.core.yamlio import LineDict, LineList, read_yaml
from policyatlas.kb import kbschema as S
from policyatlas.kb import vocab

MODEL_DATA_DIR = Path(__file__).resolve().parent / "data"

# The roles the models read through evaluator/models/data/indicators.yaml (costing, fiscal space, transferability,
# simulation, scorecard): a role the code reads must be mapped to an indicator that has figures.
ROLES = ("population", "gdp", "gdp_per_capita", "unemployment_rate", "informality", "revenue", "expenditure",
         "net_lending", "gross_debt", "account_ownership", "social_protection_coverage", "ai_preparedness",
         "interest_burden", "oda", "debt_distress", "default", "gdp_per_capita_ppp", "working_age_share",
         "population_growth")


# --- The schema language ----------------------------------------------------------------------------------

class Node:
    """A schema node: `walk` checks one value and reports problems through `ctx`."""

    def walk(self, value, line: int, name: str, ctx: _Walk) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return "a value"


@dataclass(frozen=True)
class Any_(Node):
    """Anything (for files whose schema is still open: see REGISTRY)."""

    def walk(self, value, line, name, ctx):
        return None


@dataclass(frozen=True)
class Text(Node):
    def walk(self, value, line, name, ctx):
        if not isinstance(value, str) or not value.strip():
            ctx.add(line, "wrong-type", f"'{name}' must be non-empty text, got {_show(value)}; quote it")

    def describe(self):
        return "text"


@dataclass(frozen=True)
class Bool(Node):
    def walk(self, value, line, name, ctx):
        if not isinstance(value, bool):
            ctx.add(line, "wrong-type", f"'{name}' must be true or false, got {_show(value)}")

    def describe(self):
        return "true or false"


@dataclass(frozen=True)
class Num(Node):
    """A number in [min, max]; `positive` excludes 0 (a divisor); `integer` asks for a whole number."""

    min: float | None = None
    max: float | None = None
    integer: bool = False
    positive: bool = False

    def walk(self, value, line, name, ctx):
        ok = isinstance(value, int) if self.integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            ctx.add(line, "wrong-type", f"'{name}' must be {self.describe()}, got {_show(value)}")
            return
        if self.min is not None and value < self.min:
            ctx.add(line, "out-of-range", f"'{name}' is {value}, below the smallest allowed value {self.min}; "
                    "check the unit (shares are 0-1, percentages 0-100)")
        elif self.max is not None and value > self.max:
            ctx.add(line, "out-of-range", f"'{name}' is {value}, above the largest allowed value {self.max}; "
                    "check the unit (shares are 0-1, percentages 0-100)")
        elif self.positive and value <= 0:
            ctx.add(line, "out-of-range", f"'{name}' is {value}; it divides other numbers, so it must be "
                    "above 0")

    def describe(self):
        return "a whole number" if self.integer else "a number"


@dataclass(frozen=True)
class Choice(Node):
    values: tuple

    def walk(self, value, line, name, ctx):
        if value not in self.values:
            ctx.add(line, "bad-value", f"'{name}' is {_show(value)}{_suggest(value, self.values)}; allowed: "
                    f"{', '.join(str(v) for v in self.values)}")

    def describe(self):
        return "one of " + ", ".join(str(v) for v in self.values)


@dataclass(frozen=True)
class Ref(Node):
    """The id of a KB record: instrument, indicator, group (target group), source, country. With
    `figures=True`, an indicator must also have at least one figure in the KB."""

    kind: str
    figures: bool = False

    def walk(self, value, line, name, ctx):
        pattern = S.ISO3_PATTERN if self.kind == "country" else S.ID_PATTERN
        if not isinstance(value, str) or not pattern.fullmatch(value):
            ctx.add(line, "wrong-type", f"'{name}' must be the id of a KB {self.kind} ("
                    f"{'an ISO3 code' if self.kind == 'country' else 'lower-case words joined by -'}), got "
                    f"{_show(value)}")
            return
        known = ctx.ids.of(self.kind) if ctx.ids else None
        if known is not None and value not in known:
            ctx.add(line, "unknown-reference", f"'{name}' names {self.kind} '{value}', which the KB does not have"
                    f"{_suggest(value, known)}; add kb/{_FOLDER.get(self.kind, self.kind)}/{value} or fix the id")
        elif self.figures and ctx.ids is not None and value not in ctx.ids.figure_indicators:
            ctx.add(line, "indicator-without-figures", f"'{name}' names indicator '{value}', which no figure in "
                    f"kb/figures/ has; add kb/figures/{value}.csv or map the role to an indicator with figures")

    def describe(self):
        return f"a {self.kind} id"


@dataclass(frozen=True)
class ListOf(Node):
    """A list; `ascending` (an item key, or "" for the items themselves) asks for increasing values."""

    item: Node
    min_items: int = 0
    max_items: int | None = None
    ascending: str | None = None
    descending: bool = False

    def walk(self, value, line, name, ctx):
        if not isinstance(value, list):
            ctx.add(line, "wrong-type", f"'{name}' must be a list ('- item' per line, or [a, b])")
            return
        if len(value) < self.min_items or (self.max_items is not None and len(value) > self.max_items):
            want = str(self.min_items) if self.max_items == self.min_items else (
                f"at least {self.min_items}" + (f" and at most {self.max_items}" if self.max_items else ""))
            ctx.add(line, "wrong-type", f"'{name}' has {len(value)} item(s); it needs {want}")
        lines = value.lines if isinstance(value, LineList) else [line] * len(value)
        for i, (item, iline) in enumerate(zip(value, lines, strict=True)):
            self.item.walk(item, iline, f"{name}[{i + 1}]", ctx)
        if self.ascending is not None:
            keyed = [(_pick(item, self.ascending), iline) for item, iline in zip(value, lines, strict=True)]
            keyed = [(v, ln) for v, ln in keyed if isinstance(v, int | float) and not isinstance(v, bool)]
            for (a, _), (b, bline) in zip(keyed, keyed[1:], strict=False):
                if (b >= a) if self.descending else (b <= a):
                    what = f"'{self.ascending}' " if self.ascending else ""
                    order = "decreasing" if self.descending else "increasing"
                    ctx.add(bline, "not-ascending", f"'{name}': {what}values must be strictly {order}; {b} "
                            f"follows {a}: put the items in order")


@dataclass(frozen=True)
class OneOrList(Node):
    """One item or a list of them (e.g. an evidence metric, or several)."""

    item: Node

    def walk(self, value, line, name, ctx):
        if isinstance(value, list):
            ListOf(self.item, min_items=1).walk(value, line, name, ctx)
        else:
            self.item.walk(value, line, name, ctx)


@dataclass(frozen=True)
class Field:
    node: Node
    required: bool = True


@dataclass(frozen=True)
class Fields(Node):
    """A mapping with known keys. `sourced`: a parameter that needs `source:` or `assumption: true` + `note:`;
    `ordered`: keys whose numbers must not decrease (low <= central <= high); `open`: other keys allowed."""

    fields: dict
    sourced: bool = False
    ordered: tuple = ()
    open: bool = False

    def walk(self, value, line, name, ctx):
        if not isinstance(value, dict):
            ctx.add(line, "wrong-type", f"'{name or 'the file'}' must be a mapping of keys to values, got "
                    f"{_show(value)}")
            return
        where = f"{name}." if name else ""
        for key in value:
            if key not in self.fields and not self.open:
                ctx.add(_line(value, key, line), "unknown-key", f"unknown key '{where}{key}'"
                        f"{_suggest(key, tuple(self.fields))}; allowed keys: {', '.join(self.fields)}")
        for key, spec in self.fields.items():
            if key not in value or value[key] is None:
                if spec.required:  # a key that is not there is reported where its mapping is named
                    ctx.add(_line(value, key, line) if key in value else line, "missing-field",
                            f"required key '{where}{key}' is missing or empty; add it ({spec.node.describe()})")
                continue
            spec.node.walk(value[key], _line(value, key, line), f"{where}{key}", ctx)
        if self.sourced:
            _check_sourced(value, line, name, ctx)
        if self.ordered:
            nums = [(k, value.get(k)) for k in self.ordered]
            nums = [(k, v) for k, v in nums if isinstance(v, int | float) and not isinstance(v, bool)]
            for (ka, a), (kb, b) in zip(nums, nums[1:], strict=False):
                if b < a:
                    ctx.add(_line(value, kb, line), "bad-range", f"'{where}{kb}' is {b}, below '{where}{ka}' "
                            f"({a}); {' <= '.join(self.ordered)} must hold")

    def describe(self):
        return "a mapping with " + ", ".join(k for k, f in self.fields.items() if f.required)


@dataclass(frozen=True)
class MapOf(Node):
    """A mapping whose keys are ids (checked by `key`) and values follow `value`. `complete`: a KB kind
    every id of which needs an entry; `required`: keys that must be there."""

    key: Node
    value: Node
    complete: str | None = None
    required: tuple = ()

    def walk(self, value, line, name, ctx):
        if not isinstance(value, dict):
            ctx.add(line, "wrong-type", f"'{name}' must be a mapping, got {_show(value)}")
            return
        for key, item in value.items():
            kline = _line(value, key, line)
            self.key.walk(key, kline, f"{name} key", ctx)
            self.value.walk(item, kline, f"{name}.{key}", ctx)
        missing = [k for k in self.required if k not in value]
        if self.complete and ctx.ids is not None:
            missing += sorted(ctx.ids.of(self.complete) - set(value))
        for key in missing:
            ctx.add(line, "missing-entry", f"'{name}' has no entry for {self.complete or 'key'} '{key}'; add one "
                    f"({self.value.describe()})")

    def describe(self):
        return "a mapping"


# --- Walking a file -----------------------------------------------------------------------------------------

_FOLDER = {"instrument": "instruments", "indicator": "indicators", "group": "target-groups",
           "source": "sources", "country": "countries/countries.csv: "}


@dataclass(frozen=True)
class KBIds:
    """The ids of the KB that model files may name (built once from the loaded KB)."""

    instrument: frozenset = frozenset()
    indicator: frozenset = frozenset()
    group: frozenset = frozenset()
    source: frozenset = frozenset()
    country: frozenset = frozenset()
    figure_indicators: frozenset = frozenset()

    def of(self, kind: str) -> frozenset:
        return getattr(self, kind)

    @classmethod
    def from_kb(cls, kb) -> KBIds:
        """From a `policyatlas.kb.loader.KBSource`."""
        return cls(instrument=frozenset(kb.ids("instrument")), indicator=frozenset(kb.ids("indicator")),
                   group=frozenset(kb.ids("group")), source=frozenset(kb.ids("source")),
                   country=frozenset(kb.countries),
                   figure_indicators=frozenset(rec.data.get("indicator") for rec in kb.figures))


@dataclass
class _Walk:
    path: str
    ids: KBIds | None
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, rule: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, rule, message))


def _line(mapping, key, default: int) -> int:
    return mapping.line_of(key) if isinstance(mapping, LineDict) else default


def _pick(item, key: str):
    return item if not key else (item.get(key) if isinstance(item, dict) else None)


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(value, candidates) -> str:
    close = difflib.get_close_matches(str(value), sorted(str(c) for c in candidates), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _check_sourced(value: dict, line: int, name: str, ctx: _Walk) -> None:
    if "source" in value:
        return
    if value.get("assumption") is True and isinstance(value.get("note"), str) and value["note"].strip():
        return
    ctx.add(line, "unsourced-parameter", f"'{name}' has no source: give 'source: <kb/sources id>', or mark it "
            "'assumption: true' with a 'note:' saying why the number is reasonable")


# --- The files ----------------------------------------------------------------------------------------------

META = {"unit": Field(Text(), False), "assumption": Field(Bool(), False), "source": Field(Ref("source"), False),
        "note": Field(Text(), False), "informed_by": Field(ListOf(Ref("source")), False)}


def param(node: Node, *, unit: bool = True, **extra) -> Fields:
    """A model parameter `{value, unit, source | assumption + note}`."""
    fields = {"value": Field(node), **META, **{k: Field(v) for k, v in extra.items()}}
    if unit:
        fields["unit"] = Field(Text())
    return Fields(fields, sourced=True)


def value_range(low: float | None = None, high: float | None = None, *, integer: bool = False,
                unit: bool = True) -> Fields:
    """A parameter given as `{low, central, high}` (the simulator draws between low and high)."""
    num = Num(low, high, integer=integer)
    fields = {"low": Field(num), "central": Field(num), "high": Field(num), **META}
    if unit:
        fields["unit"] = Field(Text())
    return Fields(fields, sourced=True, ordered=("low", "central", "high"))


def meta(**fields) -> dict:
    """Fields plus the `assumption`/`note`/`source` keys of a sourced block."""
    return {**{k: Field(v) for k, v in fields.items()}, **META}


SHARE = Num(0, 1)
INCOME = Choice(S.INCOME_GROUPS)
RATINGS = ("1", "2", "3", "4")  # LIC DSF risk of debt distress, 1 low .. 4 in distress (text keys: YAML keys are text)


def by_income_group(node: Node) -> Fields:
    return Fields({g: Field(node) for g in S.INCOME_GROUPS})


FISCAL_SPACE = Fields({
    "reprioritisation_share": Field(param(SHARE)),
    "mobilisation_share": Field(param(SHARE)),
    "deficit_reference": Field(param(Num(0, 20))),
    "deficit_weight": Field(param(Num(0, 10))),
    "debt_threshold": Field(Fields({"unit": Field(Text()),
                                    **{g: Field(param(Num(0, 300), unit=False)) for g in S.INCOME_GROUPS}})),
    "debt_range": Field(param(Num(0, 300, positive=True))),
    "debt_floor_multiplier": Field(param(SHARE)),
    "revenue_effort_cap": Field(param(Num(0, 10, positive=True))),
    "mobilisation_cap": Field(param(Num(0, 100))),
    "interest_threshold": Field(param(Num(0, 100))),
    "interest_range": Field(param(Num(0, 100, positive=True))),
    "interest_floor_multiplier": Field(param(SHARE)),
    "distress_multiplier": Field(Fields(meta(values=MapOf(Choice(RATINGS), SHARE, required=RATINGS)), sourced=True)),
    "default_window": Field(param(Num(0, 50, integer=True))),
    "grant_share": Field(param(SHARE)),
    "grant_income_groups": Field(param(ListOf(INCOME), unit=False)),
    "stages": Field(Fields(meta(phases=ListOf(Fields({"stage": Field(Num(1, 10, integer=True)),
                                                      "years": Field(Text()), "share": Field(SHARE)}),
                                              min_items=1, ascending="share")), sourced=True)),
})

INDICATORS = Fields({"roles": Field(Fields({role: Field(Ref("indicator", figures=True)) for role in ROLES}))})

SCENARIO = Fields({
    "label": Field(Fields({"en": Field(Text()), "zh": Field(Text())})),
    "note": Field(Text()),
    "source": Field(Ref("source"), False),
    "low_complementarity_share": Field(by_income_group(SHARE)),
    "low_complementarity_note": Field(Text(), False),
    "displaced_fraction": Field(value_range(0, 1, unit=False)),
    "adoption_midpoint_years": Field(value_range(0, 50, unit=False)),
    "adoption_steepness": Field(value_range(0, 20, unit=False)),
    "persistent": Field(Bool()),
})

SIMULATION = Fields({
    "model": Field(Fields({
        "separation_formal": Field(value_range(0, 1)),
        "separation_informal": Field(value_range(0, 1)),
        "long_term_finding_ratio": Field(value_range(0, 1)),
        "matching_elasticity": Field(value_range(0, 1)),
        "discouragement": Field(value_range(0, 1)),
        "labour_force_share": Field(value_range(0, 1)),
        "informal_exposure_factor": Field(value_range(0, 1)),
        "training_months": Field(value_range(1, 60, integer=True)),
        "training_entry": Field(value_range(0, 1)),
        "wage_subsidy_hires": Field(value_range(0, 1)),
        "employment_services_reach": Field(value_range(0, 1)),
        "short_time_work_max_months": Field(value_range(1, 60, integer=True)),
        "unemployment_insurance_take_up": Field(value_range(0, 1)),
        "poorest_share": Field(value_range(0, 1)),
    })),
    "mechanisms": Field(MapOf(Ref("instrument"), Fields({"metric": Field(OneOrList(Choice(S.EFFECT_METRICS))),
                                                         "min_horizon_months": Field(Num(0, 600, integer=True))}))),
    "income_support": Field(ListOf(Ref("instrument"), min_items=1)),
    "scenarios": Field(MapOf(Text(), SCENARIO, required=("none",))),
    "solver": Field(Fields({
        "max_monthly_finding": Field(param(Num(0, 1, positive=True))),
        "min_unemployment_pct": Field(param(Num(0, 100, positive=True))),
        "unknown_informality_pct": Field(param(Num(0, 100))),
        "shock_search_max": Field(param(Num(0, 1, positive=True))),
        "shock_search_steps": Field(param(Num(1, 200, integer=True))),
    })),
    "validation": Field(MapOf(Text(), Fields({
        "country": Field(Ref("country")),
        "start_unemployment_pct": Field(Num(0, 100)),
        "observed_peak_pct": Field(Num(0, 100)),
        "observed_source": Field(Ref("source")),
        "counterfactual_ratio": Field(Num(0, 100, positive=True)),
        "counterfactual_source": Field(Ref("source")),
        "shock_months": Field(Num(1, 120, integer=True)),
        "months": Field(Num(1, 600, integer=True)),
        "tolerance_ratio": Field(ListOf(Num(0, 100), min_items=2, max_items=2, ascending="")),
        "informality_share": Field(param(SHARE)),
        "population_millions": Field(param(Num(0, 2000, positive=True))),
    }), required=("germany-2009",))),
})

BAND = Fields({"low": Field(SHARE), "high": Field(SHARE)}, ordered=("low", "high"))
TRANSFERABILITY = Fields({
    "components": Field(Fields({
        "income_group": Field(Fields(meta(weight=SHARE, by_distance=ListOf(SHARE, min_items=4, max_items=4,
                                                                             ascending="", descending=True)),
                                     sourced=True)),
        "region": Field(Fields(meta(weight=SHARE), sourced=True)),
        "informality": Field(Fields(meta(weight=SHARE), sourced=True)),
        "account_ownership": Field(Fields(meta(weight=SHARE), sourced=True)),
    })),
    "income_ladder": Field(Fields(meta(rungs=Fields({g: Field(Num(0, 3, integer=True)) for g in S.INCOME_GROUPS})),
                                  sourced=True)),
    "bands": Field(Fields(meta(lmic_target_south_setting=BAND, lmic_target_north_setting=BAND, other=BAND),
                          sourced=True)),
    "no_setting_weight": Field(param(SHARE, unit=False)),
    "lmic_income_groups": Field(ListOf(INCOME, min_items=1)),
    "strength": Field(Fields(meta(**{s: SHARE for s in S.STRENGTHS}), sourced=True)),
    "direction": Field(Fields(meta(**{d: Num(-1, 1) for d in S.DIRECTIONS}), sourced=True)),
    "contested_multiplier": Field(param(SHARE, unit=False)),
    "saturation": Field(param(Num(0, 100, positive=True), unit=False)),
})

SCORE_LEVELS = ("advanced", "established", "emerging")
STEPS = ListOf(Fields({"above": Field(Num()), "points": Field(Num(0, 100, integer=True))}), min_items=1,
               ascending="above")
SCORECARD = Fields({
    "weights": Field(Fields({s: Field(Num(0, 100, integer=True)) for s in vocab.ids("severity")})),
    "levels": Field(ListOf(Fields({"level": Field(Choice(SCORE_LEVELS)), "max_score": Field(Num(0))}),
                           min_items=1, ascending="max_score")),
    "anchors": Field(Fields({
        "inclusiveness": Field(Fields({
            "indicator": Field(Ref("indicator", figures=True)),
            "branches": Field(ListOf(Choice(S.BRANCHES), min_items=1)),
            "levels": Field(ListOf(Fields({"level": Field(Choice(SCORE_LEVELS)), "min": Field(Num(0, 100))}),
                                   min_items=1, ascending="min", descending=True)),
            "findings_lower_by": Field(Num(0, 3, integer=True)),
        })),
        "financial-and-fiscal-sustainability": Field(Fields({
            **{k: Field(STEPS) for k in ("deficit", "debt_above_threshold", "interest", "distress", "cost_to_space")},
            "levels": Field(ListOf(Fields({"level": Field(Choice(SCORE_LEVELS)), "max_points": Field(Num(0))}),
                                   min_items=1, ascending="max_points")),
        })),
        "adequacy": Field(Fields({"requires": Field(Text())})),
    })),
})

# costs.yaml is being rewritten; until its full schema lands, this checks what the rest of the system relies on:
# every KB instrument has a cost model. Its other keys are left open.
COSTS = Fields({"instruments": Field(MapOf(Ref("instrument"), Any_(), complete="instrument"))}, open=True)
WEIGHT = Num(0, 100)
OBJECTIVE = Fields({
    "scale": Field(Num(1, 10**9, integer=True)),
    "unit_share": Field(param(Num(0, 1, positive=True), unit=False)),
    "findings": Field(Fields({
        "per_finding_share_of_labour_force": Field(param(SHARE, unit=False)),
        "severity": Field(MapOf(Choice(vocab.ids("severity")),
                                param(WEIGHT, unit=False))),
        "ignore_rules": Field(param(ListOf(Text()), unit=False)),
    })),
    "reference_population": Field(Fields({"labour_force_share": Field(param(SHARE, unit=False))})),
    "staging": Field(Fields({"cost_basis": Field(Choice(("low", "central", "high"))), "note": Field(Text(), False)})),
    "explanation": Field(Fields({"max_left_out": Field(Num(0, 1000, integer=True)),
                                 "max_evidence_sources": Field(Num(0, 1000, integer=True))})),
})
# The weight of a person newly protected, by the baseline's target groups (kb/baseline/group-sizes.csv).
VULNERABILITY = Fields({"groups": Field(MapOf(Choice(S.SIZE_GROUPS), param(WEIGHT, unit=False)))}, open=True)
# actions.yaml, prerequisites.yaml and delivery_capacity.yaml: read by the planner, their shapes checked there
# (tests/planner); here only that each parses as a mapping through the safe reader.
OPEN = Fields({}, open=True)


def _stages_end_at_one(data, ids, add) -> None:
    phases = data.get("stages", {}).get("phases") if isinstance(data.get("stages"), dict) else None
    if isinstance(phases, LineList) and phases and isinstance(phases[-1], dict):
        share = phases[-1].get("share")
        if isinstance(share, int | float) and share != 1:
            add(phases.lines[-1], "stages-incomplete", f"the last stage opens {share} of the fiscal space; the "
                "last stage must open all of it (share: 1.0)")


@dataclass(frozen=True)
class ModelFile:
    """One file of the model folder: its schema and any check the schema cannot say."""

    name: str
    schema: Node
    checks: tuple[Callable, ...] = ()


REGISTRY: dict[str, ModelFile] = {}


def register(model_file: ModelFile) -> None:
    """Add or replace a file's entry (and forget any cached load of it)."""
    REGISTRY[model_file.name] = model_file
    load.cache_clear()


for _file in (ModelFile("fiscal_space.yaml", FISCAL_SPACE, (_stages_end_at_one,)),
              ModelFile("indicators.yaml", INDICATORS),
              ModelFile("simulation.yaml", SIMULATION),
              ModelFile("transferability.yaml", TRANSFERABILITY),
              ModelFile("scorecard.yaml", SCORECARD),
              ModelFile("costs.yaml", COSTS),
              ModelFile("objective.yaml", OBJECTIVE),
              ModelFile("vulnerability.yaml", VULNERABILITY),
              ModelFile("actions.yaml", OPEN),
              ModelFile("prerequisites.yaml", OPEN),
              ModelFile("delivery_capacity.yaml", OPEN)):
    REGISTRY[_file.name] = _file


# --- Entry points -------------------------------------------------------------------------------------------

def check_file(path: Path, name: str | None = None, ids: KBIds | None = None):
    """(data, problems) of one model file; `name` picks the schema (default: the file's name)."""
    entry = REGISTRY[name or Path(path).name]
    loaded = read_yaml(Path(path))
    if loaded.data is None:
        return None, loaded.problems
    ctx = _Walk(loaded.path, ids, list(loaded.problems))
    entry.schema.walk(loaded.data, getattr(loaded.data, "line", 1), "", ctx)
    if isinstance(loaded.data, dict):  # the checks read keys; a file that is no mapping is reported above
        for check in entry.checks:
            check(loaded.data, ids, ctx.add)
    return loaded.data, ctx.problems


def check_folder(folder: Path = MODEL_DATA_DIR, kb=None) -> list[Problem]:
    """Every registered file of `folder`, checked against the KB (a `KBSource`) when one is given."""
    ids = KBIds.from_kb(kb) if kb is not None else None
    problems: list[Problem] = []
    for name in sorted(REGISTRY):
        path = Path(folder) / name
        if not path.exists():
            problems.append(Problem(relative(path), 1, "missing-file", f"the model file {name} is missing; the "
                                    "models cannot run without it (restore it from git)"))
            continue
        problems.extend(check_file(path, name, ids)[1])
    return problems


@cache
def load(name: str, folder: Path = MODEL_DATA_DIR):
    """A model file for the models to read, checked for shape; raises ValidationError when it has problems."""
    data, problems = check_file(Path(folder) / name, name)
    if problems:
        raise ValidationError(problems)
    return data


def role_indicator(role: str) -> str:
    """The KB indicator that plays a role in the models (indicators.yaml `roles`)."""
    return load("indicators.yaml")["roles"][role]
