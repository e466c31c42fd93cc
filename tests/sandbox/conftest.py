"""Fixtures for the sandbox tests: a fresh Sandbox per test and httpx2 clients bound to it in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest
from sandbox_support import OTHER_KEY, SHARED, make_client

from polytomic_mcp.sandbox import Sandbox


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def shared_dir() -> Path:
    """The shared API reference directory, or skip when this checkout has none."""
    if not SHARED.is_dir():
        pytest.skip(f"shared API reference not found at {SHARED.resolve()}")
    return SHARED


@pytest.fixture
def sandbox() -> Sandbox:
    sb = Sandbox.with_empty_workspace()
    sb.add_workspace(OTHER_KEY, org_name="Other Org")
    return sb


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[httpx2.AsyncClient]:
    async with make_client(sandbox) as c:
        yield c


@pytest.fixture
async def legacy_client(sandbox: Sandbox) -> AsyncIterator[httpx2.AsyncClient]:
    async with make_client(sandbox, version="2024-02-08") as c:
        yield c
