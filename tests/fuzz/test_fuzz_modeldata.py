"""Fuzzing the typed loader of the models' parameter files (evaluator/models/modeldata.py, issue 11 point 5).

Each example takes one real file of evaluator/models/data/, mutates its bytes and structure with the KB loader's
mutations (tests/fuzz/test_fuzz_loader.py: lines deleted, duplicated, re-indented, values replaced by other
types or by hostile YAML), and checks it against the project's KB ids as `policyatlas validate` does; a second
property walks every schema over arbitrary YAML-shaped data. The loader must return problems or data, never
raise and never hang; every problem names the file and a line inside it; `load` gives the data or a
ValidationError. A failing input is kept in tests/fuzz/corpus/modeldata/ (`<hash>.<file name>`).

Run: .venv/bin/python -m pytest -q -p no:cacheprovider tests/fuzz/test_fuzz_modeldata.py
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.models import modeldata
from evaluator.models.modeldata import MODEL_DATA_DIR, REGISTRY, KBIds, check_file
from policyatlas.core.errors import Problem, ValidationError
from policyatlas.kb.loader import load_kb
from tests.fuzz.conftest import FUZZ, LONG, corpus_inputs, keep_failure
from tests.fuzz.test_fuzz_loader import MUTATION, _line_count, mutate, time_limit

AREA = "modeldata"
NAMES = sorted(REGISTRY)
BUDGET = FUZZ if LONG else settings(FUZZ, max_examples=min(FUZZ.max_examples, 100))
SECONDS_PER_INPUT = 5.0  # a model file is checked in milliseconds


@cache
def kb_ids() -> KBIds:
    """The project KB's ids, read once (a plain function, not a fixture: hypothesis would print it)."""
    return KBIds.from_kb(load_kb())


def _sound(problems: list[Problem], path: Path) -> None:
    lines = _line_count(path.read_bytes())
    for problem in problems:
        assert problem.rule and problem.message and "Traceback" not in problem.message, problem
        assert Path(problem.path).name == path.name, problem
        assert isinstance(problem.line, int) and 1 <= problem.line <= lines, f"line outside the file: {problem}"


def check(path: Path, name: str, ids: KBIds | None) -> None:
    with time_limit(SECONDS_PER_INPUT):
        data, problems = check_file(path, name, ids)
        _sound(problems, path)
        try:
            loaded = modeldata.load.__wrapped__(name, path.parent)  # uncached: each input is a new file
        except ValidationError as err:
            assert err.problems
            return
    assert loaded is not None and data is not None


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kept", corpus_inputs(AREA), ids=lambda p: p.name)
def test_kept_failures_stay_fixed(kept: Path, tmp_path: Path):
    name = kept.name.split(".", 1)[1]
    check(_write(tmp_path, name, kept.read_bytes()), name, kb_ids())


@BUDGET
@given(name=st.sampled_from(NAMES), mutations=st.lists(MUTATION, min_size=1, max_size=4), with_kb=st.booleans())
def test_mutated_model_files_give_problems_never_a_crash(name, mutations, with_kb, tmp_path_factory):
    data = mutate((MODEL_DATA_DIR / name).read_bytes(), mutations, csv=False)
    with keep_failure(AREA, data, suffix=f".{name}"):
        check(_write(tmp_path_factory.mktemp("m"), name, data), name, kb_ids() if with_kb else None)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False),
                    st.text(max_size=12), st.sampled_from(["LIC", "HIC", "population", "1", "low", "advanced"]))
KEYS = st.one_of(st.text(max_size=10), st.sampled_from(["value", "low", "central", "high", "roles", "model", "levels",
                                                        "anchors", "instruments", "assumption", "note", "source"]))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(KEYS, inner, max_size=5)), max_leaves=25)


@BUDGET
@given(name=st.sampled_from(NAMES), tree=TREES)
def test_every_schema_takes_any_yaml_shape(name, tree, tmp_path_factory):
    text = yaml.safe_dump(tree, allow_unicode=True)
    with keep_failure(AREA, text, suffix=f".{name}"):
        check(_write(tmp_path_factory.mktemp("t"), name, text.encode("utf-8")), name, kb_ids())
