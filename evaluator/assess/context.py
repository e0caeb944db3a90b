"""What a rule sees: one country's context and one set of instruments, as the condition-language functions.

`RuleContext` binds the facts of the KB (`KBFacts`), a country and the instruments under evaluation (a
bundle a policymaker composes, or the country's current programmes) and implements every function listed
in `evaluator.assess.conditions.FUNCTIONS`. Costs and fiscal space come from the planner's models
(`evaluator.models.costing.bundle_cost`, `evaluator.models.fiscal.fiscal_space`) and relations from the planner's
instrument graph (`evaluator.models.graph.instrument_graph`), so the evaluator and the planner share one model.

Evidence is judged "in comparable countries": a record counts when one of its setting countries has the
same World Bank income group as the evaluated country, or, for a Global South country, when a setting is
itself in the Global South (South-South evidence transfers; the source analysis's South-South lessons).
"""

from __future__ import annotations

from functools import cached_property

from evaluator.assess.facts import SHARED_KEY, CountryFacts, KBFacts
from policyatlas.core.errors import UserError, ValidationError
from policyatlas.core.i18n import people
from policyatlas.kb import vocab

RELATION_KINDS = vocab.ids("relation")


class SharedFacts:
    """Indexes computed once per KB and shared by every country: instruments by layer and family, and the
    relation pairs of the instrument graph by kind."""

    def __init__(self, facts: KBFacts):
        self.facts = facts
        self.by_layer: dict[str, list[str]] = {}
        self.by_family: dict[str, list[str]] = {}
        for iid in sorted(facts.instruments):
            inst = facts.instruments[iid]
            self.by_layer.setdefault(inst.layer or "", []).append(iid)
            self.by_family.setdefault(inst.family or "", []).append(iid)
        self.pairs = self._relation_pairs()

    def _relation_pairs(self) -> dict[str, set[tuple[str, str]]]:
        pairs: dict[str, set[tuple[str, str]]] = {k: set() for k in RELATION_KINDS}
        from evaluator.models.graph import instrument_graph  # imported here: it loads networkx

        found = False
        for u, v, data in instrument_graph(self.facts).edges(data=True):
            kind = data.get("kind") or data.get("relation") or data.get("type")
            if kind in pairs:
                pairs[kind].add((u, v))
                found = True
        if not found:  # the graph module is not there yet (or has no typed edges): the KB's own relations
            for rel in self.facts.relations:
                if rel.kind in pairs:
                    pairs[rel.kind].add((rel.subject, rel.object))
        return pairs

    @classmethod
    def of(cls, facts: KBFacts) -> SharedFacts:
        """The indexes of these facts, computed once and kept in the facts' own memo."""
        shared = facts.derived.get(SHARED_KEY)
        if shared is None:
            shared = facts.derived[SHARED_KEY] = cls(facts)
        return shared


