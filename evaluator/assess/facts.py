"""The facts the evaluator and the planner judge with, pulled from the KB in one pass for every country.

`KBFacts.from_atlas(atlas)` runs one fixed set of SPARQL queries through `atlas.query` (so it gives the same
answer on the embedded Oxigraph store and on a remote endpoint) and returns plain dataclasses: countries with
their context (income group, region, Global South flag, latest figure per indicator), the instrument
catalogue (layer, family, target groups), programmes per jurisdiction with the instruments they implement,
evidence per instrument (design, direction, setting, strength, contestedness) and the instrument relations.
`policyatlas.api.Atlas` keeps them (its `facts` cached property), so evaluating 218 countries costs the
queries once, not 218 times; values that other modules derive from the facts are kept in the facts' own
memo (`KBFacts.derived`).

"Current programmes" of a country are the programmes in force that its government runs at national scale:
`implementer` government, `scale` national, `status` active, plus, for member states of the European Union,
the EU-level (`EUU`, implementer supranational) programmes whose `applies_from` day has come
(`KBFacts.current_instruments`). Everything else of the country stays in the KB as evidence and context and
is listed with the reason it was left out (`KBFacts.left_out_programmes`, reason codes `LEFT_OUT_REASONS`):
GiveDirectly's trial in Kenya (ngo, pilot), M-Pesa (private), Alaska's dividend (subnational), an ended or
suspended scheme, an EU act before its date of application.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from policyatlas.core.errors import UserError, did_you_mean
from policyatlas.core.i18n import LANGUAGES, message
from policyatlas.core.namespaces import PREFIXES, prologue

#: Programme statuses that count as a country's current policy mix.
CURRENT_STATUSES = frozenset({"active"})
#: Who may run a programme that counts as a country's policy (an EU act binds its member states).
COUNTED_IMPLEMENTERS = frozenset({"government", "supranational"})
#: Why a programme is left out of a country's current mix, in the order they are tested (the texts:
#: evaluator.left_out.<code> in the message catalogue).
LEFT_OUT_REASONS = ("ngo", "private", "multilateral", "pilot", "subnational", "ended", "suspended", "planned",
                    "not-yet-applicable", "status-unknown")
#: The supranational jurisdiction whose programmes apply to its member states.
EU = "EUU"
#: The key of the rules' shared indexes (instruments by layer and family, relation pairs) in `KBFacts.derived`.
SHARED_KEY = "evaluator-shared"


@dataclass(frozen=True)
class Figure:
    """One country figure: the latest observation of an indicator, with its year, unit and source id."""

    value: float
    year: int
    unit: str
    source: str
    flag: str | None = None


@dataclass
class CountryFacts:
    """A jurisdiction's context: who it is, how rich, where, and its latest figures by indicator id."""

    iso3: str
    label: dict[str, str]
    income_group: str | None  # HIC | UMC | LMC | LIC | UNC, None for supranational jurisdictions
    region: str | None
    global_south: bool | None
    g20: bool | None
    supranational: bool
    member_of: frozenset[str] = frozenset()  # supranational jurisdictions it belongs to (e.g. EUU)
    figures: dict[str, Figure] = field(default_factory=dict)

    def figure(self, indicator: str) -> float | None:
        """The latest value of an indicator, or None when the KB has none for this country."""
        fig = self.figures.get(indicator)
        return None if fig is None else fig.value


@dataclass(frozen=True)
class InstrumentFacts:
    """A policy instrument: its safety-net layer, family, Hood tool type and the groups it should reach."""

    id: str
    label: dict[str, str]
    layer: str | None  # base | middle | top | cross-cutting
    family: str | None
    tool_type: str | None
    target_groups: frozenset[str]


@dataclass(frozen=True)
class TargetGroupFacts:
    """A group of workers the policy mix should reach, and the indicator that measures its size if any."""

    id: str
    label: dict[str, str]
    size_indicator: str | None


