"""The evaluator: which gaps a country's policy mix, or a bundle composed for it, leaves open, and why.

`evaluate(atlas, iso3, bundle=None)` judges one country and `evaluate_all(atlas)` every country in one pass
over the same facts (`KBFacts`, pulled from the KB once and cached on the atlas). Without a bundle the
country's current programmes are judged: the instruments its active or pilot programmes implement, plus the
EU-level programmes for EU member states. Each rule in `evaluator/rules/` that fires gives a `Finding`
(rule, gap kind, severity, a message in English and Chinese naming the instruments and target groups
concerned, and the sources behind the rule); the findings set a CODI-style scorecard (`evaluator.assess.scorecard`).
"""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.assess import scorecard as scorecard_mod
from evaluator.assess.conditions import ExpressionFailed
from evaluator.assess.context import People, RuleContext
from evaluator.assess.facts import KBFacts
from evaluator.assess.rules_loader import RULES_DIR, Rule, load_rules
from policyatlas.core.errors import UserError
from policyatlas.core.i18n import LANGUAGES, message
from policyatlas.kb import vocab

SEVERITY_ORDER = {s: i for i, s in enumerate(vocab.ids("severity"))}


@dataclass
class Finding:
    """One gap found: which rule, which gap kind and CODI criteria, how severe, what it says, about what."""

    rule: str
    gap: str
    severity: str
    message: dict[str, str]
    instruments: list[str]
    target_groups: list[str]
    references: list[str]
    codi: list[str]
    country: str
    key: str  # what the rule looped over, if anything ('' otherwise)
    title: dict[str, str] = field(default_factory=dict)
    id: str = ""
    evidence: list[str] = field(default_factory=list)  # evidence records an evidence-gap finding judged

    def to_json(self) -> dict:
        return {"id": self.id, "rule": self.rule, "title": dict(self.title), "gap": self.gap,
                "severity": self.severity,
                "message": dict(self.message), "instruments": list(self.instruments),
                "target_groups": list(self.target_groups), "references": list(self.references),
                "codi": list(self.codi), "evidence": list(self.evidence)}


@dataclass
class Evaluation:
    """The findings and scorecard for one country and one instrument set (a bundle or current programmes)."""

    country: str
    bundle: list[str]
    mode: str  # "bundle", "current" or "current+add"
    findings: list[Finding]
    ratings: dict[str, scorecard_mod.Rating]
    programmes: list[str] = field(default_factory=list)
    country_label: dict[str, str] = field(default_factory=dict)
    note: dict[str, str] | None = None
    # the country's programmes not counted in its current mix: {id, label, jurisdiction, reason}
    left_out: list[dict] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # mode current+add: the proposal added to the current mix
    # what the KB's baseline lacks for the country: {"branches": [...], "groups": [...]} (empty lists: complete)
    unknown: dict[str, list[str]] = field(default_factory=lambda: {"branches": [], "groups": []})

    @property
    def partial(self) -> bool:
        """True when the KB's baseline lacks a branch's coverage or a group's size for this country."""
        return bool(self.unknown["branches"] or self.unknown["groups"])

    @property
    def scorecard(self) -> dict[str, str]:
        """CODI criterion -> level (latent, emerging, established, advanced)."""
        return {c: r.level for c, r in self.ratings.items()}

    @property
    def bundle_id(self) -> str:
        """A stable id for the evaluated instrument set: `current` or a short hash of the sorted ids."""
        if self.mode == "current":
            return f"{self.country}-current"
        if self.mode == "current+add":
            return f"{self.country}-current-" + hashlib.sha1(",".join(self.added).encode()).hexdigest()[:10]
        digest = hashlib.sha1(",".join(self.bundle).encode()).hexdigest()[:10]
        return f"{self.country}-{digest}"

    def gaps(self) -> set[str]:
        return {f.gap for f in self.findings}

    def to_json(self) -> dict:
        """The DESIGN.md evaluate shape, plus mode, programmes (counted and left out, with the reason code),
        a coverage note and the scorecard's reasons."""
        return {"country": self.country, "bundle": list(self.bundle), "mode": self.mode, "added": list(self.added),
                "baseline_unknown": {k: list(v) for k, v in self.unknown.items()}, "partial": self.partial,
                "programmes": list(self.programmes), "left_out": [dict(p) for p in self.left_out],
                "findings": [f.to_json() for f in self.findings],
                "scorecard": self.scorecard,
                "scorecard_detail": {c: r.to_json() for c, r in self.ratings.items()},
                "note": self.note}

    def to_rdf(self):
        """The findings as an rdflib Graph of `pa:Finding`s (see evaluator.assess.findings_rdf)."""
        from evaluator.assess.findings_rdf import findings_graph
        return findings_graph([self])

    def to_turtle(self) -> str:
        return self.to_rdf().serialize(format="turtle")


