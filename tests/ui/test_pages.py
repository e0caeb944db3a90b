"""Every page of the app under `streamlit.testing.v1.AppTest`: no exception, the key widgets work, and the
values shown are the ones the Python API returns (the tests ask the API themselves and compare)."""

from __future__ import annotations

import bisect
import json
import math
from collections import Counter
from html.parser import HTMLParser

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from evaluator.models.fiscal import fiscal_space
from policyatlas.core.query_library import load_library
from ui.components import charts, fmt
from ui.i18n import strings
from ui.views import FILES

from .conftest import open_app, tables


class _Elements(HTMLParser):
    """(tag, attributes, text) of every element of an HTML block, the text being the element's own."""

    def __init__(self):
        super().__init__()
        self.out: list[tuple[str, dict, str]] = []
        self.open: list[int] = []

    def handle_starttag(self, tag, attrs):
        self.out.append((tag, dict(attrs), ""))
        if tag not in ("br", "img", "input"):
            self.open.append(len(self.out) - 1)

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        if self.open:
            tag, attrs, text = self.out[self.open[-1]]
            self.out[self.open[-1]] = (tag, attrs, text + data)


def parse_html(block: str) -> list[tuple[str, dict, str]]:
    """The elements of an HTML chart block (`ui.components.blocks`), for reading what it draws."""
    parser = _Elements()
    parser.feed(block)
    return parser.out

EN, ZH = strings("en"), strings("zh")
PAIR = ("targeted-cash-transfer", "digital-financial-inclusion")


def texts(at) -> list[str]:
    """Every Markdown, caption and title text on the page."""
    return [e.value for kind in ("markdown", "caption", "title", "subheader") for e in getattr(at, kind)]


def messages(evaluation: dict, lang: str = "en") -> list[str]:
    return sorted(f["message"][lang] for f in evaluation["findings"])


def finding_messages(at, evaluation: dict, lang: str = "en") -> list[str]:
    """The API's finding messages that the page shows (order-free): each a whole element, a whole paragraph of
    one (a finding card drawn as one Markdown block) or begins a paragraph of one (Compose shows a finding's
    severity, gap and message in one element)."""
    shown = texts(at)
    parts = {part for text in shown for part in [text, *text.split("\n\n")]}
    return sorted(m for m in messages(evaluation, lang) if m in parts or any(f"\n\n{m}" in s for s in shown))


# ---- atlas ---------------------------------------------------------------------------------------------

