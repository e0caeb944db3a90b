"""The real compiled KB (its findings included) for the query-library and shared-store tests.

`make test` builds the KB before pytest. Without a build these tests fail on CI and are skipped locally.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from policyatlas.core.paths import DATASET
from policyatlas.core.results import INTEGER_TYPES, XSD, Result
from tests.conftest import need, on_ci  # noqa: F401  (re-exported for the sparql tests)


def dataset_path() -> Path:
    need(DATASET.exists(), f"the compiled KB ({DATASET}; run `policyatlas build`)")
    return DATASET


NUMERIC = INTEGER_TYPES | {XSD + "decimal", XSD + "double", XSD + "float"}
_PARTS = re.compile(r", | \| ")  # the separators the library's GROUP_CONCATs use
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.0+)?(Z|[+-]00:00)?$")


def norm_term(term) -> tuple:
    """A term in a form two stores agree on: numbers by value, booleans as true/false, no xsd:string,
    blank-node labels dropped, dateTimes without redundant fraction or UTC spelling, and values built by
    GROUP_CONCAT (whose order SPARQL leaves open) as their sorted parts. An empty plain string counts as
    unbound: over a group with no values (or only errors) Oxigraph leaves GROUP_CONCAT unbound where
    Virtuoso gives ""."""
    if term is None or (term.kind == "literal" and term.value == "" and not term.lang
                        and term.datatype in (None, XSD + "string")):
        return ("unbound",)
    if term.kind == "bnode":
        return ("bnode",)
    if term.kind == "uri":
        return ("uri", term.value)
    dt = term.datatype or XSD + "string"
    if term.lang:
        return ("lit", term.value, "@" + term.lang.lower())
    if dt in NUMERIC:
        try:
            value = Decimal(term.value).normalize()
            return ("num", "0" if value == 0 else str(value))
        except InvalidOperation:
            return ("lit", term.value, dt)
    if dt == XSD + "boolean":
        return ("bool", term.value.strip() in ("true", "1"))
    if dt == XSD + "dateTime":
        m = _DATETIME.match(term.value)
        if m:
            return ("dateTime", m.group(1) + "T" + m.group(2) + ("Z" if m.group(4) else ""))
    value = term.value
    if ", " in value or " | " in value:
        value = "\x00".join(sorted(_PARTS.split(value)))
    return ("lit", value, dt)


def norm_result(result: Result):
    """A result as a comparable multiset: sorted rows (SELECT), a boolean (ASK) or sorted triples."""
    if result.kind == "ask":
        return ("ask", result.boolean)
    if result.kind == "graph":
        return ("graph", sorted(tuple(norm_term(t) for t in triple) for triple in result.triples))
    rows = sorted(tuple(norm_term(row.get(v)) for v in result.vars) for row in result.rows)
    return ("select", tuple(result.vars), rows)
