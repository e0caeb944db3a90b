"""Reading `kb/` into checked records, collecting every problem with its file and line.

The loader never stops at the first mistake: it reads every file, checks each key against
`policyatlas.kb.kbschema`, then resolves every reference (source ids, instrument ids, countries, ...) across the
whole KB, so an analyst gets the full list in one run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from policyatlas.core.errors import Problem, did_you_mean
from policyatlas.core.paths import KB_DIR, relative
from policyatlas.core.yamlio import SCALAR_RULES, LineDict, LineList, parse_number, read_csv, read_yaml
from policyatlas.kb import kbschema as S
from policyatlas.kb import kbtext


@dataclass
class Record:
    """One entity from a YAML file (or a CSV row), with where it came from."""

    kind: str
    id: str
    data: dict
    path: str
    line: int

    def line_of(self, key: str) -> int:
        if isinstance(self.data, LineDict):
            return self.data.line_of(key)
        return self.line


@dataclass
class KBSource:
    """Everything read from a KB folder: records by folder, countries, figures, and the problems found."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    countries: dict[str, Record] = field(default_factory=dict)
    figures: list[Record] = field(default_factory=list)
    memberships: list[Record] = field(default_factory=list)
    # kb/baseline/ (issue 12): scheme status by branch, coverage observations, target-group sizes
    schemes: list[Record] = field(default_factory=list)
    coverage: list[Record] = field(default_factory=list)
    group_sizes: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # (file, line) of references that are not even shaped like an id or ISO3 code: `validate` leaves their
    # records out of the graph it compiles, as it does records with problems of their own
    malformed: set[tuple[str, int]] = field(default_factory=set)

    def ids(self, ref_kind: str) -> set[str]:
        if ref_kind == "jurisdiction":
            return set(self.countries)
        if ref_kind == "country":
            return {k for k, r in self.countries.items() if r.data.get("income_group") is not None}
        folder = {v: k for k, v in S.KIND_OF_FOLDER.items()}[ref_kind]
        return set(self.records.get(folder, {}))


