"""A minimal stand-in for `policyatlas.api.Atlas` over a pyoxigraph store, for the evaluator's unit tests.

It answers `query(sparql)` with `.rows` as a list of dicts of Python values (IRIs and literals as text,
numbers as numbers), the shape docs/contracts.md gives `Atlas.query`, so the tests exercise the same code
path as the real API without depending on the content of kb/.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph

_NUMERIC = {"integer": int, "decimal": float, "double": float, "int": int}


def _py(term):
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in _NUMERIC:
            return _NUMERIC[kind](term.value)
        if kind == "boolean":
            return term.value == "true"
        return term.value
    return term.value


@dataclass
class Result:
    vars: list[str]
    rows: list[dict]


class StoreAtlas:
    """Loads Turtle files into an in-memory Oxigraph store and answers SELECT queries."""

    def __init__(self, *paths: Path):
        self.store = pyoxigraph.Store()
        for path in paths:
            self.store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
        self.queries = 0

    @cached_property
    def facts(self):
        """The evaluator's facts of this KB, kept by the atlas as `Atlas.facts` keeps them."""
        from evaluator.assess.facts import KBFacts

        return KBFacts.from_query(self.query)

    def query(self, sparql: str) -> Result:
        self.queries += 1
        solutions = self.store.query(sparql)
        names = [v.value for v in solutions.variables]
        rows = [{n: _py(s[n]) for n in names} for s in solutions]
        return Result(names, rows)
