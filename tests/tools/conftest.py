"""Fixtures for tests that drive tool code directly: Services over the demo sandbox, served for the test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.tools.core.services import Services, serving


@pytest.fixture
async def svc() -> AsyncIterator[Services]:
    sandbox = Sandbox.with_empty_workspace()
    async with PolytomicClient(EMPTY_API_KEY, base_url="http://sandbox.test", transport=sandbox.transport()) as client:
        services = Services(client)
        with serving(services):
            yield services
