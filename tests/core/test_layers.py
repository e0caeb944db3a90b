"""The layers of docs/architecture.md: the import-linter contracts of pyproject.toml hold (`lint-imports`,
the same command `make test` runs), they catch a wrong-way import, each layer is one folder, every module of
policyatlas/, evaluator/ and ui/ is in exactly one layer, and the table in docs/architecture.md says what the
contract says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("policyatlas", "evaluator", "ui")
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def _layers() -> list[list[str]]:
    """The layers contract, highest first, each layer as its module names."""
    (contract,) = [c for c in _contracts() if c["type"] == "layers"]
    return [[m.strip() for m in re.split(r"[|:]", layer)] for layer in contract["layers"]]


def _modules(root: Path) -> list[str]:
    """Every module of the three packages (package `__init__`s by their package name), from the files."""
    out = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    assert LINT_IMPORTS, "lint-imports is missing: install the dev extras (import-linter)"
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_contracts_hold():
    proc = _lint(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.mark.parametrize(("importer", "line", "broken"), [
    # the KB layer importing the evaluator (what the KB's validate module did before the layers)
    ("policyatlas/kb/validate.py", "import evaluator.assess.rules_loader",
     "policyatlas.kb.validate -> evaluator.assess.rules_loader"),
    # a function-level import counts too (what the build module did with Atlas before the layers)
    ("policyatlas/pipeline/build.py", "def _hidden():\n    from policyatlas.api import Atlas\n    return Atlas",
     "policyatlas.pipeline.build -> policyatlas.api"),
    # the app reaching the planner around the api
    ("ui/components/common.py", "import evaluator.planner.plan", "ui is not allowed to import evaluator.planner"),
])
def test_a_wrong_way_import_breaks_a_contract(tmp_path, importer, line, broken):
    """A copy of the sources with one wrong-way import added fails `lint-imports` and names the import."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "static",
                                                                                        "*.yaml", "*.md"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / importer, "a", encoding="utf-8") as handle:
        handle.write(f"\n\n{line}\n")
    proc = _lint(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert broken in " ".join(proc.stdout.split()), proc.stdout


#: Package `__init__`s a layers contract cannot name (a layer may not contain another module of it): the two
#: root packages, whose `__init__` holds the layers' folders.
ROOTS = ("policyatlas", "evaluator")
#: The layers that are a single module, not a folder: the api (policyatlas/api.py, one module) and
#: `python -m policyatlas` (policyatlas/__main__.py, which Python looks for at the package's root).
MODULES = ("policyatlas.api", "policyatlas.__main__")


def test_each_layer_is_one_folder():
    """A layer is a package (a folder with `__init__.py`), named whole in the contract, so a new module joins
    its layer by the folder it is put in; only the two single modules above are not folders."""
    for layer in _layers():
        for name in layer:
            folder = ROOT / name.replace(".", "/")
            assert name in MODULES or (folder / "__init__.py").is_file(), f"layer {name} is not a package folder"
            assert name not in MODULES or folder.with_suffix(".py").is_file(), f"{name} is missing"
    loose = [p.name for package in ROOTS for p in (ROOT / package).glob("*.py")
             if p.stem != "__init__" and f"{package}.{p.stem}" not in MODULES]
    assert loose == [], f"modules outside every layer's folder: {loose} (move each into its layer's folder)"


def test_every_module_is_in_exactly_one_layer():
    layers = _layers()
    named = [m for layer in layers for m in layer]
    assert len(named) == len(set(named)), "a module is named twice in the layers contract"
    for module in _modules(ROOT):
        if module in ROOTS:  # the packages' __init__ that hold no code: see docs/architecture.md
            continue
        owners = [m for m in named if module == m or module.startswith(m + ".")]
        assert len(owners) == 1, f"{module} is in {len(owners)} layers of pyproject.toml ({owners})"


def test_the_architecture_doc_shows_the_contract():
    """docs/architecture.md's layer table lists the same modules per layer, in the same order, plus the two
    root packages' `__init__` (which a layers contract cannot name: a layer may not contain another)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| **")]
    module = re.compile(r"`((?:policyatlas|evaluator|ui)(?:\.\w+)*)`")
    documented = [module.findall(row.split("|")[2]) for row in rows]
    roots = [m for row in documented for m in row if m in ROOTS]
    assert sorted(roots) == sorted(ROOTS)
    assert [[m for m in row if m not in roots] for row in documented] == _layers()