def test_atlas_map_and_table_show_the_api_figures(atlas):
    at = open_app()
    assert at.title[0].value == EN["atlas.title"]
    table = at.dataframe[0].value
    countries = atlas.countries()
    assert sorted(table["ISO3"]) == sorted(countries["iso3"])
    # the default colouring is the planner's modelled fiscal space
    modelled = {c: fiscal_space(atlas.facts, c) for c in countries["iso3"]}
    shown = dict(zip(table["ISO3"], table[table.columns[-1]], strict=True))
    for iso3, value in modelled.items():
        assert (value is None and math.isnan(shown[iso3])) or shown[iso3] == pytest.approx(value)

    # the map: every country's figure, coloured in quantile classes of the known figures (cut points computed
    # here: the figure at or just above each fifth of the sorted figures), grey where unknown, the legend under it
    (chart,) = at.get("vega_lite_chart")
    drawn = convert_arrow_bytes_to_pandas_df(chart.proto.data.data)
    on_map = {iso3: None if v is None or math.isnan(v) else v for iso3, v in zip(drawn["iso3"], drawn["value"],
                                                                                strict=True)}
    assert on_map.keys() == modelled.keys()
    assert all((v is None) == (on_map[c] is None) and (v is None or on_map[c] == pytest.approx(v))
               for c, v in modelled.items())
    known = [v for v in modelled.values() if v is not None]
    ordered = sorted(known)
    cuts = [ordered[math.ceil(k / 5 * (len(ordered) - 1))] for k in range(1, 5)]
    tones = dict(zip(drawn["iso3"], drawn["tone"], strict=True))
    assert all((v is None) == pd.isna(tones[c]) for c, v in modelled.items())  # grey where unknown
    assert {c: int(tones[c]) for c, v in modelled.items() if v is not None} == {
        c: bisect.bisect_right(cuts, v) for c, v in modelled.items() if v is not None}  # five classes, five tones
    colour = json.loads(chart.proto.spec)["layer"][1]["encoding"]["color"]
    assert colour["scale"]["range"] == list(charts.MAP_COLOURS)
    per_class = Counter(bisect.bisect_right(cuts, v) for v in known)
    assert len(per_class) == 5 and all(abs(n - len(known) / 5) <= 1 for n in per_class.values()), per_class
    spec = chart.proto.spec
    legend = parse_html(next(str(e.value) for e in at.markdown if "pa-map-legend" in str(e.value)))
    classes = [text for tag, a, text in legend if tag == "span" and "data-colour" in a]
    assert len(classes) == 6 and classes[-1] == EN["fmt.unknown"]
    assert classes[0].startswith(f"{min(known):,.3g} – ") and classes[-2].endswith(f" – {max(known):,.3g}")

    at.selectbox(key="_w_map_indicator__en").select("informal-employment-share").run()
    assert not at.exception
    (chart,) = at.get("vega_lite_chart")
    assert chart.proto.spec == spec, "another indicator replaces the map's data, not the map"
    table = at.dataframe[0].value
    expected = countries.set_index("iso3")["informal-employment-share"]
    for iso3, value in zip(table["ISO3"], table[table.columns[-1]], strict=True):
        assert (math.isnan(value) and math.isnan(expected[iso3])) or value == pytest.approx(expected[iso3])

    at.selectbox(key="_w_map_indicator__en").select("gaps").run()
    gaps = {c: len(ev.to_json()["findings"]) for c, ev in atlas.evaluate_all().items()}
    table = at.dataframe[0].value
    assert {iso3: int(n) for iso3, n in zip(table["ISO3"], table[table.columns[-1]], strict=True)} == {
        c: gaps[c] for c in table["ISO3"]}

    at.multiselect(key="atlas_income__en").select("LIC").run()
    table = at.dataframe[0].value
    assert sorted(table["ISO3"]) == sorted(countries[countries["income_group"] == "LIC"]["iso3"])


def test_clicking_a_country_on_the_map_opens_its_profile(atlas):
    at = open_app()
    at.session_state["atlas_map"] = {"selection": {"pick": [{"iso3": "KEN"}]}}  # what the map's click sends
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["country"] == "KEN"
    assert at.title[0].value == f"{atlas.country('KEN')['label']['en']} (KEN)", "the country page is open"


# ---- country profile -----------------------------------------------------------------------------------

def test_country_profile_figures_programmes_findings_scorecard(atlas):
    at = open_app("country", country="KEN")
    profile = atlas.country("KEN")
    assert at.title[0].value == f"{profile['label']['en']} (KEN)"
    figures = tables(at)[0]
    assert len(figures) == len(profile["figures"])
    # each value with the precision and short unit of ui.components.fmt, its year and its source's name
    expected = sorted((f"{fmt.number(f['value'], f['unit'])} {fmt.unit(f['unit'])}", f["year"])
                      for f in profile["figures"].values())
    shown = sorted(zip(figures[EN["country.value"]], figures[EN["country.year"]].astype(int), strict=True))
    assert shown == expected
    sources = atlas.sources()
    assert sorted(figures[EN["country.source"]]) == sorted(fmt.source_name(f["source"])
                                                          for f in profile["figures"].values())
    assert all(sources[f["source"]]["link"] for f in profile["figures"].values()), "every figure links its source"
    assert set(figures[EN["country.link"]]) == {sources[f["source"]]["link"] for f in profile["figures"].values()}

    programmes = atlas.programmes("KEN")
    assert programmes and not at.expander, "programmes are shown open, not collapsed"
    shown_text = "\n".join(texts(at))
    assert all(f"**{p['name']['en']}**" in shown_text for p in programmes)

    evaluation = atlas.evaluate("KEN").to_json()
    assert finding_messages(at, evaluation) == messages(evaluation)
    card = tables(at)[1]
    assert len(card) == len(evaluation["scorecard"])
    # the fifth state has its name, and every level says what set it
    rows = card.set_index(EN["scorecard.criterion"])
    adequacy = rows.loc[atlas.facts.labels["adequacy"]["en"]]
    assert evaluation["scorecard"]["adequacy"] == "not-assessed"
    assert adequacy[EN["scorecard.level"]] == EN["scorecard.not_assessed"]
    lacking = EN["scorecard.figure.benefit-levels"]
    assert adequacy[EN["scorecard.basis"]] == EN["scorecard.by_nothing"].format(items=lacking)
    inclusiveness = rows.loc[atlas.facts.labels["inclusiveness"]["en"]][EN["scorecard.basis"]]
    assert "7.2 (2021, " in inclusiveness, "the coverage figure that set the level, with its year"
    assert all(rows[EN["scorecard.basis"]].str.len() > 0)


