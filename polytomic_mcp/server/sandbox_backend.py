"""The embedded sandbox: a client wired to an in-process simulation of the Polytomic API.

The sandbox (and Starlette under it) is only imported and built on the first API call,
so a stdio server in ``--sandbox`` mode starts as fast as one for the real API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx2

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.settings import Settings

from .tenants import ClientFactory

if TYPE_CHECKING:
    from polytomic_mcp.sandbox import Sandbox

SANDBOX_BASE_URL = "http://sandbox.polytomic.local"
DEMO_API_KEY = "pk_sandbox_demo"


class LazyTransport(httpx2.AsyncBaseTransport):
    """Builds the real transport on the first request."""

    def __init__(self, make: Callable[[], httpx2.AsyncBaseTransport]) -> None:
        self._make = make
        self._transport: httpx2.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self._transport is None:
            self._transport = self._make()
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()


def sandbox_client(settings: Settings, sandbox: Sandbox | None = None, *, api_key: str = DEMO_API_KEY) -> PolytomicClient:
    """A client for a workspace of ``sandbox`` (the demo one by default; a fresh sandbox when none is given)."""
    transport = sandbox.transport() if sandbox is not None else LazyTransport(lambda: new_sandbox().transport())
    return PolytomicClient(
        api_key,
        base_url=SANDBOX_BASE_URL,
        api_version=settings.api_version,
        transport=transport,
        timeout=settings.request_timeout,
        max_retries=settings.max_retries,
    )


def sandbox_tenants(settings: Settings) -> ClientFactory:
    """Clients for workspaces of one new sandbox, by key: the tools and the OAuth key page must check keys in the
    same sandbox, or a key the page accepts would fail at every tool call."""
    shared = new_sandbox()
    return lambda key, _organization_id: sandbox_client(settings, shared, api_key=key)


def new_sandbox() -> Sandbox:
    """A sandbox with the demo workspace (seeded with a history) and an empty one."""
    from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

    sandbox = Sandbox(base_url=SANDBOX_BASE_URL)
    sandbox.add_demo_workspace(org_name="Sandbox Org")
    sandbox.add_workspace(EMPTY_API_KEY, org_name="Empty Org")
    return sandbox
