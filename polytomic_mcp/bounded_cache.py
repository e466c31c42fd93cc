"""One bounded map for every in-process table: at most ``limit`` entries, each optionally until its own expiry.

Used for per-key caches (connection types, schedule options), remembered sync kinds, the OAuth
tables (registered clients, pending authorizations, codes, used refresh tokens, revoked grants, client documents)
and the tenant pool, so none of them can grow without bound. The least recently used entry goes first once the
limit is passed (expired entries before any live one); reading an entry counts as using it.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A mapping of at most ``limit`` entries; with ``ttl``, each entry expires that many seconds after it was put."""

    def __init__(self, limit: int, *, ttl: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.ttl = ttl
        self._clock = clock
        self._entries: OrderedDict[K, tuple[V, float]] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The live value of ``key`` (now the most recently used), or None when absent or expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[1] <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: K, value: V, *, expires_at: float | None = None) -> list[V]:
        """Keep ``value`` under ``key`` until ``expires_at`` (default: ``ttl`` from now, or for good); returns the
        values evicted to stay within the limit, for a caller that must close them."""
        if expires_at is None:
            expires_at = self._clock() + self.ttl if self.ttl is not None else math.inf
        self._entries[key] = (value, expires_at)
        self._entries.move_to_end(key)
        evicted: list[V] = []
        if len(self._entries) > self.limit:
            self._drop_expired()
        while len(self._entries) > self.limit:
            evicted.append(self._entries.popitem(last=False)[1][0])
        return evicted

    def pop(self, key: K) -> V | None:
        """Forget ``key``; its live value, or None."""
        entry = self._entries.pop(key, None)
        return entry[0] if entry is not None and entry[1] > self._clock() else None

    def values(self) -> list[V]:
        """Every live value, least recently used first."""
        self._drop_expired()
        return [value for value, _ in self._entries.values()]

    def clear(self) -> None:
        self._entries.clear()

    def __contains__(self, key: object) -> bool:
        entry = self._entries.get(key)  # type: ignore[arg-type]  # any key may be asked about
        return entry is not None and entry[1] > self._clock()

    def __len__(self) -> int:
        self._drop_expired()
        return len(self._entries)

    def __iter__(self) -> Iterator[K]:
        self._drop_expired()
        return iter(list(self._entries))

    def _drop_expired(self) -> None:
        now = self._clock()
        for key in [key for key, (_, until) in self._entries.items() if until <= now]:
            del self._entries[key]
