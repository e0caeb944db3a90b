"""Worker processes that run researchers' SPARQL queries with a time limit, a memory cap and no network.

pyoxigraph has no query timeout and a running query cannot be interrupted from Python, so the endpoint
never runs a query in its own process. Each worker

* first leaves the network: it moves into a network namespace of its own (`unshare(CLONE_NEWNET)`, or
  `CLONE_NEWUSER | CLONE_NEWNET` when not root), where no interface is up and no host, not even the
  machine's own loopback, can be reached. This is the second line of defence behind the query check
  (`policyatlas.core.safety`): even a SERVICE that slipped past the check finds no route. Where the kernel does
  not allow it (not Linux, namespaces disabled) the check is the only defence, and `protection` says so;
* caps its own address space (`RLIMIT_AS`) once it is idle and warm: a query may add at most
  `max_memory_mib` (1 GiB by default) to it. A query that needs more (a cartesian product under ORDER BY
  grows by hundreds of MB a second) makes the engine abort, and the pool answers 503 "exceeded the memory
  limit" and starts a fresh worker;
* opens the compiled on-disk store read-only (`pyoxigraph.Store.read_only`), checks each query and runs the
  check's normalised text (never the original), reads at most `max_rows` rows and serialises the answer.

The pool gives each query to an idle worker and kills that worker when the time limit passes, starting a
fresh one in its place; a query can therefore cost at most `timeout` seconds of one core.

Fairness (a slow lane): the pool runs `size` workers for ordinary queries plus `slow_slots` more. A query
that is still running after `slow_after` seconds takes a slow-lane slot; when every slot is taken it is
stopped at once with 503 ("busy with long queries"). So at most `slow_slots` workers are ever held by long
queries, and at least `size` workers keep answering quick ones however many slow queries arrive.
`slow_slots=0` turns the lane off: every query may then hold any worker up to the time limit.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

_CTX = multiprocessing.get_context("spawn")
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
DEFAULT_MEMORY_MIB = 1024
#: the cap is what a query may add to the idle worker's address space (the idle size depends on what the
#: spawning process had imported: ~490 MB under `serve`, more under Streamlit); below this little can run
MIN_MEMORY_MIB = 128


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


def isolate_network() -> str:
    """Move this process into a new network namespace with no usable interface; say which protection applies.

    Must run while the process has one thread (a user namespace cannot be entered by a threaded process),
    i.e. before pyoxigraph starts its threads. Returns "network namespace", "user and network namespace", or
    a sentence saying why there is none (then the query check is the only defence).
    """
    if not sys.platform.startswith("linux"):
        return f"none: network namespaces need Linux, this is {sys.platform}"
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    errors = []
    for flags, name in ((CLONE_NEWNET, "network namespace"),
                        (CLONE_NEWUSER | CLONE_NEWNET, "user and network namespace")):
        if libc.unshare(flags) == 0:
            return name
        errors.append(os.strerror(ctypes.get_errno()))
    return f"none: the kernel refused a network namespace ({'; '.join(errors)})"


def address_space() -> int | None:
    """This process's current address-space size in bytes (Linux: VmSize), or None where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def cap_memory(mib: int | None) -> int | None:
    """Let this process's address space grow by at most `mib` MiB from now (None: no cap); the limit in bytes.

    Called by an idle worker that has loaded everything and started its threads, so the cap is what one
    query may use, whatever the process that spawned the worker had imported.
    """
    if not mib:
        return None
    import resource

    limit = (address_space() or 0) + int(mib) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit


def _worker_main(conn, store_path: str, max_memory_mib: int | None = DEFAULT_MEMORY_MIB) -> None:
    """Body of one worker process: answer (query, formats, max_rows, max_chars, base IRI) jobs until EOF."""
    protection = isolate_network()  # first, while this process still has a single thread
    import pyoxigraph as ox

    from policyatlas.core.namespaces import PREFIXES
    from policyatlas.core.results import from_oxigraph, serialise
    from policyatlas.core.safety import QueryRefused, check_query

    try:
        store = ox.Store.read_only(store_path)
        # warm the parser and the engine (its threads) before the first real query, then cap what is added
        store.query(check_query("ASK { ?s ?p ?o }").text, prefixes=PREFIXES)
        cap_memory(max_memory_mib)
    except Exception as err:  # the pool reports a worker that cannot open the store
        conn.send(("failed", f"cannot open the store at {store_path}: {err}"))
        return
    conn.send(("ready", protection))
    while True:
        try:
            query, select_fmt, graph_fmt, max_rows, max_chars, base_iri = conn.recv()
        except (EOFError, OSError):
            return
        try:
            info = check_query(query, max_chars)
            fmt = graph_fmt if info.is_graph else select_fmt
            if fmt is None:
                answers = "an RDF graph" if info.is_graph else "SPARQL results"
                conn.send(("refused", 406, f"a {info.kind.upper()} query answers with {answers}, and the "
                                           "request accepts none of their media types"))
                continue
            answer = store.query(info.text, prefixes=PREFIXES, use_default_graph_as_union=True, base_iri=base_iri)
            result = from_oxigraph(answer, max_rows=max_rows)
            body = serialise(result, fmt).encode("utf-8")
            conn.send(("ok", fmt, body, result.complete, result.note, len(result)))
        except QueryRefused as err:
            conn.send(("refused", err.status, str(err)))
        except MemoryError:
            conn.send(("memory",))
            return  # a worker that ran out of memory is not trusted with another query
        except SyntaxError as err:
            conn.send(("refused", 400, f"malformed SPARQL query: {str(err)[:300]}"))
        except Exception as err:  # an evaluation error is the query's fault, never a crash
            conn.send(("refused", 400, f"the query failed: {type(err).__name__}: {str(err)[:300]}"))


