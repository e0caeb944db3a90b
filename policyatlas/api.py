"""The one Python API of Policy Atlas, called by the CLI, the SPARQL endpoint and the Streamlit UI.

```python
from policyatlas import Atlas
atlas = Atlas.load()                       # the compiled KB in an embedded Oxigraph store
atlas = Atlas.load(endpoint="http://...")  # the same KB published to a shared SPARQL store
atlas.country("KEN"); atlas.evaluate("KEN", ["targeted-cash-transfer"]); atlas.suggest("KEN")
```

Everything the evaluator and planner need comes through `Atlas.query`, so answers are the same on the
embedded store and on a remote one. An `Atlas` is safe to share between threads (the UI keeps one per
process): the store is thread-safe and the derived facts are computed once under a lock.

What a user names is checked here, once, by one rule each (the rules live with the facts they need:
`KBFacts.check_jurisdiction`, `check_country`, `check_instruments`; `evaluator.models.fiscal.check_fiscal_space`),
with one "did you mean" hint (`policyatlas.core.errors.did_you_mean`). A supranational jurisdiction (EUU) is no
country to evaluate, simulate, cost or plan for, but its record and programmes can be listed
(`country`, `programmes`). The api sits above the build: `Atlas.load` applies the freshness rule, which
rebuilds a stale KB (docs/architecture.md).
"""

from __future__ import annotations

import os
from _thread import allocate_lock  # threading.Lock itself, without importing threading (start-up)
from functools import cached_property
from pathlib import Path

from policyatlas.core.errors import UserError
from policyatlas.core.paths import DATASET
from policyatlas.core.results import Result
from policyatlas.core.store import EmbeddedStore, RemoteStore
from policyatlas.pipeline import release

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the query path's start-up)
if TYPE_CHECKING:  # pandas is imported where a table is made, so that a query never loads it
    import pandas as pd

DETAIL_LOCK = allocate_lock()
FACTS_LOCK = allocate_lock()

INSTRUMENT_TEXT_QUERY = """
SELECT ?i ?lang ?label ?definition WHERE {
  ?i a pa:PolicyInstrument ; rdfs:label ?label .
  BIND(LANG(?label) AS ?lang)
  OPTIONAL { ?i skos:definition ?definition FILTER(LANG(?definition) = LANG(?label)) }
}"""

PROGRAMME_DETAIL_QUERY = """
SELECT ?p ?label ?local ?jur ?start ?end ?status ?implementer ?scaleCode ?scale ?beneficiaries ?unit ?scaleYear
       ?cost ?costYear ?body ?legal ?confirmation ?notes ?summaryEn ?summaryZh
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?i), STR(instrument:)); separator=" ") AS ?instruments)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?g), STR(group:)); separator=" ") AS ?groups)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?s), STR(source:)); separator=" ") AS ?sources)
WHERE {
  ?p a pa:PolicyProgramme ; rdfs:label ?label ; pa:jurisdiction ?j ; pa:status ?st ; pa:confirmation ?confirmation .
  ?j pa:iso3 ?jur .
  BIND(STRAFTER(STR(?st), "status-") AS ?status)
  OPTIONAL { ?p pa:implementer ?im } BIND(STRAFTER(STR(?im), "implementer-") AS ?implementer)
  OPTIONAL { ?p pa:scale ?sc } BIND(STRAFTER(STR(?sc), "scale-") AS ?scaleCode)
  OPTIONAL { ?p pa:beneficiaryUnit ?unit }
  OPTIONAL { ?p pa:implements ?i } OPTIONAL { ?p pa:targets ?g } OPTIONAL { ?p dcterms:source ?s }
  OPTIONAL { ?p pa:localName ?local } OPTIONAL { ?p pa:startYear ?start } OPTIONAL { ?p pa:endYear ?end }
  OPTIONAL { ?p pa:scaleText ?scale } OPTIONAL { ?p pa:beneficiaries ?beneficiaries }
  OPTIONAL { ?p pa:scaleYear ?scaleYear } OPTIONAL { ?p pa:costText ?cost } OPTIONAL { ?p pa:costYear ?costYear }
  OPTIONAL { ?p pa:responsibleBody ?body } OPTIONAL { ?p pa:legalBasis ?legal } OPTIONAL { ?p rdfs:comment ?notes }
  OPTIONAL { ?p dcterms:abstract ?summaryEn FILTER(LANG(?summaryEn) = "en") }
  OPTIONAL { ?p dcterms:abstract ?summaryZh FILTER(LANG(?summaryZh) = "zh") }
}
GROUP BY ?p ?label ?local ?jur ?start ?end ?status ?implementer ?scaleCode ?scale ?beneficiaries ?unit ?scaleYear
         ?cost ?costYear ?body ?legal ?confirmation ?notes ?summaryEn ?summaryZh
ORDER BY ?p"""

