"""Starting a real `policyatlas serve` for the tests, on a free loopback port, over a given store."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_store(source: Path, target: Path) -> Path:
    """An on-disk Oxigraph store loaded from a Turtle or N-Triples file, as `policyatlas build` writes."""
    fmt = ox.RdfFormat.TURTLE if source.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
    store = ox.Store(str(target))
    store.bulk_load(path=str(source), format=fmt)
    store.flush()
    del store
    return target


class Server:
    """A `policyatlas serve` subprocess; `url` is its /sparql endpoint."""

    def __init__(self, store: Path, *options: str, startup: float = 60.0, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.base + "/sparql"
        cmd = [sys.executable, "-m", "policyatlas.cli.group", "serve", "--store", str(store),
               "--port", str(self.port), *options]
        code = "import sys; from policyatlas.cli.group import main; sys.argv = sys.argv[1:]; main()"
        self.proc = subprocess.Popen([sys.executable, "-c", code, *cmd[2:]], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        deadline = time.monotonic() + startup
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("policyatlas serve exited: " + self.proc.stdout.read().decode())
            try:
                if httpx.get(self.base + "/queries", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("policyatlas serve did not start in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Listener:
    """An HTTP server on another loopback port that records every connection and request that reaches it."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

            do_POST = do_GET

            def log_message(self, *args):
                pass

        class Recording(http.server.ThreadingHTTPServer):
            def verify_request(self, request, client_address):
                hits.append(f"connection from {client_address[0]}")  # before any byte is read
                return True

        self.server = Recording(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
