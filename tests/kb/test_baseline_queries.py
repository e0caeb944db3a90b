"""The baseline in the compiled KB: the two library queries and the accessor the evaluator will use
(`policyatlas.kb.baseline`), checked against the CSV files they are compiled from.

Run: .venv/bin/python -m pytest tests/kb/test_baseline_queries.py
"""

from __future__ import annotations

import csv

import pytest

from policyatlas.core.namespaces import prologue
from policyatlas.core.query_library import QUERIES_DIR, read_query_file
from policyatlas.kb import kbschema as S
from policyatlas.kb.baseline import Baseline
from tests.conftest import ROOT


def run(atlas, name: str) -> list[dict]:
    result = atlas.query(prologue() + read_query_file(QUERIES_DIR / f"{name}.rq").sparql)
    assert result.complete
    return result.python_rows()


def csv_rows(name: str) -> list[dict]:
    with (ROOT / "kb" / "baseline" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def base(atlas) -> Baseline:
    return Baseline.from_atlas(atlas)


def test_scheme_coverage_query_has_one_row_per_country_and_branch(atlas):
    rows = run(atlas, "scheme-coverage-by-branch")
    keys = [(r["country"], r["branch"]) for r in rows]
    assert len(keys) == len(set(keys)) == 218 * len(S.BRANCHES)
    assert {r["exists"] for r in rows} <= set(S.SCHEME_EXISTS)
    assert not any("coverage" in r for r in rows if r["branch"] == "sickness")


def test_scheme_coverage_query_returns_the_latest_observation(atlas):
    """Recompute 'latest' from coverage.csv (newest vintage with a value: ILOSTAT, else UN SDG, else WSPR;
    then its newest year)."""
    rank = {"ilostat-sdg-0131-2025": 3, "un-sdg-1-3-1-by-branch-2023": 2, "ilo-wspr-2020-22": 1}
    best = {}
    for r in csv_rows("coverage.csv"):
        key = (r["iso3"], r["branch"])
        score = (rank[r["source"]], int(r["year"]))
        if key not in best or score > best[key][0]:
            best[key] = (score, r)
    rows = {(r["country"], r["branch"]): r for r in run(atlas, "scheme-coverage-by-branch")}
    assert len(best) > 1200
    for key, (_, want) in best.items():
        got = rows[key]
        assert (float(got["coverage"]), int(got["year"]), got["source"]) == (
            float(want["value"]), int(want["year"]), want["source"]), key


def test_target_group_sizes_query_matches_the_file(atlas):
    rows = run(atlas, "target-group-sizes")
    want = csv_rows("group-sizes.csv")
    assert len(rows) == len(want)
    got = {(r["country"], r["group"], int(r["year"])): r for r in rows}
    for w in want:
        r = got[(w["iso3"], w["group"], int(w["year"]))]
        assert float(r["people"]) == float(w["people"])
        assert bool(r["imputed"]) == (w["imputed"] == "true")
        assert set(r["source"].split("; ")) == set(w["sources"].split(";"))


def test_accessor_gives_branch_status_and_group_sizes(base):
    jpn, ken = base.country("JPN"), base.country("KEN")
    assert set(jpn.branches) == set(S.BRANCHES)
    assert jpn.branches["unemployment"].exists == "yes"
    assert jpn.branches["unemployment"].kind == "social-insurance"
    assert jpn.branches["unemployment"].coverage > ken.branches["unemployment"].coverage + 20
    assert ken.exists("unemployment") == "unknown"
    assert jpn.branches["employment-injury"].first_law_year is not None
    assert jpn.branches["sickness"].coverage is None
    lf = ken.groups["labour-force"]
    assert not lf.imputed and lf.source == "wb-wdi-labour-force" and lf.people > 1e7
    assert ken.groups["unemployed"].imputed
    assert ken.people("platform-workers") is None  # no estimate: unknown, never imputed here
    usa_platform = base.country("USA").groups["platform-workers"]
    assert not usa_platform.imputed and usa_platform.source == "bls-2018-electronically-mediated-work"
    assert base.country("XXX").exists("old-age") == "unknown"


def test_accessor_is_cached_per_atlas(atlas, base):
    assert Baseline.from_atlas(atlas) is base


def test_stats_baseline_counts_match_the_files(atlas):
    from policyatlas.cli.commands._stats_baseline import baseline_sections, collect_baseline

    stats = collect_baseline(lambda q: atlas.query(prologue() + q).python_rows())
    schemes = csv_rows("schemes.csv")
    assert sum(s["n"] for s in stats["status"]) == len(schemes) == 218 * len(S.BRANCHES)
    for branch in S.BRANCHES:
        want = sum(1 for r in schemes if r["branch"] == branch and r["exists"] != "unknown")
        got = sum(s["n"] for s in stats["status"] if s["branch"] == branch and s["exists"] != "unknown")
        assert got == want, branch
    sizes = csv_rows("group-sizes.csv")
    assert sum(g["imputed"] for g in stats["group_sizes"]) == sum(r["imputed"] == "true" for r in sizes)
    assert sum(g["observed"] for g in stats["group_sizes"]) == sum(r["imputed"] == "false" for r in sizes)
    assert sum(c["rows"] for c in stats["coverage"]) == len(csv_rows("coverage.csv"))
    titles = [t for t, *_ in baseline_sections({"baseline": stats})]
    assert any("by region" in t for t in titles) and any("by income group" in t for t in titles)
    assert any("observed vs imputed" in t for t in titles)


def test_every_baseline_node_traces_to_its_file_line_and_source(atlas):
    rows = atlas.query(prologue() + """
        SELECT ?class (COUNT(DISTINCT ?n) AS ?nodes) (COUNT(DISTINCT ?traced) AS ?with_trace) WHERE {
          VALUES ?class { pa:SchemeStatus pa:CoverageObservation pa:GroupSize }
          ?n a ?class .
          OPTIONAL { ?n pa:sourceFile ?f ; pa:sourceLine ?l . FILTER(STRSTARTS(?f, "kb/baseline/"))
                     BIND(?n AS ?traced) }
        } GROUP BY ?class""").python_rows()
    counts = {r["class"].rsplit("#", 1)[1]: (int(r["nodes"]), int(r["with_trace"])) for r in rows}
    assert counts["SchemeStatus"] == (1744, 1744)
    assert counts["CoverageObservation"][0] == counts["CoverageObservation"][1] == len(csv_rows("coverage.csv"))
    assert counts["GroupSize"][0] == counts["GroupSize"][1] == len(csv_rows("group-sizes.csv"))
    unsourced = atlas.query(prologue() + """
        SELECT (COUNT(?n) AS ?n) WHERE {
          VALUES ?class { pa:CoverageObservation pa:GroupSize }
          ?n a ?class . FILTER NOT EXISTS { ?n dcterms:source ?s } }""").python_rows()
    assert int(unsourced[0]["n"]) == 0
