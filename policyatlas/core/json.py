"""JSON as the CLI prints and the app exports it: UTF-8 text (Chinese stays readable), indented by two."""

from __future__ import annotations

import json


def dumps(value: object, *, newline: bool = False) -> str:
    """`value` as indented JSON; `newline` adds the final line break a file needs."""
    return json.dumps(value, ensure_ascii=False, indent=2) + ("\n" if newline else "")
