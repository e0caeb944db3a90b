"""The one message catalogue: every sentence the product shows, in English and Chinese.

Messages live in `policyatlas/messages/<lang>/<area>.yaml` (areas such as `cli`, `evaluator`, `planner`,
`report`, `ui`); a message's key is the area followed by its dotted path in the file, so `planner.reason.
extends` is the key `reason.extends` of `messages/en/planner.yaml`. Both languages have the same keys (a
test checks it). Code returns reason codes with numbers (`{"code": "planner.reason.extends", "params":
{...}}`) and the renderers turn them into text with `message()`; nothing else holds user-facing text.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

MESSAGES_DIR = Path(__file__).resolve().parent / "messages"
LANGUAGES = ("en", "zh")


def _flatten(tree: Mapping, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of one language by key (read once per process)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    out: dict[str, str] = {}
    for path in sorted((MESSAGES_DIR / lang).glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            tree = yaml.safe_load(fh) or {}
        out.update(_flatten(tree, path.stem + "."))
    return out


def message(key: str, lang: str = "en", /, **params) -> str:
    """Message `key` in `lang` (English where the other language lacks it), `{placeholders}` filled."""
    text = catalogue(lang).get(key) or catalogue("en")[key]
    return text.format(**params) if params else text


def render_reason(reason: Mapping, lang: str = "en") -> str:
    """A reason code with its numbers (`{"code": ..., "params": {...}}`) as a sentence in `lang`."""
    return message(reason["code"], lang, **dict(reason.get("params") or {}))
