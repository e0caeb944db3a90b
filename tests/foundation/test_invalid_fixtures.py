"""Each folder in tests/fixtures/invalid/ holds one deliberately bad input (one kind of mistake) and an
`expect.yaml` naming the file, line and rule that `policyatlas validate` must report. The bad files are laid
over a copy of the valid mini-KB in tests/fixtures/valid/kb, so each case differs from a passing KB by
exactly one mistake.

Run: .venv/bin/python -m pytest tests/foundation/test_invalid_fixtures.py
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from policyatlas.core.yamlio import parse_yaml_text
from tests.conftest import ROOT, run_cli

VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"
INVALID_DIR = ROOT / "tests" / "fixtures" / "invalid"
INVALID = sorted(p for p in INVALID_DIR.iterdir() if (p / "expect.yaml").exists())


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


# Hostile input the loader refuses (issue 10, point 3): each rule has at least one fixture.
HOSTILE_RULES = {"yaml-alias", "yaml-anchor", "yaml-merge", "yaml-tag", "yaml-depth", "bad-date", "number-too-long",
                 "not-finite", "non-ascii-digit", "control-character", "bidi-control", "bad-url", "empty-file"}


def test_every_kind_of_hostile_input_has_a_fixture():
    rules = {yaml.safe_load((c / "expect.yaml").read_text())["rule"] for c in INVALID}
    assert HOSTILE_RULES <= rules, sorted(HOSTILE_RULES - rules)


def test_an_alias_bomb_is_refused_in_milliseconds():
    bomb = (INVALID_DIR / "yaml-alias-bomb" / "kb" / "sources" / "suri-jack-2016.yaml").read_text()
    bomb = bomb[bomb.index("lol:"):]
    assert len(bomb.encode()) < 400
    started = time.perf_counter()
    loaded = parse_yaml_text(bomb, "bomb.yaml")
    elapsed = time.perf_counter() - started
    assert loaded.data is None and {p.rule for p in loaded.problems} == {"yaml-anchor", "yaml-alias"}
    assert elapsed < 0.25, f"the alias bomb took {elapsed:.3f} s (about 0.002 s expected; it ran past 60 s once)"


def test_a_byte_order_mark_is_accepted_in_csv_and_yaml(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    for rel in ("figures/informal-employment-share.csv", "countries/countries.csv", "sources/suri-jack-2016.yaml"):
        path = kb / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    proc = run_cli("validate", "--kb", str(kb), "--no-reason")
    assert proc.returncode == 0, proc.stderr
    assert "no problems" in proc.stdout


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
