"""The models' parameter files through the typed loader (evaluator/models/modeldata.py, issue 11 point 5).

Each folder in tests/fixtures/invalid-model/ holds one model file of evaluator/models/data/ with one planted mistake
and an `expect.yaml` naming the file, line and rule the check must report; the file is laid over a copy of
evaluator/models/data/ and checked against the project's KB, so each case differs from passing data by one mistake.

Run: .venv/bin/python -m pytest tests/evaluator/test_modeldata.py
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml

from evaluator.models import modeldata
from evaluator.models.modeldata import MODEL_DATA_DIR, KBIds, check_file, check_folder
from policyatlas.core.errors import ValidationError
from policyatlas.kb.loader import load_kb
from tests.conftest import ROOT, run_cli

INVALID_DIR = ROOT / "tests" / "fixtures" / "invalid-model"
INVALID = sorted(p for p in INVALID_DIR.iterdir() if (p / "expect.yaml").exists())
MINI_KB = ROOT / "tests" / "fixtures" / "valid" / "kb"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def ids(kb):
    return KBIds.from_kb(kb)


def overlay(case: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MODEL_DATA_DIR, folder)
    for src in case.glob("*.yaml"):
        if src.name != "expect.yaml":
            shutil.copyfile(src, folder / src.name)
    return folder


def test_the_project_model_data_has_no_problems(kb):
    assert check_folder(MODEL_DATA_DIR, kb) == []


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_each_mistake_is_reported_with_file_line_and_rule(case: Path, tmp_path: Path, kb):
    expect = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))
    problems = check_folder(overlay(case, tmp_path), kb)
    shown = [str(p) for p in problems]
    wanted = f"{expect['file']}:{expect['line']}: [{expect['rule']}]"
    found = {f"{Path(p.path).name}:{p.line}: [{p.rule}]" for p in problems}
    assert wanted in found, f"{wanted} ({expect['why']}) not in {shown}"
    assert all(p.path.endswith(expect["file"]) for p in problems), shown  # one mistake, one file


def test_every_rule_of_the_loader_has_a_fixture_or_a_test_here():
    rules_section = modeldata.__doc__.split("Rules reported")[1].split("Two ways in")[0]
    documented = set(re.findall(r"`([a-z-]+)`", rules_section))
    fixtures = {yaml.safe_load((c / "expect.yaml").read_text())["rule"] for c in INVALID}
    tested_below = {"missing-file", "indicator-without-figures"}
    assert documented - fixtures - tested_below == set(), documented - fixtures
    assert len(documented) >= 13, documented
    assert len(INVALID) >= 12


def test_an_instrument_without_a_cost_model_is_a_validate_problem(ids):
    """The analyst's case of the issue: a new KB instrument and no entry in costs.yaml."""
    more = dataclasses.replace(ids, instrument=ids.instrument | {"robot-tax"})
    _, problems = check_file(MODEL_DATA_DIR / "costs.yaml", ids=more)
    text = (MODEL_DATA_DIR / "costs.yaml").read_text(encoding="utf-8").splitlines()
    line = text.index("instruments:") + 1
    assert [(p.line, p.rule) for p in problems] == [(line, "missing-entry")]
    assert "'robot-tax'" in problems[0].message


def test_a_role_whose_indicator_has_no_figures_is_a_problem(ids):
    fewer = dataclasses.replace(ids, figure_indicators=ids.figure_indicators - {"oda-pct-gni"})
    _, problems = check_file(MODEL_DATA_DIR / "indicators.yaml", ids=fewer)
    assert [(p.rule, "oda-pct-gni" in p.message) for p in problems] == [("indicator-without-figures", True)]


def test_a_missing_file_is_a_problem_and_a_broken_one_stops_the_models(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(MODEL_DATA_DIR, folder)
    (folder / "transferability.yaml").unlink()
    assert [p.rule for p in check_folder(folder)] == ["missing-file"]
    (folder / "fiscal_space.yaml").write_text("reprioritisation_share: {value: 5%}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"fiscal_space\.yaml:1: \[wrong-type\]"):
        modeldata.load("fiscal_space.yaml", folder)
    assert modeldata.load("fiscal_space.yaml")["stages"]["phases"][-1]["share"] == 1.0  # the real one is cached


def test_validate_runs_the_model_checks(tmp_path):
    """`policyatlas validate --model-data` reports a model problem as path:line: [rule], exit 1."""
    folder = tmp_path / "data"
    shutil.copytree(MODEL_DATA_DIR, folder)
    costs = folder / "costs.yaml"
    lines = costs.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  vocational-skills-programme:\n")
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"(  )?\S", lines[i]))  # the next entry
    costs.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    line = lines.index("instruments:\n") + 1
    proc = run_cli("validate", "--kb", str(MINI_KB), "--model-data", str(folder), "--no-reason")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    about = [x for x in proc.stderr.splitlines() if "'vocational-skills-programme'" in x]
    assert about == [f"{costs}:{line}: [missing-entry] 'instruments' has no entry for instrument "
                     "'vocational-skills-programme'; add one (a value)"], proc.stderr  # once, not twice


def test_an_uncosted_instrument_is_one_problem_of_validate(tmp_path, kb):
    """What `policyatlas validate` runs on the model files (`policyatlas.pipeline.build.validate_project`: this typed
    loader and the cost model's own) reports an instrument without a cost model exactly once."""
    from evaluator.models.costing import check_costs

    folder = tmp_path / "data"
    shutil.copytree(MODEL_DATA_DIR, folder)
    costs = folder / "costs.yaml"
    lines = costs.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  wage-subsidy:\n")
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"(  )?\S", lines[i]))
    costs.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    problems = check_folder(folder, kb) + check_costs(costs, ROOT / "kb")
    assert [(p.line, p.rule) for p in problems] == [(lines.index("instruments:\n") + 1, "missing-entry")], \
        [str(p) for p in problems]
    assert "'wage-subsidy'" in problems[0].message