class _Checker:
    """Checks one record's keys and values; remembers references to resolve once all files are read."""

    def __init__(self, path: str, problems: list[Problem], refs: list):
        self.path = path
        self.problems = problems
        self.refs = refs

    def add(self, line: int, rule: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, rule, message))

    def mapping(self, data, schema: dict[str, S.Field], line: int, where: str = "") -> None:
        if not isinstance(data, dict):
            self.add(line, "wrong-type", f"{where or 'the file'} must be a mapping of keys to values")
            return
        for key in data:
            if key not in schema:
                self.add(data.line_of(key), "unknown-key",
                         f"unknown key '{where}{key}'{did_you_mean(key, set(schema))}; "
                         f"allowed keys: {', '.join(schema)}")
        for key, spec in schema.items():
            value = data.get(key)
            kline = data.line_of(key) if key in data else data.line
            if value is None and key in data and spec.type == "enum" and "null" in spec.values:
                self.add(kline, "missing-field", f"'{where}{key}' is empty: YAML reads a bare null as nothing; "
                         "write \"null\" in quotes")
                continue
            if value is None or value == "" or value == []:
                if spec.required and not (spec.type in ("refs", "texts", "enums") and key in data):
                    self.add(kline, "missing-field", f"required key '{where}{key}' is missing or empty")
                continue
            self.value(value, spec, kline, f"{where}{key}")

    def value(self, value, spec: S.Field, line: int, name: str) -> None:
        t = spec.type
        if t == "text":
            if not isinstance(value, str):
                self.add(line, "wrong-type", f"'{name}' must be text, got {type(value).__name__} {value!r}; "
                         "quote it")
        elif t in ("int", "year", "number"):
            ok = isinstance(value, int) if t != "number" else isinstance(value, int | float)
            if isinstance(value, bool) or not ok:
                self.add(line, "wrong-type", f"'{name}' must be a {'whole number' if t != 'number' else 'number'}, "
                         f"got {value!r}")
                return
            low = S.EARLIEST_YEAR if t == "year" else spec.min
            high = S.CURRENT_YEAR if t == "year" else spec.max
            if low is not None and value < low:
                self.add(line, "out-of-range", f"'{name}' is {value}, below the smallest allowed value {low}")
            if high is not None and value > high:
                rule = "future-year" if t == "year" else "out-of-range"
                self.add(line, rule, f"'{name}' is {value}, after {high}" if t == "year"
                         else f"'{name}' is {value}, above the largest allowed value {high}")
        elif t == "bool":
            if not isinstance(value, bool):
                self.add(line, "wrong-type", f"'{name}' must be true or false, got {value!r}")
        elif t in ("date", "day"):
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                self.add(line, "wrong-type", f"'{name}' must be a date written YYYY-MM-DD, got {value!r}")
            elif t == "date" and value > dt.date.today():
                self.add(line, "future-date", f"'{name}' is {value}, in the future; write the date it was "
                         "actually done (today at the latest)")
        elif t == "url":
            if isinstance(value, str) and value != value.strip():
                self.add(line, "bad-url", f"'{name}' has a line break or spaces around the URL {value.strip()!r}; "
                         "remove them (write the URL on the key's line, not as a '|' or '>' block)")
            elif not isinstance(value, str) or not S.URL_PATTERN.fullmatch(value):
                self.add(line, "bad-url", f"'{name}' must be an http(s) URL, got {value!r}")
        elif t == "doi":
            if not isinstance(value, str) or not S.DOI_PATTERN.fullmatch(value):
                self.add(line, "bad-doi", f"'{name}' must be a bare DOI like 10.3982/ECTA19815, got {value!r}")
        elif t == "enum":
            if value not in spec.values:
                self.add(line, "bad-value", f"'{name}' is {value!r}{did_you_mean(str(value), set(spec.values))}; "
                         f"allowed: {', '.join(spec.values)}")
        elif t in ("texts", "enums", "refs"):
            if not isinstance(value, list):
                self.add(line, "wrong-type", f"'{name}' must be a list (one '- item' per line)")
                return
            lines = value.lines if isinstance(value, LineList) else [line] * len(value)
            seen = set()
            for item, iline in zip(value, lines, strict=True):
                key = repr(item) if isinstance(item, dict | list) else item  # a mapping in a list is an error too
                if key in seen:
                    self.add(iline, "duplicate-item", f"'{name}' lists {item!r} twice")
                seen.add(key)
                inner = {"texts": S.TEXT, "enums": S.Field("enum", values=spec.values),
                         "refs": S.Field("ref", ref=spec.ref)}[t]
                self.value(item, inner, iline, name)
        elif t == "ref":
            if not isinstance(value, str):
                self.add(line, "wrong-type", f"'{name}' must be an id (text), got {value!r}")
            else:
                self.refs.append((self.path, line, name, spec.ref, value))
        elif t == "bilingual":
            if not isinstance(value, dict):
                self.add(line, "wrong-type", f"'{name}' must have an 'en' and a 'zh' entry")
                return
            for lang in ("en", "zh"):
                text = value.get(lang)
                if not isinstance(text, str) or not text.strip():
                    self.add(value.line_of(lang) if lang in value else line, "missing-label",
                             f"'{name}' has no {'English' if lang == 'en' else 'Chinese'} text ('{lang}:')")
                elif lang == "zh" and not S.CJK.search(text):
                    self.add(value.line_of(lang), "missing-label",
                             f"'{name}.zh' has no Chinese characters: {text!r}")
            for key in value:
                if key not in ("en", "zh"):
                    self.add(value.line_of(key), "unknown-key", f"'{name}' allows only 'en' and 'zh', not '{key}'")
        elif t == "map":
            self.mapping(value, spec.fields, line, f"{name}.")
        elif t == "maps":
            if not isinstance(value, list):
                self.add(line, "wrong-type", f"'{name}' must be a list of mappings")
                return
            for i, item in enumerate(value):
                iline = value.lines[i] if isinstance(value, LineList) else line
                self.mapping(item, spec.fields, iline, f"{name}[{i + 1}].")


