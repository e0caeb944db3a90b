"""Reading and checking `kb/baseline/` (issue 12): every economy's social-protection baseline.

Three CSV files, each optional in a KB (a small test KB need not have them), with exact headers from
`policyatlas.kb.kbschema`:

- `schemes.csv`: one row per economy and branch: does a scheme exist (yes / no / unknown), its kind, the
  year of its first law, the basis of the statement and its sources.
- `coverage.csv`: effective coverage (SDG 1.3.1) by branch as dated observations, one per economy, branch,
  year and source; older vintages are kept next to newer ones.
- `group-sizes.csv`: target-group sizes in people, with year and sources; a derived size is `imputed: true`
  and must state its method.

Every problem is reported as `path:line: [rule] message`, like the rest of the loader.
"""

from __future__ import annotations

from policyatlas.core.errors import Problem, did_you_mean
from policyatlas.core.paths import relative
from policyatlas.core.yamlio import parse_number, read_csv
from policyatlas.kb import kbschema as S
from policyatlas.kb.loader import KBSource, Record

FILES = {"schemes.csv": S.SCHEME_COLUMNS, "coverage.csv": S.COVERAGE_COLUMNS,
         "group-sizes.csv": S.GROUP_SIZE_COLUMNS}


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _parse_number(text: str):
    """A number cell read with the loader's strict number parser (ASCII digits, finite, at most 18 digits);
    None when refused or not a number, which the callers report as a wrong type."""
    return parse_number(text)[0]


class _Rows:
    """Checks shared by the three files: one place that reports a problem at the row's line."""

    def __init__(self, kb: KBSource, refs: list, shown: str):
        self.kb, self.refs, self.shown = kb, refs, shown

    def add(self, line: int, rule: str, message: str) -> None:
        self.kb.problems.append(Problem(self.shown, line, rule, message))

    def code(self, line: int, column: str, value: str, allowed: tuple) -> bool:
        if value in allowed:
            return True
        self.add(line, "bad-value", f"{column} {value!r}{did_you_mean(value, allowed)}; allowed: {', '.join(allowed)}")
        return False

    def year(self, line: int, text: str, column: str = "year") -> int | None:
        year = _parse_number(text)
        if not isinstance(year, int):
            self.add(line, "wrong-type", f"{column} {text!r} must be a whole number like 2024")
            return None
        if year > S.CURRENT_YEAR:
            self.add(line, "future-year", f"{column} {year} is in the future")
            return None
        if year < S.EARLIEST_YEAR:
            self.add(line, "out-of-range", f"{column} {year} is implausibly early")
            return None
        return year

    def sources(self, line: int, ids: list[str]) -> None:
        for sid in ids:
            self.refs.append((self.shown, line, "source", "source", sid))

    def country(self, line: int, iso3: str) -> None:
        self.refs.append((self.shown, line, "iso3", "country", iso3))

    def unit(self, line: int, unit: str, wanted: str) -> bool:
        if unit == wanted:
            return True
        self.add(line, "unit-mismatch", f"unit {unit!r} must be {wanted!r}")
        return False


def load_baseline(kb: KBSource, refs: list) -> None:
    folder = kb.root / "baseline"
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.name != "README.md" and path.name not in FILES:
            kb.problems.append(Problem(relative(path), 1, "unknown-file",
                                       f"only {', '.join(FILES)} and README.md belong in kb/baseline/"))
    loaders = (("schemes.csv", _schemes), ("coverage.csv", _coverage), ("group-sizes.csv", _group_sizes))
    for name, load in loaders:
        path = folder / name
        if path.exists():
            rows, problems = read_csv(path, FILES[name])
            kb.problems.extend(problems)
            load(kb, _Rows(kb, refs, relative(path)), rows)
    _cross_checks(kb)


def _schemes(kb: KBSource, c: _Rows, rows) -> None:
    seen: dict = {}
    for row in rows:
        v, line = row.values, row.line
        missing = [col for col in ("iso3", "branch", "exists", "basis") if not v[col]]
        if missing:
            c.add(line, "missing-field", f"every scheme row needs {', '.join(missing)}; write exists 'unknown' "
                  "and say why in basis when nothing is known")
            continue
        ok = c.code(line, "branch", v["branch"], S.BRANCHES) & c.code(line, "exists", v["exists"], S.SCHEME_EXISTS)
        if v["kind"] and not c.code(line, "kind", v["kind"], S.SCHEME_KINDS):
            ok = False
        since = c.year(line, v["since"], "since") if v["since"] else None
        sources = _ids(v["sources"])
        if v["exists"] in ("yes", "no") and not sources:
            c.add(line, "missing-source", f"exists {v['exists']!r} needs the source that shows it in 'sources'")
            ok = False
        if v["kind"] and v["exists"] != "yes":
            c.add(line, "kind-without-scheme", f"kind {v['kind']!r} is given but exists is {v['exists']!r}; "
                  "a kind belongs only to a scheme that exists (write exists yes with its source, or drop the kind)")
            ok = False
        key = (v["iso3"], v["branch"])
        if key in seen:
            c.add(line, "duplicate-id", f"{v['iso3']} {v['branch']} already has a row on line {seen[key]}")
            continue
        seen[key] = line
        c.country(line, v["iso3"])
        c.sources(line, sources)
        if ok:
            kb.schemes.append(Record("schemes", f"{v['iso3']}-scheme-{v['branch']}", {
                "iso3": v["iso3"], "branch": v["branch"], "exists": v["exists"], "kind": v["kind"] or None,
                "since": since, "basis": v["basis"], "sources": sources}, c.shown, line))


