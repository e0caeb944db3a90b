"""What an action would cost a country, in the manner of the ILO Rapid Assessment Protocol (RAP), per country.

    beneficiaries (people) = target-group size (people, from the KB) x shares x take-up
    benefit per person-year = benefit level x reference (poverty line or GDP per capita, stated per instrument)
    cost (% of GDP)         = 100 x beneficiaries x benefit x (1 + administration) / GDP

Target-group sizes come from the KB's baseline (`kb/baseline/group-sizes.csv` through `KBFacts.baseline`), the
population and the working-age share from its figures. A size the KB lacks is imputed from the income-group
median ratio to the population and reported as `imputed` with that method; a figure the KB lacks (informality,
account ownership, GDP per capita in PPP) gets the income-group median, also reported. Regulatory and
governance instruments cost their administration: small, never zero.

Every number lives in `evaluator/models/data/costs.yaml`, read by a typed loader (`load_costs`, `check_costs`:
problems as `path:line: [rule] message`); nothing numeric is written here. `action_cost` is the API the
planner codes against; `instrument_cost` and `bundle_cost` keep their callers (scorecard, simulate, UI,
`Atlas.cost`) working.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from policyatlas.core.errors import Problem, UserError, ValidationError
from policyatlas.core.i18n import render_reason

DATA_DIR = Path(__file__).resolve().parent / "data"
COSTS_FILE = DATA_DIR / "costs.yaml"
ROOT = Path(__file__).resolve().parents[2]
LEVELS = ("low", "central", "high")
PATH_YEARS = 10
FIGURE_BASES = ("population", "working_age")
REFERENCES = ("poverty_line", "gdp_per_capita")
KINDS = ("benefit", "administrative")


@cache
def load_data(name: str) -> dict:
    """One YAML file of `evaluator/models/data/`, parsed once per process (untyped; costs.yaml has `cost_model()`)."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def indicator_id(role: str) -> str:
    """The KB indicator that plays a role in the models (evaluator/models/data/indicators.yaml)."""
    from evaluator.models.modeldata import role_indicator

    return role_indicator(role)


# --- Reading the KB facts ------------------------------------------------------------------------------
# The planner reads `facts` (evaluator.assess.facts.KBFacts, pulled from the KB through SPARQL) through these
# few functions only.

def country_record(facts, iso3: str):
    """The country's facts (labels, region, income group, figures); a UserError if the KB has no such country."""
    rec = facts.countries.get(iso3)
    if rec is not None and rec.supranational:
        raise UserError(f"{iso3!r} is a supranational jurisdiction, not a country: plan for a member state "
                        "(e.g. DEU, FRA)")
    if rec is None:
        raise UserError(f"unknown country {iso3!r}: not a country of the KB (use an ISO3 code such as KEN, "
                        "DEU or IND)")
    return rec


def income_group(facts, iso3: str) -> str:
    """World Bank income group code (HIC, UMC, LMC, LIC, UNC)."""
    return country_record(facts, iso3).income_group or "UNC"


def figure(facts, iso3: str, role: str):
    """The country's KB figure for a role (value, year, unit, source, flag), or None if the KB has none."""
    return country_record(facts, iso3).figures.get(indicator_id(role))


def figure_value(facts, iso3: str, role: str) -> float | None:
    fig = figure(facts, iso3, role)
    return None if fig is None else float(fig.value)


def _memo(facts) -> dict:
    """The facts' own memo (`KBFacts.derived`): a copy of the facts (`with_case_facts`) gets its own, never a
    stale one; facts without one (a test double) get a throw-away memo, still correct."""
    derived = getattr(facts, "derived", None)
    return {} if derived is None else derived.setdefault("costing", {})


