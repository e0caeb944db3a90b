"""`policyatlas evaluate` through click's CliRunner on the built KB: formats, languages, exit codes."""

from __future__ import annotations

import json

import pyoxigraph
import pytest
from click.testing import CliRunner

from policyatlas.cli.group import main
from policyatlas.core.namespaces import prologue


@pytest.fixture(scope="module")
def cli(kb_atlas):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, ["evaluate", *args], catch_exceptions=False)
    return invoke


def test_json_for_a_bundle(cli):
    result = cli("--country", "KEN", "--bundle", "targeted-cash-transfer", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["country"] == "KEN" and data["bundle"] == ["targeted-cash-transfer"]
    rules = {f["rule"] for f in data["findings"]}
    assert "single-instrument" in rules
    assert set(data["scorecard"]) >= {"inclusiveness", "coherence-and-integration"}


def test_table_in_english_and_chinese(cli):
    en = cli("--country", "DEU", "--bundle", "short-time-work")
    zh = cli("--country", "DEU", "--bundle", "short-time-work", "--lang", "zh")
    assert en.exit_code == 0 and zh.exit_code == 0
    assert "Findings" in en.output and "CODI-style scorecard" in en.output and "short-time work" in en.output
    assert "评估发现" in zh.output and "短时工作制" in zh.output and "治理滞后" in zh.output


def test_current_programmes_by_default(cli, kb_atlas):
    result = cli("--country", "DEU", "--format", "json")
    data = json.loads(result.output)
    assert data["mode"] == "current"
    assert set(data["bundle"]) == set(kb_atlas.facts.current_instruments("DEU"))


def test_turtle_parses_into_findings(cli):
    result = cli("--country", "IND", "--bundle", "short-time-work", "--format", "turtle")
    assert result.exit_code == 0
    store = pyoxigraph.Store()
    store.load(result.output.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    ask = store.query(prologue() + "ASK { ?f a pa:Finding ; pa:aboutCountry country:IND ; "
                                  "pa:rule rule:unreached-informal-workers ; pa:severity 'high' }")
    assert bool(ask)


def test_all_countries(cli, kb_atlas):
    result = cli("--all", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == set(kb_atlas.facts.country_ids()) and len(data) >= 218
    table = cli("--all")
    assert table.exit_code == 0 and "KEN" in table.output and "C10" in table.output


@pytest.mark.parametrize("args, words", [
    (["--country", "KEX"], "KEN"),
    (["--country", "DEU", "--bundle", "short-time-wrk"], "short-time-work"),
])
def test_unknown_ids_exit_1_with_suggestions(cli, args, words):
    result = cli(*args)
    assert result.exit_code == 1
    assert words in result.output and "Traceback" not in result.output


def test_usage_errors_exit_2(cli):
    assert cli().exit_code == 2
    assert cli("--country", "DEU", "--all").exit_code == 2
    assert cli("--country", "DEU", "--format", "xml").exit_code == 2


def test_current_mix_plus_a_proposal(cli, kb_atlas):
    """Mode current+add: the current programmes plus the proposal, judged together; bad combinations exit 2."""
    current = json.loads(cli("--country", "KEN", "--format", "json").output)
    result = cli("--country", "KEN", "--add", "career-transition-allowance", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mode"] == "current+add" and data["added"] == ["career-transition-allowance"]
    assert set(data["bundle"]) == set(current["bundle"]) | {"career-transition-allowance"}
    assert data["programmes"] == current["programmes"]
    api = kb_atlas.evaluate("KEN", add=["career-transition-allowance"])
    assert api.bundle == data["bundle"] and api.mode == "current+add"
    both = cli("--country", "KEN", "--add", "wage-subsidy", "--bundle", "wage-subsidy")
    assert both.exit_code == 2 and "either --bundle" in both.output
    bad = cli("--country", "KEN", "--add", "wage-subsidie")
    assert bad.exit_code == 1 and "wage-subsidy" in bad.output and "Traceback" not in bad.output


def test_partial_baseline_is_named_and_flagged(cli, kb_atlas):
    """A country whose baseline lacks a branch's coverage or a group's size says which; --all flags it."""
    from evaluator.assess.engine import evaluate_all
    evaluations = evaluate_all(kb_atlas)
    partial = sorted(iso for iso, ev in evaluations.items() if ev.partial)
    complete = sorted(iso for iso, ev in evaluations.items() if not ev.partial)
    assert partial and complete
    iso = partial[0]
    data = json.loads(cli("--country", iso, "--format", "json").output)
    assert data["partial"] is True and (data["baseline_unknown"]["branches"] or data["baseline_unknown"]["groups"])
    table = cli("--country", iso).output
    assert "KB baseline partial, unknown" in table
    summary = cli("--all").output
    line = next(r for r in summary.splitlines() if r.startswith(iso + " "))
    assert line.rstrip().endswith("partial")
    line = next(r for r in summary.splitlines() if r.startswith(complete[0] + " "))
    assert not line.rstrip().endswith("partial")
    assert f"({len(partial)} countries)" in summary