@dataclass(frozen=True)
class ProgrammeFacts:
    """A concrete programme of a jurisdiction and the instruments it implements."""

    id: str
    label: str
    jurisdiction: str
    instruments: frozenset[str]
    status: str | None  # active | ended | pilot | planned | suspended
    target_groups: frozenset[str]
    sources: frozenset[str]
    implementer: str | None = None  # government | supranational | multilateral | ngo | private
    scale: str | None = None  # national | subnational | pilot
    applies_from: dt.date | None = None  # an EU act counts in member states from this day
    beneficiaries: float | None = None  # people reached (pa:beneficiaries, unit people), None when unknown
    beneficiaries_year: int | None = None

    def left_out_reason(self, today: dt.date) -> str | None:
        """Why the programme is not part of its jurisdiction's current policy mix on `today` (a code of
        LEFT_OUT_REASONS), or None when it is. A record without implementer or scale (a store compiled before
        programme format v2) is read as a national government programme, as that format meant."""
        if (self.implementer or "government") not in COUNTED_IMPLEMENTERS:
            return self.implementer
        if (self.scale or "national") != "national":
            return self.scale
        if self.status not in CURRENT_STATUSES:
            return self.status if self.status in LEFT_OUT_REASONS else "status-unknown"
        if self.applies_from is not None and self.applies_from > today:
            return "not-yet-applicable"
        return None


@dataclass(frozen=True)
class EvidenceFacts:
    """One evidence record: what it is about, how it was found, which way it points, where, and how strong.

    `instruments` includes the instruments of the programmes it is about, so that evidence on Kurzarbeit
    counts as evidence on short-time work. `contested` is true when this record is contested by another
    record or contests one.
    """

    id: str
    instruments: frozenset[str]
    programmes: frozenset[str]
    design: str | None
    direction: str | None  # positive | null | negative | mixed
    strength: str | None  # high | moderate | low
    setting_countries: frozenset[str]
    outcomes: frozenset[str]
    contested: bool
    sources: frozenset[str]


@dataclass(frozen=True)
class RelationFacts:
    """A typed relation between two instruments (complements, prerequisite-of, substitute-for,
    conflicts-with), with its reason and sources."""

    subject: str
    kind: str
    object: str
    reason: str | None
    sources: frozenset[str]


