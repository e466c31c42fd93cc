"""``build_server``: the MCP server over one Polytomic client, owned by the lifespan."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from mcp.server import MCPServer, NotificationOptions

from polytomic_mcp import __version__
from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.settings import Settings, SettingsError
from polytomic_mcp.tools import SPECS, Services, register

from .prompts import register_prompts
from .resources import register_resources
from .state import ServerState

SERVER_NAME = "polytomic"
INSTRUCTIONS = resources.files(__package__).joinpath("instructions.md").read_text().strip()


def selected_tools(settings: Settings) -> list[str]:
    """Tool names to expose: the filter if given, then read-only wins over it."""
    names = [n for n in SPECS if settings.tools is None or n in settings.tools]
    if settings.read_only:
        names = [n for n in names if SPECS[n].read_only]
    return names


def make_client(settings: Settings) -> PolytomicClient:
    """A client for the configured API, or for an in-process sandbox with ``settings.sandbox``."""
    if settings.sandbox:
        from .sandbox_backend import sandbox_client

        return sandbox_client(settings)
    if not settings.api_key:
        raise SettingsError("set POLYTOMIC_API_KEY (or pass --sandbox to try the server without an account)")
    return PolytomicClient(
        settings.api_key,
        base_url=settings.base_url,
        api_version=settings.api_version,
        organization_id=settings.organization_id,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )


def build_server(settings: Settings, client: PolytomicClient | None = None) -> MCPServer:
    """The MCP server; with ``client`` given it is used as is (and not closed), else one is made per lifespan."""
    state = ServerState()

    @asynccontextmanager
    async def lifespan(server: MCPServer) -> AsyncIterator[Services]:
        if client is not None:
            state.services = Services(client, read_only=settings.read_only)
            try:
                yield state.services
            finally:
                state.services = None
            return
        async with make_client(settings) as owned:
            state.services = Services(owned, read_only=settings.read_only)
            try:
                yield state.services
            finally:
                state.services = None

    server = MCPServer(
        SERVER_NAME,
        title="Polytomic",
        instructions=INSTRUCTIONS,
        version=__version__,
        website_url="https://www.polytomic.com",
        lifespan=lifespan,
        log_level="WARNING",
    )
    register(server, selected_tools(settings))
    register_resources(server, state)
    register_prompts(server)
    _advertise_list_changed(server)
    return server


def _advertise_list_changed(server: MCPServer) -> None:
    """Declare resources.listChanged on 2025-era sessions too (the SDK's default says False)."""
    lowlevel = server._lowlevel_server  # noqa: SLF001 - no public switch in mcp 2.3
    lowlevel.create_initialization_options = functools.partial(  # type: ignore[method-assign]
        lowlevel.create_initialization_options, NotificationOptions(resources_changed=True)
    )
