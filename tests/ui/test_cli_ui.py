"""`policyatlas ui` as a user starts it: the app answers on the chosen port, serves the world map's
outlines itself (no CDN), and Ctrl+C stops it together with the Streamlit process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request

from policyatlas.commands.ui import wait_healthy
from ui.browser import free_port

from ..conftest import ROOT


def test_policyatlas_ui_serves_the_app_and_stops_on_ctrl_c():
    port = free_port()
    cli = subprocess.Popen([sys.executable, "-m", "policyatlas", "ui", "--port", str(port), "--headless"],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_healthy(port, timeout=120)
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
    assert cli.returncode == 0, out.decode(errors="replace")
    assert f"http://127.0.0.1:{port}/" in out.decode()
    time.sleep(1)
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=3)
        still_up = True
    except OSError:
        still_up = False
    assert not still_up, "the Streamlit server outlived `policyatlas ui`"


def test_policyatlas_ui_help():
    out = subprocess.run([sys.executable, "-m", "policyatlas", "ui", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0
    assert "--port" in out.stdout and "--endpoint" in out.stdout
