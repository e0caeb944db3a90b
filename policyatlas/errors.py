"""Errors meant for users: the CLI prints them as `path:line: message` and exits 1, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input: where it is, which check it broke, and how to fix it."""

    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


class UserError(Exception):
    """A mistake in what the user gave (an unknown country, a bad number, a malformed query)."""


class ValidationError(UserError):
    """The KB or a rule file has problems; carries every one of them, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
