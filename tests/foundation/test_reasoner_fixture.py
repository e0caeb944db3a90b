"""An ontology change that makes ontology + KB inconsistent is caught by HermiT through `policyatlas
validate`, reported on the ontology file with the rule `owl-inconsistent`; the unchanged ontology with the
same KB is consistent (the check works both ways, as OBO's ODK does it).

Run: .venv/bin/python -m pytest tests/foundation/test_reasoner_fixture.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, require_executable, run_cli

VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"
CASES = sorted((ROOT / "tests" / "fixtures" / "invalid-ontology").iterdir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_inconsistent_ontology_is_reported(case: Path, tmp_path: Path):
    require_executable("java")
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    for extra in case.glob("*.ttl"):
        shutil.copyfile(extra, ontology / extra.name)
    expect = yaml.safe_load((case / "expect.yaml").read_text())
    proc = run_cli("validate", "--kb", str(VALID), "--ontology", str(ontology))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{ontology / expect['file']}:{expect['line']}: [{expect['rule']}]" in proc.stderr, proc.stderr


def test_same_kb_with_the_project_ontology_is_consistent():
    require_executable("java")
    proc = run_cli("validate", "--kb", str(VALID))
    assert proc.returncode == 0, proc.stderr
