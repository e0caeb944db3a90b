"""Shared test fixtures: the project root, one Atlas on the built KB, and the rule for missing components.

On CI (CI=true) a test whose real component (Java for HermiT, Virtuoso, Chromium) is missing fails; on a
developer machine it is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "policyatlas"]


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, what: str) -> None:
    """Fail on CI, skip elsewhere, when a component the test needs is missing."""
    if not condition:
        if on_ci():
            pytest.fail(f"{what} is missing (CI=true: a missing component fails the test)")
        pytest.skip(f"{what} is missing")


def require_executable(name: str) -> str:
    """The path of a real component the test needs (fails on CI, skips elsewhere, when it is missing)."""
    path = shutil.which(name)
    need(path is not None, f"{name} (run `make system-deps` as root)")
    return path


def run_cli(*args: str, check: bool = False, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `policyatlas ARGS` as a user would, in a separate process."""
    proc = subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"policyatlas {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def atlas():
    """One Atlas on the compiled KB (built first if needed), shared by the whole test session."""
    from policyatlas.api import Atlas

    return Atlas.load()