def test_not_assessed_in_chinese_and_in_the_heat_map(atlas):
    at = open_app("country", country="KEN", lang="zh")
    card = tables(at)[1]
    assert ZH["scorecard.not_assessed"] in set(card[ZH["scorecard.level"]])
    assert not card.apply(lambda col: col.astype(str).str.contains("not-assessed")).any().any()
    at = open_app("compare", lang="zh")
    at.multiselect(key="_w_compare__zh").select("KEN").select("DEU").run()
    heat = parse_html(next(str(e.value) for e in at.markdown if "pa-heatmap" in str(e.value)))
    legend = [text for tag, attrs, text in heat if tag == "span" and "data-level" in attrs]
    assert legend[0] == ZH["scorecard.not_assessed"]  # the legend, in Chinese
    kenya = f"{atlas.country('KEN')['label']['zh']} (KEN)"
    cells = {(a["data-column"], a["data-criterion"]): (a, text) for tag, a, text in heat if tag == "td"}
    adequacy, name = cells[(kenya, "adequacy")]
    assert adequacy["data-level"] == "not-assessed" and name == ZH["scorecard.not_assessed"]
    assert "#d9d9d9" in adequacy["style"]  # grey: no data, not a low level
    assert ZH["scorecard.figure.benefit-levels"] in adequacy["title"]


def test_unknown_country_in_the_url_is_reported_not_raised():
    at = open_app(country="XXX")
    assert any("XXX" in w.value for w in at.warning)
    assert at.session_state["country"] is None
    at.switch_page(f"views/{FILES['country']}").run()
    assert not at.exception
    assert any(EN["common.choose_country"] == i.value for i in at.info)


# ---- compose -------------------------------------------------------------------------------------------

def test_compose_starts_from_the_current_mix_and_adds_to_it(atlas):
    at = open_app("compose", country="KEN")
    current = atlas.country("KEN")["current_instruments"]
    assert current and at.session_state["compose_mode"] == "add" and at.session_state["bundle"] == []
    ticked = [c for c in at.checkbox if c.value]
    assert {c.key for c in ticked} == {f"_w_inst_{i}" for i in current}
    assert all(c.disabled for c in ticked) and not any(c.disabled for c in at.checkbox if not c.value)
    alone = atlas.evaluate("KEN").to_json()
    assert finding_messages(at, alone) == messages(alone)

    extra = "psychosocial-support"
    at.checkbox(key=f"_w_inst_{extra}").check().run()
    assert at.session_state["bundle"] == [extra]
    added = atlas.evaluate("KEN", add=[extra]).to_json()
    assert added["mode"] == "current+add" and finding_messages(at, added) == messages(added)
    assert "no-psychosocial-support" in {f["rule"] for f in alone["findings"]} - {f["rule"] for f in added["findings"]}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[EN["compose.cost_additions"]] == f"{atlas.cost('KEN', [extra])['central']:.2f} %"
    assert at.query_params["bundle"] == extra and at.query_params["mode"] == "add"

    at.radio(key="_w_compose_mode").set_value("alone").run()  # the same ticks, now a bundle on its own
    assert at.session_state["bundle"] == [*current, extra]
    assert {c.key for c in at.checkbox if c.value} == {f"_w_inst_{i}" for i in [*current, extra]}
    assert not any(c.disabled for c in at.checkbox)
    whole = atlas.evaluate("KEN", [*current, extra]).to_json()
    assert finding_messages(at, whole) == messages(whole)
    at.radio(key="_w_compose_mode").set_value("add").run()
    assert at.session_state["bundle"] == [extra]


def test_germany_opens_with_its_current_mix_ticked(atlas):
    at = open_app("compose", country="DEU", lang="zh")
    current = atlas.country("DEU")["current_instruments"]
    assert {c.key for c in at.checkbox if c.value} == {f"_w_inst_{i}" for i in current}
    assert ZH["compose.additions"].format(n=0) in texts(at)


