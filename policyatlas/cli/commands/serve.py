"""`policyatlas serve`: the read-only SPARQL 1.1 Protocol endpoint for researchers, on loopback by default.

Queries run in worker processes over the compiled on-disk store (`policyatlas build` writes it), each with
a time limit and a row cap; updates, SERVICE and FROM are refused. The store holds the evaluator's findings
on every country's current programmes (compiled in by the build), so the library's findings queries
answer. See docs/sparql.md.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import click

from policyatlas.cli.cli_types import FiniteFloat, Host, SafePath
from policyatlas.core.errors import UserError
from policyatlas.core.i18n import message
from policyatlas.core.paths import relative
from policyatlas.server.sandbox import DEFAULT_MEMORY_MIB, MIN_MEMORY_MIB


def default_workers() -> int:
    """policyatlas.server.sandbox.default_workers, imported only when the command runs."""
    from policyatlas.server.sandbox import default_workers as workers

    return workers()


def check_listen(host: str, port: int) -> None:
    """Fail before any worker starts when the address cannot be listened on (unknown name, address not on
    this machine, port taken)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as err:
        raise UserError(message("cli.serve.cannot_listen", address=host,
                                reason=getattr(err, "strerror", None) or err)) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            raise UserError(message("cli.serve.cannot_listen", address=f"{host}:{port}",
                                    reason=err.strerror or err)) from None


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, type=Host(),
              help="Address to listen on; anything but loopback exposes the endpoint to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=10.0, show_default=True, type=FiniteFloat(0.1, 3600, what="seconds"),
              help="Time limit of one query, in seconds; the worker running it is killed when it passes.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1, 10_000_000),
              help="At most this many rows (or triples) per answer; a cut answer says it is incomplete.")
@click.option("--max-query-chars", default=20_000, show_default=True, type=click.IntRange(100, 1_000_000),
              help="Longer queries are refused with HTTP 400.")
@click.option("--workers", default=default_workers, show_default="one per core, at least 2",
              type=click.IntRange(1, 64),
              help="Query worker processes (each runs one query at a time).")
@click.option("--worker-memory", default=DEFAULT_MEMORY_MIB, show_default=True,
              type=click.IntRange(MIN_MEMORY_MIB, 1_048_576),
              help="Memory one query may add to its idle worker (address space, MiB); a query that needs more "
                   "gets HTTP 503.")
@click.option("--slow-slots", default=2, show_default=True, type=click.IntRange(0, 64),
              help="Extra workers for long queries: at most this many queries may run past --slow-after at "
                   "once (later ones get 503), so --workers stay free for quick queries; 0 turns the lane off.")
@click.option("--slow-after", default=1.0, show_default=True, type=FiniteFloat(0.05, 3600, what="seconds"),
              help="Seconds after which a running query counts as long and needs a slow-lane slot.")
@click.option("--store", "store", type=SafePath(exists=True, file_okay=False, path_type=Path), default=None,
              help="On-disk Oxigraph store to serve (default: the one `policyatlas build` writes).")
def command(host, port, timeout, max_rows, max_query_chars, workers, worker_memory, slow_slots, slow_after,
            store):
    """Serve the KB as a read-only SPARQL endpoint at /sparql, with a query page at /."""
    import uvicorn

    from policyatlas.pipeline.release import ensure_fresh
    from policyatlas.server.endpoint import create_app

    if store is None:
        # the release is resolved once: every worker serves the same build, even while a new one is published
        current = ensure_fresh(echo=lambda line: click.echo(line, err=True))
        store = current.store if current is not None else None
    if store is None or not (Path(store) / "CURRENT").exists():
        raise UserError(message("cli.serve.no_store", path=relative(store or "build")))
    store = Path(os.path.realpath(store))
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo(message("cli.serve.warning_network", host=host), err=True)
    check_listen(host, port)
    app = create_app(store, workers=workers, timeout=timeout, max_rows=max_rows, max_chars=max_query_chars,
                     max_memory_mib=worker_memory, slow_slots=slow_slots, slow_after=slow_after)
    click.echo(message("cli.serve.listening", host=host, port=port), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)

