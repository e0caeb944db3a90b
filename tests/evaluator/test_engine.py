"""The engine on a tiny hand-written KB: current programmes (EU-level ones for members), evidence status,
set-wise fact loading, JSON shape, RDF findings, scorecard levels and user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest

from evaluator.assess import scorecard
from evaluator.assess.context import evidence_status
from evaluator.assess.engine import Finding, evaluate, evaluate_all
from evaluator.assess.facts import KBFacts
from policyatlas.core.errors import UserError
from policyatlas.core.namespaces import prologue


def test_current_programmes_include_eu_level_ones_for_members(mini_atlas):
    facts = KBFacts.from_atlas(mini_atlas)
    # AAA implements unemployment insurance itself and is an EU member (pa:memberOf): EU skills count too.
    assert facts.current_instruments("AAA") == {"unemployment-insurance", "vocational-skills-programme"}
    # BBB's ended programme does not count, nor does its privately run pilot (issue 12): both are listed as
    # left out, with the first reason that applies.
    assert facts.current_instruments("BBB") == frozenset()
    assert [p.id for p in facts.current_programmes("AAA")] == ["aaa-ui", "eu-skills"]
    assert [(p.id, why) for p, why in facts.left_out_programmes("BBB")] == [("bbb-money", "private"),
                                                                         ("bbb-old", "ended")]
    assert facts.left_out_programmes("AAA") == []


def test_an_eu_act_counts_only_from_its_date_of_application(mini_atlas):
    import dataclasses
    import datetime as dt
    facts = KBFacts.from_atlas(mini_atlas)
    later = dataclasses.replace(facts.programmes["eu-skills"], applies_from=dt.date(2027, 12, 2))
    moved = dataclasses.replace(facts, programmes={**facts.programmes, "eu-skills": later},
                                as_of=dt.date(2026, 12, 6), _current={})
    moved._index()
    assert moved.current_instruments("AAA") == {"unemployment-insurance"}
    assert [(p.id, why) for p, why in moved.left_out_programmes("AAA")] == [("eu-skills", "not-yet-applicable")]
    moved = dataclasses.replace(moved, as_of=dt.date(2027, 12, 2), _current={})
    moved._index()
    assert moved.current_instruments("AAA") == {"unemployment-insurance", "vocational-skills-programme"}


def test_the_evaluation_says_what_it_left_out_and_why(mini_atlas):
    from policyatlas.render import report
    ev = evaluate(mini_atlas, "BBB")
    data = ev.to_json()
    assert data["left_out"] == [
        {"id": "bbb-money", "label": "Lowland mobile money", "jurisdiction": "BBB", "reason": "private"},
        {"id": "bbb-old", "label": "Lowland old scheme", "jurisdiction": "BBB", "reason": "ended"}]
    facts = KBFacts.from_atlas(mini_atlas)
    assert "Left out: Lowland mobile money (a private product), Lowland old scheme (ended)" in report.one(ev, facts)
    assert "未计入：Lowland mobile money（私营企业产品）、Lowland old scheme（已结束）" in report.one(ev, facts, "zh")


def test_latest_observation_wins_and_ids_are_local(mini_atlas):
    facts = KBFacts.from_atlas(mini_atlas)
    fig = facts.countries["BBB"].figures["informal-employment-share"]
    assert (fig.value, fig.year, fig.source) == (85.0, 2022, "test-source")
    assert facts.relations[0].sources == {"test-source"}
    assert facts.evidence["e1"].instruments == {"digital-financial-inclusion"}  # via its programme


def test_facts_are_queried_once_for_all_countries(mini_atlas):
    evaluate(mini_atlas, "AAA")
    after_one = mini_atlas.queries
    evaluate_all(mini_atlas)
    evaluate(mini_atlas, "BBB", ["vocational-skills-programme"])
    assert mini_atlas.queries == after_one, "evaluating more countries must not query the KB again"


def test_evidence_status_words():
    class E:
        def __init__(self, direction, contested=False):
            self.direction, self.contested = direction, contested
    assert evidence_status([]) == "absent"
    assert evidence_status([E("positive"), E("null", True)]) == "contested"
    assert evidence_status([E("null"), E("negative")]) == "negative"
    assert evidence_status([E("null")]) == "null"
    assert evidence_status([E("positive"), E("null")]) == "mixed"
    assert evidence_status([E("positive")]) == "positive"


def test_json_shape_follows_design(mini_atlas):
    ev = evaluate(mini_atlas, "BBB", ["vocational-skills-programme"])
    data = json.loads(json.dumps(ev.to_json(), ensure_ascii=False))
    assert {"country", "bundle", "findings", "scorecard"} <= set(data)
    assert data["country"] == "BBB" and data["bundle"] == ["vocational-skills-programme"]
    assert data["findings"], "a one-instrument bundle must have findings"
    for f in data["findings"]:
        assert {"rule", "gap", "severity", "message", "instruments", "target_groups", "references"} <= set(f)
        assert f["severity"] in {"high", "medium", "low"} and set(f["message"]) == {"en", "zh"}
        assert all(f["message"][lang] and "{" not in f["message"][lang] for lang in ("en", "zh"))
    assert set(data["scorecard"].values()) <= set(scorecard.STATES)
    for detail in data["scorecard_detail"].values():
        assert detail["basis"] in {"data", "findings", "none"}
        assert (detail["level"] == scorecard.NOT_ASSESSED) == (detail["basis"] == "none")
    single = [f for f in data["findings"] if f["rule"] == "single-instrument"][0]
    assert "vocational skills programme" in single["message"]["en"] and "职业技能项目" in single["message"]["zh"]
    informal = [f for f in data["findings"] if f["rule"] == "skills-without-income-support"][0]
    assert informal["severity"] == "high" and "85.0" in informal["message"]["en"]


def test_findings_as_rdf_are_queryable(mini_atlas):
    ev = evaluate(mini_atlas, "BBB", ["vocational-skills-programme"])
    store = pyoxigraph.Store()
    store.load(ev.to_turtle().encode(), format=pyoxigraph.RdfFormat.TURTLE)
    rows = list(store.query(prologue() + """
        SELECT ?rule ?sev ?en ?zh WHERE {
          ?f a pa:Finding ; pa:rule ?rule ; pa:severity ?sev ; pa:aboutCountry country:BBB ;
             pa:ofBundle ?b ; pa:gapKind gap:fragmentation ; pa:message ?en , ?zh .
          ?b a pa:Bundle ; pa:hasInstrument instrument:vocational-skills-programme .
          FILTER(lang(?en) = "en" && lang(?zh) = "zh")
        }"""))
    assert {r["rule"].value.rsplit("/", 1)[-1] for r in rows} >= {"single-instrument"}
    count = next(iter(store.query(prologue() + "SELECT (COUNT(?f) AS ?n) WHERE { ?f a pa:Finding }")))["n"]
    assert int(count.value) == len(ev.findings)


def _finding(rule, severity, codi):
    return Finding(rule, "fragmentation", severity, {}, [], [], [], codi, "AAA", "")


def test_scorecard_levels_follow_the_documented_cutoffs():
    model = scorecard.model()
    c = "coherence-and-integration"
    levels = lambda fs, empty=False: scorecard.score(fs, empty, model)[c].level  # noqa: E731
    assert levels([]) == "advanced"
    assert levels([_finding("a", "low", [c])]) == "established"
    assert levels([_finding("a", "medium", [c])]) == "established"
    assert levels([_finding("a", "high", [c])]) == "emerging"
    assert levels([_finding("a", "high", [c]), _finding("b", "medium", [c])]) == "emerging"
    assert levels([_finding("a", "high", [c]), _finding("b", "high", [c])]) == "latent"
    # one rule firing many times counts once, at its worst severity
    assert levels([_finding("a", "low", [c]), _finding("a", "high", [c]), _finding("a", "high", [c])]) == "emerging"
    assert levels([], empty=True) == "latent"
    assert scorecard.score([_finding("a", "high", [c])], False, model)["inclusiveness"].level == "advanced"


def test_user_errors_suggest_close_ids(mini_atlas):
    with pytest.raises(UserError, match="AAA"):
        evaluate(mini_atlas, "AAB")
    with pytest.raises(UserError, match="vocational-skills-programme"):
        evaluate(mini_atlas, "AAA", ["vocational-skill-programme"])
    with pytest.raises(UserError, match="supranational"):
        evaluate(mini_atlas, "EUU")
    empty = evaluate(mini_atlas, "AAA", [])
    assert empty.mode == "bundle" and "no-instruments" in {f.rule for f in empty.findings}
    anchored = set(scorecard.model().anchors)
    assert {lv for c, lv in empty.scorecard.items() if c not in anchored} == {"latent"} and empty.note is None
    # the stand-in KB has no coverage, fiscal or benefit figures: the data-anchored criteria are not assessed
    assert {empty.scorecard[c] for c in anchored} == {scorecard.NOT_ASSESSED}


def test_empty_current_mix_is_not_assessed_and_says_why(mini_atlas):
    facts = KBFacts.from_atlas(mini_atlas)
    facts.countries["CCC"] = type(facts.countries["BBB"])(
        "CCC", {"en": "Nowhere", "zh": "无处"}, "LMC", None, True, False, False)
    ev = evaluate(mini_atlas, "CCC")
    assert ev.bundle == [] and "no-instruments" in {f.rule for f in ev.findings}
    # nothing is known: not assessed everywhere (never "latent" for want of data), each saying what is missing
    assert set(ev.scorecard.values()) == {scorecard.NOT_ASSESSED}
    assert all(r.missing for r in ev.ratings.values())
    assert ev.note and "Nowhere" in ev.note["en"]


def test_rule_words_translate_values_in_messages(mini_atlas):
    ev = evaluate(mini_atlas, "BBB", ["digital-financial-inclusion", "vocational-skills-programme"])
    weak = {f.key: f for f in ev.findings if f.rule == "weak-comparable-evidence"}
    dfi = weak["digital-financial-inclusion"]
    assert dfi.instruments == ["digital-financial-inclusion"] and dfi.severity == "medium"
    assert "contested" in dfi.message["en"]
    assert "存在争议" in dfi.message["zh"] and "contested" not in dfi.message["zh"]
    # no evidence anywhere in this KB: high
    assert weak["vocational-skills-programme"].severity == "high"


def test_a_rule_that_fails_on_data_is_reported_with_its_file(mini_atlas, tmp_path):
    from evaluator.assess.engine import evaluate_facts
    from evaluator.assess.rules_loader import load_rules

    valid = (Path(__file__).parent / "fixtures" / "valid-rules" / "older-workers-rule.yaml").read_text("utf-8")
    (tmp_path / "older-workers-rule.yaml").write_text(
        valid.replace("when: not reaches('older-workers')", "when: income_group > 5"), encoding="utf-8")
    rules = load_rules(tmp_path)  # well formed: the mistake only shows on data
    with pytest.raises(UserError, match=r"older-workers-rule\.yaml: rule 'older-workers-rule' cannot be evaluated"):
        evaluate_facts(KBFacts.from_atlas(mini_atlas), "AAA", ["unemployment-insurance"], rules)


def test_eu_programmes_count_for_the_27_members_only(kb_atlas):
    facts = kb_atlas.facts
    eu_instruments = {i for p in facts.current_programmes("EUU") if p.jurisdiction == "EUU" for i in p.instruments}
    assert "employment-impact-assessment" in eu_instruments  # the AI Act
    members = [c for c in facts.country_ids() if "EUU" in facts.countries[c].member_of]
    assert len(members) == 27 and {"FRA", "DEU", "POL", "IRL"} <= set(members)
    # An EU act counts in a member state only from its date of application (issue 12): the AI Act's high-risk
    # employment rules from 2 December 2027 (kb/programmes/eu-ai-act.yaml), the Platform Work Directive from its
    # transposition deadline, 2 December 2026.
    applies = facts.programmes["eu-ai-act"].applies_from
    assert applies is not None and facts.programmes["eu-platform-work-directive"].applies_from is not None
    for iso3 in members:
        assert eu_instruments <= facts.current_instruments(iso3), iso3
        current = {p.id for p in facts.current_programmes(iso3)}
        left_out = dict((p.id, why) for p, why in facts.left_out_programmes(iso3))
        if facts.as_of >= applies:
            assert "eu-ai-act" in current, iso3
        else:
            assert "eu-ai-act" not in current and left_out["eu-ai-act"] == "not-yet-applicable", iso3
    for iso3 in ("NOR", "GBR", "CHE", "USA"):
        assert "eu-ai-act" not in {p.id for p in facts.current_programmes(iso3)}
        assert "eu-ai-act" not in {p.id for p, _ in facts.left_out_programmes(iso3)}


def test_only_expression_errors_are_rule_mistakes_and_bugs_propagate(mini_atlas, tmp_path, monkeypatch):
    """A rule whose expression divides by zero on data is a problem of the rule file (a UserError naming the
    file); an ImportError or a bug outside the expressions propagates as the internal error it is."""
    from evaluator.assess import engine
    from evaluator.assess.rules_loader import load_rules

    valid = (Path(__file__).parent / "fixtures" / "valid-rules" / "older-workers-rule.yaml").read_text("utf-8")
    (tmp_path / "older-workers-rule.yaml").write_text(valid, encoding="utf-8")
    rules = load_rules(tmp_path)
    facts = KBFacts.from_atlas(mini_atlas)

    def divide_by_zero(*_args):
        return 1 / 0

    ctx_functions = engine.RuleContext.functions

    def with_function(fn):
        def functions(self):
            return {**ctx_functions(self), "reaches": fn}
        return functions

    monkeypatch.setattr(engine.RuleContext, "functions", with_function(divide_by_zero))
    with pytest.raises(UserError, match=r"older-workers-rule\.yaml: rule 'older-workers-rule' cannot be evaluated "
                       r"for AAA: .*ZeroDivisionError"):
        engine.evaluate_facts(facts, "AAA", ["unemployment-insurance"], rules)

    def import_fails(*_args):
        raise ImportError("No module named 'evaluator.gone'")

    monkeypatch.setattr(engine.RuleContext, "functions", with_function(import_fails))
    with pytest.raises(ImportError, match="evaluator.gone"):
        engine.evaluate_facts(facts, "AAA", ["unemployment-insurance"], rules)

    monkeypatch.setattr(engine.RuleContext, "functions", with_function(lambda _group: False))  # the rule fires
    monkeypatch.setattr(engine, "render", lambda *a, **k: {}["a bug outside any expression"])
    with pytest.raises(KeyError, match="a bug outside"):
        engine.evaluate_facts(facts, "AAA", ["unemployment-insurance"], rules)
