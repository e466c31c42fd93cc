"""Server subprocesses for tests: free loopback ports, waiting for a listener, stopping cleanly.

Importable as ``processes`` from every test folder (tests/conftest.py puts tests/ on sys.path).
Readiness is a TCP connect, never an HTTP GET on /mcp: that opens an SSE stream that never ends.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SERVER = [sys.executable, "-m", "polytomic_mcp"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30, log: Callable[[], str] = str) -> None:
    """Return once ``port`` accepts connections; raise with the process's log if it dies or times out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}: {log()[-2000:]}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not listen on {port} within {timeout:.0f}s: {log()[-2000:]}") from None
            time.sleep(0.05)


def stop(process: subprocess.Popen) -> None:
    """Terminate, then kill if it will not go."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def http_server(*args: str, stateless: bool = False, env: dict[str, str] | None = None) -> Iterator[str]:
    """``polytomic-mcp --transport http`` on a free port with ``args``; yields the /mcp URL."""
    port = free_port()
    command = [*SERVER, *args, "--transport", "http", "--port", str(port), *(["--stateless"] if stateless else [])]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env if env is not None else dict(os.environ))

        def read_log() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")

        try:
            wait_for_port(port, process, log=read_log)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            stop(process)
