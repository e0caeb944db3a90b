"""`policyatlas ui` as a user starts it: the app answers on the chosen port, serves the world map's
outlines itself (no CDN), and stops together with the Streamlit process on Ctrl+C (even when started from a
background job, which inherits SIGINT as ignored), on SIGTERM, and when it is killed outright."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from policyatlas.cli.commands.ui import streamlit_args, wait_healthy
from ui.browser import free_port

from ..conftest import ROOT


def launch(port: int, *, ignore_sigint: bool = False) -> subprocess.Popen:
    """`policyatlas ui` in its own process; `ignore_sigint` starts it as a background job of a shell would
    (`nohup ... &`: SIGINT ignored)."""
    def background_job():
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    return subprocess.Popen([sys.executable, "-m", "policyatlas", "ui", "--port", str(port), "--headless"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=background_job if ignore_sigint else None)


def read_until(cli: subprocess.Popen, text: str, timeout: float = 120) -> bytes:
    """What the command has printed up to and including `text` (raw reads, so that `communicate` later
    gets the rest); fails if it has not printed it within `timeout` seconds or has exited first."""
    out, deadline = b"", time.monotonic() + timeout
    while text.encode() not in out:
        left = deadline - time.monotonic()
        assert left > 0 and cli.poll() is None, f"never printed {text!r}: {out.decode(errors='replace')}"
        if select.select([cli.stdout], [], [], min(left, 1.0))[0]:
            out += os.read(cli.stdout.fileno(), 65536)
    return out


def app_pids(port: int) -> list[int]:
    """The Streamlit server processes listening for this port (found by their command line)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                argv = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(argv) and str(port).encode() in argv:
                found.append(int(entry))
    return found


def is_serving(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=3)
        return True
    except OSError:
        return False


def assert_stopped(port: int, pids: list[int]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (is_serving(port) or any(_alive(p) for p in pids)):
        time.sleep(0.2)
    assert not is_serving(port), "the Streamlit server outlived `policyatlas ui`"
    assert not [p for p in pids if _alive(p)], "a Streamlit process outlived `policyatlas ui`"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_policyatlas_ui_serves_the_app_and_stops_on_ctrl_c():
    port = free_port()
    cli = launch(port)
    printed = b""
    try:
        wait_healthy(port, timeout=120)
        # the command says where the app is once it has seen it answer too (its own poll may come later)
        printed = read_until(cli, f"http://127.0.0.1:{port}/")
        pids = app_pids(port)
        assert pids, "no Streamlit process found for the port"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            assert b"<html" in response.read().lower()
        outlines = f"http://127.0.0.1:{port}/app/static/topojson/world_110m.json"
        with urllib.request.urlopen(outlines, timeout=10) as response:
            topology = json.loads(response.read())
        ids = {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
        assert {"KEN", "DEU", "IND", "BRA"} <= ids
    finally:
        cli.send_signal(signal.SIGINT)
        out, _ = cli.communicate(timeout=60)
        out = printed + out
    assert cli.returncode == 0, out.decode(errors="replace")
    assert f"http://127.0.0.1:{port}/" in out.decode()
    assert "Traceback" not in out.decode()
    assert_stopped(port, pids)


@pytest.mark.parametrize("how", ["ctrl-c-in-a-background-job", "sigterm", "sighup"])
def test_policyatlas_ui_stops_with_streamlit(how):
    """Ctrl+C reaches a `policyatlas ui` started with SIGINT ignored (as by `nohup ... &`), and SIGTERM or
    SIGHUP stop it: each time the Streamlit server goes too and the port is free."""
    port = free_port()
    cli = launch(port, ignore_sigint=how.startswith("ctrl-c"))
    try:
        wait_healthy(port, timeout=120, process=cli)
        pids = app_pids(port)
        assert pids
        cli.send_signal({"sigterm": signal.SIGTERM, "sighup": signal.SIGHUP}.get(how, signal.SIGINT))
        out, _ = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate(timeout=30)
    assert cli.returncode == 0, out.decode(errors="replace")
    assert "Traceback" not in out.decode()
    assert_stopped(port, pids)


def test_streamlit_goes_when_policyatlas_ui_is_killed():
    """Even a `kill -9` of `policyatlas ui` (no handler can run) takes the server down: the parent-death
    signal set for the Streamlit process."""
    port = free_port()
    cli = launch(port)
    try:
        wait_healthy(port, timeout=120, process=cli)
        pids = app_pids(port)
        assert pids
        cli.kill()
        cli.communicate(timeout=30)
        assert_stopped(port, pids)
    finally:
        for pid in app_pids(port):
            os.kill(pid, signal.SIGKILL)


def test_users_get_no_developer_menu_and_no_tracebacks():
    args = streamlit_args(8501, "127.0.0.1")
    options = dict(zip(args[::1], args[1::1], strict=False))
    assert options["--client.toolbarMode"] == "viewer"
    assert options["--client.showErrorDetails"] == "none"
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"] == {"toolbarMode": "viewer", "showErrorDetails": "none"}


def test_policyatlas_ui_help():
    out = subprocess.run([sys.executable, "-m", "policyatlas", "ui", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0
    assert "--port" in out.stdout and "--endpoint" in out.stdout