@dataclass
class KBFacts:
    """Everything the rules and the planner read from the KB, keyed by canonical ids (no IRIs)."""

    countries: dict[str, CountryFacts]
    instruments: dict[str, InstrumentFacts]
    target_groups: dict[str, TargetGroupFacts]
    programmes: dict[str, ProgrammeFacts]
    evidence: dict[str, EvidenceFacts]
    relations: list[RelationFacts]
    labels: dict[str, dict[str, str]]  # layer, family, gap, CODI concept ids -> {en, zh}
    sources: frozenset[str]
    gap_criteria: dict[str, list[str]]  # gap kind -> CODI criteria it informs (pa:gapInforms)
    baseline: object | None = None  # policyatlas.kb.baseline.Baseline: schemes, coverage by branch, group sizes
    as_of: dt.date = field(default_factory=dt.date.today)  # the day "in force" and "applies from" are judged on
    _current: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _evidence_by_instrument: dict[str, list[EvidenceFacts]] = field(default_factory=dict, repr=False)

    # ---- loading ---------------------------------------------------------------------------------------

    @classmethod
    def from_atlas(cls, atlas) -> KBFacts:
        """The facts of an atlas's KB: the ones it keeps (`Atlas.facts`, computed once per atlas), or, for
        anything else with a `query` method (a store), computed afresh."""
        kept = getattr(atlas, "facts", None)
        if isinstance(kept, KBFacts):
            return kept
        return cls.from_query(atlas.query)

    @cached_property
    def derived(self) -> dict:
        """The facts' own memo of values other modules derive from them once per KB (the rules' shared
        indexes, the planner's income-group medians). A copy made by `with_case_facts` starts a new one."""
        return {}

    def forget_derived(self) -> None:
        """Drop the derived values, after a figure was changed in place (as tests do)."""
        self.__dict__.pop("derived", None)

    @classmethod
    def from_query(cls, query) -> KBFacts:
        """Run the fixed query set through `query(sparql) -> result with .rows` and assemble the facts."""

        def rows(sparql: str) -> list[dict]:
            result = query(prologue() + sparql)
            if getattr(result, "complete", True) is False:  # a shared store cut the answer short
                raise UserError("the KB store returned an incomplete answer to the evaluator's fact query "
                                f"({getattr(result, 'note', '')}); raise the store's row cap or time limit")
            return list(getattr(result, "rows", result))

        countries = _countries(rows(COUNTRIES_QUERY), rows(MEMBERSHIP_QUERY))
        for r in rows(FIGURES_QUERY):
            c = countries.get(_str(r.get("iso3")))
            if c is None or r.get("value") is None:
                continue
            ind = _local(r.get("indicator"), "indicator")
            fig = Figure(float(_num(r["value"])), int(_num(r.get("year") or 0)), _str(r.get("unit")) or "",
                         _local(r.get("source"), "source"), _str(r.get("flag")) or None)
            old = c.figures.get(ind)
            if old is None or (fig.year, fig.source) > (old.year, old.source):
                c.figures[ind] = fig
        instruments = _instruments(rows(INSTRUMENTS_QUERY))
        groups = _target_groups(rows(TARGET_GROUPS_QUERY))
        programmes = _programmes(rows(PROGRAMMES_QUERY))
        evidence = _evidence(rows(EVIDENCE_QUERY), programmes)
        relations = sorted(
            (RelationFacts(_local(r["s"], "instrument"), _str(r["kind"]), _local(r["o"], "instrument"),
                           _str(r.get("reason")) or None,
                           frozenset(_local(s, "source") for s in _split(r.get("sources"))))
             for r in rows(RELATIONS_QUERY)),
            key=lambda x: (x.subject, x.kind, x.object))
        labels: dict[str, dict[str, str]] = {}
        for r in rows(CONCEPT_LABELS_QUERY):
            key = _concept_id(_str(r["c"]))
            if key:
                labels.setdefault(key, {})[_str(r["lang"])] = _str(r["label"])
        # the scorecard's fifth state is the evaluator's, not a CODI level of the ontology
        labels.setdefault("not-assessed", {lang: message("common.not_assessed", lang) for lang in LANGUAGES})
        gap_criteria: dict[str, list[str]] = {}
        for r in rows(GAP_CRITERIA_QUERY):
            gap_criteria.setdefault(_local(r["gap"], "gap"), []).append(_local(r["crit"], "codi"))
        sources = frozenset(_local(r["s"], "source") for r in rows(SOURCES_QUERY))
        facts = cls(countries, instruments, groups, programmes, evidence, relations, labels, sources,
                    {k: sorted(v) for k, v in gap_criteria.items()})
        from policyatlas.kb.baseline import Baseline
        facts.baseline = Baseline.from_query(lambda sparql: _PythonRows.of(query(sparql)))
        facts._index()
        return facts

    def with_case_facts(self, iso3: str, figures: dict | None = None, coverage: dict | None = None,
                        people: dict | None = None, relations: list | None = None) -> KBFacts:
        """A copy in which one country's figures (indicator -> value), baseline coverage (branch -> %) and group
        sizes (group -> people) are the given ones, plus any instrument relations [subject, kind, object]: what
        an evaluation case fixes so that KB updates do not change its verdict. Values set this way carry the
        source id `case-input`."""
        import copy
        import dataclasses

        from policyatlas.kb.baseline import Baseline, BranchStatus, CountryBaseline, GroupSize
        out = copy.copy(self)
        out.__dict__ = dict(self.__dict__)
        out.forget_derived()  # the figures change: medians and the like are derived anew
        if not relations and SHARED_KEY in self.derived:  # the instruments and relations stay: so do their indexes
            out.derived[SHARED_KEY] = self.derived[SHARED_KEY]
        if relations:  # [subject, kind, object] triples added to the instrument relations
            out.relations = list(self.relations) + [
                RelationFacts(str(a), str(k), str(b), "case input", frozenset({"case-input"}))
                for a, k, b in relations]
        country = copy.copy(self.countries[iso3])
        country.figures = dict(country.figures)
        for ind, value in (figures or {}).items():
            country.figures[ind] = Figure(float(value), self.as_of.year, "", "case-input")
        out.countries = {**self.countries, iso3: country}
        old = self.baseline_of(iso3)
        base = CountryBaseline(iso3, dict(old.branches), dict(old.groups))
        for branch, value in (coverage or {}).items():
            prev = base.branches.get(branch) or BranchStatus("unknown")
            exists = "yes" if float(value) > 0 else prev.exists
            base.branches[branch] = dataclasses.replace(prev, exists=exists, coverage=float(value),
                                                        year=self.as_of.year, source="case-input")
        for group, value in (people or {}).items():
            base.groups[group] = GroupSize(float(value), self.as_of.year, "case-input", False)
        countries = dict(self.baseline.countries) if isinstance(self.baseline, Baseline) else {}
        out.baseline = Baseline({**countries, iso3: base})
        return out

    def baseline_of(self, iso3: str):
        """The country's social-protection baseline (all unknown where the KB has none)."""
        from policyatlas.kb.baseline import Baseline, CountryBaseline
        if self.baseline is None:
            return CountryBaseline(iso3)
        assert isinstance(self.baseline, Baseline)
        return self.baseline.country(iso3)

    def _index(self) -> None:
        by_jur: dict[str, set[str]] = {}
        for p in self.programmes.values():
            if p.left_out_reason(self.as_of) is None:
                by_jur.setdefault(p.jurisdiction, set()).update(p.instruments)
        eu = by_jur.get(EU, set())
        for iso3, c in self.countries.items():
            own = set(by_jur.get(iso3, set()))
            if EU in c.member_of:
                own |= eu
            self._current[iso3] = frozenset(i for i in own if i in self.instruments)
        for e in self.evidence.values():
            for i in e.instruments:
                self._evidence_by_instrument.setdefault(i, []).append(e)

    # ---- questions the rules and the planner ask -------------------------------------------------------

    def current_instruments(self, iso3: str) -> frozenset[str]:
        """Instruments implemented by the country's current mix: active national programmes run by its
        government, plus EU-level ones that already apply for EU member states."""
        return self._current.get(iso3, frozenset())

    def instruments_at_scale(self, iso3: str) -> frozenset[str]:
        """What is already financed at scale, so neither costed again against fiscal space nor planned again:
        the current mix (a pilot, such as Kenya's charity-run basic-income trial, reaches people now but is
        not national policy, so it is not in it)."""
        return self.current_instruments(iso3)

    def _own_programmes(self, iso3: str) -> list[ProgrammeFacts]:
        c = self.countries.get(iso3)
        jurs = {iso3} | ({EU} if c is not None and EU in c.member_of else set())
        return sorted((p for p in self.programmes.values() if p.jurisdiction in jurs), key=lambda p: p.id)

    def current_programmes(self, iso3: str) -> list[ProgrammeFacts]:
        """The programmes that make up the country's current mix, EU-level ones included."""
        return [p for p in self._own_programmes(iso3) if p.left_out_reason(self.as_of) is None]

    def left_out_programmes(self, iso3: str) -> list[tuple[ProgrammeFacts, str]]:
        """The country's (and, for EU members, the EU's) programmes that are not in its current mix, each with
        the reason code (LEFT_OUT_REASONS)."""
        out = []
        for p in self._own_programmes(iso3):
            reason = p.left_out_reason(self.as_of)
            if reason is not None:
                out.append((p, reason))
        return out

    def evidence_for(self, instrument: str) -> list[EvidenceFacts]:
        """Every evidence record about the instrument or about a programme implementing it."""
        return self._evidence_by_instrument.get(instrument, [])

    def label(self, key: str, lang: str = "en") -> str:
        """The label of an instrument, target group, country or concept id in a language (en or zh)."""
        for table in (self.instruments, self.target_groups, self.countries):
            item = table.get(key)
            if item is not None:
                return item.label.get(lang) or item.label.get("en") or key
        found = self.labels.get(key)
        if found:
            return found.get(lang) or found.get("en") or key
        return key

    def country_ids(self) -> list[str]:
        """ISO3 codes of the countries (not the supranational jurisdictions), sorted."""
        return sorted(k for k, c in self.countries.items() if not c.supranational)

    # ---- the checks of what a user names (Atlas, the engine and the planner call these, and only these) --

    def check_jurisdiction(self, iso3) -> str:
        """The ISO3 code (any case, spaces ignored) of a jurisdiction of the KB: a country, or a supranational
        one such as EUU, whose programmes can be listed; an unknown code is a UserError with a suggestion."""
        code = str(iso3 or "").strip().upper()
        if code in self.countries:
            return code
        names = {c.label["en"].lower(): k for k, c in self.countries.items() if c.label.get("en")}
        raise UserError(f"unknown country {str(iso3)!r}{did_you_mean(code, self.countries, names)}; use an ISO3 "
                        "code such as KEN, DEU or IND")

    def check_country(self, iso3) -> str:
        """The ISO3 code of a country to evaluate, simulate or plan for. A supranational jurisdiction (EUU) is
        refused: its programmes count in its member states' current mixes, it has no figures of its own."""
        code = self.check_jurisdiction(iso3)
        if self.countries[code].supranational:
            raise UserError(f"{code} is a supranational jurisdiction, not a country: its programmes count for its "
                            "member states; give a member state instead (e.g. DEU, FRA)")
        return code

    def check_instruments(self, ids) -> list[str]:
        """Known instrument ids, in the order given without blanks and repeats (a string is split at commas);
        an unknown id is a UserError naming the closest known ones. An empty list is allowed."""
        if isinstance(ids, str):
            ids = ids.split(",")
        out: list[str] = []
        for raw in ids or []:
            iid = str(raw).strip()
            if not iid or iid in out:
                continue
            if iid not in self.instruments:
                raise UserError(f"unknown instrument {iid!r}{did_you_mean(iid, self.instruments)}; list them with "
                                "`policyatlas query 'SELECT ?i WHERE { ?i a pa:PolicyInstrument }'`")
            out.append(iid)
        return out