def test_compose_a_bundle_on_its_own(atlas):
    at = open_app("compose", country="KEN", mode="alone")
    assert not any(c.value for c in at.checkbox)
    at.checkbox(key=f"_w_inst_{PAIR[0]}").check().run()
    assert not at.exception
    assert at.session_state["bundle"] == [PAIR[0]]
    one = atlas.evaluate("KEN", [PAIR[0]]).to_json()
    assert "single-instrument" in {f["rule"] for f in one["findings"]}
    assert finding_messages(at, one) == messages(one)

    at.checkbox(key=f"_w_inst_{PAIR[1]}").check().run()
    two = atlas.evaluate("KEN", list(PAIR)).to_json()
    assert "single-instrument" not in {f["rule"] for f in two["findings"]}
    assert finding_messages(at, two) == messages(two)
    gone = set(messages(one)) - set(messages(two))
    assert gone and not [s for s in texts(at) for m in gone if m in s]

    cost = atlas.cost("KEN", PAIR)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[EN["compose.cost_central"]] == f"{cost['central']:.2f} %"
    assert metrics[EN["compose.space"]] == f"{fiscal_space(atlas.facts, 'KEN'):.2f} %"

    assert not [d for d in at.dataframe if EN["compose.reached"] in d.value.columns], "drawn when opened"
    at.session_state["compose_matrix_open"] = True  # the reader opens the expander
    at.run()
    matrix = next(d.value for d in at.dataframe if EN["compose.reached"] in d.value.columns)
    instruments = {i["id"]: i for i in atlas.instruments()}
    labels = {g: rec.label["en"] for g, rec in atlas.facts.target_groups.items()}
    for group_id, name in labels.items():
        reached = any(group_id in instruments[i]["target_groups"] for i in PAIR)
        assert bool(matrix.loc[name, EN["compose.reached"]]) is reached
    bars = parse_html(next(str(e.value) for e in at.markdown if "pa-counts" in str(e.value)))
    drawn = {a["data-row"]: int(a["data-count"]) for tag, a, _ in bars if tag == "tr" and "data-row" in a}
    assert drawn == {name: sum(g in instruments[i]["target_groups"] for i in PAIR) for g, name in labels.items()}

    at.button(key="compose_clear").click().run()
    assert at.session_state["bundle"] == []
    assert not any(c.value for c in at.checkbox)


def test_shared_url_restores_country_bundle_and_language(atlas):
    at = open_app("compose", country="KEN", bundle=",".join(PAIR), lang="zh")
    assert at.session_state["bundle"] == list(PAIR)
    assert at.session_state["compose_mode"] == "alone", "a link without a mode judges its bundle on its own"
    assert {c.key for c in at.checkbox if c.value} == {f"_w_inst_{i}" for i in PAIR}
    assert atlas.country("KEN")["label"]["zh"] in at.title[0].value
    labels = {i["id"]: i["label"]["zh"] for i in atlas.instruments()}
    current = set(atlas.country("KEN")["current_instruments"])  # marked in the label: in the current mix
    assert {c.label for c in at.checkbox} == {f"{name} · {ZH['compose.in_current']}" if i in current else name
                                              for i, name in labels.items()}
    two = atlas.evaluate("KEN", list(PAIR)).to_json()
    assert finding_messages(at, two, "zh") == messages(two, "zh")

    at = open_app("compose", country="KEN", bundle="psychosocial-support", mode="add")
    assert at.session_state["bundle"] == ["psychosocial-support"] and at.session_state["compose_mode"] == "add"
    current = atlas.country("KEN")["current_instruments"]
    assert {c.key for c in at.checkbox if c.value} == {f"_w_inst_{i}" for i in [*current, "psychosocial-support"]}


def test_unknown_instrument_in_the_url_is_dropped_with_a_warning():
    at = open_app("compose", country="KEN", bundle=f"{PAIR[0]},no-such-instrument", mode="alone")
    assert any("no-such-instrument" in w.value for w in at.warning)
    assert at.session_state["bundle"] == [PAIR[0]]


# ---- staged plan ---------------------------------------------------------------------------------------

