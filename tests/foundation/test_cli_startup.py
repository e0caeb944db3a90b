"""A quick CLI: `policyatlas --help` imports no sub-command and nothing heavy, and `policyatlas query` does
not import rdflib, pandas, httpx or the evaluator (`python -X importtime` lists every module a run imports).
The start-up ratios themselves are measured by `make bench` (bench/bench_cli.py).

Run: .venv/bin/python -m pytest tests/foundation/test_cli_startup.py
"""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from policyatlas.cli import commands
from policyatlas.cli.group import COMMANDS, main
from tests.conftest import ROOT

HEAVY = ("pandas", "rdflib", "streamlit", "numpy", "scipy", "networkx", "owlready2", "pyshacl", "httpx",
         "uvicorn", "starlette", "evaluator")


def imported(*args: str, cwd: Path = ROOT) -> set[str]:
    """The top-level packages a `policyatlas ARGS` run imports (from `-X importtime`)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "policyatlas", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT),
                                                                            "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "click" in names, "importtime output not understood"
    return names


def test_help_imports_nothing_heavy_and_no_sub_command():
    names = imported("--help")
    assert not names & set(HEAVY), sorted(names & set(HEAVY))
    full = subprocess.run([sys.executable, "-X", "importtime", "-m", "policyatlas", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120).stderr
    assert "policyatlas.cli.commands." not in full


def test_query_path_imports_no_rdflib_pandas_or_evaluator(tmp_path):
    (tmp_path / "plain.nt").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    names = imported("query", "SELECT ?s WHERE { ?s ?p ?o }", "--dataset", str(tmp_path / "plain.nt"),
                     "--format", "csv")
    assert "pyoxigraph" in names
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_the_query_path_modules_load_no_costly_standard_module():
    """What `policyatlas query` imports before it runs (the quick path, Atlas, the freshness rule, the store,
    the results) loads neither `dataclasses` (with `inspect`), nor `hashlib` (OpenSSL; the freshness rule
    hashes only when an input's status changed), nor `threading`: each costs more than the query itself."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import policyatlas.cli.quick, policyatlas.api"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "policyatlas.pipeline.release" in names and "pyoxigraph" in names, "importtime output not understood"
    assert not names & {"dataclasses", "inspect", "hashlib", "threading", "csv", "typing"}, sorted(names)


def test_the_command_table_lists_every_command_module():
    modules = sorted(m.name.replace("_", "-") for m in pkgutil.iter_modules(commands.__path__)
                     if not m.name.startswith("_"))
    assert sorted(COMMANDS) == modules
    for name, short in COMMANDS.items():
        command = main.get_command(None, name)
        assert isinstance(command, click.Command) and short.endswith(".") and len(short) <= 100, name


def test_constants_copied_to_keep_imports_light_match_their_source():
    from policyatlas.cli.commands import export, publish
    from policyatlas.core import remote
    from policyatlas.pipeline import exports

    assert export.FORMATS == exports.FORMATS
    assert publish.DEFAULT_GRAPH == remote.DEFAULT_GRAPH


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "policyatlas", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(ROOT),
                                                                            "PATH": "/usr/bin:/bin"})


def _output(proc: subprocess.CompletedProcess) -> tuple[int, str, list[str]]:
    """Exit code, standard output and the lines of standard error that are not import times."""
    return proc.returncode, proc.stdout, [x for x in proc.stderr.splitlines() if not x.startswith("import time:")]


@pytest.mark.parametrize("query", ["SELECT (COUNT(*) AS ?n) WHERE { ?s a pa:Country }", "SELECT ?x WHERE {",
                                   "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
def test_a_plain_query_skips_click_and_answers_as_the_click_command(query):
    """`policyatlas query TEXT` (policyatlas/cli/quick.py) does not import click, and answers exactly as the click
    command does (forced here by naming the project's dataset, which the quick path leaves to click)."""
    from policyatlas.core.paths import DATASET

    def imports(proc, module: str) -> bool:
        return re.search(rf"^import time:.*\|\s+{re.escape(module)}$", proc.stderr, flags=re.MULTILINE) is not None

    plain = _run("query", query, "--format", "csv")
    assert not imports(plain, "click") and imports(plain, "policyatlas.cli.quick")
    through_click = _run("query", query, "--format", "csv", "--dataset", str(DATASET))
    assert imports(through_click, "click")
    assert _output(plain) == _output(through_click)
    assert plain.returncode == (0 if query.startswith("SELECT (") else 1)


def test_the_quick_path_knows_what_the_click_command_knows():
    from policyatlas.cli import quick
    from policyatlas.cli.commands import query
    from policyatlas.core import safety

    formats = next(p for p in query.command.params if p.name == "fmt").type.choices
    assert tuple(formats) == quick.QUERY_FORMATS
    assert set(quick._UPDATE_WORDS) == safety.UPDATE_WORDS
    assert quick.plain_query(["query", "ASK {}", "--format", "json"])["fmt"] == "json"
    for args in (["query"], ["query", "ASK {}", "--endpoint", "http://x"], ["query", "--help"],
                 ["query", "ASK {}", "--format=csv"], ["query", "-f", "/nonexistent.rq"], ["stats"],
                 ["query", "ASK {}", "ASK {}"], ["query", "ASK {}", "--format", "nope"]):
        assert quick.plain_query(args) is None, args
