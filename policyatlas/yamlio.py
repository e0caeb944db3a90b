"""Strict YAML and CSV reading that remembers where each value came from.

Analysts edit `kb/` by hand, so every problem must point at a file and a line. PyYAML's composer gives us
nodes with positions; we build plain dicts and lists from them, refuse duplicate keys (PyYAML would keep the
last one silently) and refuse anything but the plain YAML types (no tags, no anchors doing magic).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policyatlas.errors import Problem
from policyatlas.paths import relative


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


def _convert(node: yaml.Node, path: str, problems: list[Problem]):
    if isinstance(node, yaml.MappingNode):
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, path, problems)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                problems.append(Problem(path, line, "key-type", f"key {key!r} must be text"))
                continue
            if key in out:
                problems.append(Problem(path, line, "duplicate-key",
                                        f"key '{key}' appears twice (first on line {out.lines[key]}); "
                                        "keep one of them"))
                continue
            out[key] = _convert(value_node, path, problems)
            out.lines[key] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LineList(_convert(item, path, problems) for item in node.value)
        out.line = node.start_mark.line + 1
        out.lines = [item.start_mark.line + 1 for item in node.value]
        return out
    # Scalars: resolve with the safe loader's implicit types (int, float, bool, null, str, date).
    if node.tag.startswith("tag:yaml.org,2002:"):
        return yaml.SafeLoader("").construct_object(node, deep=True)
    problems.append(Problem(path, node.start_mark.line + 1, "yaml-tag",
                            f"custom YAML tag {node.tag} is not allowed; write a plain value"))
    return None


def read_yaml(path: Path) -> Loaded:
    """Read one YAML file strictly; syntax errors become problems with the line where PyYAML stopped."""
    shown = relative(path)
    result = Loaded(shown)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        result.problems.append(Problem(shown, 1, "encoding", f"file is not UTF-8 ({err.reason}); save it as UTF-8"))
        return result
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        result.problems.append(Problem(shown, line, "yaml-syntax",
                                       f"malformed YAML: {err.problem or err}; check indentation and quoting"))
        return result
    except yaml.YAMLError as err:
        result.problems.append(Problem(shown, 1, "yaml-syntax", f"malformed YAML: {err}"))
        return result
    if node is None:
        result.problems.append(Problem(shown, 1, "empty-file", "file is empty; remove it or fill it in"))
        return result
    result.data = _convert(node, shown, result.problems)
    return result


@dataclass
class CsvRow:
    """One data row of a CSV file with the line it starts on."""

    line: int
    values: dict


def read_csv(path: Path, columns: list[str]) -> tuple[list[CsvRow], list[Problem]]:
    """Read a CSV whose header must be exactly `columns`; every row must have that many fields."""
    shown = relative(path)
    problems: list[Problem] = []
    rows: list[CsvRow] = []
    try:
        handle = path.open(encoding="utf-8", newline="")
        with handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return [], [Problem(shown, 1, "empty-file", "CSV file is empty; it needs the header row "
                                    + ",".join(columns))]
            if [h.strip() for h in header] != columns:
                unknown = [h for h in header if h not in columns]
                missing = [c for c in columns if c not in header]
                detail = []
                if unknown:
                    detail.append("unknown column(s) " + ", ".join(unknown))
                if missing:
                    detail.append("missing column(s) " + ", ".join(missing))
                if not detail:
                    detail.append("columns out of order")
                problems.append(Problem(shown, 1, "csv-header", "; ".join(detail)
                                        + "; the header must be exactly: " + ",".join(columns)))
                return [], problems
            start = reader.line_num + 1
            for raw in reader:
                if not raw or all(not c.strip() for c in raw):
                    start = reader.line_num + 1
                    continue
                if len(raw) != len(columns):
                    problems.append(Problem(shown, start, "csv-row",
                                            f"row has {len(raw)} field(s), the header has {len(columns)}; "
                                            "check for a missing comma or an unquoted comma inside a value"))
                else:
                    rows.append(CsvRow(start, {c: v.strip() for c, v in zip(columns, raw, strict=True)}))
                start = reader.line_num + 1
    except UnicodeDecodeError as err:
        problems.append(Problem(shown, 1, "encoding", f"file is not UTF-8 ({err.reason}); save it as UTF-8"))
    except csv.Error as err:
        problems.append(Problem(shown, 1, "csv-syntax", f"malformed CSV: {err}"))
    return rows, problems