# ---- the queries (one per kind of fact; run once for the whole KB) -------------------------------------

COUNTRIES_QUERY = """
SELECT ?j ?iso3 ?en ?zh ?income ?region ?south ?g20 ?supra WHERE {
  { ?j a pa:Country BIND(false AS ?supra) } UNION { ?j a pa:SupranationalJurisdiction BIND(true AS ?supra) }
  ?j pa:iso3 ?iso3 .
  OPTIONAL { ?j rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { ?j rdfs:label ?zh FILTER(langMatches(lang(?zh), "zh")) }
  OPTIONAL { ?j pa:incomeGroup ?income }
  OPTIONAL { ?j pa:worldBankRegion ?region }
  OPTIONAL { ?j pa:globalSouth ?south }
  OPTIONAL { ?j pa:g20Member ?g20 }
}"""

MEMBERSHIP_QUERY = """
SELECT ?iso3 ?org WHERE {
  ?j pa:iso3 ?iso3 ; pa:memberOf ?o . ?o pa:iso3 ?org .
}"""

FIGURES_QUERY = """
SELECT ?iso3 ?indicator ?value ?year ?unit ?source ?flag WHERE {
  ?o a pa:Observation ; pa:refArea ?c ; pa:indicator ?indicator ; pa:value ?value .
  ?c pa:iso3 ?iso3 .
  OPTIONAL { ?o pa:year ?year }
  OPTIONAL { ?o pa:unit ?unit }
  OPTIONAL { ?o dcterms:source ?source }
  OPTIONAL { ?o pa:flag ?flag }
}"""

