"""Running the app as users get it and driving it from a real browser: for the end-to-end tests and the
UI benchmark, so both exercise `streamlit run ui/app.py` exactly as `policyatlas ui` starts it.

The browser is Debian's Chromium (never one a tool downloads), driven by Playwright, headless.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from policyatlas.cli.commands.ui import APP, ROOT, start, streamlit_args, wait_healthy

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served_app(log: Path, *, ready_timeout: float = 120.0,
               app: Path | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start the app (or another Streamlit script `app`, with the same settings) on a free loopback port
    (output to `log`), wait for `/_stcore/health`, yield its base URL and process, and stop it with its
    children afterwards."""
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with open(log, "wb") as out:
        if app is None:
            process = start(port, stdout=out, stderr=out)
        else:
            args = [str(app) if a == str(APP) else a for a in streamlit_args(port, "127.0.0.1")]
            process = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)
        try:
            wait_healthy(port, timeout=ready_timeout, process=process)
            yield f"http://127.0.0.1:{port}", process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)


def launch(playwright, executable: str = CHROMIUM):
    """Headless Chromium from the system, with the flags that keep it off the network."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, stack = [], [pid]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(children.get(current, []))
    return out


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its descendants, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wait_idle(pid: int, *, busy: float = 0.05, window: float = 1.0, timeout: float = 180.0) -> float:
    """Wait until a process tree has used less than `busy` of a core over `window` seconds (the app's
    background warm-up done: the catalogues, every country's evaluation, the SPARQL workers); the seconds
    waited. Gives up after `timeout` seconds (returns them) rather than hang a benchmark."""
    started = time.monotonic()
    before = tree_cpu_seconds(pid)
    while time.monotonic() - started < timeout:
        time.sleep(window)
        now = tree_cpu_seconds(pid)
        if now - before < busy * window:
            break
        before = now
    return time.monotonic() - started


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (Linux /proc)."""
    total_kib = 0
    for current in _tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except OSError:
            pass
    return total_kib / 1024
