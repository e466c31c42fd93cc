"""``build_server``: the MCP server over one Polytomic client (or one per tenant), owned by the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import httpx2
from mcp.server import MCPServer
from mcp.server.context import CallNext, ServerRequestContext
from mcp_types import CallToolResult, EmptyResult, SetLevelRequestParams, TextContent

from polytomic_mcp import __version__
from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.redaction import install_log_scrubbing
from polytomic_mcp.settings import Settings, SettingsError
from polytomic_mcp.shared_state import SharedState, open_state
from polytomic_mcp.tools import ToolName, load_tools
from polytomic_mcp.tools.core.approvals import ConsentStore
from polytomic_mcp.tools.core.manifest import entries

if TYPE_CHECKING:
    from polytomic_mcp.tools.core.registry import ToolSpec

from .apps import apps_extension, show_views_to_apps_clients
from .mcp_internals import accept_log_level, advertise_resources_list_changed
from .prompts import register_prompts
from .read_only_grants import enforce_read_only_tenant
from .resources import register_resources
from .state import ServerState, connection_key
from .tenants import ClientFactory, SharedTransport
from .tool_listing import ManifestToolServer

SERVER_NAME = "polytomic"
INSTRUCTIONS = resources.files(__package__).joinpath("instructions.md").read_text().strip()


def selected_tools(settings: Settings) -> list[str]:
    """Tool names to expose, in ``ToolName`` order (the workflow's): toolsets, the name filter if given, then read-only wins."""
    manifest = entries()
    names = [t.value for t in ToolName if manifest[t.value].toolset in settings.toolsets]
    names = [n for n in names if settings.tools is None or n in settings.tools]
    if settings.read_only:
        names = [n for n in names if manifest[n].kept_in_read_only_mode]
    return names


def make_client(
    settings: Settings, api_key: str | None = None, *, transport: httpx2.AsyncBaseTransport | None = None,
    organization_id: str | None = None, max_retries: int | None = None,
) -> PolytomicClient:
    """A client for the configured API (``api_key``, ``organization_id`` and ``max_retries`` override the settings',
    ``transport`` the connection pool), or the sandbox."""
    if settings.sandbox:
        from .sandbox_backend import sandbox_client

        return sandbox_client(settings)
    key = api_key or settings.api_key
    if not key:
        raise SettingsError("set POLYTOMIC_API_KEY (or pass --sandbox to try the server without an account)")
    return PolytomicClient(
        key,
        base_url=settings.base_url,
        api_version=settings.api_version,
        organization_id=organization_id or settings.organization_id,
        timeout=settings.request_timeout,
        max_retries=settings.max_retries if max_retries is None else max_retries,
        transport=transport,
    )


def default_factory(settings: Settings, state: ServerState) -> ClientFactory:
    """Per-tenant clients: the real API over one shared connection pool, or workspaces of one in-process sandbox."""
    if settings.sandbox:
        from .sandbox_backend import sandbox_tenants

        return sandbox_tenants(settings)

    def real(key: str, organization_id: str | None) -> PolytomicClient:
        if state.shared_transport is None:
            state.shared_transport = SharedTransport(httpx2.AsyncHTTPTransport(limits=httpx2.Limits(max_connections=100)))
        return make_client(settings, api_key=key, transport=state.shared_transport, organization_id=organization_id)

    return real


def build_server(
    settings: Settings, client: PolytomicClient | None = None, *, client_factory: ClientFactory | None = None
) -> MCPServer:
    """The MCP server.

    With ``client`` it is used as is (and not closed); in multi-tenant mode
    (``settings.key_from_request``) ``client_factory`` makes one client per bearer key;
    otherwise the lifespan makes and owns one client from ``settings``.
    """
    install_log_scrubbing()
    state = ServerState(
        secret_prefix=settings.secret_prefix, tool_timeout=settings.tool_timeout,
        read_only=settings.read_only, allow_credential_minting=settings.allow_credential_minting,
        consent_mode="strict" if settings.consent == "strict" else "relay", approval_base=settings.approval_base,
        shared_state=open_state(settings.state_url),
    )
    if settings.key_from_request:
        state.factory = client_factory or default_factory(settings, state)
        if settings.auth == "oauth":
            from .oauth.provider import grant_of

            state.oauth = grant_of

    @asynccontextmanager
    async def lifespan(server: MCPServer) -> AsyncIterator[ServerState]:
        try:
            if state.multi_tenant:
                yield state
            elif client is not None:
                state.start_single(client)
                yield state
            else:
                async with make_client(settings) as owned:
                    state.start_single(owned)
                    yield state
        finally:
            await state.aclose()

    names = selected_tools(settings)
    middleware: list[Any] = [state.middleware, refuse_disabled_tools(settings, names), enforce_read_only_tenant,
                             show_views_to_apps_clients]
    server = ManifestToolServer(
        SERVER_NAME,
        title="Polytomic",
        instructions=INSTRUCTIONS,
        version=__version__,
        website_url="https://www.polytomic.com",
        lifespan=lifespan,
        log_level="WARNING",
        middleware=middleware,
        tool_names=names,
        load_tool=declared_tool,
        extensions=[apps_extension()],
    )
    CONSENT_STORES[server] = state.consents
    SHARED_STATES[server] = state.shared_state
    register_resources(server)
    register_prompts(server)
    advertise_resources_list_changed(server)
    _accept_log_level(server, state)
    return server


CONSENT_STORES: WeakKeyDictionary[MCPServer, ConsentStore] = WeakKeyDictionary()
"""Each built server's pending yeses, for the HTTP app's approval page."""


def consent_store(server: MCPServer) -> ConsentStore:
    """The pending yeses of a server made by ``build_server``."""
    return CONSENT_STORES[server]


SHARED_STATES: WeakKeyDictionary[MCPServer, SharedState] = WeakKeyDictionary()
"""Each built server's shared state, for the HTTP app's probes (and what else outside the MCP lifespan needs it)."""


def shared_state_of(server: MCPServer) -> SharedState:
    """The shared state of a server made by ``build_server``."""
    return SHARED_STATES[server]


def _accept_log_level(server: MCPServer, state: ServerState) -> None:
    """Declare the logging capability and honour logging/setLevel (2025-era clients)."""

    async def set_level(ctx: ServerRequestContext[Any, Any], params: SetLevelRequestParams) -> EmptyResult:
        state.log_levels.put(connection_key(ctx.session), params.level)
        return EmptyResult()

    accept_log_level(server, set_level)


def declared_tool(name: str) -> ToolSpec:
    """The declared tool ``name`` (the first call imports every tool family)."""
    return load_tools()[name]


def refuse_disabled_tools(settings: Settings, exposed: list[str]) -> Callable[..., Any]:
    """Middleware: a call to a tool this server hides gets an error result that says why."""
    manifest = entries()
    hidden = set(manifest) - set(exposed)

    async def middleware(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
        name = ctx.params.get("name") if ctx.method == "tools/call" and isinstance(ctx.params, dict) else None
        if name in hidden:
            if settings.read_only and not manifest[name].kept_in_read_only_mode:
                why = "this server runs in read-only mode (--read-only / POLYTOMIC_READ_ONLY), so it cannot create or change anything"
            elif manifest[name].toolset not in settings.toolsets:
                why = f"its toolset '{manifest[name].toolset}' is not in this server's toolsets (--toolsets / POLYTOMIC_TOOLSETS)"
            else:
                why = "it is not in this server's tool list (--tools / POLYTOMIC_TOOLS)"
            text = f"Tool '{name}' is disabled: {why}. Tell the user; available tools are in tools/list."
            return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)
        return await call_next(ctx)

    return middleware
