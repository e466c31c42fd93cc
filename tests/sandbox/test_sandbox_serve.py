"""``serve()`` runs the sandbox over a real socket with the demo workspace (seeded) and an empty one."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx2
import pytest
from processes import LineReader, free_port, stop
from sandbox_support import REPO

from polytomic_mcp.sandbox import DEMO_API_KEY, EMPTY_API_KEY
from polytomic_mcp.sandbox.demo_world import FAILING_SYNC


@pytest.mark.slow
def test_serve_answers_real_http_requests() -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    code = f"from polytomic_mcp.sandbox import serve; serve(port={port})"
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as proc:
        try:
            check_serving(proc, port)
        finally:
            stop(proc)


def check_serving(proc: subprocess.Popen[str], port: int) -> None:
    """The banner names the URL and key; the API answers, and OAuth URLs point at the sandbox."""
    assert proc.stdout is not None
    stdout = LineReader(proc.stdout)
    banner = [stdout.next(timeout=30), stdout.next(timeout=10), stdout.next(timeout=10)]
    assert banner[0].strip() == f"Polytomic sandbox listening on http://127.0.0.1:{port}"
    assert banner[1].strip() == f"API key: {DEMO_API_KEY}"
    assert banner[2].strip() == f"An empty workspace: {EMPTY_API_KEY}"
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            r = httpx2.get(f"{base_url}/api/me", headers={"Authorization": f"Bearer {DEMO_API_KEY}"}, timeout=2)
            break
        except httpx2.TransportError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.05)
    assert r.status_code == 200
    assert r.headers["x-polytomic-version"] == "2025-09-18"
    assert r.json()["data"]["organization_name"] == "Demo Org"
    listed = {key: httpx2.get(f"{base_url}/api/syncs", headers={"Authorization": f"Bearer {key}"}).json()["data"]
              for key in (DEMO_API_KEY, EMPTY_API_KEY)}
    assert FAILING_SYNC in [s["name"] for s in listed[DEMO_API_KEY]] and listed[EMPTY_API_KEY] == []
    created = httpx2.post(
        f"{base_url}/api/connections",
        json={"name": "SF", "type": "salesforce", "configuration": {"domain": "acme.my.salesforce.com"}},
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    ).json()["data"]
    assert created["auth_url"].startswith(f"{base_url}/oauth/authorize?state=")
    assert httpx2.get(created["auth_url"]).status_code == 200
