"""The backends every shared-state behaviour test runs against: in-process, and a real redis-server (slow)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from polytomic_mcp.shared_state import MemoryState, SharedState
from polytomic_mcp.shared_state.redis_state import RedisState


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.slow)])
async def state(request: pytest.FixtureRequest, anyio_backend: str) -> AsyncIterator[SharedState]:
    backend: SharedState = MemoryState() if request.param == "memory" else RedisState(request.getfixturevalue("redis_url"))
    try:
        yield backend
    finally:
        await backend.aclose()
