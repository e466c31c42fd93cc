"""Tables anonymous callers add to (registrations, pending authorizations): bounded per caller and in total.

A full table refuses the next entry instead of evicting an older one: evicting let 10,000 anonymous
registrations push out a legitimate client, and 10,000 anonymous authorizations expire a user's
sign-in in progress. The caller is the client address of the request (see ``callers``).
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Generic, TypeVar

from polytomic_mcp.bounded_cache import BoundedCache

from ..callers import caller

V = TypeVar("V")



class QuotaExceeded(Exception):
    """The caller (or everyone together) holds as many entries as the table allows; the message says which."""


class QuotaTable(Generic[V]):
    """Entries until their expiry, at most ``per_caller`` live ones per caller and ``total`` in all."""

    def __init__(self, what: str, per_caller: int, total: int, clock: Callable[[], float] = time.time) -> None:
        self.what = what
        self.per_caller = per_caller
        self.total = total
        self._clock = clock
        self._entries: dict[str, tuple[V, str, float]] = {}
        self._owned: Counter[str] = Counter()
        self._expiries: list[tuple[float, int, str]] = []
        self._order = itertools.count()

    def add(self, key: str, value: V, expires_at: float) -> None:
        """Keep ``value`` for the current caller until ``expires_at``; ``QuotaExceeded`` when that is one too many."""
        self._drop_expired()
        owner = caller.get()
        if self._owned[owner] >= self.per_caller:
            raise QuotaExceeded(f"too many {self.what} from this address ({self.per_caller}); try again later")
        if len(self._entries) >= self.total:
            raise QuotaExceeded(f"too many {self.what} waiting on this server; try again later")
        self._entries[key] = (value, owner, expires_at)
        self._owned[owner] += 1
        heapq.heappush(self._expiries, (expires_at, next(self._order), key))

    def get(self, key: str) -> V | None:
        """The live value of ``key``, or None."""
        entry = self._entries.get(key)
        if entry is None or entry[2] <= self._clock():
            return None
        return entry[0]

    def pop(self, key: str) -> V | None:
        """Forget ``key``; its live value, or None."""
        live = self.get(key)
        self._forget(key)
        return live

    def extend(self, key: str, expires_at: float) -> None:
        """Keep ``key`` until ``expires_at`` (when that is later than now set)."""
        entry = self._entries.get(key)
        if entry is not None and expires_at > entry[2]:
            self._entries[key] = (entry[0], entry[1], expires_at)
            heapq.heappush(self._expiries, (expires_at, next(self._order), key))

    def __len__(self) -> int:
        self._drop_expired()
        return len(self._entries)

    def _forget(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._owned[entry[1]] -= 1
            if self._owned[entry[1]] <= 0:
                del self._owned[entry[1]]

    def _drop_expired(self) -> None:
        now = self._clock()
        while self._expiries and self._expiries[0][0] <= now:
            expires_at, _, key = heapq.heappop(self._expiries)
            entry = self._entries.get(key)
            if entry is not None and entry[2] == expires_at:
                self._forget(key)


class PerMinute:
    """At most ``limit`` events per caller in any 60 seconds (a sliding window; callers beyond ``MAX_CALLERS``
    least recently seen are forgotten)."""

    MAX_CALLERS = 10_000

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._recent: BoundedCache[str, deque[float]] = BoundedCache(self.MAX_CALLERS)

    def allow(self, who: str) -> bool:
        """Count one event for ``who``; False (and nothing counted) when it already had ``limit`` this minute."""
        now = self._clock()
        recent = self._recent.get(who) or deque()
        while recent and recent[0] <= now - 60:
            recent.popleft()
        if len(recent) >= self.limit:
            return False
        recent.append(now)
        self._recent.put(who, recent)
        return True
