"""A throw-away OpenLink Virtuoso on loopback, for the shared-store tests and the SPARQL benchmark.

It copies the Debian package's `virtuoso.ini`, points every database file at a temporary folder, picks free
loopback ports for the SQL (1111) and HTTP (8890) servers, starts `virtuoso-t +configfile FILE +wait` and
stops it with `isql-vt HOST:PORT dba dba exec="shutdown;"`. The SPARQL endpoint is `/sparql`; the Graph
Store Protocol endpoint that accepts writes is `/sparql-graph-crud-auth` with HTTP digest auth (dba/dba).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx

PACKAGE_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"


def available() -> bool:
    return shutil.which(VIRTUOSO) is not None and shutil.which(ISQL) is not None and PACKAGE_INI.exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _set(ini: str, section: str, key: str, value: str) -> str:
    """Set `key` in `[section]` of an ini text (tab between key and value), adding the line if missing."""
    lines = ini.splitlines()
    current, header_at, done = None, None, False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1]
            if current == section:
                header_at = i
            continue
        name = stripped.split("=", 1)[0].strip() if "=" in stripped and not stripped.startswith(";") else None
        if current == section and name == key and not done:
            lines[i] = f"{key}\t= {value}"
            done = True
    if not done:
        if header_at is None:
            lines += ["", f"[{section}]", f"{key}\t= {value}"]
        else:
            lines.insert(header_at + 1, f"{key}\t= {value}")
    return "\n".join(lines) + "\n"


class Virtuoso:
    """One Virtuoso instance in `folder`; `sparql` is its query endpoint, `gsp` its Graph Store endpoint."""

    def __init__(self, folder: Path, result_max_rows: int = 10_000, max_seconds: int = 60):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sql_port = _free_port()
        self.http_port = _free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.sparql = self.base + "/sparql"
        self.gsp = self.base + "/sparql-graph-crud-auth"
        ini = PACKAGE_INI.read_text(encoding="utf-8", errors="replace")
        db = self.folder
        for section, key, value in [
            ("Database", "DatabaseFile", db / "virtuoso.db"), ("Database", "ErrorLogFile", db / "virtuoso.log"),
            ("Database", "LockFile", db / "virtuoso.lck"), ("Database", "TransactionFile", db / "virtuoso.trx"),
            ("Database", "xa_persistent_file", db / "virtuoso.pxa"),
            ("TempDatabase", "DatabaseFile", db / "virtuoso-temp.db"),
            ("TempDatabase", "TransactionFile", db / "virtuoso-temp.trx"),
            ("Parameters", "ServerPort", f"127.0.0.1:{self.sql_port}"),
            ("Parameters", "DirsAllowed", f"., {db}, /usr/share/virtuoso-opensource-7/vad"),
            ("Parameters", "NumberOfBuffers", "170000"), ("Parameters", "MaxDirtyBuffers", "130000"),
            ("HTTPServer", "ServerPort", f"127.0.0.1:{self.http_port}"),
            ("SPARQL", "ResultSetMaxRows", str(result_max_rows)),
            ("SPARQL", "MaxQueryExecutionTime", str(max_seconds)),
            ("SPARQL", "MaxQueryCostEstimationTime", "100000"),
        ]:
            ini = _set(ini, section, key, str(value))
        self.ini = self.folder / "virtuoso.ini"
        self.ini.write_text(ini, encoding="utf-8")
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> Virtuoso:
        self.log = open(self.folder / "stdout.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen([VIRTUOSO, "+configfile", str(self.ini), "+wait", "+foreground"],
                                     cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("virtuoso-t exited: " + self.error_log())
            try:
                resp = httpx.get(self.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=5,
                                 headers={"Accept": "application/sparql-results+json"})
                if resp.status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("Virtuoso did not answer SPARQL in time: " + self.error_log())

    def error_log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else "(no log)"

    def isql(self, sql: str, timeout: float = 120.0) -> str:
        out = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                             capture_output=True, text=True, timeout=timeout)
        return out.stdout + out.stderr

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.isql("shutdown;")
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        self.proc = None

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
