"""Where SPARQL runs: the embedded Oxigraph store (default) or any SPARQL 1.1 endpoint (a shared store).

Both answer with `policyatlas.core.results.Result`, so the evaluator, the planner, the CLI and the UI cannot tell
them apart. Every query gets the project's prefixes predeclared.
"""

from __future__ import annotations

import re
from _thread import allocate_lock  # threading.Lock itself, without importing threading (start-up)
from pathlib import Path

import pyoxigraph as ox

from policyatlas.core.errors import UserError
from policyatlas.core.prefixes import prologue
from policyatlas.core.results import Result, from_oxigraph, parse_graph, parse_json_results

GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
_PARSER_LOCK = allocate_lock()  # rdflib's SPARQL parser is not thread-safe


def _user_position(message: str) -> str:
    """Oxigraph reports 'error at LINE:COL' in the query with the prologue; give the line in the user's query."""
    offset = prologue().count("\n")

    def shift(match: re.Match) -> str:
        line = int(match.group(1)) - offset
        return f"line {line}, column {match.group(2)}" if line >= 1 else match.group(0)

    return re.sub(r"error at (\d+):(\d+)", shift, message, count=1)


def with_prologue(sparql: str) -> str:
    """The query with the project's PREFIX lines in front (a query may redeclare any of them)."""
    return prologue() + sparql


class EmbeddedStore:
    """The compiled KB in an embedded Oxigraph store; safe to share across threads.

    For a release written by `policyatlas build` (or a dataset with its `.store/` beside it) the on-disk
    store of that same release is opened read-only, which takes milliseconds; a lone N-Triples file is
    loaded into memory."""

    def __init__(self, dataset: Path | None, store_dir: Path | None = None):
        self.dataset = Path(dataset) if dataset is not None else None
        self.store_dir = store_dir
        if store_dir is not None:
            try:
                self.store = ox.Store.read_only(str(store_dir))
                return
            except OSError:  # not a store after all (or unreadable): fall back to the N-Triples file
                self.store_dir = None
        self.store = ox.Store()
        if self.dataset is not None:
            with self.dataset.open("rb") as handle:
                self.store.bulk_load(handle, ox.RdfFormat.N_TRIPLES)

    @classmethod
    def from_ntriples(cls, text: str) -> EmbeddedStore:
        """A store holding the given N-Triples (the build evaluates the KB it has just compiled)."""
        store = cls(None)
        store.store.bulk_load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
        return store

    def __len__(self) -> int:
        return len(self.store)

    def query(self, sparql: str, max_rows: int | None = None) -> Result:
        try:
            answer = self.store.query(with_prologue(sparql), use_default_graph_as_union=True)
            # Oxigraph evaluates lazily: errors such as a SERVICE call that cannot connect surface while the
            # rows are read, so reading them belongs inside the same guard
            return from_oxigraph(answer, max_rows)
        except SyntaxError as err:
            raise UserError(f"malformed SPARQL query: {_user_position(str(err))}") from None
        except (ValueError, OSError, RuntimeError) as err:
            raise UserError(f"the query could not run: {err}") from None


class RemoteStore:
    """A SPARQL 1.1 Protocol endpoint (Virtuoso, Fuseki, `policyatlas serve`, ...)."""

    def __init__(self, endpoint: str, timeout: float = 60.0):
        import httpx  # only when a remote store is used: keeps the embedded query path light

        self.endpoint = endpoint
        self.client = httpx.Client(timeout=timeout)

    def query(self, sparql: str, max_rows: int | None = None) -> Result:
        import httpx

        from policyatlas.core.remote import completeness

        text = with_prologue(sparql)
        graph_form = _is_graph_query(text)
        accept = "application/n-triples" if graph_form else "application/sparql-results+json"
        try:
            response = self.client.post(self.endpoint, data={"query": text}, headers={"Accept": accept})
        except httpx.HTTPError as err:
            raise UserError(f"cannot reach the SPARQL endpoint {self.endpoint}: {err}") from None
        if response.status_code >= 400:
            raise UserError(f"the endpoint {self.endpoint} refused the query (HTTP {response.status_code}): "
                            f"{response.text.strip()[:500]}")
        result = parse_graph(response.content) if graph_form else parse_json_results(response.content)
        complete, note = completeness(response.headers, len(result), text)
        if not complete:
            result.complete, result.note = False, note
        if max_rows is not None and len(result.rows) > max_rows:
            result.rows = result.rows[:max_rows]
            result.complete = False
            result.note = f"row cap of {max_rows} reached"
        return result


def _is_graph_query(text: str) -> bool:
    """True for CONSTRUCT and DESCRIBE, told apart by parsing rather than by guessing at keywords."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with _PARSER_LOCK:
            parsed = parseQuery(text)
    except Exception:  # let the endpoint report the syntax error in its own words
        return any(form in text.upper() for form in GRAPH_FORMS)
    return parsed[1].name in ("ConstructQuery", "DescribeQuery")
