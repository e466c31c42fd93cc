"""A bounded set of ids, each remembered until its own expiry (used refresh tokens, revoked grants)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class ExpiringSet:
    """Ids kept until they expire; past ``limit`` the oldest entry goes first. Per process, not shared."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.time) -> None:
        self._limit = limit
        self._clock = clock
        self._until: OrderedDict[str, float] = OrderedDict()

    def add(self, item: str, until: float) -> None:
        """Remember ``item`` until the time ``until``."""
        self._prune()
        self._until[item] = until
        self._until.move_to_end(item)
        while len(self._until) > self._limit:
            self._until.popitem(last=False)

    def __contains__(self, item: object) -> bool:
        until = self._until.get(item) if isinstance(item, str) else None
        return until is not None and until > self._clock()

    def __len__(self) -> int:
        self._prune()
        return len(self._until)

    def _prune(self) -> None:
        now = self._clock()
        for item in [item for item, until in self._until.items() if until <= now]:
            del self._until[item]