def load_kb(root: Path | None = None) -> KBSource:
    """Read and check every file under `root` (default `kb/`); never raises for bad content."""
    root = Path(root or KB_DIR)
    kb = KBSource(root)
    refs: list = []
    if not root.is_dir():
        kb.problems.append(Problem(relative(root), 1, "missing-kb", "KB folder not found; pass --kb DIR"))
        return kb
    _load_countries(kb, refs)
    for folder, schema in S.SCHEMAS.items():
        kb.records[folder] = {}
        for path in sorted((root / folder).glob("*")):
            if path.name == "README.md" or path.is_dir():
                continue
            shown = relative(path)
            if path.suffix not in (".yaml", ".yml"):
                kb.problems.append(Problem(shown, 1, "unknown-file",
                                           f"only .yaml files and README.md belong in kb/{folder}/"))
                continue
            loaded = read_yaml(path)
            kb.problems.extend(loaded.problems)
            if loaded.data is None:
                continue
            data = loaded.data
            checker = _Checker(shown, kb.problems, refs)
            checker.mapping(data, schema, getattr(data, "line", 1))
            if not isinstance(data, dict):
                continue
            rid = data.get("id")
            if rid != path.stem:
                checker.add(data.line_of("id") if "id" in data else 1, "id-filename",
                            f"id {rid!r} must equal the file name {path.stem!r}")
                if not isinstance(rid, str):
                    continue
            if not S.ID_PATTERN.fullmatch(rid):
                checker.add(data.line_of("id"), "bad-id",
                            f"id {rid!r} must be lower-case words joined by hyphens (a-z, 0-9)")
            if rid in kb.records[folder]:
                other = kb.records[folder][rid]
                checker.add(data.line_of("id"), "duplicate-id", f"id {rid!r} is already used by {other.path}")
                continue
            kb.records[folder][rid] = Record(folder, rid, data, shown, data.line)
            _check_record(kb, folder, kb.records[folder][rid], checker)
    _load_figures(kb, refs)
    _load_memberships(kb, refs)
    from policyatlas.kb.baseline_loader import load_baseline

    load_baseline(kb, refs)
    _resolve(kb, refs)
    _check_reach(kb)
    kb.problems = _without_echoes(kb.problems)
    return kb


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """A scalar the YAML reader refused (an impossible date, `.nan`, a 5,000-digit number) is kept as its text,
    so the schema check would report it a second time as the wrong type: keep only the reader's problem."""
    refused = {(p.path, p.line) for p in problems if p.rule in SCALAR_RULES}
    return [p for p in problems if p.rule not in ("wrong-type", "bad-value") or (p.path, p.line) not in refused]


def _list(value) -> list:
    """A list value, or [] when the key is missing or holds a value of the wrong type (already a problem)."""
    return value if isinstance(value, list) else []


def population_of(kb: KBSource, iso3: str, year: int | None) -> tuple[float, int] | None:
    """The jurisdiction's population (people) in the year nearest to `year` (latest if None), from
    kb/figures/population.csv (millions), with the year it is for; None when the KB has no figure."""
    rows = [f for f in kb.figures if f.data["indicator"] == "population" and f.data["iso3"] == iso3]
    if not rows:
        return None
    best = min(rows, key=lambda f: (abs(f.data["year"] - year) if year else -f.data["year"], -f.data["year"]))
    return float(best.data["value"]) * 1_000_000, best.data["year"]


def _check_reach(kb: KBSource) -> None:
    """A programme cannot reach more people (or households, workers, firms) than live in its jurisdiction."""
    for rec in kb.records.get("programmes", {}).values():
        ben = rec.data.get("beneficiaries")
        if not isinstance(ben, dict) or isinstance(ben.get("number"), bool):
            continue
        number, year = ben.get("number"), ben.get("year")
        if not isinstance(number, int | float) or not isinstance(rec.data.get("jurisdiction"), str):
            continue
        pop = population_of(kb, rec.data["jurisdiction"], year if isinstance(year, int) else None)
        if pop is not None and number > pop[0]:
            kb.problems.append(Problem(
                rec.path, ben.line_of("number"), "beneficiaries-above-population",
                f"'beneficiaries.number' {number:,.0f} is more than the population of {rec.data['jurisdiction']} "
                f"({pop[0]:,.0f} in {pop[1]}, kb/figures/population.csv); check the unit and the jurisdiction"))


