"""The rule files: the shipped rules are well formed and complete, and every kind of mistake in a rule file
is reported with its file, line and check (one deliberately bad fixture per mistake)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evaluator.assess.conditions import FUNCTIONS, VARIABLES
from evaluator.assess.rules_loader import GAP_KINDS, RULES_DIR, load_rules, validate_rules
from policyatlas.core.errors import ValidationError
from policyatlas.core.paths import KB_DIR

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = FIXTURES / "invalid-rules"
EXPECTED = json.loads((INVALID / "expected.json").read_text(encoding="utf-8"))

# Gap kind -> the CODI criterion it informs first (docs/contracts.md, "Gap kind -> CODI criterion").
PRIMARY_CRITERION = {
    "fragmentation": "coherence-and-integration", "equity-blind-spot": "inclusiveness",
    "fiscal-unsustainability": "financial-and-fiscal-sustainability",
    "governance-lag": "governance-and-institutional-capacity", "firm-responsibility-gap": "incentive-compatibility",
    "psychosocial-gap": "adequacy", "evidence-gap": "cost-effectiveness", "global-south-gap": "appropriateness",
}


def test_shipped_rules_are_valid_and_cite_existing_sources():
    problems = validate_rules(RULES_DIR, KB_DIR)
    assert not problems, "fix these rule files:\n" + "\n".join(map(str, problems))


def test_at_least_sixteen_rules_and_one_per_gap_kind():
    rules = load_rules(RULES_DIR)
    assert len(rules) >= 16
    assert {r.gap for r in rules} == set(GAP_KINDS)


def test_each_rule_informs_its_gap_kinds_primary_criterion():
    for rule in load_rules(RULES_DIR):
        assert rule.codi[0] == PRIMARY_CRITERION[rule.gap], (
            f"{rule.path}: codi should start with {PRIMARY_CRITERION[rule.gap]} for gap {rule.gap}")


def test_no_threshold_lives_in_python():
    """Numbers in rule conditions come from the rule file; the engine modules hold no policy thresholds."""
    root = Path(__file__).resolve().parents[2] / "evaluator" / "assess"
    for name in ("engine.py", "context.py", "conditions.py"):
        text = (root / name).read_text(encoding="utf-8")
        assert not re.search(r"fig\(['\"][a-z-]+['\"]\)\s*[<>]=?\s*\d", text), f"{name} compares a figure"


def test_readme_documents_every_function_and_variable():
    readme = (RULES_DIR / "README.md").read_text(encoding="utf-8")
    for name in [*FUNCTIONS, *VARIABLES]:
        assert f"`{name}" in readme, f"evaluator/rules/README.md does not document `{name}`"


def test_valid_fixture_passes():
    assert validate_rules(FIXTURES / "valid-rules", FIXTURES / "rules-kb") == []


@pytest.mark.parametrize("case", sorted(EXPECTED), ids=sorted(EXPECTED))
def test_each_mistake_is_reported_with_file_line_and_check(case):
    check, line = EXPECTED[case]
    folder = INVALID / case
    problems = validate_rules(folder, FIXTURES / "rules-kb")
    assert problems, f"{case}: expected a {check} problem, got none"
    first = problems[0]
    assert first.path.endswith(f"invalid-rules/{case}/older-workers-rule.yaml")
    assert (first.rule, first.line) == (check, line), f"{case}: got {[str(p) for p in problems]}"
    text = str(first)
    assert f"older-workers-rule.yaml:{line}:" in text and check in text
    with pytest.raises(ValidationError):
        load_rules(folder, FIXTURES / "rules-kb")


def test_every_invalid_fixture_says_why_it_must_fail():
    for path in INVALID.glob("*/*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# MUST FAIL"), path


def test_duplicate_rule_ids_across_files(tmp_path):
    text = (FIXTURES / "valid-rules" / "older-workers-rule.yaml").read_text(encoding="utf-8")
    (tmp_path / "older-workers-rule.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "copy.yaml").write_text(text.replace("id: older-workers-rule", "id: copy"), encoding="utf-8")
    assert validate_rules(tmp_path, FIXTURES / "rules-kb") == []
    (tmp_path / "copy.yaml").unlink()
    assert validate_rules(tmp_path / "nowhere", None)[0].rule == "rules-dir"
