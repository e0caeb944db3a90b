"""`policyatlas ui`: the Streamlit app for policymakers, on the embedded KB or on a shared SPARQL store.

The app is `ui/app.py`, run by `streamlit run`. The same launcher (`start`, `wait_healthy`) serves the
browser tests and the UI benchmark, so they measure exactly what users run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser

import click

from policyatlas.errors import UserError
from policyatlas.paths import ROOT

APP = ROOT / "ui" / "app.py"
ENDPOINT_ENV = "POLICYATLAS_ENDPOINT"


def streamlit_args(port: int, host: str) -> list[str]:
    """The `streamlit run` command line for the app."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.port", str(port), "--server.address", host, "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            # ui/static/ holds the world map outlines, so the map needs no CDN
            "--server.enableStaticServing", "true"]


def start(port: int, host: str = "127.0.0.1", *, endpoint: str | None = None, **popen) -> subprocess.Popen:
    """Start the app in a child process (its own process group, so it can be stopped with its children)."""
    env = dict(os.environ)
    if endpoint:
        env[ENDPOINT_ENV] = endpoint
    return subprocess.Popen(streamlit_args(port, host), cwd=ROOT, env=env,
                            start_new_session=True, **popen)


def wait_healthy(port: int, host: str = "127.0.0.1", timeout: float = 60.0,
                 process: subprocess.Popen | None = None) -> float:
    """Poll `/_stcore/health` until the server answers "ok"; return the seconds it took."""
    started = time.perf_counter()
    url = f"http://{host}:{port}/_stcore/health"
    while time.perf_counter() - started < timeout:
        if process is not None and process.poll() is not None:
            raise UserError(f"the Streamlit app exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise UserError(f"the Streamlit app did not answer on {url} within {timeout:.0f} s")


@click.command("ui")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="Port of the app.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1 keeps the app on this machine).")
@click.option("--endpoint", metavar="URL", default=None,
              help="Read the KB from this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--headless/--browser", default=None,
              help="Do not open a browser window (the default when no display is available).")
def command(port: int, host: str, endpoint: str | None, headless: bool | None):
    """Start the Streamlit app for policymakers (entry script ui/app.py)."""
    if headless is None:
        headless = sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    url = f"http://{host}:{port}/"
    # Streamlit itself always runs headless (it would otherwise stop to ask for an e-mail address on a
    # first run); the browser window, when wanted, is opened here once the app answers.
    process = start(port, host, endpoint=endpoint)
    try:
        wait_healthy(port, host, timeout=120, process=process)
        click.echo(f"Policy Atlas on {url}  (Ctrl+C stops it)")
        if not headless:
            webbrowser.open(url)
        code = process.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
    sys.exit(code)
