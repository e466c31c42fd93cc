"""The backends every shared-state behaviour test runs against (Redis joins when its fixture is available)."""

from __future__ import annotations

import pytest

from polytomic_mcp.shared_state import MemoryState, SharedState


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["memory"])
def state(request: pytest.FixtureRequest) -> SharedState:
    return MemoryState()
