"""The standing fuzz campaign: hypothesis profiles and the corpus of past failures.

`make test` runs every fuzzer with the short budget (profile `fuzz-short`); `make fuzz` sets
POLICYATLAS_FUZZ=long and runs the same properties with a long budget (profile `fuzz-long`). Every input
that once broke a property is kept under `tests/fuzz/corpus/<area>/` and replayed as a regression input on
every run (`corpus_inputs`); a failure found by a fuzzer is written there by `keep_failure` before it is
re-raised, so it cannot be lost.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, settings

CORPUS = Path(__file__).resolve().parent / "corpus"
LONG = os.environ.get("POLICYATLAS_FUZZ", "").lower() == "long"

settings.register_profile(
    "fuzz-short", max_examples=150, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile(
    "fuzz-long", max_examples=int(os.environ.get("POLICYATLAS_FUZZ_EXAMPLES", "20000")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
FUZZ = settings.get_profile("fuzz-long" if LONG else "fuzz-short")


def corpus_inputs(area: str) -> list[Path]:
    """The kept inputs of one area (sorted, so runs are reproducible)."""
    folder = CORPUS / area
    return sorted(p for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []


@contextmanager
def keep_failure(area: str, data: bytes | str, suffix: str = ".txt") -> Iterator[None]:
    """Run a property on one input; if it fails, keep the input in the corpus, then re-raise."""
    try:
        yield
    except Exception:  # not BaseException: an interrupted or timed-out run is not a failing input
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        folder = CORPUS / area
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (hashlib.sha256(raw).hexdigest()[:16] + suffix)).write_bytes(raw)
        raise


def replay(area: str, check: Callable[[bytes], None]) -> int:
    """Run `check` on every kept input of an area; returns how many ran."""
    inputs = corpus_inputs(area)
    for path in inputs:
        check(path.read_bytes())
    return len(inputs)
