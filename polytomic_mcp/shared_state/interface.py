"""The shared-state interface: what must hold across replicas, each operation atomic on the backend.

Keys are strings the callers build with ``namespaced`` (a tenant's records under a hash of its API key, never
the key); values are short strings (ids, digests, small JSON). Every record has a time to live, so nothing
grows without bound and nothing needs a sweeper. A backend that cannot be reached raises ``StateUnavailable``:
a caller that needs a single-use check or a lock must then refuse and do nothing ("fail closed").
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

import anyio


class StateUnavailable(Exception):
    """The shared state could not be reached; nothing that needed it was done."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("could not reach the shared state (POLYTOMIC_STATE_URL); nothing was done"
                         + (f": {detail}" if detail else ""))


class LockBusy(Exception):
    """A name lock stayed held by another owner for longer than the caller was willing to wait."""


def tenant_hash(api_key: str) -> str:
    """The namespace of one tenant: a SHA-256 prefix of its API key (the key itself is never stored)."""
    return hashlib.sha256(b"polytomic-mcp tenant\x00" + api_key.encode()).hexdigest()[:32]


def digest(value: str) -> str:
    """A SHA-256 of a token or code, for storing proof of it without storing it."""
    return hashlib.sha256(value.encode()).hexdigest()


def namespaced(*parts: str) -> str:
    """One key from its parts (``namespaced("t", tenant_hash(k), "consent", id)``); parts may not hold ``|``."""
    if any("|" in part for part in parts):
        raise ValueError("key parts may not contain '|'")
    return "pmcp|" + "|".join(parts)


class SharedState(Protocol):
    """The operations every backend provides; ``ttl`` is in seconds and always required."""

    backend: str
    """``memory`` or ``redis``, as /readyz reports it."""

    async def ping(self) -> None:
        """Raise ``StateUnavailable`` unless the backend answers now."""

    async def aclose(self) -> None:
        """Let go of connections (the server's lifespan calls this once, at shutdown)."""

    async def claim(self, key: str, ttl: float) -> bool:
        """Set a single-use marker: True for the first caller (across replicas), False while it exists."""

    async def put(self, key: str, value: str, ttl: float) -> None:
        """Store ``value`` under ``key`` for ``ttl`` seconds (replacing any earlier value)."""

    async def add(self, key: str, value: str, ttl: float) -> bool:
        """Store ``value`` only if ``key`` holds nothing; True when stored."""

    async def get(self, key: str) -> str | None:
        """The live value of ``key``, or None."""

    async def take(self, key: str) -> str | None:
        """Read and delete ``key`` in one step: exactly one caller gets a value (single-use records)."""

    async def swap(self, key: str, expected: str, value: str, ttl: float) -> bool:
        """Replace the value only if it is still ``expected``: True when replaced, False otherwise (nothing changed)."""

    async def delete(self, key: str) -> None:
        """Forget ``key`` (nothing happens when it is absent)."""

    async def hit(self, key: str, window: float) -> int:
        """Count one event in a fixed window of ``window`` seconds starting at the first; returns the count so far."""

    async def acquire(self, name: str, owner: str, ttl: float) -> bool:
        """Take the lock ``name`` for ``owner`` until released or ``ttl`` seconds pass; False while another holds it."""

    async def release(self, name: str, owner: str) -> None:
        """Release the lock ``name`` if ``owner`` still holds it (a lock that expired and was retaken stays)."""

    def locked(self, name: str, *, ttl: float, wait: float) -> AbstractAsyncContextManager[None]:
        """Hold the lock ``name`` for the block, waiting up to ``wait`` seconds for it (``LockBusy`` after that)."""


@asynccontextmanager
async def holding(state: SharedState, name: str, *, ttl: float, wait: float, poll: float = 0.02) -> AsyncIterator[None]:
    """Hold ``state``'s lock ``name`` for the block (owner: a fresh random id), polling up to ``wait`` seconds."""
    owner = secrets.token_hex(12)
    deadline = time.monotonic() + wait
    while not await state.acquire(name, owner, ttl):
        if time.monotonic() >= deadline:
            raise LockBusy(f"{name.rsplit('|', 1)[-1]} is being changed by another request; try again shortly")
        await anyio.sleep(poll)
    try:
        yield
    finally:
        with anyio.CancelScope(shield=True):
            await state.release(name, owner)
