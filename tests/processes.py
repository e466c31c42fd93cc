"""Server subprocesses for tests: free loopback ports, waiting for a listener, stdio exchanges, stopping cleanly.

Importable as ``processes`` from every test folder (tests/conftest.py puts tests/ on sys.path).
Readiness is a TCP connect, never an HTTP GET on /mcp: that opens an SSE stream that never ends.
Every wait has a deadline that holds even when the child prints nothing: pipes are read by threads.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

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



class LineReader:
    """The lines of a child's pipe, read by a thread so that waiting for the next one can time out."""

    def __init__(self, stream: IO[str]) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def next(self, timeout: float) -> str | None:
        """The next line, or None at end of file; raises TimeoutError when none comes within ``timeout`` seconds."""
        try:
            return self._lines.get(timeout=max(0.0, timeout))
        except queue.Empty:
            raise TimeoutError(f"no line within {timeout:.1f}s") from None

    def rest(self, timeout: float = 10) -> str:
        """Every line not read yet, up to end of file (call it once the process has exited)."""
        self._thread.join(timeout)
        left: list[str] = []
        while not self._lines.empty():
            if (line := self._lines.get_nowait()) is not None:
                left.append(line)
        return "".join(left)


def stdio_exchange(
    messages: list[dict[str, Any]], until_id: int, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> tuple[str, str]:
    """Run ``python -m polytomic_mcp --sandbox *args`` over stdio; keep stdin open until ``until_id`` is answered.

    Returns (stdout, stderr) once the server has exited after stdin closed. Closing stdin early would end
    the server before slow answers are written. Raises ``TimeoutError`` (the process killed) when there is
    no answer to ``until_id`` or no exit within ``timeout`` seconds, whether or not the server prints anything.
    """
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    with subprocess.Popen(
        [*SERVER, "--sandbox", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env if env is not None else dict(os.environ),
    ) as process:
        assert process.stdin and process.stdout and process.stderr
        stdout, stderr = LineReader(process.stdout), LineReader(process.stderr)
        try:
            process.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
            process.stdin.flush()
            while not lines or f'"id":{until_id},' not in lines[-1].replace(" ", ""):
                try:
                    line = stdout.next(deadline - time.monotonic())
                except TimeoutError:
                    raise TimeoutError(f"no answer to id {until_id} within {timeout:g}s; stdout so far: {''.join(lines)[-2000:]}") from None
                if line is None:
                    break
                lines.append(line)
            process.stdin.close()
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise TimeoutError(f"the server had not exited {timeout:g}s after it started (stdin closed)") from None
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        return "".join(lines) + stdout.rest(), stderr.rest()