def _check_record(kb: KBSource, folder: str, rec: Record, checker: _Checker) -> None:
    """Checks that span several keys of one record."""
    d = rec.data
    if folder == "sources":
        if not d.get("authors") and not d.get("publisher"):
            checker.add(rec.line, "missing-field", "a source needs 'authors' or 'publisher'")
        if not d.get("doi") and not d.get("url"):
            checker.add(rec.line, "missing-field", "a source needs a 'doi' or a 'url' that a reader can follow")
    elif folder == "programmes":
        s, e = d.get("start_year"), d.get("end_year")
        if isinstance(s, int) and isinstance(e, int) and e < s:
            checker.add(rec.line_of("end_year"), "year-order", f"end_year {e} is before start_year {s}")
        if d.get("status") == "ended" and "end_year" not in d:
            pass  # an ended programme without a confirmed end year is allowed: the catalogue leaves it empty
        ben = d.get("beneficiaries")
        if isinstance(ben, dict):
            if ben.get("text") in (None, "") and ben.get("number") is None:
                checker.add(rec.line_of("beneficiaries"), "missing-field",
                            "'beneficiaries' needs a 'text' (as the source states it) or a 'number', or leave it out")
            if ben.get("number") is not None and ben.get("year") is None:
                checker.add(ben.line_of("number"), "missing-field",
                            "'beneficiaries.number' needs the 'year' it refers to (every figure has a year)")
        summary = d.get("summary")
        for lang, written in kbtext.summary_problems(d):
            checker.add(summary.line_of(lang), "summary-number",
                        f"'summary.{lang}' states {written!r}, a number the record does not (notes, cost, "
                        "beneficiaries, coverage, years); write the summary only from the record's own facts")
    elif folder == "evidence":
        if not d.get("instruments") and not d.get("programmes"):
            checker.add(rec.line, "missing-field",
                        "evidence must be about something: list 'instruments' or 'programmes'")
        for key, rule, message in kbtext.translation_problems(d):
            checker.add(rec.line_of(key), rule, message)
        if rec.id in _list(d.get("contested_by")):
            checker.add(rec.line_of("contested_by"), "self-reference", "evidence cannot contest itself")
        effects = d.get("effects") if isinstance(d.get("effects"), list) else []
        outcomes = d.get("outcomes") if isinstance(d.get("outcomes"), list) else []
        for i, eff in enumerate(effects):
            if not isinstance(eff, dict):
                continue
            line = effects.lines[i] if isinstance(effects, LineList) else rec.line
            nums = [eff.get(k) for k in ("low", "estimate", "high")]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) or v is None for v in nums):
                low, est, high = nums
                if est is not None and ((low is not None and low > est) or (high is not None and high < est)):
                    checker.add(line, "effect-range", f"effect {i + 1}: low {low} <= estimate {est} <= high "
                                                      f"{high} must hold; fix the order of the range")
            if eff.get("outcome") is not None and outcomes and eff.get("outcome") not in outcomes:
                checker.add(line, "effect-outcome", f"effect {i + 1}: outcome {eff.get('outcome')!r} is not one of "
                                                    "the record's 'outcomes'; add it there or correct the effect")
    elif folder == "instruments":
        for i, rel in enumerate(_list(d.get("relations"))):
            if isinstance(rel, dict) and rel.get("target") == rec.id:
                line = d["relations"].lines[i] if isinstance(d["relations"], LineList) else rec.line
                checker.add(line, "self-reference", f"instrument {rec.id} cannot be related to itself")


def _bool(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text.strip().lower())


