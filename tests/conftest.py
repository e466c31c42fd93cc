"""Shared fixtures: the anyio backend, the location of the shared API reference, and the slow-marker guard."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


class SlowOnlyError(RuntimeError):
    """A test not marked slow started a subprocess or bound a socket."""


@pytest.fixture(autouse=True)
def slow_only_for_processes_and_sockets(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that starts a subprocess or binds a socket unless it is marked ``slow``.

    ``-m "not slow"`` is the quick loop: in-memory MCP sessions over the in-process sandbox. Processes and
    listeners cost start-up time and can collide with other runs on the machine, so they belong to slow tests.
    The attempt raises at once, and is reported again at teardown in case the code under test swallowed it.
    """
    if request.node.get_closest_marker("slow") is not None:
        yield
        return
    attempts: list[str] = []
    name = request.node.nodeid

    def refuse(what: str) -> SlowOnlyError:
        attempts.append(what)
        return SlowOnlyError(f"{name} {what} but is not marked @pytest.mark.slow")

    def no_bind(self: socket.socket, address: Any) -> None:
        raise refuse(f"binds a socket to {address!r}")

    def no_process(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
        raise refuse(f"starts a subprocess {args[0]!r}")

    monkeypatch.setattr(socket.socket, "bind", no_bind)
    monkeypatch.setattr(subprocess.Popen, "_execute_child", no_process)
    yield
    if attempts:
        pytest.fail(f"{name} is not marked slow but {'; '.join(attempts)}", pytrace=False)