def test_plan_follows_the_fiscal_space_slider(atlas):
    at = open_app("plan", country="KEN")
    modelled = fiscal_space(atlas.facts, "KEN")
    slider = at.slider(key="_w_fiscal_space")
    assert slider.value == pytest.approx(round(modelled, 2))
    plan = atlas.suggest("KEN").to_json()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[EN["plan.total"]] == f"{plan['total_cost_pct_gdp']:.2f} %"
    stage_tables = tables(at)[:len(plan["stages"])]
    assert [len(t) for t in stage_tables] == [len(s["instruments"]) for s in plan["stages"]]
    timeline = parse_html(next(str(e.value) for e in at.markdown if "pa-timeline" in str(e.value)))
    bars = [a for tag, a, _ in timeline if tag == "div" and "data-stage" in a]
    assert [(int(a["data-stage"]), float(a["data-cost"])) for a in bars] == [
        (s["stage"], s["cost_pct_gdp"]) for s in plan["stages"]]
    drawn = " ".join(text for _, _, text in timeline)
    names = {i["id"]: i["label"]["en"] for i in atlas.instruments()}
    assert all(names[i["id"]] in drawn for s in plan["stages"] for i in s["instruments"]), "every instrument named"

    slider.set_value(0.5).run()
    assert not at.exception
    small = atlas.suggest("KEN", 0.5).to_json()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[EN["plan.space"]] == "0.50 %"
    assert metrics[EN["plan.total"]] == f"{small['total_cost_pct_gdp']:.2f} %"
    assert small["total_cost_pct_gdp"] <= 0.5 + 1e-9

    at.button(key="plan_reset").click().run()
    assert at.session_state["fiscal_space"] is None
    assert at.slider(key="_w_fiscal_space").value == pytest.approx(round(modelled, 2))


# ---- compare -------------------------------------------------------------------------------------------

def test_compare_three_countries_side_by_side(atlas):
    at = open_app("compare")
    assert at.info and at.info[0].value == EN["compare.need_two"]
    at.multiselect(key="_w_compare__en").select("KEN").select("DEU").select("IND").run()
    assert not at.exception
    card = tables(at)[1].set_index(EN["scorecard.criterion"])
    assert list(card.columns) == [f"{atlas.country(c)['label']['en']} ({c})" for c in ("KEN", "DEU", "IND")]
    context = tables(at)[0].set_index(EN["country.indicator"])
    assert context.loc[EN["compare.fiscal_space"]].tolist() == [fmt.pct_gdp(atlas.fiscal_space(c))
                                                                 for c in ("KEN", "DEU", "IND")]
    levels = {k: v["en"] for k, v in atlas.facts.labels.items()}
    for column, iso3 in zip(card.columns, ("KEN", "DEU", "IND"), strict=True):
        expected = sorted(levels.get(v, v) for v in atlas.evaluate(iso3).to_json()["scorecard"].values())
        assert sorted(v for v in card[column] if v) == expected


# ---- evidence ------------------------------------------------------------------------------------------

def test_evidence_filters_and_contested_marks(atlas):
    at = open_app("evidence")
    records = atlas.evidence()
    table = at.dataframe[0].value
    assert sorted(table[EN["evidence.col.id"]]) == sorted(r["id"] for r in records)
    at.toggle(key="evidence_contested").set_value(True).run()
    table = at.dataframe[0].value
    contested = sorted(r["id"] for r in records if r["contested"])
    assert contested and sorted(table[EN["evidence.col.id"]]) == contested
    assert set(table[EN["evidence.col.contested"]]) == {"⚠"}
    at.toggle(key="evidence_contested").set_value(False).run()
    design = records[0]["design"]
    at.multiselect(key="evidence_design__en").select(design).run()
    table = at.dataframe[0].value
    assert sorted(table[EN["evidence.col.id"]]) == sorted(r["id"] for r in records if r["design"] == design)


def test_evidence_details_of_the_rows_ticked(atlas):
    """The table lists every record; the details (finding, population, sources as links) are drawn for the rows
    ticked, or for every record listed on request, never for all 90 at once by default."""
    at = open_app("evidence")
    by_id = {r["id"]: r for r in atlas.evidence()}
    assert not at.expander and EN["evidence.select_hint"].format(few=3) in [c.value for c in at.caption]
    table = at.dataframe[0]
    ids = list(table.value[EN["evidence.col.id"]])
    at.session_state[table.key] = {"selection": {"rows": [0, 2], "columns": [], "cells": []}}  # two ticked rows
    at.run()
    shown = "\n".join(m.value for m in at.markdown)
    assert EN["evidence.details"].format(n=2) in [h.value for h in at.subheader]
    for rid in (ids[0], ids[2]):
        assert f"**{rid} · " in shown and by_id[rid]["population"] in shown
    assert f"**{ids[1]} · " not in shown
    links = "\n".join(c.value for c in at.caption)
    assert all(f"[{s}](" in links for s in by_id[ids[0]]["sources"] if atlas.sources()[s].get("link"))
    at.toggle(key="evidence_all_details").set_value(True).run()
    assert len(at.expander) == len(ids)


