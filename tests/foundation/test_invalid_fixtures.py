"""Each folder in tests/fixtures/invalid/ holds one deliberately bad input (one kind of mistake) and an
`expect.yaml` naming the file, line and rule that `policyatlas validate` must report. The bad files are laid
over a copy of the valid mini-KB in tests/fixtures/valid/kb, so each case differs from a passing KB by
exactly one mistake.

Run: .venv/bin/python -m pytest tests/foundation/test_invalid_fixtures.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli

VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"
INVALID = sorted(p for p in (ROOT / "tests" / "fixtures" / "invalid").iterdir() if (p / "expect.yaml").exists())


def overlay(case: Path, tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    for src in (case / "kb").rglob("*"):
        if src.is_file():
            dest = kb / src.relative_to(case / "kb")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    return kb


def test_there_is_a_fixture_per_kind_of_mistake():
    rules = {yaml.safe_load((c / "expect.yaml").read_text())["rule"] for c in INVALID}
    assert len(INVALID) >= 12 and len(rules) >= 12, sorted(rules)


def test_valid_mini_kb_passes_every_check():
    proc = run_cli("validate", "--kb", str(VALID))
    assert proc.returncode == 0, proc.stderr
    assert "no problems" in proc.stdout


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_input_is_reported_with_file_line_and_rule(case: Path, tmp_path: Path):
    expect = yaml.safe_load((case / "expect.yaml").read_text())
    kb = overlay(case, tmp_path)
    proc = run_cli("validate", "--kb", str(kb), "--no-reason")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    wanted = f"{kb / expect['file']}:{expect['line']}: [{expect['rule']}]"
    assert wanted in proc.stderr, f"expected {wanted!r} ({expect['why']}) in:\n{proc.stderr}"
