"""A shared triple store: publishing the compiled KB to it, and telling a cut-short remote answer apart.

When a team outgrows one machine it loads the KB into a SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, ...)
with `policyatlas publish`, which speaks the SPARQL 1.1 Graph Store HTTP Protocol: the first request
replaces the graph (PUT), the rest add to it (POST), in chunks so that a large KB never has to travel in
one request. Triples that mention a blank node travel together in one request, because a blank node's
label only identifies it within one document.

A remote store may answer a query that hit its time limit or row cap with HTTP 200 and partial rows:
Virtuoso sets `X-SQL-State: S1TAT` (its "anytime query" answer) and caps every answer at `ResultSetMaxRows`
(10,000 by default), saying so only in an `X-SPARQL-MaxRows` header (other stores cap silently, hence the
exact-cap rule); `policyatlas serve` sets `X-PolicyAtlas-Complete: false`.
`completeness()` reads those signs so that the client reports such an answer as incomplete instead of
showing it as the answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from policyatlas.core.errors import UserError

DEFAULT_GRAPH = "https://w3id.org/policyatlas/kb"
VIRTUOSO_ROW_CAP = 10_000
CHUNK_TRIPLES = 20_000
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*(OFFSET\s+\d+\s*)?(VALUES\b.*)?$", re.I | re.S)


def completeness(headers, rows: int, query: str, row_cap: int = VIRTUOSO_ROW_CAP) -> tuple[bool, str]:
    """(complete, note) for a remote answer, from its HTTP headers and how many rows it carried.

    An answer of exactly `row_cap` rows counts as cut unless the query's own final LIMIT asked for that
    many: a store that caps rows silently gives no other sign.
    """
    state = headers.get("X-SQL-State", "")
    if state:
        message = headers.get("X-SQL-Message", "")
        return False, (f"the endpoint stopped the query before it finished (X-SQL-State {state}"
                       + (f": {message}" if message else "") + "); these rows are not the whole answer")
    if headers.get("X-SPARQL-MaxRows"):
        return False, (f"the endpoint cut the answer at its row cap of {headers['X-SPARQL-MaxRows']} rows "
                       "(X-SPARQL-MaxRows); narrow the query or page through it with LIMIT/OFFSET")
    if headers.get("X-PolicyAtlas-Complete", "").lower() == "false":
        return False, headers.get("X-PolicyAtlas-Note", "the endpoint's row cap was reached")
    if row_cap and rows == row_cap:
        limit = _LIMIT.search(query.strip())
        if not (limit and int(limit.group(1)) == row_cap):
            return False, (f"the endpoint returned exactly {row_cap} rows, its row cap: the answer is "
                           "probably cut short; narrow the query or page through it with LIMIT/OFFSET")
    return True, ""


@dataclass
class Published:
    """What `publish` sent: the graph IRI, how many triples, in how many requests."""

    graph: str
    triples: int
    requests: int


def _chunks(lines: list[str], size: int) -> Iterator[list[str]]:
    with_bnodes = [line for line in lines if "_:" in line]
    plain = [line for line in lines if "_:" not in line]
    first = with_bnodes + plain[: max(0, size - len(with_bnodes))]
    yield first
    rest = plain[len(first) - len(with_bnodes):]
    for start in range(0, len(rest), size):
        yield rest[start:start + size]


def publish(dataset: Path, gsp_endpoint: str, graph: str = DEFAULT_GRAPH, user: str | None = None,
            password: str | None = None, auth_scheme: str = "digest", chunk: int = CHUNK_TRIPLES,
            timeout: float = 300.0) -> Published:
    """Replace `graph` in the store behind `gsp_endpoint` with the compiled dataset (N-Triples)."""
    dataset = Path(dataset)
    check_iri(graph)
    if not dataset.exists():
        raise UserError(f"{dataset}: no compiled dataset; run `policyatlas build` first")
    lines = [line for line in dataset.read_text(encoding="utf-8").splitlines(keepends=True)
             if line.strip() and not line.startswith("#")]
    auth = None
    if user:
        auth = httpx.DigestAuth(user, password or "") if auth_scheme == "digest" else \
            httpx.BasicAuth(user, password or "")
    requests = 0
    for part in _chunks(lines, chunk):
        method = "PUT" if requests == 0 else "POST"
        body = "".join(part).encode("utf-8")
        for attempt in range(3):
            # a dropped connection is retried on a fresh one: the same PUT, or the same triples POSTed
            # again, leave the graph as one successful request would (a graph is a set of triples, and only the
            # first request, a PUT, carries blank nodes)
            try:
                with httpx.Client(timeout=timeout, auth=auth) as client:
                    response = client.request(method, gsp_endpoint, params={"graph": graph}, content=body,
                                              headers={"Content-Type": "text/turtle; charset=utf-8"})
                break
            except httpx.TransportError as err:
                if attempt == 2:
                    raise UserError(f"cannot reach the Graph Store endpoint {gsp_endpoint}: {err}") from None
                time.sleep(1 + attempt)
        if response.status_code == 401:
            raise UserError(f"{gsp_endpoint} wants credentials (HTTP 401): pass --user and --password "
                            "(Virtuoso: /sparql-graph-crud-auth with digest auth)")
        if response.status_code >= 300:
            raise UserError(f"{gsp_endpoint} refused the {method} of graph <{graph}> "
                            f"(HTTP {response.status_code}): {response.text.strip()[:300]}")
        requests += 1
    return Published(graph, len(lines), requests)


def check_iri(iri: str) -> str:
    """`iri` if it is an absolute IRI with none of the characters that could break out of `<...>`."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+", iri or ""):
        raise UserError(f"not a usable graph IRI: {iri!r}")
    return iri


def count_triples(query_endpoint: str, graph: str, timeout: float = 60.0) -> int:
    """How many triples the store holds in `graph`, asked over the SPARQL protocol."""
    check_iri(graph)
    response = httpx.post(query_endpoint, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> "
                                                         "{ ?s ?p ?o } }"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=timeout)
    if response.status_code != 200:
        raise UserError(f"{query_endpoint} could not count the published triples "
                        f"(HTTP {response.status_code}): {response.text.strip()[:300]}")
    return int(response.json()["results"]["bindings"][0]["n"]["value"])
