"""Fuzzing the KB loader with mutated real KB files (issue 10, points 3 and 9).

Each example takes one real file of `kb/` (a YAML record or a CSV table), mutates its bytes and its structure
(lines deleted, inserted, duplicated, swapped or re-indented; values replaced by other types or by the hostile
constructs the loader must refuse: aliases, tags, impossible dates, huge numbers, NaN, bidi characters, ...),
lays it over a copy of the valid mini-KB and loads that KB as `policyatlas validate` does (load, compile the
records without problems into a store, locate nodes). The loader must return problems or records, never raise and never
hang; every problem must name a file of the KB and a line inside it.

`make test` runs the short budget; `make fuzz` (POLICYATLAS_FUZZ=long, POLICYATLAS_FUZZ_EXAMPLES=N) the long
one. A failing input is kept in tests/fuzz/corpus/loader/ (named `<hash>.<folder>~<file>`) and replayed on
every run.

Run: .venv/bin/python -m pytest -q -p no:cacheprovider tests/fuzz/test_fuzz_loader.py
"""

from __future__ import annotations

import math
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyatlas.core.yamlio import parse_csv_text, parse_number, parse_yaml_text
from policyatlas.kb.compile import canonical_ntriples, compile_kb, node_locations
from policyatlas.kb.loader import load_kb
from policyatlas.kb.validate import checked_part, to_store
from tests.conftest import ROOT
from tests.fuzz.conftest import FUZZ, LONG, corpus_inputs, keep_failure

AREA = "loader"
VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"
KB = ROOT / "kb"
# Each example loads a whole mini-KB (~60 ms): the short budget keeps `make test` within seconds.
BUDGET = FUZZ if LONG else settings(FUZZ, max_examples=min(FUZZ.max_examples, 60))
SECONDS_PER_INPUT = 10.0  # a KB of ~20 small files loads in ~20 ms; 10 s means it hangs

# A few real files of each kind (every YAML folder, the figure tables, the country tables).
SEEDS = sorted(
    [p for folder in sorted(KB.iterdir()) if folder.is_dir() for p in sorted(folder.glob("*.yaml"))[:4]]
    + sorted(KB.glob("figures/*.csv"))[:3] + sorted(KB.glob("countries/*.csv")))
SEED_NAMES = [p.relative_to(KB).as_posix() for p in SEEDS]

HOSTILE = [
    "*a", "&a x", "&a [1, 2]", "<<: {a: 1}", "<<: *a", "!!python/object:os.system x", '!!int "abc"', "!foo x",
    "!!binary aGVsbG8=", "! x", "2026-02-30", "2021-13-01", "2020-01-01 00:00:00 +99:00", "9" * 5000, "-" + "1" * 19,
    "0x" + "f" * 40, "1:2:3:4:5:6:7:8:9:10:11:12", "1_000_000_000_000_000_000", "[" * 60 + "]" * 60,
    "{a: " * 30 + "1" + "}" * 30, ".nan", "NaN", "nan", "Infinity", "-Infinity", ".inf", "-.Inf", "inf", "1e999",
    "-1e999", "1.0e+999", "1e-999", "２０２０", "٢٠٢٠", "۲۰۲۰", "२०२०", "\u202e", "\u2066x\u2069", "\u200f", "\x07",
    "\x00", "\x1b[31m", "\x85", "\u2028", "\ufeff", "---", "...", "~", "null", "", "=", "? [a]\n: b", "? {a: 1}\n: b",
    "https://example.org/\n", "|\n  https://example.org/", ">\n  text", "'unterminated", '"unterminated',
    '"\\x07\\u202e"', '"\\ud800"', "- - - -", "\t", "a: b: c", "%YAML 1.1\n---", "%TAG ! tag:x,2000:\n---",
    "[1, 2", "{a", "@x", "`x", "#", "\r", "\r\n", "true", "yes", "NO", "0", "-0", "0.0", "1e3", "[]", "{}",
    "[[], {}]", "- a\n- b", "k: v", "id: x", "a,b", '"a,""b"', "\n\n\n",
]
# What a mutation may put in: a hostile construct, random text, random bytes.
PAYLOAD = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.binary(max_size=12))
OPS = ("delete-line", "duplicate-line", "insert-line", "swap-lines", "replace-value", "append-value",
       "indent", "dedent", "replace-cell", "insert-bytes", "overwrite-bytes", "truncate", "insert-at-start",
       "replace-all-values")
