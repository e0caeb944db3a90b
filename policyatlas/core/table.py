"""Aligned plain-text tables for the terminal; CJK characters take two columns."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """`text` padded with spaces to `columns` display columns."""
    return text + " " * max(0, columns - width(text))


def table(header: Sequence[object], rows: Sequence[Sequence[object]], sep: str = "  ",
          max_rule: int | None = None) -> str:
    """A plain aligned text table: the header, a rule of dashes (each at most `max_rule` long), the rows (no
    trailing spaces)."""
    cols = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [sep.join(pad(str(h), c) for h, c in zip(header, cols, strict=True)).rstrip(),
             sep.join("-" * (c if max_rule is None else min(c, max_rule)) for c in cols)]
    lines += [sep.join(pad(str(v), c) for v, c in zip(r, cols, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
