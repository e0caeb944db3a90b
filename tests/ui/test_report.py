"""Exports of a bundle's evaluation and of a staged plan (policyatlas.render.report) on real API answers."""

from __future__ import annotations

import csv
import io
import json

import pytest

from policyatlas.core.errors import UserError
from policyatlas.render.report import bundle_report, filename, plan_report

BUNDLE = ["targeted-cash-transfer", "digital-financial-inclusion", "vocational-skills-programme"]


@pytest.fixture(scope="module")
def evaluation(atlas):
    return atlas.evaluate("KEN", BUNDLE).to_json()


@pytest.fixture(scope="module")
def plan(atlas):
    return atlas.suggest("KEN").to_json()


def test_bundle_json_is_the_api_answer(evaluation):
    assert json.loads(bundle_report(evaluation, "json")) == evaluation


def test_bundle_markdown_names_every_instrument_finding_and_criterion(atlas, evaluation):
    labels = {i["id"]: i["label"] for i in atlas.instruments()}
    text = bundle_report(evaluation, "markdown", labels=labels, country_name="Kenya")
    assert text.startswith("# Policy bundle for Kenya (KEN)")
    for iid in BUNDLE:
        assert f"{labels[iid]['en']} (`{iid}`)" in text
    for finding in evaluation["findings"]:
        assert finding["message"]["en"].replace("|", "\\|") in text
    for criterion in evaluation["scorecard"]:
        assert f"| {criterion} |" in text
    zh = bundle_report(evaluation, "markdown", lang="zh", labels=labels, country_name="肯尼亚")
    assert zh.startswith("# 肯尼亚的政策组合 (KEN)")
    assert all(f["message"]["zh"].replace("|", "\\|") in zh for f in evaluation["findings"])


def test_bundle_csv_has_one_row_per_finding_and_criterion(evaluation):
    rows = list(csv.DictReader(io.StringIO(bundle_report(evaluation, "csv"))))
    findings = [r for r in rows if r["kind"] == "finding"]
    assert [(r["rule"], r["severity"]) for r in findings] == [
        (f["rule"], f["severity"]) for f in evaluation["findings"]]
    assert {r["criterion"]: r["level"] for r in rows if r["kind"] == "scorecard"} == evaluation["scorecard"]
    assert all(r["bundle"] == ";".join(evaluation["bundle"]) for r in rows)


def test_plan_exports(plan):
    assert json.loads(plan_report(plan, "json")) == json.loads(json.dumps(plan))
    text = plan_report(plan, "markdown", country_name="Kenya")
    for stage in plan["stages"]:
        assert f"## Stage {stage['stage']} (years {stage['years']})" in text
        for item in stage["instruments"]:
            assert f"| {item['id']} |" in text
    rows = list(csv.DictReader(io.StringIO(plan_report(plan, "csv"))))
    chosen = [(r["stage"], r["instrument"]) for r in rows if r["status"] == "chosen"]
    assert chosen == [(str(s["stage"]), i["id"]) for s in plan["stages"] for i in s["instruments"]]
    assert [r["instrument"] for r in rows if r["status"] == "left-out"] == [i["id"] for i in plan["left_out"]]
    total = sum(float(r["cost_pct_gdp"]) for r in rows if r["status"] == "chosen")
    assert total == pytest.approx(plan["total_cost_pct_gdp"], abs=0.01)


def test_unknown_format_or_language_is_a_user_error(evaluation):
    with pytest.raises(UserError, match="unknown export format 'pdf'"):
        bundle_report(evaluation, "pdf")
    with pytest.raises(UserError, match="unknown report language 'fr'"):
        bundle_report(evaluation, "markdown", lang="fr")
    assert filename("bundle", "KEN", "markdown") == "policyatlas-bundle-KEN.md"
