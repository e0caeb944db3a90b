"""The briefing (issue 15): the country headline, figures with units, evidence search, edge states (no
fiscal space, an unknown page, an empty bundle) and the exports that carry what the screen shows, checked
against the API's own answers."""

from __future__ import annotations

import csv
import glob
import io
import subprocess
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policyatlas.kb import vocab
from policyatlas.render.report import bundle_report, to_html
from tests.conftest import require_executable
from ui.components import fmt
from ui.components.briefing import FIGURE_GROUPS, figure_order
from ui.components.coverage import SEVERITY_RANK, gaps
from ui.components.search import haystacks, matches
from ui.i18n import capital, strings
from ui.views import FILES, missing_name

from .conftest import open_app, tables

EN, ZH = strings("en"), strings("zh")
KB = Path(__file__).resolve().parents[2] / "kb"


def texts(at) -> list[str]:
    return [str(e.value) for kind in ("markdown", "caption", "title", "subheader", "warning", "info")
            for e in getattr(at, kind)]


# ---- numbers -------------------------------------------------------------------------------------------

def test_every_kb_unit_has_a_short_form_and_figures_read_with_unit_year_source(atlas):
    units = {row["unit"] for path in glob.glob(str(KB / "figures" / "*.csv"))
             for row in csv.DictReader(open(path, encoding="utf-8"))}
    assert units and not units - set(fmt.UNITS), sorted(units - set(fmt.UNITS))
    aipi = atlas.country("KEN")["figures"]["ai-preparedness-index"]
    expected = f"{aipi['value']:.2f} (index 0–1, {aipi['year']}, IMF AIPI)"
    assert fmt.figure(aipi) == expected
    assert fmt.number(6644.13, "current international $ (PPP)") == "6,644"
    assert fmt.pct_gdp(0.001) == "< 0.01 % of GDP" and fmt.pct_gdp(0.705924) == "0.71 % of GDP"


def test_figures_are_grouped_by_relevance_not_alphabetically(atlas):
    figures = atlas.country("KEN")["figures"]
    order = figure_order(figures)
    assert sorted(ind for _, ind in order) == sorted(figures)
    groups = [g for g, _ in order]
    assert groups == sorted(groups, key=[*FIGURE_GROUPS, "other"].index)
    assert order[0] == ("fiscal", "gen-gov-revenue")


# ---- the country briefing ------------------------------------------------------------------------------

def test_country_page_opens_with_the_briefing(atlas):
    at = open_app("country", country="KEN")
    evaluation = atlas.evaluate("KEN").to_json()
    plan = atlas.suggest("KEN").to_json()
    metrics = {m.label: m.value for m in at.metric}
    assert any(EN["brief.income"] in m and capital(vocab.label("income_group", "LMC", "en")) in m for m in texts(at))
    assert metrics[EN["brief.fiscal_space"]] == fmt.pct_gdp(atlas.fiscal_space("KEN"))
    coverage = atlas.country("KEN")["figures"]["social-protection-coverage"]
    assert metrics[EN["brief.coverage"]] == f"{coverage['value']:.1f} %"
    assert f"% of population · {coverage['year']} · UN SDG 1.3.1" in texts(at)
    high = sum(f["severity"] == "high" for f in evaluation["findings"])
    assert metrics[EN["brief.high_gaps"]] == str(high)
    shown = "\n".join(texts(at))
    top = gaps(atlas.reach("KEN"), evaluation)  # the gaps in people (tests/ui/test_coverage_people.py)
    assert len(top) == 3
    for f in (g["finding"] for g in top if g["finding"]):
        assert f["title"]["en"] in shown
    ranks = [SEVERITY_RANK.get((g["finding"] or {}).get("severity"), 3) for g in top]
    assert ranks == sorted(ranks) and ranks[0] == 0
    for item in plan["stages"][0]["instruments"]:
        assert item["label"]["en"] in shown
    # the briefing comes before the figures table, which is grouped
    titles = [e.value for e in at.subheader]
    assert titles.index(EN["brief.figures"]) < titles.index(EN["country.findings"])
    table = tables(at)[0]
    assert list(table[EN["brief.group"]].drop_duplicates())[0] == EN["figgroup.fiscal"]

    at.button(key="brief_compose").click().run()
    assert at.session_state["compose_mode"] == "add" and at.session_state["bundle"] == []
    current = atlas.country("KEN")["current_instruments"]
    assert {c.key for c in at.checkbox if c.value} == {f"_w_inst_{i}" for i in current}


# ---- evidence search -----------------------------------------------------------------------------------

def test_evidence_search_finds_m_pesa_by_name(atlas):
    at = open_app("evidence")
    total = len(atlas.evidence())
    at.text_input(key="evidence_search").input("M-Pesa").run()
    ids = set(at.dataframe[0].value[EN["evidence.col.id"]])
    assert {"suri-jack-2016", "jack-suri-2014"} <= ids < {e["id"] for e in atlas.evidence()}
    assert EN["evidence.count"].format(shown=len(ids), total=total) in texts(at)
    at.text_input(key="evidence_search").input("no such words zzqx").run()
    assert any(i.value == EN["evidence.none"] for i in at.info)


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_search_never_fails_and_an_empty_query_matches_everything(query):
    records = [{"id": "a-1", "finding": "M-Pesa raised savings", "instruments": ["x"], "programmes": ["ken-m-pesa"],
                "setting_countries": ["KEN"], "sources": ["s"]}]
    hay = haystacks(records, {"ken-m-pesa": "M-Pesa mobile money"}, {"KEN": {"en": "Kenya", "zh": "肯尼亚"}},
                    {"x": {"en": "digital financial inclusion", "zh": "数字普惠金融"}}, {"s": {"title": "Title"}})
    result = matches(hay["a-1"], query)
    assert isinstance(result, bool)
    assert matches(hay["a-1"], " ".join(query.split()[:0]))
    assert matches(hay["a-1"], "肯尼亚 m-pesa")


