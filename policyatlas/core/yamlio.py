"""Strict YAML and CSV reading that remembers where each value came from, and refuses hostile input.

Analysts edit `kb/` by hand, so every problem must point at a file and a line. We never let PyYAML build
objects: we read its event stream (`yaml.parse`) and build plain dicts and lists from it ourselves, refusing
on the way what a KB file never needs and an attacker or a careless paste can put there:

- anchors, aliases and merge keys (`&a`, `*a`, `<<`), refused as events, so an alias bomb is never expanded;
- explicit tags (`!!python/object`, `!!int "abc"`, `!foo`), so no constructor but the plain ones ever runs;
- nesting deeper than `MAX_DEPTH`, duplicate keys (PyYAML would keep the last one silently), keys that are
  not text, more than one document, and files bigger than `MAX_YAML_BYTES`;
- scalars that are not what they look like: impossible dates (`2026-02-30`), integers of more than
  `MAX_DIGITS` digits, `NaN`/`Infinity`/`.inf`/`1e999`, numbers written with non-ASCII digits (`２０２０`),
  control characters and bidirectional-override characters in text.

A file that holds no value (only comments, `---`, `~` or `null`) is an `empty-file` problem, not a record that
silently vanishes. CSV files get the same checks on every cell; a UTF-8 byte-order mark is accepted in both.
Each problem is `path:line: [rule] message` with a hint how to fix it; reading never raises for bad content.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policyatlas.core.errors import Problem
from policyatlas.core.paths import relative

MAX_DEPTH = 20  # mappings and lists inside each other; KB files need 4
MAX_DIGITS = 18  # digits in one integer (fits a signed 64-bit integer)
MAX_NUMBER_CHARS = 40  # characters in one number written as text (digits, sign, point, exponent)
MAX_YAML_BYTES = 256 * 1024  # the largest KB record is 2 KB
MAX_CSV_BYTES = 16 * 1024 * 1024  # the largest figure table is 20 KB
MAX_PROBLEMS = 50  # per file: past this, reading stops (the first ones are enough to act on)

# C0/C1 control characters and the Unicode line and paragraph separators U+2028/9 (YAML text may hold tabs
# and line breaks; CSV cells may not; U+2028 in a label broke the N-Triples load), and the bidirectional
# formatting characters that reorder how text is displayed (U+200E/F marks, U+202A-E embeddings and
# overrides, U+2066-9 isolates): they make a label read differently from what it is.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
CSV_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# How numbers are written: the non-finite words, anything made of digits of any script, and the ASCII forms
# YAML 1.1 reads as numbers (with underscores, 0x/0o/0b prefixes and base-60 `1:30`) or YAML 1.2 does (`1e3`).
NON_FINITE = re.compile(r"[-+]?\.?(?:nan|inf|infinity)", re.IGNORECASE)
ANY_SCRIPT_NUMBER = re.compile(r"[-+]?[\d.,]+")  # \d: the digits of every script (linear: no nested choice)
NUMBER_LIKE = re.compile(r"[-+]?(?:0[xob][0-9a-fA-F_]+|(?:[0-9][0-9_]*(?::[0-9_]+)*)?(?:\.[0-9_]*)?"
                         r"(?:[eE][-+]?[0-9]+)?)", re.ASCII)
ASCII_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
ASCII_INTEGER = re.compile(r"[-+]?[0-9]+", re.ASCII)

# Rules of scalars the reader refused but kept as their text (so later checks see a value, not a hole).
SCALAR_RULES = ("bad-date", "not-finite", "number-too-long", "non-ascii-digit")
YAML_TAG = "tag:yaml.org,2002:"
_RESOLVER = yaml.resolver.Resolver()


class LineDict(dict):
    """A mapping read from YAML: `line` is where it starts, `lines[key]` where each key is."""

    line: int = 1
    lines: dict

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    """A sequence read from YAML: `line` is where it starts, `lines[i]` where each item is."""

    line: int = 1
    lines: list


@dataclass
class Loaded:
    """What reading one file gave: its data (None when unreadable) and the problems found on the way."""

    path: str
    data: object = None
    problems: list[Problem] = field(default_factory=list)


class _Stop(Exception):
    """Reading one file cannot go on (too deep, too many problems)."""


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def text_problem(text: str, *, line_breaks: bool = True) -> tuple[str, str] | None:
    """(rule, message) when `text` holds a control or bidirectional-formatting character, else None.
    `line_breaks` allows tabs and line breaks (YAML notes may span lines; CSV cells may not)."""
    found = (CONTROL if line_breaks else CSV_CONTROL).search(text)
    if found:
        return ("control-character", f"text contains the invisible control character {_char_name(found.group())} "
                f"at character {found.start() + 1}; delete it (retype the text if it was pasted)")
    found = BIDI.search(text)
    if found:
        return ("bidi-control", f"text contains the bidirectional formatting character {_char_name(found.group())} "
                f"at character {found.start() + 1}, which changes how the text is displayed; delete it")
    return None


def number_problem(text: str) -> tuple[str, str] | None:
    """(rule, message) when `text`, written where a number may stand (a plain YAML scalar, a CSV number cell),
    is a number we refuse: not finite, longer than MAX_DIGITS digits, or written with non-ASCII digits."""
    core = text.strip()
    if NON_FINITE.fullmatch(core):
        return ("not-finite", f"{core!r} is not a finite number; write the figure, or leave it out if it is "
                "unknown (quote it if it is text)")
    if not core.isascii() and ANY_SCRIPT_NUMBER.fullmatch(core) and any(c.isdigit() for c in core):
        return ("non-ascii-digit", f"{core[:40]!r} is written with non-ASCII digits; use the digits 0-9")
    if not core or not NUMBER_LIKE.fullmatch(core) or not any(c.isdigit() for c in core):
        return None
    hexadecimal = core.lstrip("+-")[:2] in ("0x", "0o", "0b")
    mantissa = core if hexadecimal else re.split("[eE]", core)[0]
    digits = sum(c.isalnum() for c in mantissa) - (2 if hexadecimal else 0)
    if digits > MAX_DIGITS or len(core) > MAX_NUMBER_CHARS:
        return ("number-too-long", f"number {core[:20]}... has {digits} digits, more than {MAX_DIGITS}; "
                "round it, or quote it if it is text")
    if not hexadecimal and ":" not in core:
        try:
            if not math.isfinite(float(core.replace("_", ""))):
                return ("not-finite", f"{core!r} is too large to be a finite number; check the digits and the unit")
        except ValueError:
            return None
    return None


def parse_number(text: str) -> tuple[int | float | None, tuple[str, str] | None]:
    """A CSV number: ASCII digits with an optional sign, point and exponent; finite, at most MAX_DIGITS digits.
    Returns (value, None); (None, (rule, message)) when refused; (None, None) when it is no number at all."""
    core = text.strip()
    refused = number_problem(core)
    if refused:
        return None, refused
    if ASCII_INTEGER.fullmatch(core):
        return int(core), None
    if ASCII_NUMBER.fullmatch(core):
        return float(core), None
    return None, None


class _Builder:
    """Builds LineDicts, LineLists and plain scalars from PyYAML events, checking each event first."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        self.stack: list[list] = []  # [container, pending key, key line, key given]
        self.root: object = None
        self.has_root = False
        self.documents = 0
        self.structural = False  # a problem that makes the data unusable (alias, tag, depth, ...)
        self.constructor = yaml.constructor.SafeConstructor()
        self.aliases: set[str] = set()

    def add(self, line: int, rule: str, message: str, *, structural: bool = True) -> None:
        self.problems.append(Problem(self.path, line, rule, message))
        self.structural = self.structural or structural
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    def event(self, ev: yaml.Event) -> None:
        line = ev.start_mark.line + 1 if ev.start_mark else 1
        if isinstance(ev, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.add(line, "yaml-syntax", "a second YAML document starts here ('---'); "
                         "one file holds one record: move it to a file of its own")
                raise _Stop
            return
        if isinstance(ev, yaml.AliasEvent):
            if ev.anchor not in self.aliases:  # once per name: an alias bomb repeats each one many times
                self.aliases.add(ev.anchor)
                self.add(line, "yaml-alias", f"alias *{ev.anchor[:40]} is not allowed (anchors, aliases and merge "
                         "keys are refused); write the value out in full")
            self.put(None, line)
            return
        if not isinstance(ev, yaml.NodeEvent | yaml.CollectionEndEvent):
            return
        if isinstance(ev, yaml.CollectionEndEvent):
            value = self.stack.pop()[0]
            self.put(value, value.line)
            return
        if ev.anchor is not None:
            self.add(line, "yaml-anchor", f"anchor &{ev.anchor[:40]} is not allowed (anchors, aliases and merge keys "
                     "are refused); write each value out in full")
        tag = getattr(ev, "tag", None)
        if tag is not None:
            self.add(line, "yaml-tag", f"explicit YAML tag {tag[:60]} is not allowed; write a plain value "
                     "(quote it if it is text)")
        if isinstance(ev, yaml.ScalarEvent):
            self.put(self.scalar(ev, line) if tag is None else None, line)
            return
        if len(self.stack) >= MAX_DEPTH:
            self.add(line, "yaml-depth", f"nesting deeper than {MAX_DEPTH} levels; KB records are flat "
                     "mappings with short lists: check the indentation and brackets")
            raise _Stop
        container = LineDict() if isinstance(ev, yaml.MappingStartEvent) else LineList()
        container.line = line
        container.lines = {} if isinstance(container, LineDict) else []
        self.stack.append([container, None, line, False])

    def scalar(self, ev: yaml.ScalarEvent, line: int):
        text = ev.value
        plain = ev.implicit[0]
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, ev.implicit)
        kind = tag[len(YAML_TAG):] if tag.startswith(YAML_TAG) else tag
        if kind == "merge":
            self.add(line, "yaml-merge", "merge key '<<' is not allowed (anchors, aliases and merge keys are "
                     "refused); write the keys out in full, or quote '<<' if it is text")
            return None
        if kind == "value":
            self.add(line, "yaml-syntax", "a bare '=' is not a value; quote it (\"=\") if it is text")
            return None
        if plain and kind in ("str", "int", "float"):  # a number, or text that a reader would take for one
            refused = number_problem(text)
            if refused:
                self.add(line, *refused, structural=False)
                return text
        if kind == "str":
            found = text_problem(text)
            if found:
                self.add(line, *found, structural=False)
            return text
        node = yaml.ScalarNode(tag, text, ev.start_mark, ev.end_mark, ev.style)
        try:
            return self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, OverflowError, KeyError, yaml.YAMLError) as err:
            if kind == "timestamp":
                self.add(line, "bad-date", f"{text!r} is not a real date ({err}); write an existing date as "
                         "YYYY-MM-DD", structural=False)
            else:
                self.add(line, "wrong-type", f"{text!r} cannot be read as {kind} ({err}); quote it if it is "
                         "text", structural=False)
            return text

    def put(self, value, line: int) -> None:
        if not self.stack:
            self.root, self.has_root = value, True
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, LineList):
            container.append(value)
            container.lines.append(line)
            return
        if not frame[3]:
            frame[1], frame[2], frame[3] = value, line, True
            return
        key, key_line = frame[1], frame[2]
        frame[3] = False
        if not isinstance(key, str):
            if key is not None or not self.structural:
                self.add(key_line, "key-type", f"key {str(key)[:40]!r} must be text; write a word, or quote it",
                         structural=False)
            return
        if key in container:
            self.add(key_line, "duplicate-key", f"key '{key}' appears twice (first on line "
                     f"{container.lines[key]}); keep one of them", structural=False)
            return
        container[key] = value
        container.lines[key] = key_line