def group_median(facts, role: str, group: str) -> tuple[float, str] | None:
    """Median of a figure over the countries of an income group (all countries if the group has none)."""
    memo = _memo(facts)
    key = ("median", role, group)
    if key in memo:
        return memo[key]
    ind = indicator_id(role)
    countries = [c for c in facts.countries.values() if not c.supranational and ind in c.figures]
    values = [float(c.figures[ind].value) for c in countries if (c.income_group or "UNC") == group]
    basis = f"median of {len(values)} {group} countries"
    if not values:
        values = [float(c.figures[ind].value) for c in countries]
        basis = f"median of all {len(values)} countries with a value"
    memo[key] = (statistics.median(values), basis) if values else None
    return memo[key]


def value_or_imputed(facts, iso3: str, role: str, notes: list[dict]) -> float | None:
    """A figure, or the income-group median with an imputation note appended to `notes`."""
    val = figure_value(facts, iso3, role)
    if val is not None:
        return val
    imputed = group_median(facts, role, income_group(facts, iso3))
    if imputed is None:
        return None
    value, basis = imputed
    notes.append({"kind": "imputed", "country": iso3, "indicator": indicator_id(role),
                  "value": round(value, 3), "basis": basis,
                  "message": f"IMPUTED: {iso3} has no {indicator_id(role)} figure in the KB; "
                             f"the {basis} ({value:.1f}) was used instead"})
    return value


def _required(facts, iso3: str, role: str, notes: list[dict]) -> float:
    value = value_or_imputed(facts, iso3, role, notes)
    if value is None:
        raise UserError(f"cannot cost for {iso3}: the KB has no {indicator_id(role)} figure for it or for any "
                        "country of its income group")
    return value


# --- Cost ranges ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CostRange:
    """A cost in % of GDP: low, central and high estimates, and the imputations behind it."""

    low: float
    central: float
    high: float
    notes: tuple = field(default=(), compare=False)

    def __add__(self, other: CostRange) -> CostRange:
        return CostRange(self.low + other.low, self.central + other.central, self.high + other.high,
                         _merge_notes(self.notes, other.notes))

    def rounded(self, digits: int = 3) -> dict:
        return {"low": round(self.low, digits), "central": round(self.central, digits),
                "high": round(self.high, digits)}


ZERO = CostRange(0.0, 0.0, 0.0)


def _merge_notes(a: Iterable[dict], b: Iterable[dict]) -> tuple:
    seen, out = set(), []
    for note in (*a, *b):
        key = note["message"]
        if key not in seen:
            seen.add(key)
            out.append(note)
    return tuple(out)


# --- The typed model of costs.yaml ---------------------------------------------------------------------

@dataclass(frozen=True)
class Param:
    """A low / central / high parameter with its provenance (a kb/sources id, or an assumption and a note)."""

    name: str
    low: float
    central: float
    high: float
    unit: str | None = None
    source: str | None = None
    assumption: bool = False
    note: str | None = None
    informed_by: tuple[str, ...] = ()
    inverse: bool = False  # low cost comes with the high value (growth rates)

    def at(self, level: str) -> float:
        return float(getattr(self, level))

    def describe(self) -> dict:
        out = {"name": self.name, "value": {lv: self.at(lv) for lv in LEVELS}, "unit": self.unit,
               "note": self.note}
        if self.source:
            out["source"] = self.source
        else:
            out["assumption"] = True
        if self.informed_by:
            out["informed_by"] = list(self.informed_by)
        return out


@dataclass(frozen=True)
class Factor:
    """A share (0-1) that multiplies a target-group size: a parameter or a KB figure (by role)."""

    name: str
    param: Param | None = None
    role: str | None = None
    complement: bool = False


@dataclass(frozen=True)
class Term:
    """One part of a target population: a base (population, working_age or a baseline group) x factors."""

    base: str
    factors: tuple[str, ...] = ()


@dataclass(frozen=True)
class InstrumentModel:
    id: str
    kind: str  # benefit | administrative
    terms: tuple[Term, ...] = ()
    reference: str | None = None
    benefit: Param | None = None
    take_up: Param | None = None
    admin: Param | None = None
    cost: Param | None = None  # administrative instruments: % of GDP
    ramp_years: int = 1
    ramp_note: str | None = None


