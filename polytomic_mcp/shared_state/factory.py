"""The backend for a setting: in-process without a URL, Redis with one (the client library loads only then)."""

from __future__ import annotations

from .interface import SharedState
from .memory import MemoryState


def open_state(url: str | None) -> SharedState:
    """``MemoryState`` when ``url`` is None, else a ``RedisState`` for the ``redis://`` or ``rediss://`` URL."""
    if url is None:
        return MemoryState()
    from .redis_state import RedisState

    return RedisState(url)
