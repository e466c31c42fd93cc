"""Shared fixtures: the anyio backend, the location of the shared API reference, a redis-server, and the slow-marker guard."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from redis_server import RedisServer

from polytomic_mcp.shared_state import SharedState
from polytomic_mcp.shared_state.factory import open_state

REPO = Path(__file__).resolve().parents[1]
SHARED_API = REPO.parent / "shared" / "polytomic-api"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def shared_api() -> Path:
    """The Polytomic API reference beside the checkout; skip when it is not there."""
    if not SHARED_API.is_dir():
        pytest.skip(f"API reference not found at {SHARED_API} (../shared is laid beside the checkout in CI)")
    return SHARED_API


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server of this test session (one per xdist worker), stopped at the end; tests using it are slow."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of the session's redis-server, emptied for this test."""
    redis_server.start()
    redis_server.flush()
    return redis_server.url


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.slow)])
async def state(request: pytest.FixtureRequest, anyio_backend: str) -> AsyncIterator[SharedState]:
    """Each shared-state backend in turn: in-process, then a real redis-server (slow)."""
    backend = open_state(None if request.param == "memory" else request.getfixturevalue("redis_url"))
    try:
        yield backend
    finally:
        await backend.aclose()


class SlowOnlyError(RuntimeError):
    """A test not marked slow started a subprocess or bound a socket."""


REFUSED = pytest.StashKey[list[str]]()
PATCHES = pytest.StashKey[pytest.MonkeyPatch]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Refuse subprocesses and socket binds in a test not marked ``slow``, from before its first fixture.

    ``-m "not slow"`` is the quick loop: in-memory MCP sessions over the in-process sandbox. Processes and
    listeners cost start-up time and can collide with other runs on the machine, so they belong to slow tests.
    Installed here rather than in a fixture so that module-scoped fixtures set up for this test are covered too.
    """
    if item.get_closest_marker("slow") is not None:
        return
    refused = item.stash[REFUSED] = []

    def refuse(what: str) -> SlowOnlyError:
        refused.append(what)
        return SlowOnlyError(f"{item.nodeid} {what} but is not marked @pytest.mark.slow")

    def no_bind(self: socket.socket, address: Any) -> None:
        raise refuse(f"binds a socket to {address!r}")

    def no_process(self: subprocess.Popen[Any], args: Any, *rest: Any) -> None:
        raise refuse(f"starts a subprocess {args!r}")

    patches = item.stash[PATCHES] = pytest.MonkeyPatch()
    patches.setattr(socket.socket, "bind", no_bind)
    patches.setattr(subprocess.Popen, "_execute_child", no_process)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Lift the refusal once the test's fixtures are torn down; fail the test if it tried (even if that was swallowed)."""
    try:
        yield
    finally:
        if (patches := item.stash.get(PATCHES, None)) is not None:
            patches.undo()
    if refused := item.stash.get(REFUSED, []):
        pytest.fail(f"{item.nodeid} is not marked slow but {'; '.join(refused)}", pytrace=False)
