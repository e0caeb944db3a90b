"""Free-text search over evidence records: every word of the query must occur (case-insensitive, in either
language) in the record's id, finding, magnitude, population, instruments, programmes (ids and names),
setting countries (ISO3 and names) or the titles of its sources."""

from __future__ import annotations

from collections.abc import Mapping


def haystacks(records: list[Mapping], programme_names: Mapping[str, str],
              country_names: Mapping[str, Mapping[str, str]], instrument_labels: Mapping[str, Mapping[str, str]],
              sources: Mapping[str, Mapping]) -> dict[str, str]:
    """Record id -> the lower-cased text a query is matched against."""
    out = {}
    for r in records:
        parts = [r["id"], *(r.get(k) or "" for k in ("finding", "finding_zh", "magnitude", "magnitude_zh",
                                                      "population", "population_zh"))]
        for i in r.get("instruments") or []:
            parts += [i, *(instrument_labels.get(i) or {}).values()]
        for p in r.get("programmes") or []:
            parts += [p, programme_names.get(p, "")]
        for c in r.get("setting_countries") or []:
            parts += [c, *(country_names.get(c) or {}).values()]
        for s in r.get("sources") or []:
            parts += [s, (sources.get(s) or {}).get("title") or ""]
        out[r["id"]] = " ".join(filter(None, parts)).casefold()
    return out


def matches(haystack: str, query: str | None) -> bool:
    """True when every whitespace-separated word of the query occurs in the haystack (an empty query
    matches everything)."""
    return all(word in haystack for word in (query or "").casefold().split())
