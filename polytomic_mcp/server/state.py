"""Server-wide state: the Services of a single-key server, or a pool of tenants keyed by each request's bearer key.

``ServerState.middleware`` runs around every MCP request: it picks the request's Services
(the server's own, or the tenant of the request's ``Authorization: Bearer`` key in
multi-tenant mode, or of the tenant sealed in the request's OAuth access token with ``--auth oauth``)
and serves the request with them, so tools, resources and log lines of
that request see that tenant's client and are scrubbed with that tenant's secrets only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mcp.server.context import CallNext, ServerRequestContext

from polytomic_mcp.bounded_cache import BoundedCache
from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.redaction import PROCESS
from polytomic_mcp.shared_state import MemoryState, SharedState
from polytomic_mcp.tools.core.approvals import ConsentStore
from polytomic_mcp.tools.core.services import DEFAULT_TOOL_TIMEOUT, ConsentMode, Services, serving

from .tenants import MAX_TENANTS, ClientFactory, Grant, SharedTransport, TenantPool


def bearer_key(headers: Any) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any (and if it is visible ASCII)."""
    value = headers.get("authorization") if headers is not None else None
    if not isinstance(value, str):
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and is_token_text(token) else None


def is_token_text(value: str) -> bool:
    """Whether ``value`` can be a key or token at all: visible ASCII only (anything else cannot even be sent on as an
    HTTP header, and used to end in a 500 and a traceback per request)."""
    return bool(value) and value.isascii() and value.isprintable() and " " not in value


def connection_key(session: object) -> int:
    """What stays the same for every request of one client connection: the SDK makes a ServerSession per request,
    but the ``initialize`` params it reads belong to the connection."""
    params = getattr(session, "client_params", None)
    return id(params) if params is not None else id(session)


@dataclass
class ServerState:
    """Holds the Services while the lifespan is active (one, or one per tenant key)."""

    secret_prefix: str = "POLYTOMIC_SECRET_"
    tool_timeout: float = DEFAULT_TOOL_TIMEOUT
    read_only: bool = False
    allow_credential_minting: bool = False
    log_levels: BoundedCache[int, str] = field(default_factory=lambda: BoundedCache(MAX_TENANTS))
    """The level each connection chose with logging/setLevel (one tenant's choice never silences another's
    messages), keyed by its ``connection_key``."""
    factory: ClientFactory | None = None
    oauth: Callable[[object], Grant | None] | None = None
    """With ``--auth oauth``: the tenant a verified access token of this server carries, never a raw Authorization
    header (the OAuth code loads only then)."""
    shared_transport: SharedTransport | None = None
    max_tenants: int = MAX_TENANTS
    consents: ConsentStore = field(init=False)
    """Pending yeses of every tenant (the approval page looks them up by link)."""
    consent_mode: ConsentMode = "relay"
    approval_base: str | None = None
    """The public origin approval links point at (HTTP only)."""
    shared_state: SharedState = field(default_factory=MemoryState)
    """What every replica must agree on (POLYTOMIC_STATE_URL: Redis; otherwise this process): one backend, used by
    every tenant under its own namespace (pending yeses, create locks, model jobs)."""
    services: Services | None = None
    _pool: TenantPool | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.consents = ConsentStore(self.shared_state)

    @property
    def multi_tenant(self) -> bool:
        """Whether each request brings its own key."""
        return self.factory is not None

    @property
    def tenants(self) -> TenantPool:
        """The tenant pool (multi-tenant mode)."""
        if self._pool is None:
            if self.factory is None:
                raise RuntimeError("not a multi-tenant server")
            self._pool = TenantPool(self.factory, self.make_services, self.max_tenants)
        return self._pool

    def make_services(self, client: PolytomicClient, read_only: bool = False) -> Services:
        """Services around a client with this server's options (``read_only``: also for this tenant alone)."""
        return Services(
            client, secret_prefix=self.secret_prefix, tool_timeout=self.tool_timeout,
            read_only=self.read_only or read_only, allow_credential_minting=self.allow_credential_minting,
            state=self.shared_state, consents=self.consents, consent_mode=self.consent_mode, approval_base=self.approval_base,
        )

    def log_level(self, session: object) -> str:
        """The level the connection of ``session`` (a request's ServerSession) chose, or ``info``."""
        return self.log_levels.get(connection_key(session)) or "info"

    def start_single(self, client: PolytomicClient) -> Services:
        """Serve every request with ``client`` (single-key mode); its key is also masked in every log line."""
        self.services = self.make_services(client)
        PROCESS.pin(*client.secrets_for_scrubbing())
        return self.services

    async def middleware(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
        """Serve one MCP request with its Services (see the module docstring)."""
        if not self.multi_tenant:
            if self.services is None:
                return await call_next(ctx)
            with serving(self.services):
                return await call_next(ctx)
        grant = self.request_grant(ctx.request)
        if grant is None:
            return await call_next(ctx)
        tenant = await self.tenants.acquire(grant)
        try:
            with serving(tenant.services):
                return await call_next(ctx)
        finally:
            await self.tenants.release(tenant)

    def request_grant(self, request: Any) -> Grant | None:
        """The tenant a request acts as: its OAuth token's (key, organization, read-only scope), or its Bearer key."""
        if not self.oauth:
            key = bearer_key(getattr(request, "headers", None))
            return None if key is None else Grant(key)
        scope = getattr(request, "scope", None)
        user = scope.get("user") if isinstance(scope, dict) else None
        return self.oauth(getattr(user, "access_token", None))

    async def aclose(self) -> None:
        """Close every tenant client, the shared connection pool and the shared state's connections."""
        self.services = None
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.aclose()
        transport, self.shared_transport = self.shared_transport, None
        if transport is not None:
            await transport.close_pool()
        await self.shared_state.aclose()