INSTRUMENTS_QUERY = """
SELECT ?i ?en ?zh ?layer ?family ?tool (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?groups) WHERE {
  ?i a pa:PolicyInstrument .
  OPTIONAL { ?i rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { ?i rdfs:label ?zh FILTER(langMatches(lang(?zh), "zh")) }
  OPTIONAL { ?i pa:layer ?layer }
  OPTIONAL { ?i pa:family ?family }
  OPTIONAL { ?i pa:toolType ?tool }
  OPTIONAL { ?i pa:targets ?g }
} GROUP BY ?i ?en ?zh ?layer ?family ?tool"""

TARGET_GROUPS_QUERY = """
SELECT ?g ?en ?zh ?size WHERE {
  ?g a pa:TargetGroup .
  OPTIONAL { ?g rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { ?g rdfs:label ?zh FILTER(langMatches(lang(?zh), "zh")) }
  OPTIONAL { ?g pa:sizeIndicator ?size }
}"""

PROGRAMMES_QUERY = """
SELECT ?p ?en ?jiso ?status ?implementer ?scale ?applies (SAMPLE(?ben) AS ?beneficiaries) (SAMPLE(?by) AS ?byear)
       (GROUP_CONCAT(DISTINCT STR(?i); separator=" ") AS ?instruments)
       (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?groups)
       (GROUP_CONCAT(DISTINCT STR(?s); separator=" ") AS ?sources) WHERE {
  ?p a pa:PolicyProgramme ; pa:jurisdiction ?j . ?j pa:iso3 ?jiso .
  OPTIONAL { ?p rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { ?p pa:implements ?i }
  OPTIONAL { ?p pa:status ?status }
  OPTIONAL { ?p pa:implementer ?implementer }
  OPTIONAL { ?p pa:scale ?scale }
  OPTIONAL { ?p pa:appliesFrom ?applies }
  OPTIONAL { ?p pa:beneficiaries ?ben OPTIONAL { ?p pa:beneficiaryUnit ?bu }
             FILTER(!BOUND(?bu) || STR(?bu) IN ("people", "workers")) }
  OPTIONAL { ?p pa:scaleYear ?by }
  OPTIONAL { ?p pa:targets ?g }
  OPTIONAL { ?p dcterms:source ?s }
} GROUP BY ?p ?en ?jiso ?status ?implementer ?scale ?applies"""

