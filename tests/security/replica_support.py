"""Replicas behind a load balancer, on loopback: one shared sandbox API, N server processes, a round-robin proxy.

The sandbox runs as ``polytomic-mcp sandbox`` (one process, so every replica sees the same state, as with the
real API); each replica is ``polytomic-mcp --transport http --stateless --key-from-request`` pointed at it with
``POLYTOMIC_BASE_URL`` (and, given ``env``, e.g. ``POLYTOMIC_STATE_URL`` for the state they share); the proxy
forwards each request to the next replica in turn and records who served it.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import IO

import httpx2
import uvicorn
from processes import SERVER, LineReader, free_port, stop, wait_for_port
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"}


@dataclasses.dataclass(frozen=True)
class Served:
    """One request the proxy forwarded: which replica (index) answered, and what."""

    replica: int
    method: str
    path: str
    status: int


class HttpSandbox:
    """The shared sandbox as ``run_workflow`` sees it: its base URL and a transport the 'browser' uses."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def transport(self) -> httpx2.AsyncHTTPTransport:
        return httpx2.AsyncHTTPTransport()


@dataclasses.dataclass
class Replica:
    """A server process and its stderr, kept in a file so it can be read after the process stops."""

    url: str
    process: subprocess.Popen[bytes]
    stderr: IO[bytes]

    def log(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")


class RoundRobinProxy:
    """A Starlette app that forwards every HTTP request to the next upstream in turn, streaming the answer back."""

    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = upstreams
        self.served: list[Served] = []
        self._turn = itertools.cycle(range(len(upstreams)))
        self._lock = threading.Lock()
        self.app = Starlette(routes=[Route("/{path:path}", self.forward, methods=["GET", "POST", "DELETE"])])

    async def forward(self, request: Request) -> Response:
        with self._lock:
            index = next(self._turn)
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        http = httpx2.AsyncClient(timeout=60)
        upstream = http.build_request(
            request.method, self.upstreams[index] + request.url.path, params=request.url.query,
            headers=headers, content=await request.body(),
        )
        response = await http.send(upstream, stream=True)
        self.served.append(Served(index, request.method, request.url.path, response.status_code))

        async def close() -> None:
            await response.aclose()
            await http.aclose()

        answer = StreamingResponse(response.aiter_raw(), response.status_code, background=BackgroundTask(close))
        answer.raw_headers += [(k.lower().encode(), v.encode()) for k, v in response.headers.multi_items()
                               if k.lower() not in HOP_BY_HOP]
        return answer


@contextmanager
def serving(app: Starlette, port: int | None = None) -> Iterator[int]:
    """Run ``app`` with uvicorn in a thread on ``port`` (default: a free loopback port); yields the port."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("proxy did not start")
            time.sleep(0.02)
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def shared_sandbox() -> Iterator[HttpSandbox]:
    """``polytomic-mcp sandbox`` on a free port; the banner's first line names its URL."""
    port = free_port()
    with subprocess.Popen([*SERVER, "sandbox", "--port", str(port)], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as process:
        try:
            assert process.stdout is not None
            banner = LineReader(process.stdout).next(timeout=30)
            assert banner is not None and banner.strip().endswith(f"http://127.0.0.1:{port}"), banner
            wait_for_port(port, process)
            yield HttpSandbox(f"http://127.0.0.1:{port}")
        finally:
            stop(process)


@contextmanager
def replica(base_url: str, stateless: bool = True, env: dict[str, str] | None = None) -> Iterator[Replica]:
    """A key-from-request HTTP server process (stateless unless told) using ``base_url`` as its Polytomic API;
    ``env`` adds settings (``POLYTOMIC_AUTH``, ``POLYTOMIC_STATE_URL``...)."""
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if k != "POLYTOMIC_API_KEY"}, **(env or {})}
    env["POLYTOMIC_BASE_URL"] = base_url
    command = [*SERVER, "--transport", "http", "--host", "127.0.0.1", "--port", str(port), "--key-from-request",
               *(["--stateless"] if stateless else [])]
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        running = Replica(f"http://127.0.0.1:{port}", process, stderr)
        try:
            wait_for_port(port, process, log=running.log)
            yield running
        finally:
            stop(process)


@contextmanager
def replicas_behind_proxy(
    count: int = 2, stateless: bool = True, env: dict[str, str] | None = None,
) -> Iterator[tuple[HttpSandbox, list[Replica], RoundRobinProxy, str]]:
    """The shared sandbox, ``count`` replicas (each with ``env`` added) and the proxy; yields them and the proxy's /mcp URL."""
    with ExitStack() as stack:
        sandbox = stack.enter_context(shared_sandbox())
        servers = [stack.enter_context(replica(sandbox.base_url, stateless, env)) for _ in range(count)]
        proxy = RoundRobinProxy([s.url for s in servers])
        port = stack.enter_context(serving(proxy.app))
        yield sandbox, servers, proxy, f"http://127.0.0.1:{port}/mcp"