# ---- rules ----------------------------------------------------------------------------------------------

_RULES: dict[str, tuple[tuple, list[Rule]]] = {}


def rules(directory: Path | str = RULES_DIR) -> list[Rule]:
    """The rules of a directory, re-read when a rule file changes (so an analyst's edit shows at once)."""
    from evaluator.assess.rules_loader import rule_files
    directory = Path(directory)
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in rule_files(directory))
    cached = _RULES.get(str(directory))
    if cached is None or cached[0] != stamp:
        cached = (stamp, load_rules(directory))
        _RULES[str(directory)] = cached
    return cached[1]


# ---- entry points ---------------------------------------------------------------------------------------

def evaluate(atlas, iso3: str, bundle=None, rules_dir: Path | str = RULES_DIR, add=None) -> Evaluation:
    """Judge one country's current programmes (bundle None), a bundle of instrument ids on its own, or the
    current programmes plus a proposal (`add`, instrument ids)."""
    facts = KBFacts.from_atlas(atlas)
    return evaluate_facts(facts, iso3, bundle, rules(rules_dir), add=add)


def evaluate_all(atlas, bundle=None, rules_dir: Path | str = RULES_DIR, add=None) -> dict[str, Evaluation]:
    """Judge every country (current programmes, the same bundle everywhere, or the current programmes plus the
    same proposal) in one pass over the facts."""
    facts = KBFacts.from_atlas(atlas)
    loaded = rules(rules_dir)
    return {iso3: evaluate_facts(facts, iso3, bundle, loaded, add=add) for iso3 in facts.country_ids()}


def check_bundle(facts: KBFacts, bundle) -> list[str]:
    """The bundle as a sorted list of known instrument ids (`KBFacts.check_instruments`, the one check).

    An empty bundle is allowed (a policymaker who has not picked anything yet): it is judged as an empty mix.
    """
    return sorted(facts.check_instruments(bundle))


def evaluate_facts(facts: KBFacts, iso3: str, bundle=None, rule_list: list[Rule] | None = None,
                   add=None) -> Evaluation:
    """The engine proper, over facts already loaded (what `evaluate` and `evaluate_all` call).

    Three modes: `current` (bundle None), `bundle` (the bundle on its own) and `current+add` (the current
    programmes plus the instruments of `add`; rules written for the current mix apply)."""
    iso3 = facts.check_country(iso3)
    rule_list = rule_list if rule_list is not None else rules()
    added: list[str] = []
    if add is not None and bundle is not None:
        raise UserError("give either a bundle (judged on its own) or instruments to add to the current mix, "
                        "not both")
    if add is not None:
        added = check_bundle(facts, add)
        if not added:
            raise UserError("--add needs at least one instrument id (e.g. --add career-transition-allowance)")
    if bundle is None:
        mode = "current+add" if added else "current"
        instruments = sorted(set(facts.current_instruments(iso3)) | set(added))
        programmes = [p.id for p in facts.current_programmes(iso3)]
        left_out = [{"id": p.id, "label": p.label, "jurisdiction": p.jurisdiction, "reason": why}
                    for p, why in facts.left_out_programmes(iso3)]
    else:
        mode = "bundle"
        instruments = check_bundle(facts, bundle)
        programmes, left_out = [], []
    rule_mode = "current" if mode == "current+add" else mode
    ctx = RuleContext(facts, iso3, instruments, rule_mode)
    env_base = ctx.variables()
    functions = ctx.functions()
    findings: list[Finding] = []
    for rule in rule_list:
        if rule_mode not in rule.applies_to:
            continue
        findings.extend(_apply(rule, facts, ctx, env_base, functions))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.gap, f.rule, f.key))
    ev = Evaluation(iso3, instruments, mode, findings, {}, programmes, dict(facts.countries[iso3].label),
                    left_out=left_out, added=added)
    ev.unknown = baseline_gaps(facts, iso3)
    for f in findings:
        f.id = _finding_id(ev, f)
    ev.ratings = scorecard_mod.score(findings, not instruments, inputs=score_inputs(facts, ctx), mode=rule_mode)
    if mode == "current" and not instruments:
        name = facts.countries[iso3].label
        ev.note = {lang: message("evaluator.no_programme_note", lang, country=name.get(lang) or iso3)
                   for lang in LANGUAGES}
    return ev