EVIDENCE_QUERY = """
SELECT ?e ?design ?direction ?strength
       (GROUP_CONCAT(DISTINCT STR(?i); separator=" ") AS ?instruments)
       (GROUP_CONCAT(DISTINCT STR(?p); separator=" ") AS ?programmes)
       (GROUP_CONCAT(DISTINCT ?siso; separator=" ") AS ?settings)
       (GROUP_CONCAT(DISTINCT STR(?out); separator=" ") AS ?outcomes)
       (GROUP_CONCAT(DISTINCT STR(?s); separator=" ") AS ?sources)
       (COUNT(DISTINCT ?other) AS ?contests) WHERE {
  ?e a pa:Evidence .
  OPTIONAL { ?e pa:aboutInstrument ?i }
  OPTIONAL { ?e pa:aboutProgramme ?p }
  OPTIONAL { ?e pa:studyDesign ?design }
  OPTIONAL { ?e pa:direction ?direction }
  OPTIONAL { ?e pa:strength ?strength }
  OPTIONAL { ?e pa:settingCountry ?sc . ?sc pa:iso3 ?siso }
  OPTIONAL { ?e pa:outcome ?out }
  OPTIONAL { ?e dcterms:source ?s }
  OPTIONAL { { ?e pa:contestedBy ?other } UNION { ?other pa:contestedBy ?e } }
} GROUP BY ?e ?design ?direction ?strength"""