# ---- SPARQL console ------------------------------------------------------------------------------------

def test_sparql_console_runs_a_library_query_with_the_endpoint_limits(atlas):
    library = load_library()
    assert library, "the query library is not empty"
    query = library[0]
    at = open_app("sparql")
    at.selectbox(key="_w_sparql_library__en").select(query.id).run()
    assert at.text_area(key="_w_sparql_query").value == query.sparql
    at.button(key="sparql_run").click().run(timeout=120)
    assert not at.exception
    answer = at.session_state["sparql_result"]
    assert "error" not in answer, answer.get("error")
    assert answer["rows"] == len(atlas.query(query.sparql, max_rows=10_000))

    at.text_area(key="_w_sparql_query").input("INSERT DATA { pa:x pa:y pa:z }").run()
    at.button(key="sparql_run").click().run(timeout=120)
    assert at.error and "read-only" in at.error[0].value


# ---- language ------------------------------------------------------------------------------------------

def test_language_switch_changes_interface_and_kb_labels(atlas):
    # AppTest keeps the entry script's sidebar only on the first page it runs, so switch there.
    at = open_app(country="KEN")
    assert at.title[0].value == EN["atlas.title"]
    at.sidebar.radio[0].set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == ZH["atlas.title"]
    assert at.session_state["lang"] == "zh"
    at.switch_page(f"views/{FILES['compose']}").run()
    assert not at.exception
    assert at.title[0].value == ZH["compose.title"].format(country=atlas.country("KEN")["label"]["zh"])
    current = set(atlas.country("KEN")["current_instruments"])  # the "add" mode marks them in place
    assert {c.label for c in at.checkbox} == {f"{i['label']['zh']} · {ZH['compose.in_place_mark']}"
                                              if i["id"] in current else i["label"]["zh"]
                                              for i in atlas.instruments()}
    layers = {atlas.facts.labels[layer]["zh"] for layer in ("base", "middle", "top", "cross-cutting")}
    assert layers <= {e.label for e in at.expander}


def test_load_a_saved_bundle_and_reject_a_bad_one(atlas):
    at = open_app("compose", country="KEN")
    saved = {"country": "IND", "bundle": ["vocational-skills-programme", "digital-financial-inclusion"]}
    at.file_uploader(key="bundle_upload").upload("bundle.json", json.dumps(saved).encode(), "application/json")
    at.run()
    assert not at.exception
    assert at.session_state["country"] == "IND"
    assert at.session_state["bundle"] == saved["bundle"]
    assert at.session_state["compose_mode"] == "alone", "a file without a mode holds a bundle judged on its own"
    assert {c.key for c in at.checkbox if c.value} == {f"_w_inst_{i}" for i in saved["bundle"]}
    india = atlas.evaluate("IND", saved["bundle"]).to_json()
    assert finding_messages(at, india) == messages(india)

    bad = {"country": "IND", "bundle": ["vocational-skills-programme", "no-such-instrument"]}
    at.file_uploader(key="bundle_upload").upload("bad.json", json.dumps(bad).encode(), "application/json")
    at.run()
    assert at.session_state["bundle"] == saved["bundle"], "a bad file changes nothing"
    assert any("no-such-instrument" in e.value for e in at.error)
    at.file_uploader(key="bundle_upload").upload("broken.json", b"{not json", "application/json")
    at.run()
    assert any(EN["compose.load_bad_json"].split(":")[0] in e.value for e in at.error)


def test_sparql_console_answers_an_ask_query(atlas):
    ask = next((q for q in load_library() if "ASK {" in q.sparql), None)
    assert ask is not None, "the library has an ASK query"
    at = open_app("sparql")
    at.selectbox(key="_w_sparql_library__en").select(ask.id).run()
    at.button(key="sparql_run").click().run(timeout=120)
    expected = atlas.query(ask.sparql).boolean
    word = EN["sparql.yes"] if expected else EN["sparql.no"]
    assert [i.value for i in at.info] == [EN["sparql.ask"].format(answer=word)]