def fired_keys(facts: KBFacts, iso3: str, rule_list: list[Rule], add=None) -> set[str]:
    """The findings `evaluate_facts(facts, iso3, rule_list=rule_list, add=add)` would return, as "rule|key"
    only: the same rules, bindings and conditions, without messages, ids, evidence lists or the scorecard (the
    planner asks this once per candidate action). `tests/planner/test_planner_speed.py` checks it against
    `evaluate_facts`."""
    added = check_bundle(facts, add) if add else []
    instruments = sorted(set(facts.current_instruments(iso3)) | set(added))
    ctx = RuleContext(facts, iso3, instruments, "current")
    env_base = ctx.variables()
    functions = ctx.functions()
    out: set[str] = set()
    for rule in rule_list:
        if "current" not in rule.applies_to:
            continue
        try:
            out.update(f"{rule.id}|{key}" for key in _fired(rule, env_base, functions))
        except ExpressionFailed as err:
            raise UserError(f"{rule.path}: rule '{rule.id}' cannot be evaluated for {iso3}: {err}; check its "
                            "expressions") from None
    return out


def _fired(rule: Rule, env_base: dict, functions: dict) -> list[str]:
    """The keys of the bindings of a rule whose condition holds (what `_apply_rule` makes findings of)."""
    env = dict(env_base)
    env.update(rule.params)
    if not rule.loop_name:
        return [""] if rule.when.evaluate(env, functions) else []
    items = rule.loop_in.evaluate(env, functions) or []
    if not isinstance(items, list | tuple | set | frozenset):
        raise ExpressionFailed(rule.loop_in.text, TypeError(f"for_each.in must give a list, got {items!r}"))
    return [_key(item) for item in items if rule.when.evaluate({**env, rule.loop_name: item}, functions)]


#: The baseline branches and groups an evaluation reads; any the KB lacks for a country is named as unknown.
BASELINE_BRANCHES = ("unemployment", "old-age", "children-family", "disability", "social-assistance")
BASELINE_GROUPS = ("unemployed", "youth-neet", "informal-workers", "older-workers", "women-employed")


def baseline_gaps(facts: KBFacts, iso3: str) -> dict[str, list[str]]:
    """The branches without an effective-coverage figure and the groups without a size in the KB's baseline."""
    base = facts.baseline_of(iso3)
    branches = [b for b in BASELINE_BRANCHES if base.branches.get(b) is None or base.branches[b].coverage is None]
    groups = [g for g in BASELINE_GROUPS if base.groups.get(g) is None]
    return {"branches": branches, "groups": groups}


def score_inputs(facts: KBFacts, ctx: RuleContext) -> scorecard_mod.ScoreInputs:
    """The figures the data-anchored scorecard criteria read (coverage, baseline branches, fiscal position,
    cost of the new instruments)."""
    from evaluator.models.fiscal import debt_threshold, distress_level

    iso3 = ctx.iso3
    new = ctx.new_instruments()
    cost = ctx._cost[1] if ctx._cost else None
    return scorecard_mod.ScoreInputs(
        coverage=facts.countries[iso3].figures.get(scorecard_mod.model().anchors["inclusiveness"]["indicator"]),
        branches=dict(facts.baseline_of(iso3).branches), fiscal=ctx.fiscal_detail,
        debt_threshold=debt_threshold(facts, iso3), distress=distress_level(facts, iso3), cost=cost,
        new_instruments=len(new))


def _apply(rule: Rule, facts: KBFacts, ctx: RuleContext, env_base: dict, functions: dict) -> list[Finding]:
    """One rule over one country: its findings. A rule whose expressions fail on this country's data (for
    example comparing text with a number, or dividing by zero) is a mistake in the rule file, reported as such;
    any other error (an ImportError, a bug in the evaluator) propagates as the internal error it is."""
    try:
        return _apply_rule(rule, facts, ctx, env_base, functions)
    except ExpressionFailed as err:
        raise UserError(f"{rule.path}: rule '{rule.id}' cannot be evaluated for {ctx.iso3}: {err}; check its "
                        "expressions") from None


