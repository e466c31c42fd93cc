"""Helpers for the MCP Apps tests: a client that negotiated the extension (or not), on the sandbox's demo workspace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from server_support import BASE_URL, mcp_session

from polytomic_mcp.sandbox import DEMO_API_KEY, Sandbox

APPS = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})
"""What an MCP Apps host declares: the extension, with the app MIME type it renders."""


@asynccontextmanager
async def demo_session(*, apps: bool, mode: str = "auto", sandbox: Sandbox | None = None) -> AsyncIterator[Client]:
    """A client on the demo workspace (a sync that failed last night with 5 rejected records, a bulk sync with runs),
    declaring the Apps extension when ``apps``."""
    sandbox = sandbox or Sandbox.with_demo_workspace(base_url=BASE_URL)
    async with mcp_session(sandbox, mode=mode, api_key=DEMO_API_KEY, extensions=[APPS] if apps else []) as client:
        yield client


async def demo_syncs(client: Client) -> dict[str, dict[str, Any]]:
    """The demo workspace's syncs by name."""
    listed = await client.call_tool("list_syncs", {})
    assert listed.structured_content is not None
    return {sync["name"]: sync for sync in listed.structured_content["syncs"]}


def wire(result: Any) -> dict[str, Any]:
    """A result as the host receives it on the wire (what it passes on to the view)."""
    dumped: dict[str, Any] = result.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped
