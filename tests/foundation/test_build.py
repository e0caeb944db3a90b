"""`policyatlas build` is deterministic and atomic: the same inputs give the same bytes, and a failed build
leaves the last good output byte-for-byte untouched. Each fact keeps its source id and source file.

Run: .venv/bin/python -m pytest tests/foundation/test_build.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from tests.conftest import ROOT, run_cli

VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_is_deterministic(tmp_path: Path):
    first, second = tmp_path / "a" / "kb.nt", tmp_path / "b" / "kb.nt"
    run_cli("build", "--kb", str(VALID), "--out", str(first), "--no-reason", check=True)
    run_cli("build", "--kb", str(VALID), "--out", str(second), "--no-reason", check=True)
    assert digest(first) == digest(second)
    assert digest(first.with_suffix(".jsonld")) == digest(second.with_suffix(".jsonld"))
    doc = json.loads(first.with_suffix(".jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict), "the JSON-LD context must be inline, never a remote document"
    assert first.with_suffix(".store").is_dir()


def test_failed_build_leaves_last_good_output_untouched(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    out = tmp_path / "out" / "kb.nt"
    run_cli("build", "--kb", str(kb), "--out", str(out), "--no-reason", check=True)
    before = {p.name: digest(p) for p in (out, out.with_suffix(".jsonld"))}
    store_files = sorted(p.name for p in out.with_suffix(".store").iterdir())
    (kb / "programmes" / "ken-m-pesa.yaml").write_text("id: ken-m-pesa\nstatus: [\n", encoding="utf-8")
    proc = run_cli("build", "--kb", str(kb), "--out", str(out), "--no-reason")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "ken-m-pesa.yaml:" in proc.stderr
    assert {p.name: digest(p) for p in (out, out.with_suffix(".jsonld"))} == before
    assert sorted(p.name for p in out.with_suffix(".store").iterdir()) == store_files
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "no temporary files left behind"


def test_every_fact_traces_to_source_id_and_file(tmp_path: Path):
    out = tmp_path / "kb.nt"
    run_cli("build", "--kb", str(VALID), "--out", str(out), "--no-reason", check=True)
    query = """
    SELECT ?node ?file ?line ?source WHERE {
      VALUES ?class { pa:Observation pa:PolicyProgramme pa:Evidence pa:PolicyInstrument }
      ?node a ?class ; pa:sourceFile ?file ; pa:sourceLine ?line .
      OPTIONAL { ?node dcterms:source ?source }
    }"""
    proc = run_cli("query", query, "--dataset", str(out), "--format", "json", check=True)
    rows = json.loads(proc.stdout)["results"]["bindings"]
    assert len({r["node"]["value"] for r in rows}) == 3 + 2 + 2 + 2
    for row in rows:
        assert "source" in row, f"{row['node']['value']} has no dcterms:source"
        assert (ROOT / row["file"]["value"]).is_file(), row["file"]["value"]
        assert int(row["line"]["value"]) >= 1


def test_all_problems_are_reported_not_just_the_first(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    text = (kb / "programmes" / "ind-pmkvy.yaml").read_text(encoding="utf-8")
    text = text.replace("status: active", "status: finished").replace("jurisdiction: IND", "jurisdiction: INDIA")
    (kb / "programmes" / "ind-pmkvy.yaml").write_text(text, encoding="utf-8")
    (kb / "figures" / "informal-employment-share.csv").open("a", encoding="utf-8").write(
        "KEN,86.489,2029,percent of total employment,ilostat-informal-employment-rate,\n")
    proc = run_cli("validate", "--kb", str(kb), "--no-reason")
    assert proc.returncode == 1
    rules = {line.split("[", 1)[1].split("]", 1)[0] for line in proc.stderr.splitlines() if ": [" in line}
    assert {"bad-value", "unknown-iso3", "future-year"} <= rules, proc.stderr


def test_malformed_query_names_the_line_of_the_users_query():
    proc = run_cli("query", "SELECT ?s\nWHERE { ?s ?p }", "--format", "csv")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "malformed SPARQL query: line 2, column" in proc.stderr, proc.stderr


def test_atlas_cost_counts_only_what_is_not_already_run_at_scale(atlas):
    deu = atlas.facts.instruments_at_scale("DEU")
    assert "short-time-work" in deu  # Kurzarbeit
    cost = atlas.cost("DEU", ["short-time-work", "universal-basic-income"])
    assert cost["in_place"] == ["short-time-work"] and cost["costed"] == ["universal-basic-income"]
    alone = atlas.cost("DEU", ["universal-basic-income"])
    assert (cost["low"], cost["central"], cost["high"]) == (alone["low"], alone["central"], alone["high"]) > (0, 0, 0)
    assert atlas.cost("DEU", ["short-time-work"])["central"] == 0.0


def test_atlas_labels_and_indicators_in_both_languages(atlas):
    labels = atlas.labels()
    assert set(labels) == {"concept", "group", "instrument", "indicator"}
    for kind in ("group", "instrument", "indicator"):
        assert labels[kind] and all(v.get("en") and v.get("zh") for v in labels[kind].values()), kind
    units = {i["id"]: i["unit"] for i in atlas.indicators()}
    assert units["informal-employment-share"] == "percent of total employment"
    assert atlas.graph().number_of_nodes() == len(atlas.instruments())
