"""`policyatlas ui`: the Streamlit app for policymakers, on the embedded KB or on a shared SPARQL store.

The app is `ui/app.py`, run by `streamlit run`. The same launcher (`start`, `wait_healthy`, `stop`) serves
the browser tests and the UI benchmark, so they measure exactly what users run.

Stopping: Streamlit runs in its own process group; Ctrl+C (SIGINT), SIGTERM and SIGHUP stop the whole group,
and the server is told to exit if this process dies without a chance to (Linux parent-death signal). SIGINT's
default handler is restored on start, because a command started from a background job (`nohup ... &`)
inherits SIGINT as ignored. Users see no developer controls (`client.toolbarMode = viewer`: no Deploy,
Rerun or Clear cache) and no tracebacks (`client.showErrorDetails = none`).
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

from policyatlas.cli.cli_types import Host
from policyatlas.core.errors import UserError
from policyatlas.core.i18n import message
from policyatlas.core.paths import ROOT

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

APP = ROOT / "ui" / "app.py"
ENDPOINT_ENV = "POLICYATLAS_ENDPOINT"


def streamlit_args(port: int, host: str) -> list[str]:
    """The `streamlit run` command line for the app."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.port", str(port), "--server.address", host, "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            # ui/static/ holds the world map outlines, so the map needs no CDN
            "--server.enableStaticServing", "true",
            # users get no developer menu (Deploy, Rerun, Clear cache of the caches all sessions share) and
            # no tracebacks; .streamlit/config.toml says the same for a bare `streamlit run ui/app.py`
            "--client.toolbarMode", "viewer", "--client.showErrorDetails", "none"]


def _parent_death_signal():
    """A function for the child to run before exec (prepared here: no imports after fork) that asks Linux to
    send SIGTERM to the app when this process dies, even by SIGKILL; None where that does not exist."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def start(port: int, host: str = "127.0.0.1", *, endpoint: str | None = None, **popen) -> subprocess.Popen:
    """Start the app in a child process (its own process group, so it can be stopped with its children)."""
    env = dict(os.environ)
    if endpoint:
        env[ENDPOINT_ENV] = endpoint
    return subprocess.Popen(streamlit_args(port, host), cwd=ROOT, env=env,
                            start_new_session=True, preexec_fn=_parent_death_signal(), **popen)


def stop(process: subprocess.Popen, grace: float = 20.0) -> None:
    """Stop the app and every process of its group: SIGTERM, then SIGKILL after `grace` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    try:  # what is left of the group once its leader has gone
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Stopped(Exception):
    """SIGTERM or SIGHUP arrived: stop the app and exit."""


def _raise_stopped(signum, frame):
    raise Stopped(signum)


def wait_healthy(port: int, host: str = "127.0.0.1", timeout: float = 60.0,
                 process: subprocess.Popen | None = None) -> float:
    """Poll `/_stcore/health` until the server answers "ok"; return the seconds it took."""
    started = time.perf_counter()
    url = f"http://{host}:{port}/_stcore/health"
    while time.perf_counter() - started < timeout:
        if process is not None and process.poll() is not None:
            raise UserError(message("cli.ui.exited", code=process.returncode))
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise UserError(message("cli.ui.no_answer", url=url, timeout=timeout))


@click.command("ui")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="Port of the app.")
@click.option("--host", default="127.0.0.1", show_default=True, type=Host(),
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
    # Ctrl+C must work even when started from a background job, which inherits SIGINT as ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for sig in STOP_SIGNALS:
        signal.signal(sig, _raise_stopped)
    # Streamlit itself always runs headless (it would otherwise stop to ask for an e-mail address on a
    # first run); the browser window, when wanted, is opened here once the app answers.
    process = None
    try:
        if not endpoint and not os.environ.get(ENDPOINT_ENV):
            from policyatlas.pipeline.release import ensure_fresh

            ensure_fresh(echo=lambda line: click.echo(line, err=True))  # the one freshness rule, before the app
        running = message("cli.ui.running", url=url)  # worded before the app starts: printed the moment it is up
        process = start(port, host, endpoint=endpoint)
        wait_healthy(port, host, timeout=120, process=process)
        click.echo(running)
        if not headless:
            webbrowser.open(url)
        code = process.wait()
        code = 0 if code == 0 else 1
    except (KeyboardInterrupt, Stopped):
        code = 0
    finally:
        for sig in (signal.SIGINT, *STOP_SIGNALS):  # a second signal must not interrupt the stopping
            signal.signal(sig, signal.SIG_IGN)
        if process is not None:
            stop(process)
    sys.exit(code)