def _apply_rule(rule: Rule, facts: KBFacts, ctx: RuleContext, env_base: dict, functions: dict) -> list[Finding]:
    env = dict(env_base)
    env.update(rule.params)
    if rule.loop_name:
        items = rule.loop_in.evaluate(env, functions) or []
        if not isinstance(items, list | tuple | set | frozenset):
            raise ExpressionFailed(rule.loop_in.text, TypeError(f"for_each.in must give a list, got {items!r}"))
        bindings = [(_key(item), {**env, rule.loop_name: item}) for item in items]
    else:
        bindings = [("", env)]
    out: list[Finding] = []
    for key, scope in bindings:
        if not rule.when.evaluate(scope, functions):
            continue
        level = next(case.level for case in rule.severity
                     if case.when is None or case.when.evaluate(scope, functions))
        values = {name: expr.evaluate(scope, functions) for name, expr in rule.values.items()}
        instruments = _ids(rule.instruments.evaluate(scope, functions)) if rule.instruments else []
        groups = _ids(rule.target_groups.evaluate(scope, functions)) if rule.target_groups else []
        item = scope[rule.loop_name] if rule.loop_name else None
        if isinstance(item, str):
            if item in facts.instruments and not rule.instruments:
                instruments = [item]
            if item in facts.target_groups and not rule.target_groups:
                groups = [item]
        message = {lang: render(template, {**scope, **values}, facts, lang, rule.words)
                   for lang, template in rule.message.items()}
        references, evidence = list(rule.references), []
        if rule.gap == "evidence-gap":  # cite the evidence records judged, not the rule's generic sources
            records = ctx.judged_evidence(instruments)
            evidence = sorted(e.id for e in records)
            references = sorted({s for e in records for s in e.sources})
        out.append(Finding(rule.id, rule.gap, level, message, instruments, groups, references,
                           list(rule.codi), ctx.iso3, key, dict(rule.title), evidence=evidence))
    return out


def _key(item) -> str:
    """What a looped finding is about, for its id: an id, or ids joined by '+'."""
    if isinstance(item, list | tuple):
        return "+".join(str(i) for i in item)
    return str(item)


def _ids(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return sorted({str(v) for v in value})


def _finding_id(ev: Evaluation, f: Finding) -> str:
    return f"{ev.bundle_id}-{f.rule}" + (f"-{f.key}" if f.key else "")


# ---- messages -------------------------------------------------------------------------------------------



def show(value, facts: KBFacts, lang: str, words: dict | None = None) -> str:
    """A value as a reader sees it: the rule's own words and KB ids become text in the language, lists are
    joined, numbers rounded."""
    if words and isinstance(value, str) and value in words:
        return words[value][lang]
    if value is None:
        return message("evaluator.value.missing", lang)
    if isinstance(value, bool):
        return message("evaluator.value.yes" if value else "evaluator.value.no", lang)
    if isinstance(value, People):
        return value.text(lang)
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 1 else f"{value:.1f}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return message("evaluator.value.join", lang).join(show(v, facts, lang, words) for v in items)
    if isinstance(value, str):
        return facts.label(value, lang)
    return str(value)


class _Values(dict):
    def __init__(self, scope: dict, facts: KBFacts, lang: str, words: dict | None):
        super().__init__()
        self.scope, self.facts, self.lang, self.words = scope, facts, lang, words

    def __missing__(self, key):
        if key == "iso3":
            return self.scope.get("iso3", "")
        return show(self.scope.get(key), self.facts, self.lang, self.words)


def render(template: str, scope: dict, facts: KBFacts, lang: str, words: dict | None = None) -> str:
    """Fill a message template's {placeholders} with labels in the language of the template. A format spec
    the label cannot take (`{share:.1f}`: labels are text) is a mistake in the rule's message."""
    try:
        return string.Formatter().vformat(template, (), _Values(scope, facts, lang, words))
    except ValueError as err:
        raise ExpressionFailed(template, err) from err


def to_json_text(evaluations) -> str:
    """One evaluation's JSON, or for `--all` a mapping ISO3 -> evaluation JSON."""
    if isinstance(evaluations, Evaluation):
        return json.dumps(evaluations.to_json(), ensure_ascii=False, indent=2)
    return json.dumps({k: v.to_json() for k, v in evaluations.items()}, ensure_ascii=False, indent=2)
