"""Markdown tables: cells made safe and rows joined with pipes."""

from __future__ import annotations

from collections.abc import Sequence


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell (pipes escaped, line breaks, carriage returns included, as
    spaces)."""
    return " ".join(str(text).replace("|", "\\|").splitlines())


def row(values: Sequence[object]) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |"


def table(header: Sequence[object], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table as lines: the header, the alignment row, one line per row."""
    return [row(header), "|" + "---|" * len(header), *(row(r) for r in rows)]