# ---- edge states ---------------------------------------------------------------------------------------

def test_no_fiscal_space_says_what_to_do(atlas):
    plan = atlas.suggest("KEN", fiscal_space=0.0).to_json()
    at = open_app("plan", country="KEN")
    at.slider(key="_w_fiscal_space").set_value(0.0).run()
    assert not at.exception
    chosen = [i for s in plan["stages"] for i in s["instruments"]]
    expanders = [e.label for e in at.expander]
    if chosen:  # zero-cost instruments still fit: every stage drawn has something in it
        assert all(any(i["label"]["en"] in "\n".join(texts(at)) for i in s["instruments"])
                   for s in plan["stages"] if s["instruments"])
    else:
        assert any(w.value == EN["plan.nothing"].format(space=0.0) for w in at.warning)
        assert not any(EN["plan.stage"].split(",")[0].format(stage=1) in e for e in expanders)


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_unknown_page_paths_are_recognised(name):
    result = missing_name(name)
    assert result is None or (result == name.strip("/") and result not in FILES)
    assert missing_name("compose") is None and missing_name("") is None and missing_name(None) is None
    assert missing_name("/no-such-page/") == "no-such-page"


def test_a_country_without_baseline_data_says_what_is_missing_and_what_would_help(atlas):
    evaluation = atlas.evaluate("CHI").to_json()  # Channel Islands: one figure, no programme, no fiscal figures
    assert evaluation["partial"] and evaluation["baseline_unknown"]["branches"]
    at = open_app("country", country="CHI")
    assert not at.exception
    notice = next(w.value for w in at.warning if EN["baseline.help"] in w.value)
    assert evaluation["note"]["en"] in notice and EN["baseline.branch.unemployment"] in notice
    at = open_app("compose", country="CHI", lang="zh")
    assert not at.exception
    assert any(ZH["baseline.help"] in w.value for w in at.warning)
    infos = [i.value for i in at.info]
    assert ZH["compose.no_space"] in infos and ZH["compose.no_current"] in infos


def test_empty_bundle_has_nothing_to_export_and_says_so():
    at = open_app("compose", country="KEN")  # the current mix, nothing added yet
    assert EN["compose.empty_additions"] in texts(at)
    assert any(i.value == EN["export.empty_additions"] for i in at.info)
    assert not [b for b in at.get("download_button") if "compose_export" in (b.proto.id or "")]
    at = open_app("compose", country="KEN", mode="alone")
    assert any(i.value == EN["export.empty_bundle"] for i in at.info)
    assert not [b for b in at.get("download_button") if "compose_export" in (b.proto.id or "")]


# ---- exports -------------------------------------------------------------------------------------------

BUNDLE = ["targeted-cash-transfer", "unemployment-insurance", "vocational-skills-programme"]


def budget_of(atlas, iso3: str, bundle: list[str]) -> dict:
    cost = atlas.cost(iso3, bundle)
    return {"cost": cost, "fiscal_space": atlas.fiscal_space(iso3), "fiscal_space_source": "model",
            "stages": [{"stage": 1, "years": "0-2", "instruments": cost["costed"], "cost": cost["central"]}]}


def test_bundle_report_carries_cost_against_fiscal_space(atlas):
    evaluation = atlas.evaluate("KEN", BUNDLE).to_json()
    budget = budget_of(atlas, "KEN", BUNDLE)
    text = bundle_report(evaluation, "markdown", country_name="Kenya", budget=budget)
    assert "## Cost against fiscal space" in text and "## Assumptions" in text
    assert f"{budget['cost']['central']:.2f} % of GDP" in text
    assert f"{budget['fiscal_space']:.2f} % of GDP" in text
    for f in evaluation["findings"]:
        assert all(ref in text for ref in f["references"])
    zh = bundle_report(evaluation, "markdown", lang="zh", country_name="肯尼亚", budget=budget)
    assert "## 成本与财政空间" in zh
    header = next(csv.reader(io.StringIO(bundle_report(evaluation, "csv", lang="zh"))))
    assert header[:3] == ["国家", "政策组合", "类型"]
    assert "<table>" in to_html(text)


def test_pdf_report_renders_as_pages(atlas, tmp_path):
    require_executable("chromium")
    pdftoppm = require_executable("pdftoppm")
    from ui.components.pdf import render

    evaluation = atlas.evaluate("KEN", BUNDLE).to_json()
    budget = budget_of(atlas, "KEN", BUNDLE)
    text = bundle_report(evaluation, "markdown", lang="zh", country_name="肯尼亚", budget=budget)
    pdf = render(to_html(text, "zh"))
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "40", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True,
                   timeout=120)
    pages = sorted(tmp_path.glob("page*.png"))
    assert 1 <= len(pages) <= 20 and all(p.stat().st_size > 1000 for p in pages)