MUTATION = st.tuples(st.sampled_from(OPS), st.integers(0, 10_000), st.integers(0, 10_000), PAYLOAD)


def _bytes(payload: str | bytes) -> bytes:
    return payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")


def _value_split(line: bytes, csv: bool) -> tuple[bytes, bytes]:
    """A line as (what stays, the value to replace): after `key:` in YAML, after the last comma in CSV."""
    sep = b"," if csv else b":"
    cut = line.rfind(sep) if csv else line.find(sep)
    return (line[:cut + 1] + (b"" if csv else b" "), line[cut + 1:]) if cut >= 0 else (b"", line)


def mutate(data: bytes, mutations: list, csv: bool) -> bytes:
    """Apply each mutation (kind, position, other position, payload) to the file's bytes, in order."""
    for kind, i, j, payload in mutations:
        lines = data.split(b"\n")
        a, b = i % len(lines), j % len(lines)
        raw = _bytes(payload)
        if kind == "delete-line":
            del lines[a]
        elif kind == "duplicate-line":
            lines.insert(a, lines[a])
        elif kind == "insert-line":
            lines.insert(a, raw)
        elif kind == "swap-lines":
            lines[a], lines[b] = lines[b], lines[a]
        elif kind == "replace-value":
            lines[a] = _value_split(lines[a], csv)[0] + raw
        elif kind == "append-value":
            lines[a] = lines[a] + raw
        elif kind == "indent":
            lines[a] = b" " * (1 + j % 4) + lines[a]
        elif kind == "dedent":
            lines[a] = lines[a].lstrip(b" ")
        elif kind == "replace-cell":
            cells = lines[a].split(b",")
            cells[j % len(cells)] = raw
            lines[a] = b",".join(cells)
        elif kind == "replace-all-values":
            lines = [_value_split(line, csv)[0] + raw if line.strip() else line for line in lines]
        if kind in ("insert-bytes", "overwrite-bytes", "truncate", "insert-at-start"):
            at = i % (len(data) + 1)
            data = {"insert-bytes": data[:at] + raw + data[at:],
                    "overwrite-bytes": data[:at] + raw + data[at + len(raw):],
                    "truncate": data[:at],
                    "insert-at-start": raw + data}[kind]
        else:
            data = b"\n".join(lines)
    return data


