"""The in-process backend: today's behaviour for one replica, nothing to install.

Every operation runs to completion without awaiting, so on one event loop each is atomic; a threading lock
covers callers on worker threads. Expired records are dropped as they are met and by a sweep every
``SWEEP_EVERY`` writes; ``limit`` bounds the table, and a write past it is refused (``StateUnavailable``)
rather than evicting another caller's record.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from .interface import StateUnavailable, holding

SWEEP_EVERY = 1_000
DEFAULT_LIMIT = 200_000


class MemoryState:
    """``SharedState`` in one process."""

    backend = "memory"

    def __init__(self, *, limit: int = DEFAULT_LIMIT, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._limit = limit
        self._values: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._writes = 0

    async def ping(self) -> None:
        return None

    async def aclose(self) -> None:
        return None

    def _live(self, key: str) -> str | None:
        entry = self._values.get(key)
        if entry is None:
            return None
        if entry[1] <= self._clock():
            del self._values[key]
            return None
        return entry[0]

    def _store(self, key: str, value: str, ttl: float) -> None:
        self._writes += 1
        if self._writes % SWEEP_EVERY == 0:
            now = self._clock()
            for stale in [k for k, (_, expires) in self._values.items() if expires <= now]:
                del self._values[stale]
        if key not in self._values and len(self._values) >= self._limit:
            raise StateUnavailable(f"the in-process state holds its limit of {self._limit} records")
        self._values[key] = (value, self._clock() + ttl)

    async def claim(self, key: str, ttl: float) -> bool:
        return await self.add(key, "1", ttl)

    async def put(self, key: str, value: str, ttl: float) -> None:
        with self._lock:
            self._store(key, value, ttl)

    async def add(self, key: str, value: str, ttl: float) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._store(key, value, ttl)
            return True

    async def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    async def take(self, key: str) -> str | None:
        with self._lock:
            value = self._live(key)
            self._values.pop(key, None)
            return value

    async def swap(self, key: str, expected: str, value: str, ttl: float) -> bool:
        with self._lock:
            if self._live(key) != expected:
                return False
            self._store(key, value, ttl)
            return True

    async def delete(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)

    async def hit(self, key: str, window: float) -> int:
        with self._lock:
            entry = self._values.get(key)
            if entry is None or entry[1] <= self._clock():
                self._store(key, "1", window)
                return 1
            count = int(entry[0]) + 1
            self._values[key] = (str(count), entry[1])
            return count

    async def acquire(self, name: str, owner: str, ttl: float) -> bool:
        return await self.add(name, owner, ttl)

    async def release(self, name: str, owner: str) -> None:
        with self._lock:
            if self._live(name) == owner:
                del self._values[name]

    def locked(self, name: str, *, ttl: float, wait: float) -> AbstractAsyncContextManager[None]:
        return holding(self, name, ttl=ttl, wait=wait)
