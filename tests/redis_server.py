"""A throwaway ``redis-server`` on a free loopback port for the tests of the Redis backend (no persistence).

Importable as ``redis_server`` from every test folder; tests/conftest.py offers it as the session fixture
``redis_server`` and, emptied per test, ``redis_url``.

CI installs Debian's redis-server (``.ci/redis``); where it is missing the tests that need it fail saying so,
because a skipped backend would look like a passing one.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from processes import free_port, stop

START_TIMEOUT = 10.0


def redis_server_binary() -> str:
    """The path of ``redis-server``; fails the test (never skips) when it is not installed."""
    found = shutil.which("redis-server")
    if found is None:
        pytest.fail("redis-server is not installed: the Redis shared-state tests need it "
                    "(Debian: apt-get install -y redis-server, or run .ci/redis)", pytrace=False)
    return found


class RedisServer:
    """One redis-server process: ``url`` to reach it, ``stop``/``start`` (same port) to test outages."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.binary = redis_server_binary()
        self.directory = directory
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server (``--save "" --appendonly no``: nothing written) and wait until it answers PING."""
        if self._process is not None:
            return
        self._process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory), "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self._process.poll() is not None:
                code, self._process = self._process.returncode, None
                pytest.fail(f"redis-server exited with {code} before answering on port {self.port}", pytrace=False)
            try:
                if self.command("PING") == "+PONG":
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"redis-server did not answer on port {self.port} within {START_TIMEOUT} s", pytrace=False)
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the server and wait for it to exit; its data is gone."""
        if self._process is not None:
            stop(self._process)
            self._process = None

    def pause(self, paused: bool) -> None:
        """Freeze (SIGSTOP) or thaw (SIGCONT) the server: it keeps its connections but answers nothing."""
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)

    def command(self, *words: str) -> str:
        """Send one inline command and return the first line of the reply (``+PONG``, ``+OK``, ``:3``...)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall(" ".join(words).encode() + b"\r\n")
            reply = b""
            while not reply.endswith(b"\r\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                reply += chunk
        return reply.split(b"\r\n", 1)[0].decode()

    def flush(self) -> None:
        """Forget every key (each test starts from an empty server)."""
        assert self.command("FLUSHALL") == "+OK"
