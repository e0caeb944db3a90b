"""Errors meant for users: the CLI prints them as `path:line: message` and exits 1, never a traceback."""

from __future__ import annotations

from collections import namedtuple

# A named tuple, not a dataclass: every CLI call imports this module, and `dataclasses` (with the `inspect`
# it loads) costs more start-up than a library query takes to run (docs/benchmarks.md). A named tuple is as
# immutable, hashable and ordered (by path, line, rule, message) as the frozen, ordered dataclass it replaces.


class Problem(namedtuple("Problem", ["path", "line", "rule", "message"])):
    """One thing wrong in the input: where it is (`path`, `line`), which check it broke (`rule`), and how to
    fix it (`message`)."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


class UserError(Exception):
    """A mistake in what the user gave (an unknown country, a bad number, a malformed query)."""


class ValidationError(UserError):
    """The KB or a rule file has problems; carries every one of them, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


#: How alike a mistyped id and a known one must be to be suggested (difflib's ratio).
CLOSE_ENOUGH = 0.6


def did_you_mean(value, candidates, names=None) -> str:
    """' (did you mean X, Y?)' naming up to three known ids close to a mistyped `value`, or '' when none is
    close: THE one hint of the project (KB loader, Atlas, evaluator). `names` maps other spellings (say,
    country names in lower case) to ids, so that 'kenia' suggests KEN."""
    import difflib

    text = str(value)
    close = difflib.get_close_matches(text, sorted(candidates), n=3, cutoff=CLOSE_ENOUGH)
    if names:
        close += [names[n] for n in difflib.get_close_matches(text.lower(), sorted(names), n=3, cutoff=CLOSE_ENOUGH)]
    close = list(dict.fromkeys(close))[:3]
    return f" (did you mean {', '.join(close)}?)" if close else ""