def _load_countries(kb: KBSource, refs: list) -> None:
    for name in ("countries.csv", "supranational.csv"):
        path = kb.root / "countries" / name
        shown = relative(path)
        if not path.exists():
            if name == "countries.csv":
                kb.problems.append(Problem(shown, 1, "missing-file", "kb/countries/countries.csv is required"))
            continue
        rows, problems = read_csv(path, S.COUNTRY_COLUMNS)
        kb.problems.extend(problems)
        supra = name == "supranational.csv"
        for row in rows:
            v = row.values
            add = lambda rule, msg, line=row.line, shown=shown: kb.problems.append(Problem(shown, line, rule, msg))  # noqa: E731
            code = v["iso3"]
            valid_codes = S.SUPRANATIONAL if supra else None
            if not S.ISO3_PATTERN.fullmatch(code) or (supra and code not in valid_codes):
                hint = f"use one of {', '.join(S.SUPRANATIONAL)}" if supra else "use upper-case ISO 3166-1 alpha-3"
                add("unknown-iso3", f"{code!r} is not a valid {'supranational' if supra else 'ISO3'} code; {hint}")
                continue
            if code in kb.countries:
                add("duplicate-id", f"country {code} is listed twice (also {kb.countries[code].path}:"
                    f"{kb.countries[code].line})")
                continue
            for col in ("name_en", "name_zh", "source"):
                if not v[col]:
                    add("missing-label" if col.startswith("name") else "missing-source",
                        f"{code}: column '{col}' is empty")
            if v["name_zh"] and not S.CJK.search(v["name_zh"]):
                add("missing-label", f"{code}: name_zh {v['name_zh']!r} has no Chinese characters")
            data = {"iso3": code, "name_en": v["name_en"], "name_zh": v["name_zh"], "wb_region": v["wb_region"],
                    "source": v["source"], "supranational": supra}
            if supra:
                data["income_group"] = None
            else:
                if v["income_group"] not in S.INCOME_GROUPS:
                    add("bad-value", f"{code}: income_group {v['income_group']!r}; allowed: "
                        + ", ".join(S.INCOME_GROUPS))
                data["income_group"] = v["income_group"] or None
            for col in ("un_member", "g20_member", "global_south"):
                b = _bool(v[col])
                if b is None and not (supra and not v[col]):
                    add("wrong-type", f"{code}: '{col}' must be true or false, got {v[col]!r}")
                data[col] = b
            if v["source"]:
                refs.append((shown, row.line, "source", "source", v["source"]))
            kb.countries[code] = Record("countries", code, data, shown, row.line)


def _load_memberships(kb: KBSource, refs: list) -> None:
    """kb/countries/memberships.csv: which supranational jurisdiction a country belongs to (EU programmes
    then count in its current policy mix)."""
    path = kb.root / "countries" / "memberships.csv"
    if not path.exists():
        return
    shown = relative(path)
    rows, problems = read_csv(path, S.MEMBERSHIP_COLUMNS)
    kb.problems.extend(problems)
    seen: dict = {}
    for row in rows:
        v = row.values
        if not all(v.values()):
            kb.problems.append(Problem(shown, row.line, "missing-field",
                                       "every membership row needs iso3, member_of and a source id"))
            continue
        if v["member_of"] not in S.SUPRANATIONAL:
            kb.problems.append(Problem(shown, row.line, "unknown-iso3",
                                       f"member_of {v['member_of']!r} must be one of {', '.join(S.SUPRANATIONAL)}"))
            continue
        key = (v["iso3"], v["member_of"])
        if key in seen:
            kb.problems.append(Problem(shown, row.line, "duplicate-id",
                                       f"{v['iso3']} in {v['member_of']} is already on line {seen[key]}"))
            continue
        seen[key] = row.line
        refs.append((shown, row.line, "iso3", "country", v["iso3"]))
        refs.append((shown, row.line, "source", "source", v["source"]))
        kb.memberships.append(Record("memberships", f"{v['iso3']}-{v['member_of']}", dict(v), shown, row.line))