RELATIONS_QUERY = """
SELECT ?s ?kind ?o ?reason (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  ?r a pa:InstrumentRelation ; pa:relationSubject ?s ; pa:relationObject ?o ; pa:relationKind ?kind .
  OPTIONAL { ?r pa:reason ?reason }
  OPTIONAL { ?r dcterms:source ?src }
} GROUP BY ?s ?kind ?o ?reason"""

CONCEPT_LABELS_QUERY = """
SELECT ?c ?label (LANG(?label) AS ?lang) WHERE {
  VALUES ?type { pa:SafetyNetLayer pa:GapKind pa:CodiCriterion pa:CodiLevel pa:InstrumentFamily }
  ?c a ?type ; rdfs:label ?label .
  FILTER(langMatches(lang(?label), "en") || langMatches(lang(?label), "zh"))
}"""

GAP_CRITERIA_QUERY = """
SELECT ?gap ?crit WHERE { ?gap pa:gapInforms ?crit . }"""

SOURCES_QUERY = """
SELECT ?s WHERE { ?s a pa:Source . }"""


# ---- turning query rows into facts ---------------------------------------------------------------------

class _PythonRows:
    """A query answer with `python_rows()` (what policyatlas.kb.baseline reads), from any answer with `.rows` of
    Python values (a stand-in store's) or one that already has it."""

    def __init__(self, answer):
        self.answer = answer
        self.complete = getattr(answer, "complete", True)
        self.note = getattr(answer, "note", "")

    @classmethod
    def of(cls, answer):
        return answer if hasattr(answer, "python_rows") else cls(answer)

    def python_rows(self) -> list[dict]:
        return [dict(r) for r in getattr(self.answer, "rows", self.answer)]


def _str(value) -> str:
    """A query value as plain text (IRIs without angle brackets, literals without quotes or tags)."""
    if value is None:
        return ""
    inner = getattr(value, "value", None)  # pyoxigraph NamedNode / Literal
    if isinstance(inner, str):
        return inner
    return str(value)


def _num(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, Decimal)):
        return value
    text = _str(value)
    return Decimal(text) if text else 0


