"""What a query sent to a public endpoint may and may not do, decided on its parsed structure.

Policy Atlas's endpoint is read-only and must never make the server call another host or read a file:
SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...), `SERVICE` (federation: the engine would fetch a
remote URL) and `FROM` / `FROM NAMED` (a dataset given by URL) are refused with a clear message. The check
walks rdflib's parse tree rather than searching the text, so a word such as "service" inside a string or an
IRI is not mistaken for the keyword, and a `SERVICE` hidden in a sub-query or a `FILTER EXISTS` is found.
rdflib's parser is not thread-safe, so every parse holds one lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from policyatlas.errors import UserError

MAX_QUERY_CHARS = 20_000
_PARSE_LOCK = threading.Lock()

QUERY_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct",
               "DescribeQuery": "describe"}


class QueryRefused(UserError):
    """A query the endpoint will not run; `status` is the HTTP status to answer with (400 or 403)."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class QueryInfo:
    """What the check learned: the query form (select, ask, construct, describe)."""

    kind: str

    @property
    def is_graph(self) -> bool:
        return self.kind in ("construct", "describe")


def check_query(text: str, max_chars: int = MAX_QUERY_CHARS) -> QueryInfo:
    """Parse `text` and refuse what a read-only, no-outbound-call endpoint must not run.

    Raises QueryRefused(400) for an empty, over-long or malformed query, QueryRefused(403) for an update,
    SERVICE or FROM / FROM NAMED.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not isinstance(text, str) or not text.strip():
        raise QueryRefused(400, "the query is empty")
    if len(text) > max_chars:
        raise QueryRefused(400, f"the query is {len(text)} characters long; the limit is {max_chars}")
    with _PARSE_LOCK:
        try:
            tree = parseQuery(text)
        except ParseException as err:
            query_error = err
        except Exception as err:  # RecursionError and the like on pathological input
            raise QueryRefused(400, f"the query could not be parsed ({type(err).__name__})") from None
        else:
            query_error = None
        if query_error is not None:
            try:
                parseUpdate(text)
            except Exception:
                raise QueryRefused(400, f"malformed SPARQL query: {_short(query_error)}") from None
            raise QueryRefused(403, "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, "
                                    "COPY) is refused: this endpoint is read-only")
    body = tree[1]
    kind = QUERY_KINDS.get(getattr(body, "name", ""), "")
    if not kind:
        raise QueryRefused(400, "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    for node in _walk(tree):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise QueryRefused(403, "SERVICE is refused: this endpoint never calls another host "
                                    f"(found {node.get('service_string', 'SERVICE')[:80]!r})")
        if name == "DatasetClause":
            iri = node.get("default") or node.get("named")
            raise QueryRefused(403, f"FROM / FROM NAMED <{iri}> is refused: this endpoint loads nothing "
                                    "from URLs or files; query the KB's default graph without FROM")
    return QueryInfo(kind)


def _short(err: Exception) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:300]


def _walk(node, depth: int = 0):
    """Every node of a pyparsing/rdflib parse tree (CompValue is a dict, ParseResults a list)."""
    if depth > 400:
        raise QueryRefused(400, "the query is nested too deeply")
    yield node
    if isinstance(node, dict):
        children = list(node.values())
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        children = list(node)
    else:
        return
    for child in children:
        if isinstance(child, str):
            continue
        yield from _walk(child, depth + 1)