def _decode(raw: bytes, shown: str, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        problems.append(Problem(shown, line, "encoding", f"file is not UTF-8 ({err.reason} at byte {err.start}); "
                                "save it as UTF-8"))
        return None


def _read_bytes(path: Path, shown: str, limit: int, problems: list[Problem]) -> bytes | None:
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as err:
        problems.append(Problem(shown, 1, "unreadable", f"cannot read the file ({err.strerror}); check its "
                                "permissions"))
        return None
    if len(raw) > limit:
        problems.append(Problem(shown, 1, "file-too-large", f"file is larger than {limit // 1024} KiB; a KB file "
                                "this big is a mistake (split it, or check what was pasted in)"))
        return None
    return raw


def parse_yaml_text(text: str, shown: str) -> Loaded:
    """Parse YAML text that came from the file `shown` (see the module docstring for what is refused)."""
    result = Loaded(shown)
    builder = _Builder(shown, result.problems)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            builder.event(event)
    except _Stop:
        return result
    except yaml.reader.ReaderError as err:
        line = text[:err.position].count("\n") + 1
        char = chr(err.character) if isinstance(err.character, int) else str(err.character)
        rule, message = text_problem(char) or ("yaml-syntax", f"character {char!r} is not allowed in YAML; delete it")
        result.problems.append(Problem(shown, line, rule, message.replace(" at character 1", "")))
        return result
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        result.problems.append(Problem(shown, line, "yaml-syntax",
                                       f"malformed YAML: {err.problem or err}; check indentation and quoting"))
        return result
    except yaml.YAMLError as err:
        result.problems.append(Problem(shown, 1, "yaml-syntax", f"malformed YAML: {err}"))
        return result
    if builder.structural:
        return result
    if not builder.has_root or builder.root is None:
        result.problems.append(Problem(shown, 1, "empty-file", "file holds no record (it is empty, or only "
                                       "'---', '~' or 'null'); remove it or fill it in"))
        return result
    result.data = builder.root
    return result


def read_yaml(path: Path) -> Loaded:
    """Read one YAML file strictly; every problem is a `path:line: [rule]` Problem, never an exception."""
    shown = relative(path)
    result = Loaded(shown)
    raw = _read_bytes(path, shown, MAX_YAML_BYTES, result.problems)
    text = None if raw is None else _decode(raw, shown, result.problems)
    if text is None:
        return result
    return parse_yaml_text(text, shown)


@dataclass
class CsvRow:
    """One data row of a CSV file with the line it starts on."""

    line: int
    values: dict


def _check_header(header: list[str], columns: list[str], shown: str) -> Problem | None:
    if [h.strip() for h in header] == columns:
        return None
    unknown = [h for h in header if h.strip() not in columns]
    missing = [c for c in columns if c not in (h.strip() for h in header)]
    detail = []
    if unknown:
        detail.append("unknown column(s) " + ", ".join(repr(h)[1:-1] for h in unknown))
    if missing:
        detail.append("missing column(s) " + ", ".join(missing))
    if not detail:
        detail.append("columns out of order")
    return Problem(shown, 1, "csv-header", "; ".join(detail) + "; the header must be exactly: " + ",".join(columns))


def read_csv(path: Path, columns: list[str]) -> tuple[list[CsvRow], list[Problem]]:
    """Read a CSV whose header must be exactly `columns`; every row must have that many fields, and no cell
    may hold a control or bidirectional-formatting character. A UTF-8 byte-order mark is accepted."""
    shown = relative(path)
    problems: list[Problem] = []
    raw = _read_bytes(path, shown, MAX_CSV_BYTES, problems)
    text = None if raw is None else _decode(raw, shown, problems)
    if text is None:
        return [], problems
    return parse_csv_text(text, shown, columns, problems)


def parse_csv_text(text: str, shown: str, columns: list[str],
                   problems: list[Problem] | None = None) -> tuple[list[CsvRow], list[Problem]]:
    """Parse CSV text that came from the file `shown` (see `read_csv`)."""
    problems = [] if problems is None else problems
    rows: list[CsvRow] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            return [], [*problems, Problem(shown, 1, "empty-file", "CSV file is empty; it needs the header row "
                                           + ",".join(columns))]
        bad_header = _check_header(header, columns, shown)
        if bad_header:
            return [], [*problems, bad_header]
        start = reader.line_num + 1
        for raw in reader:
            line, start = start, reader.line_num + 1
            if not raw or all(not c.strip() for c in raw):
                continue
            if len(raw) != len(columns):
                problems.append(Problem(shown, line, "csv-row",
                                        f"row has {len(raw)} field(s), the header has {len(columns)}; "
                                        "check for a missing comma or an unquoted comma inside a value"))
                continue
            bad = [(c, text_problem(v, line_breaks=False)) for c, v in zip(columns, raw, strict=True)]
            bad = [(c, found) for c, found in bad if found]
            for column, (rule, message) in bad:
                problems.append(Problem(shown, line, rule, f"column '{column}': {message}"))
            if not bad:
                rows.append(CsvRow(line, {c: v.strip() for c, v in zip(columns, raw, strict=True)}))
            if len(problems) >= MAX_PROBLEMS:
                break
    except csv.Error as err:
        problems.append(Problem(shown, start, "csv-syntax", f"malformed CSV: {err}; check the quotes on this row"))
    return rows, problems