def _coverage(kb: KBSource, c: _Rows, rows) -> None:
    seen: dict = {}
    for row in rows:
        v, line = row.values, row.line
        missing = [col for col in ("iso3", "branch", "value", "year", "unit", "source") if not v[col]]
        if missing:
            c.add(line, "missing-source" if missing == ["source"] else "missing-field",
                  f"every coverage observation needs {', '.join(missing)} (leave the row out if there is no value)")
            continue
        ok = c.code(line, "branch", v["branch"], S.BRANCHES) & c.unit(line, v["unit"], S.COVERAGE_UNIT)
        value = _parse_number(v["value"])
        if value is None:
            c.add(line, "wrong-type", f"value {v['value']!r} is not a number")
            continue
        if not 0 <= value <= 100:
            c.add(line, "out-of-range", f"coverage {value} is outside 0-100: it is a percent of the relevant "
                  "population; check the unit and the decimal point against the source")
            ok = False
        year = c.year(line, v["year"])
        key = (v["iso3"], v["branch"], year, v["source"])
        if key in seen:
            c.add(line, "duplicate-id", f"{v['iso3']} {v['branch']} {year} from {v['source']} is already on line "
                  f"{seen[key]}")
            continue
        seen[key] = line
        c.country(line, v["iso3"])
        c.sources(line, [v["source"]])
        if ok and year is not None:
            kb.coverage.append(Record("coverage", f"{v['iso3']}-coverage-{v['branch']}-{year}-{v['source']}", {
                "iso3": v["iso3"], "branch": v["branch"], "value": value, "year": year, "unit": v["unit"],
                "source": v["source"], "flag": v["flag"] or None}, c.shown, line))


def _group_sizes(kb: KBSource, c: _Rows, rows) -> None:
    seen: dict = {}
    for row in rows:
        v, line = row.values, row.line
        missing = [col for col in ("iso3", "group", "people", "year", "unit", "sources", "imputed") if not v[col]]
        if missing:
            c.add(line, "missing-source" if missing == ["sources"] else "missing-field",
                  f"every group size needs {', '.join(missing)} (leave the row out if the size is unknown)")
            continue
        ok = c.code(line, "group", v["group"], S.SIZE_GROUPS) & c.unit(line, v["unit"], S.PEOPLE_UNIT)
        people = _parse_number(v["people"])
        if people is None:
            c.add(line, "wrong-type", f"people {v['people']!r} is not a number")
            continue
        if people < 0:
            c.add(line, "out-of-range", f"people {people} is negative")
            ok = False
        imputed = {"true": True, "false": False}.get(v["imputed"].lower())
        if imputed is None:
            c.add(line, "wrong-type", f"imputed must be true or false, got {v['imputed']!r}")
            continue
        if imputed and not v["method"]:
            c.add(line, "imputed-without-method", "an imputed size must say how it was derived in 'method' "
                  "(inputs, their years and the formula)")
            ok = False
        if not imputed and v["method"]:
            c.add(line, "imputed-without-method", "a 'method' is given but imputed is false: a derived size is "
                  "imputed; write imputed true (or drop the method if the source publishes the number)")
            ok = False
        year = c.year(line, v["year"])
        sources = _ids(v["sources"])
        key = (v["iso3"], v["group"], year, tuple(sources))
        if key in seen:
            c.add(line, "duplicate-id", f"{v['iso3']} {v['group']} {year} from these sources is already on line "
                  f"{seen[key]}")
            continue
        seen[key] = line
        c.country(line, v["iso3"])
        c.sources(line, sources)
        if ok and year is not None:
            kb.group_sizes.append(Record("group-sizes", f"{v['iso3']}-size-{v['group']}-{year}", {
                "iso3": v["iso3"], "group": v["group"], "people": people, "year": year, "unit": v["unit"],
                "sources": sources, "imputed": imputed, "method": v["method"] or None, "flag": v["flag"] or None},
                c.shown, line))


def _cross_checks(kb: KBSource) -> None:
    """Checks across files: a size cannot exceed the population; 'no scheme' cannot sit next to coverage."""
    population: dict[str, tuple[int, float]] = {}
    for rec in kb.figures:
        if rec.data["indicator"] == "population":
            year, value = rec.data["year"], rec.data["value"] * 1_000_000
            if rec.data["iso3"] not in population or year > population[rec.data["iso3"]][0]:
                population[rec.data["iso3"]] = (year, value)
    for rec in kb.group_sizes:
        d = rec.data
        pop = population.get(d["iso3"])
        # population figures are rounded to thousands of persons: allow that much
        if pop is not None and d["people"] > pop[1] + 1000:
            kb.problems.append(Problem(rec.path, rec.line, "people-above-population",
                                       f"{d['iso3']} {d['group']}: {d['people']:,.0f} people is more than the whole "
                                       f"population ({pop[1]:,.0f} in {pop[0]}, kb/figures/population.csv); "
                                       "check the unit (persons, not thousands) and the formula"))
    newest: dict[tuple[str, str], Record] = {}
    for rec in kb.coverage:
        key = (rec.data["iso3"], rec.data["branch"])
        if key not in newest or rec.data["year"] > newest[key].data["year"]:
            newest[key] = rec
    for rec in kb.schemes:
        obs = newest.get((rec.data["iso3"], rec.data["branch"]))
        if rec.data["exists"] == "no" and obs is not None and obs.data["value"] > 0:
            kb.problems.append(Problem(rec.path, rec.line, "exists-contradiction",
                                       f"{rec.data['iso3']} {rec.data['branch']}: exists is 'no' but effective "
                                       f"coverage is {obs.data['value']}% in {obs.data['year']} ({obs.path}:"
                                       f"{obs.line}); a benefit that reaches people means a scheme exists"))
