"""The app's one door to the KB: `policyatlas.api.Atlas`, loaded once per process and shared by sessions.

`atlas()` is a `st.cache_resource` (one Atlas for every user session: the Atlas is safe to read from
several threads). The other functions wrap single API calls, so a rerun that asks the same question again
(the same country, the same bundle) costs a dictionary lookup: answers that depend on what a user asks
are `st.cache_data` (each session gets its own copy); the catalogues every page reads many times per run
(countries, instruments, labels, sources) are `st.cache_resource`, one object shared by all sessions and
only ever read. Nothing here computes policy: it only calls the
API and turns its objects into the JSON shapes of DESIGN.md.
"""

from __future__ import annotations

import logging
import os
import threading

import networkx as nx
import streamlit as st

from policyatlas.api import Atlas
from policyatlas.cli.commands.ui import ENDPOINT_ENV  # set by `policyatlas ui --endpoint URL`

#: Set to "0" to skip warming the caches in the background when the KB is loaded (see `warm`).
WARM_ENV = "POLICYATLAS_UI_WARM"
log = logging.getLogger(__name__)


@st.cache_resource(show_spinner="Loading the Policy Atlas knowledge base…")
def atlas() -> Atlas:
    """The process-wide Atlas: the embedded store, or the SPARQL endpoint named in POLICYATLAS_ENDPOINT.
    Loading it starts `warm` in the background."""
    endpoint = os.environ.get(ENDPOINT_ENV) or None
    loaded = Atlas.load(endpoint=endpoint) if endpoint else Atlas.load()
    if os.environ.get(WARM_ENV, "1") != "0":
        threading.Thread(target=warm, args=(loaded,), name="policyatlas-warm", daemon=True).start()
    return loaded


def warm(loaded: Atlas) -> None:
    """Do once, in the background, the process-wide work the first visitor of each page would wait for:
    the catalogues and every country's evaluation (the shared caches below: a session asking meanwhile waits
    for the same computation, never repeats it), the programmes, evidence and graph the Atlas keeps, and the
    planner's and simulator's imports and data files (seconds each on first use, then milliseconds), and last
    the SPARQL console's query workers (processes that open the store: seconds of CPU that would otherwise
    fall on the console's first visitor, while the browser draws the page)."""
    first = loaded.country_ids()[0]
    steps = [countries, evaluations, fiscal_spaces, labels, map_frame, instruments, sources, graph, evidence, scenarios,
             lambda: loaded.programmes(), lambda: loaded.suggest(first),
             lambda: loaded.simulate(first, [loaded.instruments()[0]["id"]], draws=10, seed=0), _console]
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001 -- warming is an optimisation: a failure shows when the page asks
            log.warning("warming the caches failed at %s", getattr(step, "__name__", step), exc_info=True)


def _console() -> None:
    """Start the SPARQL console's workers, unless this process may not have children (a daemonic process,
    as some test harnesses run the app in): the console's first query then says why."""
    import multiprocessing

    from ui.components import console

    if not multiprocessing.current_process().daemon:
        console.prestart()


@st.cache_resource(show_spinner=False)
def countries():
    """`Atlas.countries()`: one row per country with its main figures (pandas DataFrame)."""
    return atlas().countries()


@st.cache_data(show_spinner=False)
def country(iso3: str) -> dict:
    """`Atlas.country(iso3)`: labels, region, income group and figures with year, unit and source."""
    return atlas().country(iso3)


@st.cache_data(show_spinner=False)
def reach(iso3: str) -> list[dict]:
    """`Atlas.reach(iso3)`: coverage in people by target group of the current mix, with years and sources."""
    return atlas().reach(iso3)


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


@st.cache_data(show_spinner=False, max_entries=512)
def evaluation_added(iso3: str, added: tuple[str, ...]) -> dict:
    """`Atlas.evaluate(iso3, add=added)` as JSON: the current mix plus the instruments of `added` (the
    composer's default mode); the current mix alone when nothing is added."""
    if not added:
        return evaluation(iso3)
    return atlas().evaluate(iso3, add=list(added)).to_json()


@st.cache_data(show_spinner=False)
def evaluations() -> dict[str, dict]:
    """`Atlas.evaluate_all()` as JSON by ISO3: every country's current policy mix, evaluated set-wise."""
    return {iso3: ev.to_json() for iso3, ev in atlas().evaluate_all().items()}


@st.cache_resource(show_spinner=False)
def map_frame():
    """The world map's table: `Atlas.countries()` with fiscal space and gap counts (`indicators.map_columns`),
    built once per process and shared, read-only (`evaluations()` is a per-call copy of 218 evaluations:
    too slow to redo on every pick of an indicator)."""
    from ui.components.indicators import map_columns

    return map_columns(countries(), evaluations(), fiscal_spaces(), labels()["indicator"])


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


@st.cache_resource(show_spinner=False)
def labels() -> dict[str, dict[str, dict[str, str]]]:
    """`Atlas.labels()`: KB labels {"en", "zh"} by kind ("concept": layers, families, gap kinds, CODI
    criteria and levels; "group": target groups; "instrument"; "indicator")."""
    return atlas().labels()


@st.cache_resource(show_spinner=False)
def fiscal_spaces() -> dict[str, float | None]:
    """`Atlas.fiscal_space` of every country (% of GDP); None where the KB lacks the fiscal figures (the
    user must then set it)."""
    a = atlas()
    return {iso3: a.fiscal_space(iso3) for iso3 in a.country_ids()}


@st.cache_data(show_spinner=False, max_entries=512)
def bundle_cost(iso3: str, bundle: tuple[str, ...]) -> dict:
    """`Atlas.cost`: what the bundle adds to spending, % of GDP {"low", "central", "high"}, costing only the
    instruments the country does not already run at scale (`costed`; `in_place` lists the others)."""
    return atlas().cost(iso3, list(bundle))


@st.cache_resource(show_spinner=False)
def graph() -> nx.MultiDiGraph:
    """`Atlas.graph()`: the instrument graph, built once per process and only read afterwards."""
    return atlas().graph()


@st.cache_data(show_spinner=False, max_entries=256)
def simulation(iso3: str, bundle: tuple[str, ...], add: bool, scenario: str, years: int, draws: int,
               seed: int) -> dict:
    """`Atlas.simulate(...)` as JSON: the same arguments give the same answer, so it is cached."""
    ids = list(bundle)
    sim = atlas().simulate(iso3, None if add else ids, add=ids if add else None, scenario=scenario, years=years,
                           draws=draws, seed=seed)
    return sim.to_json()


@st.cache_resource(show_spinner=False)
def scenarios() -> dict:
    """The simulator's scenarios (evaluator/models/data/simulation.yaml): id -> labels and note."""
    return atlas().scenarios()
