"""Shared fixtures: the anyio backend and the location of the shared API reference."""

from __future__ import annotations

from pathlib import Path

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