class _Worker:
    def __init__(self, store_path: str, max_memory_mib: int | None):
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_worker_main, args=(child, store_path, max_memory_mib), daemon=True,
                                    name="policyatlas-sparql-worker")
        self.process.start()
        child.close()
        self.protection = ""

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def died_of_memory(self) -> bool:
        """Whether the worker ended the way an allocation failure ends it (the engine aborts: SIGABRT)."""
        self.process.join(timeout=5)
        return self.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL)


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
    """Read-only query workers over one on-disk store: time limit, memory cap, no network, a slow lane."""

    def __init__(self, store_path: Path | str, size: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 max_chars: int = 20_000, start_timeout: float = 60.0, queue_timeout: float | None = None,
                 max_waiting: int = 512, max_memory_mib: int | None = DEFAULT_MEMORY_MIB,
                 slow_slots: int = 2, slow_after: float = 1.0):
        self.store_path = str(store_path)
        self.size = size
        self.slow_slots = slow_slots
        self.total = size + slow_slots
        self.timeout = timeout
        # a query counts as long once it has run this long (at most half the time limit)
        self.slow_after = min(slow_after, timeout / 2)
        self.max_rows = max_rows
        self.max_chars = max_chars
        self.max_memory_mib = max_memory_mib
        self.start_timeout = start_timeout
        # waiting for a free worker is not running: under a burst a query may wait longer than it may run
        self.queue_timeout = queue_timeout if queue_timeout is not None else max(30.0, 3 * timeout)
        self.max_waiting = max_waiting
        self._waiting = 0
        self._slow = 0
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._closing = False
        self.killed = 0
        self.memory_stops = 0
        self.busy_stops = 0
        self.protection = ""

    async def start(self) -> None:
        """Start every worker and wait until each has opened the store."""
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.total)))
        self.protection = workers[0].protection
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        worker = await asyncio.get_running_loop().run_in_executor(None, _Worker, self.store_path,
                                                                  self.max_memory_mib)
        self._all.add(worker)
        if not await _readable(worker.conn, self.start_timeout):
            self._discard(worker)
            raise RuntimeError("a SPARQL worker did not start in time")
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            self._discard(worker)
            raise RuntimeError(f"a SPARQL worker stopped while starting (exit code {worker.process.exitcode})"
                               ) from None
        if message[0] != "ready":
            self._discard(worker)
            raise RuntimeError(message[1])
        worker.protection = message[1]
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
        if not self._closing and len(self._all) < self.total:
            fresh = await self._spawn()
            self._idle.put_nowait(fresh)

    async def _acquire(self) -> _Worker | Answer:
        if self._waiting >= self.max_waiting:
            return Answer(503, message=f"the endpoint is busy: {self._waiting} queries are already waiting; "
                                       "try again later", headers={"Retry-After": "5"})
        self._waiting += 1
        getter = asyncio.ensure_future(self._idle.get())
        try:
            return await asyncio.wait_for(asyncio.shield(getter), self.queue_timeout)
        except (TimeoutError, asyncio.CancelledError) as stop:
            # a worker handed over at the very moment of the timeout must go back, not be lost
            if getter.done() and not getter.cancelled():
                self._idle.put_nowait(getter.result())
            else:
                getter.cancel()
            if isinstance(stop, asyncio.CancelledError):
                raise
            return Answer(503, message=f"the endpoint is busy: no query worker became free within "
                                       f"{self.queue_timeout:g} s; try again", headers={"Retry-After": "5"})
        finally:
            self._waiting -= 1

    async def run(self, query: str, select_fmt: str | None = "json", graph_fmt: str | None = "turtle",
                  base_iri: str | None = None) -> Answer:
        """Run one query in a worker; 503 on the time limit, the memory cap, a full slow lane or a long queue.

        A format of None means the client accepts no format for that form of answer (406). Relative IRIs
        in the query resolve against `base_iri` (the endpoint's URL, as the SPARQL Protocol allows).
        """
        worker = await self._acquire()
        if isinstance(worker, Answer):
            return worker
        slow = False
        try:
            worker.conn.send((query, select_fmt, graph_fmt, self.max_rows, self.max_chars, base_iri))
            answered = await _readable(worker.conn, self.slow_after if self.slow_slots else self.timeout)
            if not answered and self.slow_slots:
                if self._slow >= self.slow_slots:
                    self.busy_stops += 1
                    asyncio.get_running_loop().create_task(self._replace(worker))
                    return Answer(503, message=f"the endpoint is busy with {self._slow} long queries; this one "
                                               f"was stopped after {self.slow_after:g} s so that quick queries "
                                               "keep flowing: try again later, or narrow it (LIMIT, more "
                                               "specific patterns)", headers={"Retry-After": "10"})
                slow = True
                self._slow += 1
                answered = await _readable(worker.conn, self.timeout - self.slow_after)
            if answered:
                message = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            asyncio.get_running_loop().create_task(self._replace(worker))
            if worker.died_of_memory():
                return self._memory_answer()
            return Answer(500, message="the query worker stopped unexpectedly; the query was not answered")
        except BaseException:
            asyncio.get_running_loop().create_task(self._replace(worker))
            raise
        finally:
            if slow:
                self._slow -= 1
        if not answered:
            self.killed += 1
            asyncio.get_running_loop().create_task(self._replace(worker))
            return Answer(503, message=f"the query ran longer than the {self.timeout:g} s time limit and was "
                                       "stopped; narrow it (LIMIT, more specific patterns) and try again")
        if message[0] == "memory":
            asyncio.get_running_loop().create_task(self._replace(worker))
            return self._memory_answer()
        self._idle.put_nowait(worker)
        if message[0] == "refused":
            return Answer(message[1], message=message[2])
        _, fmt, body, complete, note, rows = message
        return Answer(200, fmt=fmt, body=body, complete=complete, note=note, rows=rows)

    def _memory_answer(self) -> Answer:
        self.memory_stops += 1
        return Answer(503, message=f"the query exceeded the memory limit of {self.max_memory_mib} MiB per query "
                                   "and was stopped; narrow it (LIMIT, more specific patterns, no ORDER BY over "
                                   "a cross product) and try again")

    async def close(self) -> None:
        """Stop every worker."""
        self._closing = True
        for worker in list(self._all):
            self._discard(worker)


def default_workers() -> int:
    """Two workers, or one per core on larger machines (a worker holds one query at a time)."""
    return max(2, os.cpu_count() or 2)