@dataclass(frozen=True)
class CostModel:
    poverty_lines: dict  # income group -> 2021 PPP $ a day
    poverty_line_source: str
    parameters: dict  # name -> Param
    factors: dict  # name -> Factor
    instruments: dict  # id -> InstrumentModel


class _Reader:
    """Turns the parsed YAML (with line numbers) into the typed model, collecting problems on the way."""

    def __init__(self, shown: str, sources: frozenset[str] | None):
        self.shown, self.sources, self.problems = shown, sources, []

    def bad(self, node, key, rule: str, message: str) -> None:
        line = node.line_of(key) if hasattr(node, "line_of") and key is not None else getattr(node, "line", 1)
        self.problems.append(Problem(self.shown, line, rule, message))

    def mapping(self, node, key, where: str) -> dict | None:
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, dict):
            self.bad(node, key if isinstance(node, dict) and key in node else None, "costs-missing",
                     f"{where}: '{key}' must be a mapping; add it (see docs/planner.md, section 1)")
            return None
        return value

    def number(self, node, key, where: str) -> float | None:
        value = node.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.bad(node, key if key in node else None, "costs-number",
                     f"{where}: '{key}' must be a finite number, got {value!r}")
            return None
        return float(value)

    def provenance(self, node, where: str) -> tuple[str | None, bool, str | None, tuple[str, ...]] | None:
        source, assumption, note = node.get("source"), node.get("assumption"), node.get("note")
        informed = node.get("informed_by") or []
        ok = True
        if source is None and assumption is not True:
            self.bad(node, None, "costs-provenance", f"{where}: give a 'source' (a kb/sources id) or "
                     "'assumption: true' with a 'note' explaining the value")
            ok = False
        if assumption is True and not (isinstance(note, str) and note.strip()):
            self.bad(node, "assumption", "costs-provenance", f"{where}: an assumption needs a 'note' with its "
                     "reasoning")
            ok = False
        if not isinstance(informed, list) or not all(isinstance(s, str) for s in informed):
            self.bad(node, "informed_by", "costs-provenance", f"{where}: 'informed_by' must be a list of "
                     "kb/sources ids")
            return None
        for sid in ([source] if isinstance(source, str) else []) + list(informed):
            if self.sources is not None and sid not in self.sources:
                self.bad(node, "source" if sid == source else "informed_by", "costs-source",
                         f"{where}: source {sid!r} is not in kb/sources/; add the record or fix the id")
        if source is not None and not isinstance(source, str):
            self.bad(node, "source", "costs-provenance", f"{where}: 'source' must be a kb/sources id")
            return None
        return (source, assumption is True, note if isinstance(note, str) else None, tuple(informed)) if ok else None

    def param(self, parent, key, where: str, name: str | None = None) -> Param | None:
        node = self.mapping(parent, key, where)
        if node is None:
            return None
        where = f"{where}.{key}"
        values = [self.number(node, lv, where) for lv in LEVELS]
        prov = self.provenance(node, where)
        if any(v is None for v in values) or prov is None:
            return None
        low, central, high = values
        inverse = node.get("inverse") is True
        ordered = (low >= central >= high) if inverse else (low <= central <= high)
        if not ordered:
            self.bad(node, "low", "costs-order", f"{where}: need low <= central <= high "
                     f"({'reversed: inverse' if inverse else 'as given'}), got {low}, {central}, {high}")
            return None
        if min(values) < 0:
            self.bad(node, "low", "costs-range", f"{where}: values must not be negative")
            return None
        unit = node.get("unit")
        return Param(name or str(key), low, central, high, unit if isinstance(unit, str) else None, *prov,
                     inverse=inverse)

    def read(self, data) -> CostModel | None:
        if not isinstance(data, dict):
            self.problems.append(Problem(self.shown, 1, "costs-missing", "costs.yaml must be a mapping with "
                                         "references, parameters, factors and instruments"))
            return None
        lines, line_source = self._references(data)
        params = {}
        pnode = self.mapping(data, "parameters", "costs.yaml") or {}
        for name in ("ppp_2021_to_current", "hic_relative_line", "real_gdp_growth"):
            if name not in pnode:
                self.bad(pnode, None, "costs-missing", f"parameters: '{name}' is required by the model")
        for name in pnode:
            p = self.param(pnode, name, "parameters")
            if p is not None:
                params[name] = p
        factors = self._factors(data)
        instruments = {}
        inode = self.mapping(data, "instruments", "costs.yaml") or {}
        for iid in inode:
            model = self._instrument(inode, str(iid), factors)
            if model is not None:
                instruments[str(iid)] = model
        if self.problems:
            return None
        return CostModel(lines, line_source, params, factors, instruments)

    def _references(self, data) -> tuple[dict, str]:
        refs = self.mapping(data, "references", "costs.yaml") or {}
        pov = self.mapping(refs, "poverty_line", "references") if refs else None
        lines: dict = {}
        source = ""
        if pov:
            lnode = self.mapping(pov, "lines_ppp_per_day", "references.poverty_line")
            for group in lnode or {}:
                v = self.number(lnode, group, "references.poverty_line.lines_ppp_per_day")
                if v is not None and v <= 0:
                    self.bad(lnode, group, "costs-range", f"poverty line of {group} must be positive")
                elif v is not None:
                    lines[str(group)] = v
            unc = self.number(pov, "unclassified_line_ppp_per_day", "references.poverty_line")
            if unc is not None and unc > 0:
                lines["UNC"] = unc
            prov = self.provenance(pov, "references.poverty_line")
            source = prov[0] if prov and prov[0] else ""
            if prov and not prov[0]:
                self.bad(pov, None, "costs-provenance", "references.poverty_line: the lines need a 'source'")
        return lines, source

    def _factors(self, data) -> dict:
        factors = {}
        fnode = self.mapping(data, "factors", "costs.yaml") or {}
        roles = load_data("indicators.yaml")["roles"]
        for name in fnode:
            spec = fnode[name]
            if isinstance(spec, dict) and "indicator" in spec:
                if not isinstance(spec["indicator"], str) or spec["indicator"] not in roles:
                    self.bad(fnode, name, "costs-unknown", f"factors.{name}: indicator role {spec['indicator']!r} "
                             "is not in evaluator/models/data/indicators.yaml")
                    continue
                factors[str(name)] = Factor(str(name), role=spec["indicator"],
                                            complement=spec.get("complement") is True)
            else:
                p = self.param(fnode, name, "factors")
                if p is not None:
                    if p.high > 1:
                        self.bad(fnode, name, "costs-range", f"factors.{name}: a share must lie in 0-1")
                        continue
                    factors[str(name)] = Factor(str(name), param=p)
        return factors

    def _instrument(self, inode, iid: str, factors: dict) -> InstrumentModel | None:
        spec = self.mapping(inode, iid, "instruments")
        if spec is None:
            return None
        where = f"instruments.{iid}"
        kind = spec.get("kind")
        if kind not in KINDS:
            self.bad(spec, "kind", "costs-unknown", f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
            return None
        if kind == "administrative":
            cost = self.param(spec, "cost", where, "cost")
            return None if cost is None else InstrumentModel(iid, kind, cost=cost)
        terms = self._terms(spec, where, factors)
        reference = spec.get("reference")
        if reference not in REFERENCES:
            self.bad(spec, "reference", "costs-unknown", f"{where}: reference must be one of "
                     f"{', '.join(REFERENCES)}, got {reference!r}")
        benefit, take_up, admin = (self.param(spec, k, where, k) for k in ("benefit", "take_up", "admin"))
        if take_up is not None and take_up.high > 1:
            self.bad(spec, "take_up", "costs-range", f"{where}.take_up: a share must lie in 0-1")
        ramp = self.mapping(spec, "ramp_years", where)
        years = ramp.get("value") if ramp else None
        if ramp is not None and (isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= PATH_YEARS):
            self.bad(ramp, "value", "costs-range", f"{where}.ramp_years: value must be a whole number of years "
                     f"from 1 to {PATH_YEARS}, got {years!r}")
            return None
        prov = self.provenance(ramp, f"{where}.ramp_years") if ramp is not None else None
        if None in (benefit, take_up, admin, ramp, prov, terms) or reference not in REFERENCES:
            return None
        return InstrumentModel(iid, kind, terms, reference, benefit, take_up, admin, None, years, prov[2])

    def _terms(self, spec, where: str, factors: dict) -> tuple[Term, ...] | None:
        raw = spec.get("beneficiaries")
        if not isinstance(raw, list) or not raw:
            self.bad(spec, "beneficiaries" if "beneficiaries" in spec else None, "costs-missing",
                     f"{where}: 'beneficiaries' must be a non-empty list of {{base, factors}}")
            return None
        terms = []
        for term in raw:
            base = term.get("base") if isinstance(term, dict) else None
            names = term.get("factors", []) if isinstance(term, dict) else None
            if not isinstance(base, str) or not base or not isinstance(names, list) \
                    or not all(isinstance(n, str) for n in names):
                self.bad(spec, "beneficiaries", "costs-missing", f"{where}: each beneficiary term needs a 'base' "
                         "(population, working_age or a kb/baseline group id) and a list of 'factors'")
                return None
            unknown = [n for n in names if n not in factors]
            if unknown:
                self.bad(spec, "beneficiaries", "costs-unknown", f"{where}: unknown factor(s) "
                         f"{', '.join(map(str, unknown))}; define them under 'factors'")
                return None
            terms.append(Term(base, tuple(names)))
        return tuple(terms)


def _kb_ids(kb_dir: Path | None, sub: str) -> frozenset[str] | None:
    folder = (kb_dir or ROOT / "kb") / sub
    if not folder.is_dir():
        return None
    return frozenset(p.stem for p in folder.glob("*.yaml"))


def load_costs(path: Path = COSTS_FILE, kb_dir: Path | None = None, *,
               instrument_ids: bool = True) -> tuple[CostModel | None, list[Problem]]:
    """Read costs.yaml strictly into the typed model; (None, problems) when anything is wrong. With
    `instrument_ids`, an instrument of the KB without a cost model (`costs-uncosted`) or a cost model of no
    KB instrument (`costs-unknown`) is wrong too: the guard when the model is loaded for use."""
    from policyatlas.core.yamlio import read_yaml
    loaded = read_yaml(Path(path))
    if loaded.problems or loaded.data is None:
        return None, list(loaded.problems)
    reader = _Reader(loaded.path, _kb_ids(kb_dir, "sources"))
    model = reader.read(loaded.data)
    instruments = _kb_ids(kb_dir, "instruments") if instrument_ids else None
    if model is not None and instruments is not None:
        inode = loaded.data.get("instruments")
        for iid in sorted(instruments - set(model.instruments)):
            reader.bad(loaded.data, "instruments", "costs-uncosted", f"instrument {iid!r} (kb/instruments/"
                       f"{iid}.yaml) has no cost model: add it under 'instruments' in {loaded.path}")
        for iid in sorted(set(model.instruments) - instruments):
            reader.bad(inode, iid, "costs-unknown", f"instruments.{iid}: no such instrument in kb/instruments/")
        if reader.problems:
            model = None
    return model, reader.problems


def check_costs(path: Path = COSTS_FILE, kb_dir: Path | None = None) -> list[Problem]:
    """Every problem of a costs.yaml (for `policyatlas validate`): `path:line: [rule] message`, never raising.
    Which instruments have a cost model is left to `evaluator.models.modeldata` (its `missing-entry` and
    `unknown-reference`, checked with the other model files against the KB), so that `validate` reports an
    uncosted instrument once."""
    return sorted(set(load_costs(path, kb_dir, instrument_ids=False)[1]))


@cache
def cost_model() -> CostModel:
    """The project's cost model, loaded once; a ValidationError listing every problem if the file is wrong."""
    model, problems = load_costs(COSTS_FILE)
    if model is None:
        raise ValidationError(problems)
    return model


# --- Costing one action --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActionCost:
    """What one action costs a country: % of GDP (low, central, high), for whom, at what benefit, over time."""

    instrument: str
    iso3: str
    low: float
    central: float
    high: float
    beneficiaries: float | None  # people (central); None for administrative instruments
    target_people: float | None  # the target group before take-up (None when `people` was given)
    per_person: dict | None  # benefit per beneficiary-year: US$, reference and share of it
    path: tuple[float, ...]  # central % of GDP in years 0..9 (ramp-up, population and GDP growth)
    params: tuple[dict, ...]
    notes: tuple[dict, ...] = ()  # imputations

    @property
    def range(self) -> CostRange:
        return CostRange(self.low, self.central, self.high, self.notes)

    def to_json(self, digits: int = 4) -> dict:
        return {"instrument": self.instrument, "country": self.iso3, "low": round(self.low, digits),
                "central": round(self.central, digits), "high": round(self.high, digits),
                "beneficiaries": None if self.beneficiaries is None else round(self.beneficiaries),
                "per_person": self.per_person, "path": [round(v, digits) for v in self.path],
                "params": list(self.params), "notes": list(self.notes)}


def _base_people(facts, iso3: str, base: str, pop: float, notes: list[dict]) -> float:
    if base == "population":
        return pop
    if base == "working_age":
        return pop * _required(facts, iso3, "working_age_share", notes) / 100.0
    size = facts.baseline_of(iso3).groups.get(base) if hasattr(facts, "baseline_of") else None
    if size is not None:
        return float(size.people)
    ratio, basis = _group_ratio(facts, base, income_group(facts, iso3))
    notes.append({"kind": "imputed", "country": iso3, "group": base, "value": round(ratio, 4), "basis": basis,
                  "message": f"IMPUTED: {iso3} has no {base} size in kb/baseline/group-sizes.csv; the population "
                             f"times the {basis} ({ratio:.3f}) was used instead"})
    return pop * ratio


def _group_ratio(facts, group: str, ig: str) -> tuple[float, str]:
    memo = _memo(facts)
    key = ("group-ratio", group, ig)
    if key not in memo:
        pop_id = indicator_id("population")
        pairs = []
        for c in facts.countries.values():
            size = facts.baseline_of(c.iso3).groups.get(group) if not c.supranational else None
            if size is not None and pop_id in c.figures and c.figures[pop_id].value > 0:
                pairs.append(((c.income_group or "UNC") == ig, size.people / (c.figures[pop_id].value * 1e6)))
        mine = [r for same, r in pairs if same]
        if mine:
            memo[key] = (statistics.median(mine), f"median ratio of {group} to population over {len(mine)} {ig} "
                                                  "countries")
        elif pairs:
            memo[key] = (statistics.median(r for _, r in pairs), f"median ratio of {group} to population over "
                                                                  f"all {len(pairs)} countries with a size")
        else:
            raise UserError(f"cannot cost: the KB has no {group} size for any country (kb/baseline/group-sizes.csv)")
    return memo[key]


def _factor_value(facts, iso3: str, factor: Factor, level: str, notes: list[dict]) -> float:
    if factor.param is not None:
        return factor.param.at(level)
    share = min(max(_required(facts, iso3, factor.role, notes) / 100.0, 0.0), 1.0)
    return 1.0 - share if factor.complement else share


def _reference(facts, iso3: str, model: CostModel, name: str, notes: list[dict]) -> tuple[dict, dict]:
    """The reference per person-year as a share of GDP per capita, by level, and how it was set."""
    if name == "gdp_per_capita":
        return dict.fromkeys(LEVELS, 1.0), {"reference": "gdp_per_capita", "label": "GDP per capita (IMF WEO)"}
    ig = income_group(facts, iso3)
    line = model.poverty_lines.get(ig)
    if line is None:  # high income: a relative line
        rel = model.parameters["hic_relative_line"]
        return ({lv: rel.at(lv) for lv in LEVELS},
                {"reference": "poverty_line", "label": f"a relative poverty line, {rel.central:.0%} of GDP per capita "
                 f"(no World Bank absolute line for {ig})", "relative": True})
    ppp = _required(facts, iso3, "gdp_per_capita_ppp", notes)
    uplift = model.parameters["ppp_2021_to_current"]
    shares = {lv: line * 365.0 * uplift.at(lv) / ppp for lv in LEVELS}
    which = "international poverty line (unclassified economy)" if ig == "UNC" else f"{ig} poverty line"
    return shares, {"reference": "poverty_line", "label": f"the World Bank {which}, ${line:.2f} a day (2021 PPP)",
                    "line_ppp_per_day": line, "source": model.poverty_line_source}


def _adequacy(share: float, ref: dict, group: str) -> dict:
    """The benefit as a share of its reference, as a reason code (policyatlas/core/messages/*/costing.yaml)."""
    params = {"share": f"{100 * share:.0f}", "group": group}
    if ref["reference"] == "gdp_per_capita":
        return {"code": "costing.adequacy.gdp_per_capita", "params": params}
    if ref.get("relative"):
        rel = cost_model().parameters["hic_relative_line"].central
        return {"code": "costing.adequacy.relative", "params": {**params, "relative": f"{100 * rel:.0f}"}}
    code = "costing.adequacy.unclassified" if group == "UNC" else "costing.adequacy.poverty_line"
    return {"code": code, "params": {**params, "line": f"{ref['line_ppp_per_day']:.2f}"}}


def _ramp(t: int, years: int) -> float:
    return min(1.0, (t + 1) / years)


def action_cost(facts, iso3: str, instrument_id: str, people: float | None = None) -> ActionCost:
    """The annual cost of an action in % of GDP: introducing `instrument_id` for its whole target population
    (`people` None: target size x take-up), or reaching `people` more people (all of whom take it up).
    Memoised per facts object."""
    memo = _memo(facts)
    key = ("action", iso3, instrument_id, None if people is None else float(people))
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = _action_cost(facts, iso3, instrument_id, people)
    return hit


def _action_cost(facts, iso3: str, iid: str, people: float | None) -> ActionCost:
    country_record(facts, iso3)
    model = cost_model()
    spec = model.instruments.get(iid)
    if spec is None:
        raise UserError(f"no cost model for instrument {iid!r} in evaluator/models/data/costs.yaml")
    if people is not None and (not math.isfinite(people) or people < 0):
        raise UserError(f"people must be a finite number >= 0, got {people!r}")
    if spec.kind == "administrative":
        c = spec.cost
        return ActionCost(iid, iso3, c.low, c.central, c.high, None, None, None,
                          tuple([c.central] * PATH_YEARS), (c.describe(),))
    notes: list[dict] = []
    pop = _required(facts, iso3, "population", notes) * 1e6
    if pop <= 0:
        raise UserError(f"cannot cost for {iso3}: its population figure is not positive")
    target = {lv: 0.0 for lv in LEVELS}
    used_factors: dict[str, Factor] = {}
    for term in spec.terms:
        base = _base_people(facts, iso3, term.base, pop, notes)
        for lv in LEVELS:
            part = base
            for name in term.factors:
                used_factors[name] = model.factors[name]
                part *= _factor_value(facts, iso3, model.factors[name], lv, notes)
            target[lv] += part
    if people is None:
        ben = {lv: target[lv] * spec.take_up.at(lv) for lv in LEVELS}
    else:
        ben = dict.fromkeys(LEVELS, float(people))
    ref_share, ref = _reference(facts, iso3, model, spec.reference, notes)
    cost = {lv: 100.0 * ben[lv] / pop * spec.benefit.at(lv) * ref_share[lv] * (1.0 + spec.admin.at(lv))
            for lv in LEVELS}
    gdp_pc = figure_value(facts, iso3, "gdp_per_capita")
    per_usd = None if gdp_pc is None else spec.benefit.central * ref_share["central"] * gdp_pc
    per_person = {"value": None if per_usd is None else round(per_usd, 2), "currency": "US$ (current)",
                  "share_of_reference": spec.benefit.central, **ref,
                  "reference_value": None if gdp_pc is None else round(ref_share["central"] * gdp_pc, 2),
                  "share_of_gdp_per_capita": round(spec.benefit.central * ref_share["central"], 4),
                  "reason": _adequacy(spec.benefit.central, ref, income_group(facts, iso3))}
    per_person["text"] = render_reason(per_person["reason"], "en")
    per_person["text_zh"] = render_reason(per_person["reason"], "zh")
    growth = _path_growth(facts, iso3, model, spec.reference, notes)
    path = tuple(cost["central"] * _ramp(t, spec.ramp_years) * growth ** t for t in range(PATH_YEARS))
    params = [spec.benefit.describe(), spec.take_up.describe(), spec.admin.describe(),
              {"name": "ramp_years", "value": spec.ramp_years, "unit": "years to full take-up",
               "assumption": True, "note": spec.ramp_note}]
    params += [f.param.describe() for f in used_factors.values() if f.param is not None]
    if spec.reference == "poverty_line":
        key = "ppp_2021_to_current" if "line_ppp_per_day" in ref else "hic_relative_line"
        params.append(model.parameters[key].describe())
        params.append({"name": "poverty_line", "value": ref.get("line_ppp_per_day"),
                       "unit": "2021 PPP $ per person per day", "source": model.poverty_line_source,
                       "note": ref["label"]})
        params.append(model.parameters["real_gdp_growth"].describe())
    return ActionCost(iid, iso3, cost["low"], cost["central"], cost["high"], ben["central"],
                      None if people is not None else target["central"], per_person, path, tuple(params),
                      tuple(_merge_notes(notes, ())))


def _path_growth(facts, iso3: str, model: CostModel, reference: str, notes: list[dict]) -> float:
    """Yearly factor on the cost share: beneficiaries grow with the population; benefits tied to GDP per capita
    grow with it (so population and growth cancel), benefits tied to the poverty line stay constant in real
    terms while GDP grows (prices cancel: the path is nominal % of GDP with price-indexed benefits)."""
    if reference != "poverty_line":
        return 1.0
    g_pop = _required(facts, iso3, "population_growth", notes) / 100.0
    g_gdp = model.parameters["real_gdp_growth"].central
    return (1.0 + g_pop) / (1.0 + g_gdp)


def instrument_cost(facts, iso3: str, instrument_id: str) -> CostRange:
    """Annual cost of introducing one instrument in a country, in % of GDP (low, central, high)."""
    return action_cost(facts, iso3, instrument_id).range


def bundle_cost(facts, iso3: str, instrument_ids: Iterable[str]) -> CostRange:
    """Annual cost of a bundle in % of GDP: the sum of its instruments' costs (each counted once)."""
    total = ZERO
    for iid in sorted(set(instrument_ids)):
        total = total + instrument_cost(facts, iso3, iid)
    return total


def beneficiaries_count(facts, iso3: str, instrument_id: str) -> float | None:
    """Central number of beneficiaries (people), for display; None for administrative instruments."""
    return action_cost(facts, iso3, instrument_id).beneficiaries


def simulation_spec(facts, iso3: str, instrument_id: str) -> dict | None:
    """What `evaluator.assess.simulate` charges: for a benefit, the static beneficiary share of the population
    (`_share`), the benefit as a share of GDP per capita and the administration share, low / central / high;
    for an administrative instrument its flat cost. None when the instrument has no cost model."""
    spec = cost_model().instruments.get(instrument_id)
    if spec is None:
        return None
    if spec.kind == "administrative":
        return {"kind": "administrative", "cost": {lv: spec.cost.at(lv) for lv in LEVELS}}
    ac = action_cost(facts, iso3, instrument_id)
    ref_share, _ = _reference(facts, iso3, cost_model(), spec.reference, [])
    pop = _required(facts, iso3, "population", []) * 1e6
    return {"kind": "benefit", "_share": ac.beneficiaries / pop,
            "benefit": {lv: spec.benefit.at(lv) * ref_share[lv] for lv in LEVELS},
            "admin": {lv: spec.admin.at(lv) for lv in LEVELS}}
