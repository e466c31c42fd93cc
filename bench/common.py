"""Shared helpers for the benchmarks: timing, medians, percentiles, free ports, a sandbox HTTP server."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEMO_KEY = "pk_sandbox_demo"


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"process on port {port} did not start") from None
            time.sleep(0.05)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYTOMIC_")}
    env.update(extra)
    return env


@contextmanager
def background(args: list[str], port: int, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """A server process listening on ``port``, stopped afterwards."""
    process = subprocess.Popen(args, env=clean_env(**env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def sandbox_http() -> Iterator[str]:
    """The simulated Polytomic API served over HTTP on loopback; yields its base URL."""
    port = free_port()
    with background([PYTHON, "-m", "polytomic_mcp", "sandbox", "--port", str(port)], port):
        yield f"http://127.0.0.1:{port}"
