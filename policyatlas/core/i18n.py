"""The one message catalogue: every sentence the product shows, in English and Chinese.

Messages live in `policyatlas/core/messages/<lang>/<area>.yaml` (areas such as `cli`, `evaluator`, `planner`,
`report`, `ui`); a message's key is the area followed by its dotted path in the file, so `planner.reason.
extends` is the key `reason.extends` of `messages/en/planner.yaml`. Both languages have the same keys (a
test checks it). Code returns reason codes with numbers (`{"code": "planner.reason.extends", "params":
{...}}`) and the renderers turn them into text with `message()`; nothing else holds user-facing text.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

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


def _check(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")


@cache
def area(lang: str, name: str) -> dict[str, str]:
    """The messages of one area file (`messages/<lang>/<name>.yaml`) by full key, read once per process; a
    command that prints one message reads one small file, not the whole catalogue."""
    _check(lang)
    path = MESSAGES_DIR / lang / f"{name}.yaml"
    if not path.is_file():
        return {}
    import yaml  # here, not at the top: `policyatlas --help` prints no message and loads no YAML

    # libyaml's loader where PyYAML has it: ten times faster than the pure-Python one on these files
    with open(path, encoding="utf-8") as fh:
        tree = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return _flatten(tree, name + ".")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of one language by key (read once per process)."""
    _check(lang)
    out: dict[str, str] = {}
    for path in sorted((MESSAGES_DIR / lang).glob("*.yaml")):
        out.update(area(lang, path.stem))
    return out


def message(key: str, lang: str = "en", /, **params) -> str:
    """Message `key` in `lang` (English where the other language lacks it), `{placeholders}` filled."""
    name = key.partition(".")[0]
    text = area(lang, name).get(key) or area("en", name)[key]
    return text.format(**params) if params else text


def render_reason(reason: Mapping, lang: str = "en") -> str:
    """A reason code with its numbers (`{"code": ..., "params": {...}}`) as a sentence in `lang`."""
    return message(reason["code"], lang, **dict(reason.get("params") or {}))


def people(x: float, lang: str = "en") -> str:
    """A number of people as words read it: '1.5 million' in English, in 亿 or 万 in Chinese (the words:
    evaluator.people.* in the catalogue)."""
    x = float(x)
    if lang == "zh":
        if x >= 1e8:
            return message("evaluator.people.hundred_million", lang, n=x / 1e8)
        return message("evaluator.people.ten_thousand", lang, n=x / 1e4) if x >= 1e4 else f"{x:,.0f}"
    if x >= 1e6:
        return message("evaluator.people.million", lang, n=x / 1e6)
    return f"{round(x, -3 if x >= 1e4 else 0):,.0f}"
