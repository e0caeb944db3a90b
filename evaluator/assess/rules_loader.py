"""Reading and checking the evaluator's rule files (`evaluator/rules/<id>.yaml`, one rule per file).

A rule is data an analyst can read and change: which gap it detects, which ISPA CODI criteria it informs,
when it fires and how severe it is (as expressions of the condition language in `evaluator/assess/conditions.py`,
with every threshold written in the file), a message in English and Chinese, a rationale, and the KB
sources it rests on. `validate_rules(dir)` returns every problem as a `Problem(path, line, rule, message)`
so that `policyatlas validate` can report them as `path:line: message`; `load_rules(dir)` raises a
`ValidationError` with all of them or returns the parsed rules. The format is documented in
`evaluator/rules/README.md`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.assess.conditions import FUNCTIONS, VARIABLES, ConditionError, Expression, parse
from policyatlas.core.errors import Problem, ValidationError
from policyatlas.core.paths import KB_DIR, relative
from policyatlas.core.yamlio import LineDict, read_yaml
from policyatlas.kb import vocab

#: The evaluator's rule files (one rule per file; format in evaluator/rules/README.md).
RULES_DIR = Path(__file__).resolve().parents[1] / "rules"  # evaluator/rules/, beside the layer packages

GAP_KINDS = vocab.ids("gap")
CODI_CRITERIA = vocab.ids("codi_criterion")
SEVERITIES = vocab.ids("severity")
MODES = ("bundle", "current")
LANGS = ("en", "zh")

REQUIRED = ("id", "gap", "codi", "title", "when", "severity", "message", "rationale", "references")
OPTIONAL = ("applies_to", "params", "for_each", "values", "instruments", "target_groups", "words")


@dataclass(frozen=True)
class SeverityCase:
    """One step of a rule's severity ladder: `level` applies when `when` holds (None = otherwise)."""

    level: str
    when: Expression | None