EVIDENCE_DETAIL_QUERY = """
SELECT ?e ?design ?direction ?strength ?finding ?magnitude ?population ?findingZh ?magnitudeZh ?populationZh
       ?confirmation ?unconfirmed ?unconfirmedZh
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?i), STR(instrument:)); separator=" ") AS ?instruments)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?p), STR(programme:)); separator=" ") AS ?programmes)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?o), "outcome-"); separator=" ") AS ?outcomes)
       (GROUP_CONCAT(DISTINCT ?iso; separator=" ") AS ?settings)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?c), STR(evidence:)); separator=" ") AS ?contestedBy)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?s), STR(source:)); separator=" ") AS ?sources)
WHERE {
  ?e a pa:Evidence ; pa:studyDesign ?d ; pa:direction ?dir ; pa:strength ?str ; pa:finding ?finding ;
     pa:population ?population ; pa:confirmation ?confirmation .
  FILTER(LANG(?finding) = "en" && LANG(?population) = "en")
  OPTIONAL { ?e pa:finding ?findingZh FILTER(LANG(?findingZh) = "zh") }
  OPTIONAL { ?e pa:population ?populationZh FILTER(LANG(?populationZh) = "zh") }
  OPTIONAL { ?e pa:magnitude ?magnitudeZh FILTER(LANG(?magnitudeZh) = "zh") }
  BIND(STRAFTER(STR(?d), "design-") AS ?design)
  BIND(STRAFTER(STR(?dir), "direction-") AS ?direction)
  BIND(STRAFTER(STR(?str), "strength-") AS ?strength)
  OPTIONAL { ?e pa:aboutInstrument ?i } OPTIONAL { ?e pa:aboutProgramme ?p } OPTIONAL { ?e pa:outcome ?o }
  OPTIONAL { ?e pa:settingCountry/pa:iso3 ?iso } OPTIONAL { ?e pa:contestedBy ?c } OPTIONAL { ?e dcterms:source ?s }
  OPTIONAL { ?e pa:magnitude ?magnitude FILTER(LANG(?magnitude) = "en") }
  OPTIONAL { ?e pa:unconfirmed ?unconfirmed FILTER(LANG(?unconfirmed) = "en") }
  OPTIONAL { ?e pa:unconfirmed ?unconfirmedZh FILTER(LANG(?unconfirmedZh) = "zh") }
}
GROUP BY ?e ?design ?direction ?strength ?finding ?magnitude ?population ?findingZh ?magnitudeZh ?populationZh
         ?confirmation ?unconfirmed ?unconfirmedZh
ORDER BY ?e"""

SOURCE_DETAIL_QUERY = """
SELECT ?s ?title ?year ?doi ?url ?publisher ?type ?corrects
       (GROUP_CONCAT(?creator; separator="; ") AS ?authors)
WHERE {
  ?s a pa:Source ; dcterms:title ?title ; pa:sourceType ?type .
  OPTIONAL { ?s pa:year ?year } OPTIONAL { ?s pa:doi ?doi } OPTIONAL { ?s schema:url ?url }
  OPTIONAL { ?s dcterms:publisher ?publisher }
  OPTIONAL { ?s dcterms:creator ?creator } OPTIONAL { ?s pa:correctsCitation ?corrects }
}
GROUP BY ?s ?title ?year ?doi ?url ?publisher ?type ?corrects
ORDER BY ?s"""


INDICATOR_QUERY = """
SELECT ?i ?label ?unit (LANG(?label) AS ?lang) WHERE {
  ?i a pa:Indicator ; rdfs:label ?label ; pa:unit ?unit .
}"""


#: Counted groups (kb/baseline/group-sizes.csv) in the order a briefing lists them.
REACH_GROUPS = ("unemployed", "informal-workers", "youth-neet", "women-employed", "older-workers",
                "genai-exposed-workers", "employed", "labour-force")
#: Group -> the SDG 1.3.1 branch whose effective coverage is a share of that same population (unemployed:
#: share of the unemployed receiving benefits; employed: share of the employed covered for employment
#: injury). Other groups have no branch measured on them: only the programmes' beneficiaries count.
REACH_BRANCHES = {"unemployed": "unemployment", "employed": "employment-injury"}


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _ids(text) -> list[str]:
    return sorted(str(text).split()) if text else []