def _bool(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    return _str(value).strip().lower() in {"true", "1"}


def _day(value) -> dt.date | None:
    """The calendar day of an xsd:dateTime result (`2026-08-02T00:00:00Z`), or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_str(value)[:10])
    except ValueError:
        return None


def _local(value, prefix: str) -> str:
    """The canonical id of an IRI in one of the project namespaces (`.../instrument/x` -> `x`)."""
    text = _str(value)
    base = PREFIXES.get(prefix, "")
    if base and text.startswith(base):
        return text[len(base):]
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _concept_id(iri: str) -> str:
    """`layer:base` -> `base`, `gap:fragmentation` -> `fragmentation`, `codi:latent` -> `latent`."""
    for prefix in ("layer", "gap", "codi", "family"):
        if iri.startswith(PREFIXES[prefix]):
            return iri[len(PREFIXES[prefix]):]
    return ""


def _split(value) -> list[str]:
    return [x for x in _str(value).split() if x]


def _vocab(value, kind: str) -> str | None:
    """`vocab:income-HIC` -> `HIC`, `vocab:direction-null` -> `null`; None when absent."""
    text = _local(value, "vocab") if value is not None else ""
    if not text:
        return None
    return text[len(kind) + 1:] if text.startswith(kind + "-") else text


def _countries(rows: list[dict], membership: list[dict]) -> dict[str, CountryFacts]:
    members: dict[str, set[str]] = {}
    for r in membership:  # pa:memberOf, from kb/countries/memberships.csv
        members.setdefault(_str(r["iso3"]), set()).add(_str(r["org"]))
    out: dict[str, CountryFacts] = {}
    for r in rows:
        iso3 = _str(r["iso3"])
        label = {k: _str(r[k]) for k in ("en", "zh") if r.get(k) is not None}
        supra = bool(_bool(r.get("supra")))
        if iso3 in out:  # a country typed twice: merge the optional parts
            c = out[iso3]
            c.label.update(label)
            continue
        out[iso3] = CountryFacts(
            iso3=iso3, label=label, income_group=_vocab(r.get("income"), "income"),
            region=_str(r.get("region")) or None, global_south=_bool(r.get("south")),
            g20=_bool(r.get("g20")), supranational=supra, member_of=frozenset(members.get(iso3, ())))
    return out


def _instruments(rows: list[dict]) -> dict[str, InstrumentFacts]:
    out: dict[str, InstrumentFacts] = {}
    for r in rows:
        iid = _local(r["i"], "instrument")
        out[iid] = InstrumentFacts(
            id=iid, label={k: _str(r[k]) for k in ("en", "zh") if r.get(k) is not None},
            layer=_local(r["layer"], "layer") if r.get("layer") is not None else None,
            family=_local(r["family"], "family") if r.get("family") is not None else None,
            tool_type=_vocab(r.get("tool"), "tool"),
            target_groups=frozenset(_local(g, "group") for g in _split(r.get("groups"))))
    return out


def _target_groups(rows: list[dict]) -> dict[str, TargetGroupFacts]:
    out: dict[str, TargetGroupFacts] = {}
    for r in rows:
        gid = _local(r["g"], "group")
        out[gid] = TargetGroupFacts(
            id=gid, label={k: _str(r[k]) for k in ("en", "zh") if r.get(k) is not None},
            size_indicator=_local(r["size"], "indicator") if r.get("size") is not None else None)
    return out


def _programmes(rows: list[dict]) -> dict[str, ProgrammeFacts]:
    out: dict[str, ProgrammeFacts] = {}
    for r in rows:
        pid = _local(r["p"], "programme")
        out[pid] = ProgrammeFacts(
            id=pid, label=_str(r.get("en")) or pid, jurisdiction=_str(r["jiso"]),
            instruments=frozenset(_local(i, "instrument") for i in _split(r.get("instruments"))),
            status=_vocab(r.get("status"), "status"),
            target_groups=frozenset(_local(g, "group") for g in _split(r.get("groups"))),
            sources=frozenset(_local(s, "source") for s in _split(r.get("sources"))),
            implementer=_vocab(r.get("implementer"), "implementer"), scale=_vocab(r.get("scale"), "scale"),
            applies_from=_day(r.get("applies")),
            beneficiaries=None if r.get("beneficiaries") is None else float(_num(r["beneficiaries"])),
            beneficiaries_year=None if r.get("byear") is None else int(_num(r["byear"])))
    return out


def _evidence(rows: list[dict], programmes: dict[str, ProgrammeFacts]) -> dict[str, EvidenceFacts]:
    out: dict[str, EvidenceFacts] = {}
    for r in rows:
        eid = _local(r["e"], "evidence")
        progs = frozenset(_local(p, "programme") for p in _split(r.get("programmes")))
        instruments = {_local(i, "instrument") for i in _split(r.get("instruments"))}
        for p in progs:
            if p in programmes:
                instruments |= programmes[p].instruments
        out[eid] = EvidenceFacts(
            id=eid, instruments=frozenset(instruments), programmes=progs,
            design=_vocab(r.get("design"), "design"), direction=_vocab(r.get("direction"), "direction"),
            strength=_vocab(r.get("strength"), "strength"),
            setting_countries=frozenset(_split(r.get("settings"))),
            outcomes=frozenset(_vocab(o, "outcome") or "" for o in _split(r.get("outcomes"))) - {""},
            contested=int(_num(r.get("contests") or 0)) > 0,
            sources=frozenset(_local(s, "source") for s in _split(r.get("sources"))))
    return out