def _load_figures(kb: KBSource, refs: list) -> None:
    indicators = kb.records.get("indicators", {})
    for path in sorted((kb.root / "figures").glob("*")):
        shown = relative(path)
        if path.name == "README.md":
            continue
        if path.suffix != ".csv":
            kb.problems.append(Problem(shown, 1, "unknown-file", "only .csv files belong in kb/figures/"))
            continue
        indicator = indicators.get(path.stem)
        if indicator is None:
            kb.problems.append(Problem(shown, 1, "dangling-reference",
                                       f"no indicator '{path.stem}' in kb/indicators/"
                                       f"{did_you_mean(path.stem, set(indicators))}; "
                                       f"add kb/indicators/{path.stem}.yaml or rename the file"))
        rows, problems = read_csv(path, S.FIGURE_COLUMNS)
        kb.problems.extend(problems)
        seen: dict = {}
        for row in rows:
            v = row.values
            add = lambda rule, msg, line=row.line, shown=shown: kb.problems.append(Problem(shown, line, rule, msg))  # noqa: E731
            missing = [c for c in ("iso3", "value", "year", "unit", "source") if not v[c]]
            if missing:
                add("missing-" + ("source" if missing == ["source"] else "field"),
                    f"every figure needs {', '.join(missing)}: {'a source id' if 'source' in missing else ''}"
                    f"{' and ' if 'source' in missing and len(missing) > 1 else ''}"
                    f"{', '.join(m for m in missing if m != 'source')} (leave the row out if the figure is missing)")
                continue
            (value, bad_value), (year, bad_year) = parse_number(v["value"]), parse_number(v["year"])
            bad_value, bad_year = bad_value or (None, None), bad_year or (None, None)
            if bad_value[0] or bad_year[0]:
                for column, (rule, message) in (("value", bad_value), ("year", bad_year)):
                    if rule:
                        add(rule, f"{column}: {message}")
                continue
            if value is None:
                add("wrong-type", f"value {v['value']!r} is not a number; write digits with a '.' for decimals")
                continue
            if not isinstance(year, int):
                add("wrong-type", f"year {v['year']!r} must be a whole number like 2024")
                continue
            if year > S.CURRENT_YEAR:
                add("future-year", f"year {year} is in the future")
            elif year < S.EARLIEST_YEAR:
                add("out-of-range", f"year {year} is implausibly early")
            if indicator is not None:
                unit = indicator.data.get("unit")
                if unit and v["unit"] != unit:
                    add("unit-mismatch", f"unit {v['unit']!r} differs from the indicator's unit {unit!r}")
                # bounds of the wrong type are reported on the indicator; compare only with numbers
                low, high = (b if isinstance(b, int | float) and not isinstance(b, bool) else None
                             for b in (indicator.data.get("min"), indicator.data.get("max")))
                if low is not None and value < low:
                    add("out-of-range", f"value {value} is below {low}, the smallest plausible value of "
                        f"{path.stem} ({unit}); check the sign and the unit")
                if high is not None and value > high:
                    add("out-of-range", f"value {value} is above {high}, the largest plausible value of "
                        f"{path.stem} ({unit}); check the unit (a share cannot exceed 100)")
            if (v["iso3"], year) in seen:
                add("duplicate-id", f"{v['iso3']} {year} already has a value on line {seen[(v['iso3'], year)]}")
                continue
            seen[(v["iso3"], year)] = row.line
            refs.append((shown, row.line, "iso3", "country", v["iso3"]))
            refs.append((shown, row.line, "source", "source", v["source"]))
            kb.figures.append(Record("figures", f"{v['iso3']}-{path.stem}-{year}",
                                     {"iso3": v["iso3"], "indicator": path.stem, "value": value, "year": year,
                                      "unit": v["unit"], "source": v["source"], "flag": v["flag"] or None},
                                     shown, row.line))


def _resolve(kb: KBSource, refs: list) -> None:
    known: dict[str, set[str]] = {}
    for path, line, name, kind, value in refs:
        if kind not in known:
            known[kind] = kb.ids(kind)
        country = kind in ("country", "jurisdiction")
        if not (S.ISO3_PATTERN if country else S.ID_PATTERN).fullmatch(str(value)):
            kb.malformed.add((path, line))  # not even the shape of an id: it cannot become an IRI
            kb.problems.append(Problem(path, line, "unknown-iso3", f"'{name}' {value!r} is not an ISO3 code; use "
                                       "upper-case ISO 3166-1 alpha-3") if country else
                               Problem(path, line, "bad-id", f"'{name}' {value!r} is not an id: ids are lower-case "
                                       "words joined by hyphens (a-z, 0-9), like the file names"))
            continue
        if value in known[kind]:
            continue
        if country:
            kb.problems.append(Problem(path, line, "unknown-iso3",
                                       f"'{name}' {value!r} is not a country in kb/countries/"
                                       f"{did_you_mean(value, known[kind])}"))
        else:
            folder = {v: k for k, v in S.KIND_OF_FOLDER.items()}[kind]
            kb.problems.append(Problem(path, line, "dangling-reference",
                                       f"'{name}' refers to {kind} {value!r}, which does not exist in kb/{folder}/"
                                       f"{did_you_mean(str(value), known[kind])}"))