class RuleContext:
    """The functions and variables of the condition language for one country and one instrument set."""

    def __init__(self, facts: KBFacts, iso3: str, instruments: list[str], mode: str):
        self.facts = facts
        self.shared = SharedFacts.of(facts)
        self.country: CountryFacts = facts.countries[iso3]
        self.iso3 = iso3
        self.bundle = sorted(set(instruments))
        self.bundle_set = frozenset(self.bundle)
        self.mode = mode
        self._evidence_cache: dict[tuple[str, bool], tuple[str, list[str]]] = {}

    def variables(self) -> dict:
        c = self.country
        return {"bundle": list(self.bundle), "size": len(self.bundle), "mode": self.mode, "iso3": self.iso3,
                "income_group": c.income_group, "region": c.region, "global_south": bool(c.global_south),
                "g20": bool(c.g20)}

    def functions(self) -> dict:
        return {
            "fig": self.country.figure,
            "has": lambda i: i in self.bundle_set,
            "has_any": lambda ids: any(i in self.bundle_set for i in _items(ids)),
            "missing": lambda ids: [i for i in _items(ids) if i not in self.bundle_set],
            "count": lambda x: 0 if x is None else len(x),
            "layers": lambda: sorted({self._layer(i) for i in self.bundle} - {None}),
            "in_layer": lambda layer: [i for i in self.bundle if self._layer(i) == layer],
            "in_family": lambda fams: [i for i in self.bundle if self._family(i) in set(_items(fams))],
            "reaching": self.reaching,
            "reaches": lambda g: bool(self.reaching(g)),
            "instruments_in_layer": lambda layer: list(self.shared.by_layer.get(layer, [])),
            "instruments_in_family": lambda fams: sorted(i for f in _items(fams)
                                                         for i in self.shared.by_family.get(f, [])),
            "layer_of": self._layer,
            "cost": lambda: self._cost[1] if self._cost else None,
            "cost_low": lambda: self._cost[0] if self._cost else None,
            "cost_high": lambda: self._cost[2] if self._cost else None,
            "fiscal_space": lambda: self._fiscal_space,
            "new_instruments": self.new_instruments,
            "evidence": lambda i: self._evidence(i, True)[0],
            "evidence_anywhere": lambda i: self._evidence(i, False)[0],
            "evidence_sources": lambda i: self._evidence(i, True)[1],
            "missing_prerequisites": self.missing_prerequisites,
            "present_substitutes": lambda i: self._present(i, "substitute-for"),
            "present_conflicts": lambda i: self._present(i, "conflicts-with"),
            "conflicting_pairs": lambda: self._pairs("conflicts-with"),
            "substitute_pairs": lambda: self._pairs("substitute-for"),
            "any_of": lambda x: bool(x),
            "min_of": lambda xs: min((x for x in _items(xs) if x is not None), default=None),
            "pct": lambda x: None if x is None else f"{float(x):.1f}%",
            "round": lambda x, d=0: None if x is None else round(x, int(d)),
            "coverage": lambda b: self._branch(b, "coverage"),
            "coverage_year": lambda b: self._branch(b, "year"),
            "coverage_source": lambda b: self._branch(b, "source"),
            "scheme": lambda b: self.baseline.exists(b),
            "people": lambda g: self._group(g, "people"),
            "people_year": lambda g: self._group(g, "year"),
            "people_source": lambda g: self._group(g, "source"),
            "beneficiaries": self.beneficiaries,
            "reach": self.reach,
            "millions": _millions,
            "unknown_figures": self.unknown_figures,
        }

    # ---- baseline: coverage and people -------------------------------------------------------------

    @cached_property
    def baseline(self):
        return self.facts.baseline_of(self.iso3)

    def _branch(self, branch: str, attribute: str):
        status = self.baseline.branches.get(branch)
        return None if status is None else getattr(status, attribute)

    def _group(self, group: str, attribute: str):
        size = self.baseline.groups.get(group)
        return None if size is None else getattr(size, attribute)

    def serving(self, group: str) -> list:
        """The current programmes of the mix that target the group and report beneficiaries (none in bundle
        mode)."""
        if self.mode == "bundle":
            return []
        return [p for p in self.facts.current_programmes(self.iso3)
                if group in p.target_groups and p.beneficiaries is not None and p.instruments & self.bundle_set]

    def beneficiaries(self, group: str) -> float | None:
        """People reported reached by the current programmes of the mix that target the group."""
        found = [p.beneficiaries for p in self.serving(group)]
        return float(sum(found)) if found else None

    def reach(self, group: str, branch: str) -> float | None:
        """Estimated share (%) of a baseline group reached: branch coverage, or programmes' beneficiaries over
        the group's size, whichever is larger; None when neither is known."""
        detail = self.reach_detail(group, branch)
        return None if detail is None else detail["share"]

    def reach_detail(self, group: str, branch: str) -> dict | None:
        """How `reach` is estimated: {share (%), basis ("coverage" of `branch` or "programmes"), year,
        sources, programmes}; None when neither figure is known. On a tie the branch coverage is given."""
        options = []
        status = self.baseline.branches.get(branch)
        if status is not None and status.coverage is not None:
            options.append({"share": status.coverage, "basis": "coverage", "year": status.year,
                            "sources": [status.source] if status.source else [], "programmes": []})
        people = self._group(group, "people")
        serving = self.serving(_TARGET_OF.get(group, group))
        if people and serving:
            served = float(sum(p.beneficiaries for p in serving))
            years = [p.beneficiaries_year for p in serving if p.beneficiaries_year]
            options.append({"share": min(100.0, 100.0 * served / people), "basis": "programmes",
                            "year": max(years) if years else None,
                            "sources": sorted({s for p in serving for s in p.sources}),
                            "programmes": [p.id for p in serving]})
        return max(options, key=lambda o: o["share"], default=None)

    def unknown_figures(self, names) -> list[str]:
        """The 'coverage:branch' / 'people:group' figures of the list that the KB lacks for the country."""
        out = []
        for name in _items(names):
            kind, _, key = str(name).partition(":")
            value = self._branch(key, "coverage") if kind == "coverage" else self._group(key, "people")
            if value is None:
                out.append(name)
        return out

    # ---- instrument catalogue ----------------------------------------------------------------------

    def _layer(self, iid: str) -> str | None:
        inst = self.facts.instruments.get(iid)
        return inst.layer if inst else None

    def _family(self, iid: str) -> str | None:
        inst = self.facts.instruments.get(iid)
        return inst.family if inst else None

    def reaching(self, group: str) -> list[str]:
        """The bundle's instruments that target the group (as the KB's instrument definitions say)."""
        return [i for i in self.bundle if i in self.facts.instruments
                and group in self.facts.instruments[i].target_groups]

    # ---- instrument graph --------------------------------------------------------------------------

    def missing_prerequisites(self, iid: str) -> list[str]:
        """Instruments the graph marks as prerequisite of `iid` that the bundle lacks."""
        return sorted(a for a, b in self.shared.pairs["prerequisite-of"] if b == iid and a not in self.bundle_set)

    def _present(self, iid: str, kind: str) -> list[str]:
        """Instruments in the bundle related to `iid` by `kind`, in either direction."""
        pairs = self.shared.pairs[kind]
        related = {b for a, b in pairs if a == iid} | {a for a, b in pairs if b == iid}
        return sorted(related & (self.bundle_set - {iid}))

    def _pairs(self, kind: str) -> list[list[str]]:
        """Each pair of bundle instruments related by `kind` once, as a sorted [a, b]."""
        found = {tuple(sorted((a, b))) for a, b in self.shared.pairs[kind]
                 if a != b and a in self.bundle_set and b in self.bundle_set}
        return [list(p) for p in sorted(found)]

    # ---- costs (planner's models) ------------------------------------------------------------------

    def new_instruments(self) -> list[str]:
        """The bundle's instruments that the country's active national programmes do not already implement."""
        current = self.facts.instruments_at_scale(self.iso3)
        return [i for i in self.bundle if i not in current]

    @cached_property
    def _cost(self) -> tuple[float, float, float] | None:
        # Fiscal space is room for NEW spending, so only the bundle's instruments that the country does
        # not already run are costed against it (its current programmes are already financed).
        from evaluator.models.costing import bundle_cost

        new = self.new_instruments()
        if not new:
            return (0.0, 0.0, 0.0)
        try:
            rng = bundle_cost(self.facts, self.iso3, new)
        except ValidationError:  # a model file with problems is the analyst's to fix, never an unknown cost
            raise
        except UserError:  # the model cannot cost it here (a figure is missing): the cost is unknown
            return None
        if rng is None:
            return None
        return (_float(rng.low), _float(rng.central), _float(rng.high))

    @cached_property
    def fiscal_detail(self):
        """The fiscal-space computation (evaluator.models.fiscal.FiscalSpace), None when a figure it needs is
        missing."""
        from evaluator.models.fiscal import fiscal_space_detail

        try:
            return fiscal_space_detail(self.facts, self.iso3)
        except ValidationError:  # a model file with problems is the analyst's to fix, never an unknown space
            raise
        except UserError:  # a figure the model needs is missing: the fiscal space is unknown
            return None

    @cached_property
    def _fiscal_space(self) -> float | None:
        detail = self.fiscal_detail
        return None if detail is None else _float(detail.space)

    # ---- evidence ----------------------------------------------------------------------------------

    def comparable(self, setting: str) -> bool:
        """Whether evidence from `setting` speaks to this country (same income group, or South-South)."""
        other = self.facts.countries.get(setting)
        if other is None or other.supranational:
            return False
        if self.country.income_group and other.income_group == self.country.income_group:
            return True
        return bool(self.country.global_south) and bool(other.global_south)

    def judged_evidence(self, instruments) -> list:
        """The evidence records an evidence judgement on these instruments reads: those from comparable
        countries, or every record when no comparable one exists (what `evidence_anywhere` judges)."""
        out = []
        for iid in instruments:
            records = self.facts.evidence_for(iid)
            comparable = [e for e in records if any(self.comparable(s) for s in e.setting_countries)]
            out.extend(comparable or records)
        return list({e.id: e for e in out}.values())

    def _evidence(self, iid: str, comparable_only: bool) -> tuple[str, list[str]]:
        key = (iid, comparable_only)
        if key not in self._evidence_cache:
            records = [e for e in self.facts.evidence_for(iid)
                       if not comparable_only or any(self.comparable(s) for s in e.setting_countries)]
            self._evidence_cache[key] = (evidence_status(records),
                                         sorted({s for e in records for s in e.sources}))
        return self._evidence_cache[key]


def evidence_status(records) -> str:
    """One word for a body of evidence: absent (none), contested (a record is disputed by another),
    negative / null (nothing positive), mixed (positive and non-positive findings), positive."""
    if not records:
        return "absent"
    if any(e.contested for e in records):
        return "contested"
    directions = {e.direction for e in records}
    if "positive" not in directions and "mixed" not in directions:
        return "negative" if "negative" in directions else "null"
    if directions <= {"positive"}:
        return "positive"
    return "mixed"


#: Baseline group -> the KB target group whose programmes serve it (for beneficiaries).
_TARGET_OF = {"unemployed": "long-term-unemployed", "youth-neet": "youth", "women-employed": "women"}


class People(float):
    """A number of people, shown in messages as '1.5 million' in English and in 亿 or 万 in Chinese (see
    engine.show; the words: evaluator.people.* in the message catalogue)."""

    def text(self, lang: str) -> str:
        return people(float(self), lang)


def _millions(x) -> People | None:
    """A number of people for a message (People: shown as '1.5 million'), or None."""
    return None if x is None else People(float(x))


def _items(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _float(value) -> float | None:
    return None if value is None else float(value)
