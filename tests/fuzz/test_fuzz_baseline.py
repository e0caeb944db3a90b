"""Fuzzing the kb/baseline/ loader: any bytes in schemes.csv, coverage.csv or group-sizes.csv give problems
with a file, a line and a rule, never an exception (hostile input, issue 12).

Run: .venv/bin/python -m pytest tests/fuzz/test_fuzz_baseline.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from policyatlas.kb import kbschema as S
from policyatlas.kb.baseline_loader import load_baseline
from policyatlas.kb.loader import KBSource, _resolve, load_kb
from tests.conftest import ROOT
from tests.fuzz.conftest import FUZZ, keep_failure, replay

AREA = "baseline"
VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"
FILES = ("schemes.csv", "coverage.csv", "group-sizes.csv")

cell = st.one_of(
    st.sampled_from(["", "DEU", "KEN", "XXX", "unknown", "yes", "no", "true", "false", "NaN", "inf", "-1", "1e400",
                     "2999", "0", "100.5", "persons", S.COVERAGE_UNIT, *S.BRANCHES, *S.SCHEME_KINDS,
                     *S.SIZE_GROUPS, "ilostat-sdg-0131-2025", "a;b;;", '"', "\x00", "é"]),
    st.text(max_size=12))


def rows_for(columns: list[str]):
    row = st.lists(cell, min_size=len(columns) - 1, max_size=len(columns) + 1)
    return st.lists(row, max_size=6).map(
        lambda rows: ",".join(columns) + "\n" + "\n".join(",".join(r) for r in rows) + "\n")


_BASE: list[KBSource] = []


def check(kb_dir: Path, name: str, data: bytes) -> None:
    """Read the baseline files with the rest of the mini-KB already loaded (once): what load_kb does for
    kb/baseline/, references resolved against the KB, at a fraction of the cost of re-reading every file."""
    (kb_dir / "baseline" / name).write_bytes(data)
    if not _BASE:
        _BASE.append(load_kb(VALID))
    base = _BASE[0]
    kb = KBSource(kb_dir, records=base.records, countries=base.countries, figures=base.figures)
    refs: list = []
    load_baseline(kb, refs)
    _resolve(kb, refs)
    for p in kb.problems:
        assert p.path and p.line >= 1 and p.rule and p.message, p


def fresh(tmp: Path) -> Path:
    """A copy of the valid mini-KB, made once per directory; later calls only restore its baseline files, so
    each input is checked against the same KB and an example costs a few small file copies."""
    kb_dir = tmp / "kb"
    if not kb_dir.exists():
        shutil.copytree(VALID, kb_dir)
    for name in FILES:
        shutil.copyfile(VALID / "baseline" / name, kb_dir / "baseline" / name)
    return kb_dir


COLUMNS = {"schemes.csv": S.SCHEME_COLUMNS, "coverage.csv": S.COVERAGE_COLUMNS, "group-sizes.csv": S.GROUP_SIZE_COLUMNS}


@FUZZ
@given(name=st.sampled_from(FILES), data=st.data())
def test_structured_rows_never_crash_the_loader(tmp_path, name, data):
    text = data.draw(rows_for(COLUMNS[name]))
    kb_dir = fresh(tmp_path)
    with keep_failure(AREA, f"{name}\n{text}"):
        check(kb_dir, name, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(name=st.sampled_from(FILES), raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_loader(tmp_path, name, raw):
    kb_dir = fresh(tmp_path)
    with keep_failure(AREA, name.encode() + b"\n" + raw, ".bin"):
        check(kb_dir, name, raw)


def test_the_full_loader_reads_a_bad_baseline_file(tmp_path):
    """The same input through load_kb itself: the baseline files are part of every validate run."""
    kb_dir = fresh(tmp_path)
    (kb_dir / "baseline" / "coverage.csv").write_bytes(b"iso3,branch\n\xff\xfe,\x00\n")
    problems = load_kb(kb_dir).problems
    # not UTF-8: one problem with its rule, no traceback
    assert [p.rule for p in problems if p.path.endswith("coverage.csv")] == ["encoding"]


def test_corpus_replays(tmp_path):
    def one(blob: bytes) -> None:
        name, _, data = blob.partition(b"\n")
        check(fresh(tmp_path), name.decode(), data)

    replay(AREA, one)
