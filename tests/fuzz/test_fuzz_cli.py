"""CLI fuzzing: every sub-command of `policyatlas` with generated arguments never prints a traceback, exits
0, 1 or 2, and writes nothing outside its temporary folder.

In-process (click's CliRunner, in a temporary working directory) for speed: arguments are drawn per
sub-command from its own options (right and wrong values of each option's type: finite and non-finite
numbers, empty, impossible and unwritable paths, junk text, unknown options). When the arguments pass every
check, the command's work function (build, validate, Atlas.load, ensure_fresh, the app's start, ...) raises
`WorkStarted` instead of running: the property under test is that no bad argument gets that far and none
crashes before, and the work itself is tested by each area's own tests. A few real subprocess cases run the
command line exactly as users do. Every failing argument list is kept in tests/fuzz/corpus/cli/ and
replayed on every run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from policyatlas.cli.cli_types import FiniteFloat, Host, WritablePath
from policyatlas.cli.group import COMMANDS, main
from tests.conftest import CLI, ROOT
from tests.fuzz.conftest import FUZZ, keep_failure, replay

AREA = "cli"


class WorkStarted(BaseException):  # noqa: N818 - a signal, not an error; BaseException passes click's handlers
    """Raised in place of a command's real work: the arguments passed every check."""


def _started(*_args, **_kwargs):
    raise WorkStarted


@pytest.fixture
def guarded(monkeypatch, tmp_path):
    """Work functions replaced by `_started`; the working directory a fresh temporary folder."""
    import policyatlas.api
    import policyatlas.cli.commands.stats
    import policyatlas.cli.commands.ui
    import policyatlas.kb.validate
    import policyatlas.pipeline.build
    import policyatlas.pipeline.release

    monkeypatch.setattr(policyatlas.pipeline.build, "build", _started)
    monkeypatch.setattr(policyatlas.kb.validate, "validate", _started)
    monkeypatch.setattr(policyatlas.pipeline.release, "ensure_fresh", _started)
    monkeypatch.setattr(policyatlas.api.Atlas, "load", classmethod(_started))
    monkeypatch.setattr(policyatlas.cli.commands.stats, "open_atlas", _started)
    monkeypatch.setattr(policyatlas.cli.commands.ui, "start", _started)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICYATLAS_ENDPOINT", raising=False)
    return tmp_path


def _options(name: str) -> list[click.Parameter]:
    return [p for p in main.get_command(None, name).params if p.name != "help"]


WEIRD_TEXT = st.sampled_from(["", " ", "-", "--", "nan", "inf", "-inf", "1e308", "-1", "0", "1e-320", "NaN",
                              "\x00", "\u202e", "KEN", "ken", "XXX", "EU", "../../etc/passwd", "~", "*", "%s",
                              "SELECT * WHERE { ?s ?p ?o }", "ASK {}", "{", "'", '"', "\\", "a" * 300])
NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["nan", "inf", "-inf", "+inf", "1e308", "1e309", "-0", "0x10", "1_000", " 5 ", "５"]),
)
PATH_TEXT = st.one_of(
    st.sampled_from(["", " ", ".", "..", "out", "out/x.nt", "out.nt", "a/b/c/d.nt", "x.md", "dir/",
                     "/etc/passwd/x", "/etc/passwd/x.nt", "/proc/1/nope/x", "/nonexistent-dir/x/y.nt",
                     "/dev/null/x", "\x00", "a\x00b", "~/x", "x" * 300, "x/" + "y" * 300 + ".nt"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


def _value(param: click.Parameter) -> st.SearchStrategy[str]:
    kind = param.type
    if isinstance(kind, click.Choice):
        return st.one_of(st.sampled_from([str(c) for c in kind.choices]), WEIRD_TEXT)
    if isinstance(kind, FiniteFloat | click.types.IntParamType | click.types.FloatParamType):
        return st.one_of(NUMBER_TEXT, WEIRD_TEXT)
    if isinstance(kind, WritablePath | click.Path):
        return PATH_TEXT
    if isinstance(kind, Host):
        return st.one_of(st.sampled_from(["127.0.0.1", "::1", "localhost", "999.1.1.1", "1.2.3", "::g", "a..b",
                                          "-a.com", "[::1]", "0.0.0.0", "1.1.1.1.1", "ex ample"]), WEIRD_TEXT)
    return st.one_of(WEIRD_TEXT, st.text(max_size=20))


@st.composite
def argv(draw) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    tokens = [name]
    params = _options(name)
    for param in draw(st.lists(st.sampled_from(params), max_size=4)) if params else []:
        if isinstance(param, click.Argument):
            tokens.append(draw(_value(param)))
            continue
        tokens.append(draw(st.sampled_from(param.opts + param.secondary_opts)))
        if not param.is_flag:
            tokens.append(draw(_value(param)))
    if draw(st.integers(0, 9)) == 0:  # sometimes an unknown option or a stray word
        tokens.insert(draw(st.integers(1, len(tokens))), draw(st.sampled_from(["--nope", "-x", "stray", "--"])))
    return tokens


def run_in_process(args: list[str]) -> tuple[int | None, str]:
    """Run `policyatlas ARGS` in this process; (exit code or None when the work would start, all output)."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    runner = CliRunner()
    try:
        result = runner.invoke(main, args, catch_exceptions=True)
    except WorkStarted:
        return None, ""
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"policyatlas {args!r} raised {result.exception!r}") from result.exception
    return result.exit_code, output


def check(args: list[str], home: Path) -> None:
    before = sorted(p.name for p in ROOT.iterdir())
    code, output = run_in_process(args)
    assert code in (None, 0, 1, 2), (args, code, output)
    assert "Traceback" not in output and "internal error" not in output, (args, output)
    assert sorted(p.name for p in ROOT.iterdir()) == before, f"{args!r} wrote into the project folder"
    assert Path.cwd() == home


def _snapshot() -> dict[str, int]:
    """Modification times of the project's tracked folders (nothing the fuzzer runs may touch them)."""
    times = {}
    for folder in ("kb", "ontology", "evaluator", "docs", "policyatlas", "ui"):
        for path in (ROOT / folder).rglob("*"):
            if "__pycache__" not in path.parts:
                times[str(path)] = path.stat().st_mtime_ns
    return times


def test_corpus_replays(guarded):
    replayed = replay(AREA, lambda raw: check(json.loads(raw.decode("utf-8")), guarded))
    assert replayed >= 5, "the corpus holds the issue's cases"


@FUZZ
@given(args=argv())
def test_every_sub_command_with_generated_arguments(guarded, args):
    with keep_failure(AREA, json.dumps(args, ensure_ascii=False), suffix=".json"):
        check(args, guarded)


def test_the_fuzz_leaves_the_project_untouched(guarded):
    """One more pass over a fixed set of argument lists, with every project file's time compared."""
    before = _snapshot()
    for name in sorted(COMMANDS):
        for args in ([name, "--help"], [name, "--nope"], [name, "--out", ""], [name, "--dataset", "/etc"]):
            check(args, guarded)
    assert _snapshot() == before


# ---- the cases, exactly (in-process) ------------------------------------------------------------

USAGE_ERRORS = [
    ["serve", "--timeout", "nan"], ["serve", "--timeout", "inf"], ["serve", "--host", "999.1.1.1"],
    ["suggest", "--country", "KEN", "--fiscal-space", "1e308"],
    ["suggest", "--country", "KEN", "--fiscal-space", "inf"],
    ["suggest", "--country", "KEN", "--fiscal-space", "nan"], ["suggest", "--country", "KEN", "--fiscal-space", "-1"],
    ["export", "--format", "csv", "--out", ""], ["export", "--format", "csv", "--out", "/etc/passwd/x"],
    ["graph", "--out", "/etc/passwd/x"], ["graph", "--out", "."], ["stats", "--write", "/etc/passwd/x.md"],
    ["build", "--out", "/etc/passwd/x.nt"], ["build", "--out", ""], ["build", "--out", "x.txt"],
    ["evaluate", "--country", "KEN", "--dataset", "/nonexistent.nt"], ["query", "ASK {}", "--dataset", "/etc"],
    ["ui", "--host", "1.2.3.4.5"],
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=" ".join)
def test_bad_options_are_usage_errors_before_any_work(guarded, args):
    code, output = run_in_process(args)
    assert code == 2, (code, output)
    assert "Error: Invalid value" in output and "Traceback" not in output


# ---- a few real processes -------------------------------------------------------------------------------


def real(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("POLICYATLAS_ENDPOINT", None)
    return subprocess.run([*CLI, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, code, says", [
    (["validate", "does-not-exist"], 1, "[no-such-path]"),
    (["validate", "/etc"], 1, "[outside-kb]"),
    (["serve", "--timeout", "nan"], 2, "not a finite number"),
    (["serve", "--host", "999.1.1.1"], 2, "not a valid IP address"),
    (["suggest", "--country", "KEN", "--fiscal-space", "1e308"], 2, "out of range"),
    (["export", "--format", "csv", "--out", ""], 2, "the path is empty"),
    (["query", "SELECT ?s WHERE {", "--dataset", "plain.nt"], 1, "malformed SPARQL query"),
    (["query", "-f", "binary.rq", "--dataset", "plain.nt"], 1, "not UTF-8 text"),
    (["graph", "--out", "/etc/passwd/x", "--dataset", "plain.nt"], 2, "is not a folder"),
])
def test_real_processes(tmp_path, args, code, says):
    (tmp_path / "plain.nt").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    (tmp_path / "binary.rq").write_bytes(b"\xff\xfe SELECT")
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = real(*args, cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    assert says in proc.stderr and "Traceback" not in proc.stderr + proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_real_query_answers_on_a_plain_dataset(tmp_path):
    (tmp_path / "plain.nt").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    proc = real("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--dataset", "plain.nt", "--format", "csv",
                cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.split() == ["n", "1"], proc.stderr
