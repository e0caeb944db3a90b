"""Worker processes that run researchers' SPARQL queries with a hard time limit.

pyoxigraph has no query timeout and a running query cannot be interrupted from Python, so the endpoint
never runs a query in its own process. Each worker opens the compiled on-disk store read-only
(`pyoxigraph.Store.read_only`), checks the query (see `policyatlas.safety`: no update, no SERVICE, no FROM),
runs it, reads at most `max_rows` rows and serialises the answer. The pool gives each query to an idle
worker and kills that worker when the time limit passes, starting a fresh one in its place; a query can
therefore cost at most `timeout` seconds of one core, whatever it asks for.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

_CTX = multiprocessing.get_context("spawn")


@dataclass
class Answer:
    """What the endpoint sends back: HTTP status, the format used, the body, and whether it is complete."""

    status: int
    fmt: str = ""
    body: bytes = b""
    complete: bool = True
    note: str = ""
    rows: int = 0
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def _worker_main(conn, store_path: str) -> None:
    """Body of one worker process: answer (query, formats, max_rows, max_chars) jobs until EOF."""
    import pyoxigraph as ox

    from policyatlas.namespaces import PREFIXES
    from policyatlas.results import from_oxigraph, serialise
    from policyatlas.safety import QueryRefused, check_query

    try:
        store = ox.Store.read_only(store_path)
        check_query("ASK { ?s ?p ?o }")  # warm the parser before the first real query
    except Exception as err:  # the pool reports a worker that cannot open the store
        conn.send(("failed", f"cannot open the store at {store_path}: {err}"))
        return
    conn.send(("ready",))
    while True:
        try:
            query, select_fmt, graph_fmt, max_rows, max_chars = conn.recv()
        except (EOFError, OSError):
            return
        try:
            info = check_query(query, max_chars)
            fmt = graph_fmt if info.is_graph else select_fmt
            answer = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
            result = from_oxigraph(answer, max_rows=max_rows)
            body = serialise(result, fmt).encode("utf-8")
            conn.send(("ok", fmt, body, result.complete, result.note, len(result)))
        except QueryRefused as err:
            conn.send(("refused", err.status, str(err)))
        except SyntaxError as err:
            conn.send(("refused", 400, f"malformed SPARQL query: {str(err)[:300]}"))
        except Exception as err:  # an evaluation error is the query's fault, never a crash
            conn.send(("refused", 400, f"the query failed: {type(err).__name__}: {str(err)[:300]}"))


class _Worker:
    def __init__(self, store_path: str):
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_worker_main, args=(child, store_path), daemon=True,
                                    name="policyatlas-sparql-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


async def _readable(conn, timeout: float | None) -> bool:
    """Wait until the worker's pipe has a message; False when the timeout passes first."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()

    def _wake():
        if not ready.done():
            ready.set_result(True)

    loop.add_reader(fd, _wake)
    try:
        if conn.poll():
            return True
        await asyncio.wait_for(ready, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


class WorkerPool:
    """A fixed number of read-only query workers over one on-disk store, each killed at the time limit."""

    def __init__(self, store_path: Path | str, size: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 max_chars: int = 20_000, start_timeout: float = 60.0, queue_timeout: float | None = None,
                 max_waiting: int = 512):
        self.store_path = str(store_path)
        self.size = size
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_chars = max_chars
        self.start_timeout = start_timeout
        # waiting for a free worker is not running: under a burst a query may wait longer than it may run
        self.queue_timeout = queue_timeout if queue_timeout is not None else max(30.0, 3 * timeout)
        self.max_waiting = max_waiting
        self._waiting = 0
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._closing = False
        self.killed = 0

    async def start(self) -> None:
        """Start every worker and wait until each has opened the store."""
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        worker = await asyncio.get_running_loop().run_in_executor(None, _Worker, self.store_path)
        self._all.add(worker)
        if not await _readable(worker.conn, self.start_timeout):
            self._discard(worker)
            raise RuntimeError("a SPARQL worker did not start in time")
        message = worker.conn.recv()
        if message[0] != "ready":
            self._discard(worker)
            raise RuntimeError(message[1])
        return worker

    def _discard(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.kill()

    async def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if self._closing:
            return
        try:
            fresh = await self._spawn()
        except RuntimeError:
            await asyncio.sleep(1)
            asyncio.get_running_loop().create_task(self._replace_missing())
            return
        self._idle.put_nowait(fresh)

    async def _replace_missing(self) -> None:
        if not self._closing and len(self._all) < self.size:
            fresh = await self._spawn()
            self._idle.put_nowait(fresh)

    async def run(self, query: str, select_fmt: str = "json", graph_fmt: str = "turtle") -> Answer:
        """Run one query in a worker; 503 when the time limit passes or no worker frees up in time."""
        if self._waiting >= self.max_waiting:
            return Answer(503, message=f"the endpoint is busy: {self._waiting} queries are already waiting; "
                                       "try again later")
        self._waiting += 1
        getter = asyncio.ensure_future(self._idle.get())
        try:
            worker = await asyncio.wait_for(asyncio.shield(getter), self.queue_timeout)
        except (TimeoutError, asyncio.CancelledError) as stop:
            # a worker handed over at the very moment of the timeout must go back, not be lost
            if getter.done() and not getter.cancelled():
                self._idle.put_nowait(getter.result())
            else:
                getter.cancel()
            if isinstance(stop, asyncio.CancelledError):
                raise
            return Answer(503, message=f"the endpoint is busy: no query worker became free within "
                                       f"{self.queue_timeout:g} s; try again")
        finally:
            self._waiting -= 1
        try:
            worker.conn.send((query, select_fmt, graph_fmt, self.max_rows, self.max_chars))
            answered = await _readable(worker.conn, self.timeout)
            if answered:
                message = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            asyncio.get_running_loop().create_task(self._replace(worker))
            return Answer(500, message="the query worker stopped unexpectedly; the query was not answered")
        except BaseException:
            asyncio.get_running_loop().create_task(self._replace(worker))
            raise
        if not answered:
            self.killed += 1
            asyncio.get_running_loop().create_task(self._replace(worker))
            return Answer(503, message=f"the query ran longer than the {self.timeout:g} s time limit and was "
                                       "stopped; narrow it (LIMIT, more specific patterns) and try again")
        self._idle.put_nowait(worker)
        if message[0] == "refused":
            return Answer(message[1], message=message[2])
        _, fmt, body, complete, note, rows = message
        return Answer(200, fmt=fmt, body=body, complete=complete, note=note, rows=rows)

    async def close(self) -> None:
        """Stop every worker."""
        self._closing = True
        for worker in list(self._all):
            self._discard(worker)


def default_workers() -> int:
    """Two workers, or one per core on larger machines (a worker holds one query at a time)."""
    return max(2, os.cpu_count() or 2)
