"""The app's one door to the KB: `policyatlas.api.Atlas`, loaded once per process and shared by sessions.

`atlas()` is a `st.cache_resource` (one Atlas for every user session: the Atlas is safe to read from
several threads). The other functions wrap single API calls, so a rerun that asks the same question again
(the same country, the same bundle) costs a dictionary lookup: answers that depend on what a user asks
are `st.cache_data` (each session gets its own copy); the catalogues every page reads many times per run
(countries, instruments, labels, sources) are `st.cache_resource`, one object shared by all sessions and
only ever read. Nothing here computes policy: it only calls the
API and turns its objects into the JSON shapes of DESIGN.md.

Three things the UI needs are not (yet) `Atlas` methods, so they are read here from the evaluator modules
the Atlas itself uses, never recomputed: the bundle's cost (`evaluator.costing`), the modelled fiscal space
(`evaluator.fiscal`) and the instrument graph (`evaluator.graph`); and one query reads the indicators'
labels from the KB.
"""

from __future__ import annotations

import os

import networkx as nx
import streamlit as st

from evaluator.costing import bundle_cost as _bundle_cost
from evaluator.fiscal import fiscal_space as _fiscal_space
from evaluator.graph import instrument_graph
from policyatlas.api import Atlas
from policyatlas.commands.ui import ENDPOINT_ENV  # set by `policyatlas ui --endpoint URL`


@st.cache_resource(show_spinner="Loading the Policy Atlas knowledge base…")
def atlas() -> Atlas:
    """The process-wide Atlas: the embedded store, or the SPARQL endpoint named in POLICYATLAS_ENDPOINT."""
    endpoint = os.environ.get(ENDPOINT_ENV) or None
    return Atlas.load(endpoint=endpoint) if endpoint else Atlas.load()


@st.cache_resource(show_spinner=False)
def countries():
    """`Atlas.countries()`: one row per country with its main figures (pandas DataFrame)."""
    return atlas().countries()


@st.cache_data(show_spinner=False)
def country(iso3: str) -> dict:
    """`Atlas.country(iso3)`: labels, region, income group and figures with year, unit and source."""
    return atlas().country(iso3)


@st.cache_resource(show_spinner=False)
def instruments() -> list[dict]:
    """`Atlas.instruments()`: the instrument catalogue with labels, definitions, layer, family, relations."""
    return atlas().instruments()


@st.cache_data(show_spinner=False)
def programmes(iso3: str | None = None) -> list[dict]:
    """`Atlas.programmes(country=iso3)`: the programmes of one country (all when iso3 is None)."""
    return atlas().programmes(country=iso3)


@st.cache_data(show_spinner=False)
def evidence() -> list[dict]:
    """`Atlas.evidence()`: every evidence record."""
    return atlas().evidence()


@st.cache_data(show_spinner=False, max_entries=512)
def evaluation(iso3: str, bundle: tuple[str, ...] | None = None) -> dict:
    """`Atlas.evaluate(iso3, bundle)` as JSON: findings and scorecard of the current mix (bundle None) or of
    a composed bundle."""
    return atlas().evaluate(iso3, bundle=None if bundle is None else list(bundle)).to_json()


@st.cache_data(show_spinner=False)
def evaluations() -> dict[str, dict]:
    """`Atlas.evaluate_all()` as JSON by ISO3: every country's current policy mix, evaluated set-wise."""
    return {iso3: ev.to_json() for iso3, ev in atlas().evaluate_all().items()}


@st.cache_data(show_spinner=False, max_entries=512)
def plan(iso3: str, fiscal_space: float | None = None) -> dict:
    """`Atlas.suggest(iso3, fiscal_space)` as JSON: the planner's staged bundle."""
    return atlas().suggest(iso3, fiscal_space=fiscal_space).to_json()


@st.cache_resource(show_spinner=False)
def instrument_index() -> dict[str, dict]:
    """Instruments by id (shared, read-only)."""
    return {i["id"]: i for i in instruments()}


@st.cache_resource(show_spinner=False)
def sources() -> dict[str, dict]:
    """`Atlas.sources()`: every source by id, with a link a reader can follow."""
    return atlas().sources()


INDICATOR_LABELS_QUERY = """
SELECT ?id ?label (LANG(?label) AS ?lang) WHERE {
  ?i a pa:Indicator ; rdfs:label ?label .
  BIND(STRAFTER(STR(?i), STR(indicator:)) AS ?id)
}"""


@st.cache_resource(show_spinner=False)
def labels() -> dict[str, dict[str, dict[str, str]]]:
    """KB labels {"en", "zh"} by kind ("concept": layers, families, gap kinds, CODI criteria and levels;
    "group": target groups; "instrument"; "indicator")."""
    facts = atlas().facts
    indicators: dict[str, dict[str, str]] = {}
    for row in atlas().query(INDICATOR_LABELS_QUERY).python_rows():
        indicators.setdefault(row["id"], {})[row["lang"]] = row["label"]
    return {"concept": {k: dict(v) for k, v in facts.labels.items()},
            "group": {g: dict(rec.label) for g, rec in facts.target_groups.items()},
            "instrument": {i["id"]: i["label"] for i in instruments()},
            "indicator": indicators}


@st.cache_resource(show_spinner=False)
def fiscal_spaces() -> dict[str, float | None]:
    """The planner's modelled fiscal space (% of GDP) of every country; None where the KB lacks the
    fiscal figures (the user must then set it)."""
    facts = atlas().facts
    return {iso3: _fiscal_space(facts, iso3) for iso3 in atlas().country_ids()}


@st.cache_data(show_spinner=False, max_entries=512)
def bundle_cost(iso3: str, bundle: tuple[str, ...]) -> dict[str, float]:
    """The bundle's annual cost in the country, % of GDP: {"low", "central", "high"} (planner's costing)."""
    return _bundle_cost(atlas().facts, iso3, bundle).rounded()


@st.cache_resource(show_spinner=False)
def graph() -> nx.MultiDiGraph:
    """The instrument graph (complements, prerequisites, substitutes, conflicts), built once per process
    and only read afterwards."""
    return instrument_graph(atlas().facts)
