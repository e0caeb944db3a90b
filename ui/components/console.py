"""The researcher console's query runner: the SPARQL endpoint's own sandbox, inside the app.

Queries from the console run exactly as `policyatlas serve` runs them (`policyatlas.server.sandbox.WorkerPool`
with its default limits: a time limit per query, a row cap, a query-length cap, a memory cap, one slow-lane
slot; updates, SERVICE and FROM refused by the same check, and no network in the workers), in worker
processes over the compiled on-disk store, so a runaway query costs at most the time
limit of one worker and never blocks the app. The pool lives on its own event-loop thread and is started
the first time a researcher runs a query (one pool per process, shared by sessions). With a remote
endpoint (`policyatlas ui --endpoint URL`) the query goes to that store, under its own limits.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import threading

import streamlit as st

from policyatlas.core.errors import UserError
from policyatlas.core.paths import STORE_DIR
from policyatlas.core.results import Result, parse_graph, parse_json_results
from policyatlas.server.sandbox import WorkerPool
from ui.components import data

WORKERS = 2
#: One long query at a time per app process beside the quick ones (the endpoint's slow lane, smaller).
SLOW_SLOTS = 1
#: The endpoint's row cap (WorkerPool's default), applied to answers from a remote store too.
MAX_ROWS = inspect.signature(WorkerPool).parameters["max_rows"].default


class Console:
    """A WorkerPool running on a private event loop, callable from Streamlit's script threads."""

    def __init__(self, store_path=STORE_DIR, workers: int = WORKERS):
        if not (store_path / "CURRENT").exists():
            raise UserError(f"no compiled store at {store_path}; run `policyatlas build` first")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="policyatlas-sparql-console",
                                       daemon=True)
        self.thread.start()
        self.pool = WorkerPool(store_path, size=workers, slow_slots=SLOW_SLOTS)
        asyncio.run_coroutine_threadsafe(self.pool.start(), self.loop).result(self.pool.start_timeout + 5)

    @property
    def limits(self) -> dict[str, float]:
        return {"timeout": self.pool.timeout, "max_rows": self.pool.max_rows, "max_chars": self.pool.max_chars}

    def run(self, query: str) -> Result:
        """Run one query under the endpoint's limits; a refusal or a time-out is a UserError."""
        future = asyncio.run_coroutine_threadsafe(self.pool.run(query, "json", "ntriples"), self.loop)
        answer = future.result(self.pool.queue_timeout + self.pool.timeout + 5)
        if answer.status != 200:
            raise UserError(f"HTTP {answer.status}: {answer.message}")
        result = parse_graph(answer.body) if answer.fmt == "ntriples" else parse_json_results(answer.body)
        result.complete, result.note = answer.complete, answer.note
        return result


@st.cache_resource(show_spinner="Starting the SPARQL query workers…")
def console() -> Console:
    """The process-wide console (started on first use)."""
    return Console()


_starting = threading.Lock()
_started = False


def prestart() -> None:
    """Start the console's workers in the background when the console page is first opened in this process
    (seconds on a loaded machine), so that they are ready when the researcher runs a query; the first query
    waits for the same start, never repeats it. Nothing to start with a remote endpoint."""
    global _started
    if os.environ.get(data.ENDPOINT_ENV):
        return
    with _starting:
        if _started:
            return
        _started = True
    threading.Thread(target=_start_quietly, name="policyatlas-sparql-prestart", daemon=True).start()


def _start_quietly() -> None:
    try:
        console()
    except Exception:  # noqa: BLE001 -- the researcher's first query starts it again and shows the error
        logging.getLogger(__name__).warning("starting the SPARQL console in the background failed", exc_info=True)


def run(query: str) -> Result:
    """Run a console query: in the sandbox on the embedded KB, or on the remote endpoint in use."""
    if os.environ.get(data.ENDPOINT_ENV):
        return data.atlas().query(query, max_rows=MAX_ROWS)
    return console().run(query)