def _warn(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)


class Atlas:
    """The KB behind one store, with the views and judgements users ask for."""

    def __init__(self, store):
        self.store = store

    @classmethod
    def load(cls, dataset: Path | str | None = None, *, endpoint: str | None = None) -> Atlas:
        """Open the compiled KB, or a remote SPARQL endpoint (`endpoint`, or the POLICYATLAS_ENDPOINT
        environment variable when no dataset is named).

        The project's freshness rule applies (`policyatlas.pipeline.release.ensure_fresh`): a KB that was never built,
        or whose inputs changed since its build, is rebuilt first; the release is resolved once and its own
        store opened, so a concurrent build is never seen half-way."""
        if endpoint is None and dataset is None:
            endpoint = os.environ.get("POLICYATLAS_ENDPOINT") or None
        if endpoint:
            return cls(RemoteStore(endpoint))
        path = Path(dataset or DATASET)
        if dataset is not None and not path.exists():
            raise UserError(f"no compiled dataset at {path}; run `policyatlas build --out {path}`")
        current = release.ensure_fresh(dataset, echo=_warn)
        if current is not None:
            return cls(EmbeddedStore(current.dataset, current.store))
        return cls(EmbeddedStore(path))

    # ---- SPARQL --------------------------------------------------------------------------------------

    def query(self, sparql: str, max_rows: int | None = None) -> Result:
        """Run SPARQL (the project's prefixes predeclared); rows are dicts of `results.Term`."""
        return self.store.query(sparql, max_rows=max_rows)

    # ---- views ---------------------------------------------------------------------------------------

    @cached_property
    def facts(self):
        """The evaluator's facts about every country, instrument, programme and evidence record: queried
        once per atlas (under a lock, so two threads asking first do not both run the queries)."""
        from evaluator.assess.facts import KBFacts

        with FACTS_LOCK:  # another thread may have computed them while this one waited
            if "facts" not in self.__dict__:
                self.__dict__["facts"] = KBFacts.from_query(self.query)
            return self.__dict__["facts"]

    def country_ids(self) -> list[str]:
        return self.facts.country_ids()

    def check_jurisdiction(self, iso3: str) -> str:
        """The upper-cased code of a known country or supranational jurisdiction (EUU): what can be listed."""
        return self.facts.check_jurisdiction(iso3)

    def check_country(self, iso3: str) -> str:
        """The upper-cased code of a known country (not a supranational jurisdiction): what can be judged."""
        return self.facts.check_country(iso3)

    def check_instruments(self, ids) -> list[str]:
        """Known instrument ids in the order given, without blanks and repeats; an unknown one is an error."""
        return self.facts.check_instruments(ids)

    @staticmethod
    def check_fiscal_space(value) -> float:
        """A fiscal space a user gives: a finite number from 0 to 100 percent of GDP."""
        from evaluator.models.fiscal import check_fiscal_space

        return check_fiscal_space(value)

    def countries(self) -> pd.DataFrame:
        """One row per country: names, region, income group, Global South flag and the latest figures."""
        import pandas as pd

        rows = []
        for code, c in sorted(self.facts.countries.items()):
            if c.supranational:
                continue
            row = {"iso3": code, "name_en": c.label.get("en", code), "name_zh": c.label.get("zh", ""),
                   "region": c.region, "income_group": c.income_group, "global_south": c.global_south,
                   "g20": c.g20}
            for indicator, fig in c.figures.items():
                row[indicator] = fig.value
                row[f"{indicator}_year"] = fig.year
            rows.append(row)
        return pd.DataFrame(rows).set_index("iso3", drop=False)

    def country(self, iso3: str) -> dict:
        """A jurisdiction's context (a country, or EUU): labels, groups, each figure with value, year, unit,
        source and flag."""
        code = self.check_jurisdiction(iso3)
        c = self.facts.countries[code]
        return {
            "iso3": code,
            "label": dict(c.label),
            "region": c.region,
            "income_group": c.income_group,
            "global_south": c.global_south,
            "g20": c.g20,
            "supranational": c.supranational,
            "member_of": sorted(c.member_of),
            "figures": {k: {"value": f.value, "year": f.year, "unit": f.unit, "source": f.source, "flag": f.flag}
                        for k, f in sorted(c.figures.items())},
            "current_instruments": sorted(self.facts.current_instruments(code)),
            "programmes": [p["id"] for p in self.programmes(code)],
        }

    @cached_property
    def _instrument_text(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for row in self.query(INSTRUMENT_TEXT_QUERY).rows:
            entry = out.setdefault(_local(row["i"].value), {"label": {}, "definition": {}})
            lang = row["lang"].value
            entry["label"][lang] = row["label"].value
            if "definition" in row:
                entry["definition"][lang] = row["definition"].value
        return out

    def instruments(self) -> list[dict]:
        """Every instrument with bilingual label and definition, layer, family, tool type, groups, relations."""
        facts = self.facts
        with DETAIL_LOCK:
            text = self._instrument_text
        out = []
        for iid, inst in sorted(facts.instruments.items()):
            out.append({
                "id": iid,
                "label": dict(text.get(iid, {}).get("label") or inst.label),
                "definition": dict(text.get(iid, {}).get("definition", {})),
                "layer": inst.layer,
                "family": inst.family,
                "tool_type": inst.tool_type,
                "target_groups": sorted(inst.target_groups),
                "relations": [{"kind": r.kind, "target": r.object, "reason": r.reason, "sources": sorted(r.sources)}
                              for r in facts.relations if r.subject == iid],
            })
        return out

    @cached_property
    def _programmes(self) -> list[dict]:
        out = []
        for r in self.query(PROGRAMME_DETAIL_QUERY).python_rows():
            out.append({
                "id": _local(r["p"]), "name": {"en": r["label"], "local": r.get("local")},
                "jurisdiction": r["jur"], "instruments": _ids(r.get("instruments")),
                "start_year": r.get("start"), "end_year": r.get("end"), "status": r["status"],
                "target_groups": _ids(r.get("groups")),
                "implementer": r.get("implementer") or None, "scale": r.get("scaleCode") or None,
                "beneficiaries": {"text": r.get("scale"), "number": r.get("beneficiaries"), "unit": r.get("unit"),
                                  "year": r.get("scaleYear")},
                "cost": {"text": r.get("cost"), "year": r.get("costYear")},
                "responsible_body": r.get("body"), "legal_basis": r.get("legal"),
                "confirmation": r["confirmation"], "notes": r.get("notes"), "sources": _ids(r.get("sources")),
                "summary": {"en": r["summaryEn"], "zh": r.get("summaryZh")} if r.get("summaryEn") else None,
            })
        return out

    def programmes(self, country: str | None = None) -> list[dict]:
        """Programmes (all, or those of one jurisdiction: a country's own plus, for EU members, EU-level ones)."""
        with DETAIL_LOCK:
            items = self._programmes
        if country is None:
            return list(items)
        code = self.check_jurisdiction(country)
        scope = {code, *self.facts.countries[code].member_of}
        return [p for p in items if p["jurisdiction"] in scope]

    @cached_property
    def _evidence(self) -> list[dict]:
        out = []
        for r in self.query(EVIDENCE_DETAIL_QUERY).python_rows():
            out.append({
                "id": _local(r["e"]), "design": r["design"], "direction": r["direction"], "strength": r["strength"],
                "finding": r["finding"], "magnitude": r.get("magnitude"), "population": r["population"],
                # the project's Chinese translations (None where the record has none)
                "finding_zh": r.get("findingZh"), "magnitude_zh": r.get("magnitudeZh"),
                "population_zh": r.get("populationZh"), "unconfirmed_zh": r.get("unconfirmedZh"),
                "confirmation": r["confirmation"], "unconfirmed": r.get("unconfirmed"),
                "instruments": _ids(r.get("instruments")), "programmes": _ids(r.get("programmes")),
                "outcomes": _ids(r.get("outcomes")), "setting_countries": _ids(r.get("settings")),
                "contested_by": _ids(r.get("contestedBy")), "sources": _ids(r.get("sources")),
            })
        contested = {e["id"] for e in out if e["contested_by"]} | {c for e in out for c in e["contested_by"]}
        for e in out:
            e["contested"] = e["id"] in contested
        return out

    def evidence(self) -> list[dict]:
        """Every evidence record, with `contested` true when it disputes or is disputed by another."""
        with DETAIL_LOCK:
            return list(self._evidence)

    @cached_property
    def _sources(self) -> dict[str, dict]:
        out = {}
        for r in self.query(SOURCE_DETAIL_QUERY).python_rows():
            sid = _local(r["s"])
            link = r.get("url") or (f"https://doi.org/{r['doi']}" if r.get("doi") else None)
            out[sid] = {"id": sid, "title": r["title"], "year": r.get("year"), "doi": r.get("doi"), "url": r.get("url"),
                        "link": link, "publisher": r.get("publisher"), "authors": r.get("authors") or None,
                        "type": r["type"], "corrects": r.get("corrects")}
        return out

    def sources(self) -> dict[str, dict]:
        """Every source by id: title, authors or publisher, year, DOI, URL and a link a reader can follow."""
        with DETAIL_LOCK:
            return dict(self._sources)

    @cached_property
    def _indicators(self) -> list[dict]:
        out: dict[str, dict] = {}
        for r in self.query(INDICATOR_QUERY).python_rows():
            entry = out.setdefault(_local(r["i"]), {"id": _local(r["i"]), "label": {}, "unit": r["unit"]})
            entry["label"][r["lang"]] = r["label"]
        return [out[k] for k in sorted(out)]

    def indicators(self) -> list[dict]:
        """Every indicator of the country figures: id, label {en, zh} and unit."""
        with DETAIL_LOCK:
            return list(self._indicators)

    def labels(self) -> dict[str, dict[str, dict[str, str]]]:
        """KB labels {en, zh} by kind: "concept" (layers, families, gap kinds, CODI criteria and levels),
        "group", "instrument" and "indicator"."""
        facts = self.facts
        return {"concept": {k: dict(v) for k, v in facts.labels.items()},
                "group": {g: dict(rec.label) for g, rec in facts.target_groups.items()},
                "instrument": {i["id"]: i["label"] for i in self.instruments()},
                "indicator": {i["id"]: dict(i["label"]) for i in self.indicators()}}

    def reach(self, iso3: str) -> list[dict]:
        """Coverage in people by target group of the country's current mix, as the evaluator estimates it
        (`RuleContext.reach_detail`): one row per counted group the KB sizes, plus the evaluator's baseline
        groups it does not size (people None). A row: {group, people, people_year, people_sources, imputed,
        branch, reached, share, year, sources, basis, programmes}; `share` (%) is the effective coverage of
        the group's branch (SDG 1.3.1) or the current programmes' beneficiaries over the group's size,
        whichever is larger, with its year and sources; `reached` = share x people. Unknown is None, never 0."""
        from evaluator.assess.context import RuleContext
        from evaluator.assess.engine import BASELINE_GROUPS

        code = self.check_country(iso3)
        facts = self.facts
        ctx = RuleContext(facts, code, sorted(facts.current_instruments(code)), "current")
        base = facts.baseline_of(code)
        rows = []
        for group in REACH_GROUPS:
            size = base.groups.get(group)
            if size is None and group not in BASELINE_GROUPS:
                continue
            branch = REACH_BRANCHES.get(group)
            detail = ctx.reach_detail(group, branch or "none") or {}
            share = detail.get("share")
            people = None if size is None else size.people
            rows.append({
                "group": group, "people": people, "people_year": None if size is None else size.year,
                "people_sources": [] if size is None else [s.strip() for s in size.source.replace(";", " ").split()],
                "imputed": None if size is None else size.imputed, "branch": branch,
                "reached": None if share is None or people is None else round(people * share / 100),
                "share": share, "year": detail.get("year"), "sources": list(detail.get("sources") or []),
                "basis": detail.get("basis"), "programmes": list(detail.get("programmes") or [])})
        return rows

    def fiscal_space(self, iso3: str) -> float | None:
        """The planner's modelled additional fiscal space, % of GDP (None where the KB lacks the figures)."""
        from evaluator.models.fiscal import fiscal_space

        return fiscal_space(self.facts, self.check_country(iso3))

    def cost(self, iso3: str, bundle) -> dict:
        """What a bundle adds to spending in the country, % of GDP {low, central, high}: the instruments it
        does not already run at scale (`costed`), as the fiscal rule counts them; `in_place` lists the rest."""
        from evaluator.models.costing import bundle_cost

        code = self.check_country(iso3)
        ids = self.check_instruments(bundle)
        at_scale = self.facts.instruments_at_scale(code)
        costed = [i for i in ids if i not in at_scale]
        if costed:
            value = bundle_cost(self.facts, code, costed).rounded()
        else:
            value = {"low": 0.0, "central": 0.0, "high": 0.0}
        return {**value, "costed": costed, "in_place": [i for i in ids if i in at_scale]}

    @cached_property
    def _graph(self):
        from evaluator.models.graph import instrument_graph

        return instrument_graph(self.facts)

    def graph(self):
        """The instrument graph (networkx MultiDiGraph of complements, prerequisites, substitutes and
        conflicts, with reasons and sources); built once, only to be read."""
        with DETAIL_LOCK:
            return self._graph

    # ---- judgements ----------------------------------------------------------------------------------

    def evaluate(self, iso3: str, bundle=None, *, add=None):
        """Findings and CODI-style scorecard for the country's current programmes, for `bundle` on its own
        there, or for the current programmes plus the instruments of `add`."""
        from evaluator.assess.engine import evaluate

        if bundle is not None and add is not None:
            raise UserError("give either a bundle or instruments to add to the current mix, not both")
        code = self.check_country(iso3)
        ids = None if bundle is None else self.check_instruments(bundle)
        extra = None if add is None else self.check_instruments(add)
        return evaluate(self, code, ids, add=extra)

    def evaluate_all(self, bundle=None, *, add=None):
        """The same for every country, in one set-wise pass: the current programmes, the same bundle
        everywhere, or the current programmes plus the same additions."""
        from evaluator.assess.engine import evaluate_all

        if bundle is not None and add is not None:
            raise UserError("give either a bundle or instruments to add to the current mix, not both")
        ids = None if bundle is None else self.check_instruments(bundle)
        extra = None if add is None else self.check_instruments(add)
        return evaluate_all(self, ids, add=extra)

    @cached_property
    def _effects(self) -> dict:
        from evaluator.assess.simulate import load_effects

        return load_effects(self)

    def effects(self) -> dict:
        """Structured effect sizes of the evidence (the simulator's parameters), by instrument."""
        with DETAIL_LOCK:
            return self._effects

    def simulate(self, iso3: str, bundle=None, *, add=None, scenario: str = "moderate", years: int = 10,
                 draws: int = 500, seed: int = 0):
        """Ten-year Monte Carlo of a bundle (`bundle`) or of the current mix plus additions (`add`) against
        the country as it is (evaluator/assess/simulate.py; docs/simulate.md)."""
        from evaluator.assess.simulate import simulate

        if bundle and add:
            raise UserError("give either a bundle or instruments to add to the current mix, not both")
        code = self.check_country(iso3)
        ids = self.check_instruments(bundle or add or [])
        return simulate(self, code, ids, add=bool(add), scenario=scenario, years=years, draws=draws, seed=seed,
                        effects=self.effects())

    def simulate_all(self, bundle=None, *, add=None, scenario: str = "moderate", years: int = 10,
                     draws: int = 200, seed: int = 0) -> tuple[list, list[dict]]:
        """The same simulation for every country in one pass; countries that cannot be simulated are listed."""
        done, skipped = [], []
        for code in self.country_ids():
            try:
                done.append(self.simulate(code, bundle, add=add, scenario=scenario, years=years, draws=draws,
                                          seed=seed))
            except UserError as err:
                skipped.append({"country": code, "reason": str(err)})
        return done, skipped

    def suggest(self, iso3: str, fiscal_space: float | None = None):
        """A staged bundle (base, middle, top layer) within the country's fiscal space."""
        from evaluator.planner.plan import suggest

        code = self.check_country(iso3)
        if fiscal_space is not None:
            fiscal_space = self.check_fiscal_space(fiscal_space)
        return suggest(self, code, fiscal_space)

    # ---- model parameters the app shows -------------------------------------------------------------

    def relation_pairs(self, kind: str) -> set[tuple[str, str]]:
        """Instrument pairs the KB relates by `kind` (a relation kind of the vocabulary): symmetric kinds as
        sorted pairs, prerequisites as (before, after)."""
        from evaluator.models.graph import pairs

        return pairs(self.graph(), kind)

    def scenarios(self) -> dict:
        """The simulator's AI-displacement scenarios (evaluator/models/data/simulation.yaml): id -> labels and note."""
        from evaluator.assess.simulate import spec

        return dict(spec()["scenarios"])

    def graph_document(self, fmt: str = "json") -> str:
        """The instrument graph as GraphML (`graphml`) or networkx node-link JSON (`json`)."""
        from evaluator.models.graph import to_graphml, to_json

        if fmt not in ("graphml", "json"):
            raise UserError(f"unknown graph format {fmt!r}; use graphml or json")
        return to_graphml(self.graph()) if fmt == "graphml" else to_json(self.graph())