class Hang(Exception):
    """Loading one input took longer than SECONDS_PER_INPUT."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def stop(signum, frame):
        raise Hang(f"loading took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _line_count(raw: bytes) -> int:
    """The most lines any reader could count in the file (YAML also breaks lines at \\r, U+0085, U+2028/9)."""
    text = raw.decode("utf-8", "replace")
    return max(raw.count(b"\n"), len(text.splitlines())) + 1


class Workspace:
    """A copy of the valid mini-KB; `check` lays one input over it, loads the KB and puts the file back."""

    def __init__(self, root: Path):
        self.kb = root / "kb"
        shutil.copytree(VALID, self.kb)

    def check(self, name: str, data: bytes) -> None:
        target = self.kb / name
        original = target.read_bytes() if target.exists() else None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        try:
            started = time.perf_counter()
            with time_limit(SECONDS_PER_INPUT):
                kb = load_kb(self.kb)
                checked = checked_part(kb, kb.problems)  # what `validate` compiles and loads next
                to_store(canonical_ntriples(compile_kb(checked)))
                node_locations(checked)
            assert time.perf_counter() - started < SECONDS_PER_INPUT
            for problem in kb.problems:
                assert problem.rule and problem.message, problem
                path = Path(problem.path)
                path = path if path.is_absolute() else ROOT / path
                assert path.is_file() and path.is_relative_to(self.kb), f"not a file of the KB: {problem}"
                assert isinstance(problem.line, int), problem
                assert 1 <= problem.line <= _line_count(path.read_bytes()), f"line outside the file: {problem}"
                assert "Traceback" not in problem.message, problem
        finally:
            if original is None:
                target.unlink()
            else:
                target.write_bytes(original)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("fuzz-loader"))


def _kept_name(path: Path) -> str:
    """`<hash>.<folder>~<file>` → `<folder>/<file>`."""
    return path.name.split(".", 1)[1].replace("~", "/")


def test_the_seeds_are_real_kb_files_of_every_kind():
    folders = {name.split("/")[0] for name in SEED_NAMES}
    assert {"sources", "programmes", "evidence", "instruments", "indicators", "figures", "countries"} <= folders


@pytest.mark.parametrize("kept", corpus_inputs(AREA), ids=lambda p: p.name)
def test_kept_failures_stay_fixed(kept: Path, workspace: Workspace):
    workspace.check(_kept_name(kept), kept.read_bytes())


@BUDGET
@given(seed=st.sampled_from(SEED_NAMES), mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_kb_files_give_problems_never_exceptions(workspace: Workspace, seed: str, mutations: list):
    data = mutate((KB / seed).read_bytes(), mutations, seed.endswith(".csv"))
    with keep_failure(AREA, data, "." + seed.replace("/", "~")):
        workspace.check(seed, data)


@BUDGET
@given(seed=st.sampled_from(SEED_NAMES), text=st.text(max_size=200))
def test_random_text_in_place_of_a_kb_file(workspace: Workspace, seed: str, text: str):
    data = text.encode("utf-8", "surrogatepass")
    with keep_failure(AREA, data, "." + seed.replace("/", "~")):
        workspace.check(seed, data)


# The reading layer alone (no KB around it): many more inputs per second, the same guarantees.
YAMLISH = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20),
                             st.sampled_from(["\n", ": ", "- ", "  ", "[", "]", "{", "}", ",", "&a ", "*a", "!!"])),
                   max_size=30).map("".join)


@FUZZ
@given(text=st.one_of(YAMLISH, st.text(max_size=300)))
def test_yaml_reader_returns_problems_never_exceptions(text: str):
    with keep_failure(AREA, text, ".sources~fuzz-text.yaml"), time_limit(SECONDS_PER_INPUT):
        loaded = parse_yaml_text(text, "fuzz.yaml")
        assert loaded.data is not None or loaded.problems, "no data and no problem saying why"
        for problem in loaded.problems:
            assert problem.path == "fuzz.yaml"
            assert 1 <= problem.line <= _line_count(text.encode("utf-8", "surrogatepass")), problem


@FUZZ
@given(text=st.one_of(YAMLISH, st.text(max_size=300)))
def test_csv_reader_and_number_parser_return_problems_never_exceptions(text: str):
    with keep_failure(AREA, text, ".figures~informal-employment-share.csv"), time_limit(SECONDS_PER_INPUT):
        rows, problems = parse_csv_text("iso3,value,year,unit,source,flag\n" + text, "fuzz.csv",
                                        ["iso3", "value", "year", "unit", "source", "flag"])
        for problem in problems:
            assert 1 <= problem.line <= _line_count(text.encode("utf-8", "surrogatepass")) + 1, problem
        for row in rows:
            for cell in row.values.values():
                value, refused = parse_number(cell)
                assert value is None or refused is None
                if value is not None:
                    assert math.isfinite(value) and cell.strip().isascii()
