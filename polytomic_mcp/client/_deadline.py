"""An overall deadline for everything a caller does with the client (requests, retries, job polling).

A tool call must answer before its MCP client gives up. Inside ``deadline(seconds)`` every
attempt's timeout is cut to the time left, and a retry whose wait would pass the deadline is
not made: the last error is raised at once, so the caller can say what happened and when to
retry instead of holding the call.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import anyio

_ends_at: ContextVar[float] = ContextVar("polytomic_deadline", default=math.inf)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Bound the client calls made inside this block to ``seconds`` in all (an outer, earlier deadline still wins)."""
    ends_at = min(_ends_at.get(), anyio.current_time() + seconds)
    token = _ends_at.set(ends_at)
    try:
        yield
    finally:
        _ends_at.reset(token)


def time_left() -> float:
    """Seconds until the current deadline (``inf`` outside any)."""
    ends_at = _ends_at.get()
    return ends_at - anyio.current_time() if ends_at != math.inf else math.inf