@dataclass
class Rule:
    """One gap rule, parsed and checked. See evaluator/rules/README.md for what each field means."""

    id: str
    gap: str
    codi: list[str]
    title: dict[str, str]
    when: Expression
    severity: list[SeverityCase]
    message: dict[str, str]
    rationale: dict[str, str]
    references: list[str]
    path: str
    applies_to: tuple[str, ...] = MODES
    params: dict = field(default_factory=dict)
    loop_name: str | None = None
    loop_in: Expression | None = None
    values: dict[str, Expression] = field(default_factory=dict)
    instruments: Expression | None = None
    target_groups: Expression | None = None
    words: dict[str, dict[str, str]] = field(default_factory=dict)


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a directory: every `*.yaml` except those starting with `_`, sorted."""
    return sorted(p for p in Path(directory).glob("*.yaml") if not p.name.startswith("_"))


def validate_rules(directory: Path | str = RULES_DIR, kb_dir: Path | str | None = KB_DIR) -> list[Problem]:
    """Every problem in the rule files of `directory` (empty when all rules are well formed).

    With `kb_dir`, every reference must name a source file `kb_dir/sources/<id>.yaml`.
    """
    return _load(Path(directory), Path(kb_dir) if kb_dir is not None else None)[1]


def load_rules(directory: Path | str = RULES_DIR, kb_dir: Path | str | None = None) -> list[Rule]:
    """The parsed rules of a directory, sorted by id; raises ValidationError listing every problem."""
    rules, problems = _load(Path(directory), Path(kb_dir) if kb_dir is not None else None)
    if problems:
        raise ValidationError(problems)
    return rules


def _load(directory: Path, kb_dir: Path | None) -> tuple[list[Rule], list[Problem]]:
    problems: list[Problem] = []
    if not directory.is_dir():
        return [], [Problem(relative(directory), 1, "rules-dir", "rule directory does not exist")]
    sources = None
    if kb_dir is not None and (kb_dir / "sources").is_dir():
        sources = {p.stem for p in (kb_dir / "sources").glob("*.yaml")}
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in rule_files(directory):
        loaded = read_yaml(path)
        problems.extend(loaded.problems)
        if loaded.data is None:
            continue
        rule = _parse_rule(path, loaded.data, problems, sources)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(Problem(rule.path, 1, "rule-duplicate-id",
                                    f"rule id '{rule.id}' is also used by {seen[rule.id]}"))
            continue
        seen[rule.id] = rule.path
        rules.append(rule)
    if not rule_files(directory):
        problems.append(Problem(relative(directory), 1, "rules-empty", "no rule files (*.yaml) found"))
    return sorted(rules, key=lambda r: r.id), problems


def _parse_rule(path: Path, data, problems: list[Problem], sources: set[str] | None) -> Rule | None:
    shown = relative(path)
    start = len(problems)

    def bad(line: int, check: str, message: str) -> None:
        problems.append(Problem(shown, line, check, message))

    if not isinstance(data, LineDict):
        bad(getattr(data, "line", 1), "rule-shape", "a rule file must be a mapping of keys (id, gap, ...)")
        return None
    for key in data:
        if key not in REQUIRED and key not in OPTIONAL:
            bad(data.line_of(key), "rule-unknown-key",
                f"unknown key '{key}'; allowed: {', '.join(REQUIRED + OPTIONAL)}")
    for key in REQUIRED:
        if key not in data or data[key] in (None, "", []):
            bad(data.line, "rule-missing-key", f"required key '{key}' is missing or empty")
    if len(problems) > start and any(k not in data for k in ("id", "when", "severity", "message")):
        return None

    rid = data.get("id")
    if not isinstance(rid, str) or rid != path.stem:
        bad(data.line_of("id"), "rule-id", f"id '{rid}' must be text equal to the file name '{path.stem}'")
    gap = data.get("gap")
    if gap not in GAP_KINDS:
        bad(data.line_of("gap"), "rule-gap", f"gap '{gap}' is not a canonical gap kind: {', '.join(GAP_KINDS)}")
    codi = data.get("codi")
    codi = [codi] if isinstance(codi, str) else codi
    if not isinstance(codi, list) or not codi or any(c not in CODI_CRITERIA for c in codi):
        bad(data.line_of("codi"), "rule-codi",
            f"codi must list CODI criteria from: {', '.join(CODI_CRITERIA)} (got {data.get('codi')!r})")
        codi = []
    texts = {}
    for key in ("title", "message", "rationale"):
        value = data.get(key)
        if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) or not value.get(lang).strip()
                                              for lang in LANGS):
            bad(data.line_of(key), "rule-bilingual", f"'{key}' needs non-empty 'en' and 'zh' text")
            texts[key] = {}
        else:
            extra = [k for k in value if k not in LANGS]
            if extra:
                bad(value.line_of(extra[0]), "rule-bilingual", f"'{key}' has unknown language key '{extra[0]}'")
            texts[key] = {lang: value[lang] for lang in LANGS}

    applies = data.get("applies_to", list(MODES))
    applies = [applies] if isinstance(applies, str) else applies
    if not isinstance(applies, list) or not applies or any(a not in MODES for a in applies):
        bad(data.line_of("applies_to"), "rule-applies-to", "applies_to must list 'bundle' and/or 'current'")
        applies = list(MODES)

    params = data.get("params") or {}
    if not isinstance(params, dict):
        bad(data.line_of("params"), "rule-params", "params must be a mapping of name: value")
        params = {}
    for name in params:
        if not name.isidentifier() or name in VARIABLES or name in FUNCTIONS:
            bad(params.line_of(name), "rule-params",
                f"parameter name '{name}' must be an identifier that is not a variable or function name")
    known = set(VARIABLES) | set(params)

    def expr(value, line: int, what: str, names: set[str]) -> Expression | None:
        if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            value = repr(list(value))  # a YAML list of ids or numbers is a constant list
        try:
            return parse(value, names)
        except ConditionError as err:
            bad(line, "rule-condition", f"{what}: {err}")
            return None

    loop_name = loop_in = None
    if "for_each" in data:
        fe = data["for_each"]
        if not isinstance(fe, dict) or set(fe) != {"name", "in"} or not str(fe.get("name", "")).isidentifier():
            bad(data.line_of("for_each"), "rule-for-each",
                "for_each must be a mapping with 'name' (an identifier) and 'in' (an expression giving a list)")
        else:
            loop_name = fe["name"]
            if loop_name in known or loop_name in FUNCTIONS:
                bad(fe.line_of("name"), "rule-for-each", f"loop name '{loop_name}' hides a variable or parameter")
            loop_in = expr(fe["in"], fe.line_of("in"), "for_each.in", known)
            known = known | {loop_name}

    when = expr(data.get("when"), data.line_of("when"), "when", known)

    severity: list[SeverityCase] = []
    ladder = data.get("severity")
    if isinstance(ladder, str) and ladder in SEVERITIES:
        severity = [SeverityCase(ladder, None)]
    elif isinstance(ladder, list) and ladder:
        for i, case in enumerate(ladder):
            line = ladder.lines[i]
            if not isinstance(case, dict) or case.get("level") not in SEVERITIES or set(case) - {"level", "when"}:
                bad(line, "rule-severity", "each severity step is {level: high|medium|low, when: expression}")
                continue
            last = i == len(ladder) - 1
            if "when" not in case and not last:
                bad(line, "rule-severity", "only the last severity step may omit 'when' (it is the otherwise)")
            if "when" in case and last:
                bad(line, "rule-severity", "the last severity step must omit 'when' so that a level always applies")
            cond = expr(case["when"], case.line_of("when"), "severity.when", known) if "when" in case else None
            severity.append(SeverityCase(case["level"], cond))
    else:
        bad(data.line_of("severity"), "rule-severity",
            "severity is a level (high|medium|low) or a list of {level, when} steps ending with {level}")

    values: dict[str, Expression] = {}
    raw_values = data.get("values") or {}
    if not isinstance(raw_values, dict):
        bad(data.line_of("values"), "rule-values", "values must be a mapping of placeholder: expression")
    else:
        for name, text in raw_values.items():
            if not name.isidentifier():
                bad(raw_values.line_of(name), "rule-values", f"placeholder name '{name}' must be an identifier")
                continue
            parsed = expr(text, raw_values.line_of(name), f"values.{name}", known)
            if parsed is not None:
                values[name] = parsed
    concerned = {}
    for key in ("instruments", "target_groups"):
        concerned[key] = expr(data[key], data.line_of(key), key, known) if key in data else None

    words: dict[str, dict[str, str]] = {}
    raw_words = data.get("words") or {}
    if not isinstance(raw_words, dict):
        bad(data.line_of("words"), "rule-words", "words must map a value to its {en, zh} text")
    else:
        for word, texts_ in raw_words.items():
            if not isinstance(texts_, dict) or any(not isinstance(texts_.get(lang), str) for lang in LANGS):
                bad(raw_words.line_of(word), "rule-words", f"words.{word} needs 'en' and 'zh' text")
            else:
                words[str(word)] = {lang: texts_[lang] for lang in LANGS}

    placeholders = known | set(values)
    for lang, template in texts.get("message", {}).items():
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        except ValueError as err:
            bad(data["message"].line_of(lang), "rule-message", f"message.{lang}: {err}; write {{{{ for a brace")
            continue
        for name in sorted(fields):
            if name not in placeholders:
                bad(data["message"].line_of(lang), "rule-message",
                    f"message.{lang} uses {{{name}}}, which is not a variable, parameter or value; "
                    f"known: {', '.join(sorted(placeholders))}")

    refs = data.get("references")
    if not isinstance(refs, list) or not refs or any(not isinstance(r, str) for r in refs):
        bad(data.line_of("references"), "rule-references", "references must list source ids (kb/sources)")
        refs = []
    elif sources is not None:
        for i, ref in enumerate(refs):
            if ref not in sources:
                bad(refs.lines[i], "rule-references", f"source '{ref}' does not exist in kb/sources/")

    if len(problems) > start:
        return None
    return Rule(id=rid, gap=gap, codi=codi, title=texts["title"], when=when, severity=severity,
                message=texts["message"], rationale=texts["rationale"], references=list(refs), path=shown,
                applies_to=tuple(applies), params=dict(params), loop_name=loop_name, loop_in=loop_in,
                values=values, instruments=concerned["instruments"], target_groups=concerned["target_groups"],
                words=words)
