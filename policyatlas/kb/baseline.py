"""Every economy's social-protection baseline as typed facts, for the evaluator and the planner.

`Baseline.from_atlas(atlas)` asks the compiled KB (the embedded store or a remote endpoint, through
`atlas.query`) the two library queries `ontology/queries/scheme-coverage-by-branch.rq` and
`ontology/queries/target-group-sizes.rq`, plus the scheme kinds, and returns per economy:

- branch -> `BranchStatus(exists, kind, coverage, year, source)`: `exists` is "yes", "no" or "unknown"
  (never imputed); coverage is the latest effective coverage (SDG 1.3.1) with its year and source, or None.
- group -> `GroupSize(people, year, source, imputed)`: where several sizes exist for one group, a published
  (not imputed) number wins over an imputed one, then the newest year.

The answer is cached per atlas object (weakly, so it goes with the atlas).

    >>> base = Baseline.from_atlas(Atlas.load())
    >>> base.country("JPN").branches["unemployment"].exists
    'yes'
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from decimal import Decimal

from policyatlas.core.errors import UserError
from policyatlas.core.namespaces import prologue
from policyatlas.core.query_library import QUERIES_DIR, read_query_file

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()

KINDS_QUERY = """
SELECT ?country ?branch ?kind ?since WHERE {
  ?s a pa:SchemeStatus ; pa:baselineArea ?c ; pa:branch ?b .
  OPTIONAL { ?s pa:schemeKind ?k }
  OPTIONAL { ?s pa:firstLawYear ?since }
  BIND(STRAFTER(STR(?c), STR(country:)) AS ?country)
  BIND(STRAFTER(STR(?b), STR(vocab:branch-)) AS ?branch)
  BIND(STRAFTER(STR(?k), STR(vocab:scheme-kind-)) AS ?kind)
}
"""


@dataclass(frozen=True)
class BranchStatus:
    """Does a scheme of this branch exist, of what kind, and whom does it reach (latest observation)."""

    exists: str  # yes | no | unknown
    kind: str | None = None
    coverage: float | None = None  # percent of the relevant population
    year: int | None = None
    source: str | None = None  # source id of the coverage observation
    first_law_year: int | None = None


@dataclass(frozen=True)
class GroupSize:
    """How many people a group counts in one economy, from which source(s), and whether it is derived."""

    people: float
    year: int
    source: str  # source ids joined by "; "
    imputed: bool


@dataclass
class CountryBaseline:
    iso3: str
    branches: dict[str, BranchStatus] = field(default_factory=dict)
    groups: dict[str, GroupSize] = field(default_factory=dict)

    def exists(self, branch: str) -> str:
        """yes / no / unknown for one branch ("unknown" where the KB has no row)."""
        status = self.branches.get(branch)
        return status.exists if status else "unknown"

    def people(self, group: str) -> float | None:
        size = self.groups.get(group)
        return None if size is None else size.people


@dataclass
class Baseline:
    countries: dict[str, CountryBaseline] = field(default_factory=dict)

    def country(self, iso3: str) -> CountryBaseline:
        """The baseline of one economy; an economy the KB does not know gets an empty one (all unknown)."""
        return self.countries.get(iso3) or CountryBaseline(iso3)

    @classmethod
    def from_atlas(cls, atlas) -> Baseline:
        """The baseline of the atlas's KB, computed once per atlas (kept while the atlas lives)."""
        with _CACHE_LOCK:
            try:
                return _CACHE[atlas]
            except KeyError:
                base = _CACHE[atlas] = cls.from_query(atlas.query)
                return base
            except TypeError:  # an atlas that cannot be weakly referenced: no cache, still correct
                return cls.from_query(atlas.query)

    @classmethod
    def from_query(cls, query) -> Baseline:
        """Assemble the baseline from `query(sparql) -> Result`; a cut-short answer is an error, not a gap."""

        def rows(sparql: str) -> list[dict]:
            answer = query(prologue() + sparql)
            if not getattr(answer, "complete", True):
                raise UserError(f"baseline query cut short by the store ({getattr(answer, 'note', '')}): "
                                "raise the store's row cap or time limit")
            return answer.python_rows()

        base = cls()
        kinds = {(r["country"], r["branch"]): (r.get("kind") or None, _int(r.get("since")))
                 for r in rows(KINDS_QUERY)}
        for r in rows(_library("scheme-coverage-by-branch")):
            iso3, branch = str(r["country"]), str(r["branch"])
            kind, since = kinds.get((iso3, branch), (None, None))
            base._of(iso3).branches[branch] = BranchStatus(
                exists=str(r["exists"]), kind=kind, coverage=_float(r.get("coverage")), year=_int(r.get("year")),
                source=r.get("source"), first_law_year=since)
        for r in rows(_library("target-group-sizes")):
            size = GroupSize(float(_float(r["people"])), int(r["year"]), str(r["source"]), bool(r["imputed"]))
            groups = base._of(str(r["country"])).groups
            old = groups.get(str(r["group"]))
            if old is None or (not size.imputed, size.year) > (not old.imputed, old.year):
                groups[str(r["group"])] = size
        return base

    def _of(self, iso3: str) -> CountryBaseline:
        return self.countries.setdefault(iso3, CountryBaseline(iso3))


def _library(name: str) -> str:
    return read_query_file(QUERIES_DIR / f"{name}.rq").sparql


def _float(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, int | float | Decimal) else float(str(value))


def _int(value) -> int | None:
    return None if value is None or value == "" else int(value)


__all__ = ["Baseline", "BranchStatus", "CountryBaseline", "GroupSize"]
