"""Server-wide state: the Services of a single-key server, or one Services per tenant key.

In multi-tenant mode (``--key-from-request``) each HTTP request's bearer key is put in
``CURRENT_API_KEY`` by ``tenant_middleware`` for the duration of that request, and
``ServerState.current()`` hands out that tenant's own client and caches.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from mcp.server.context import CallNext, ServerRequestContext

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.tools import Services
from polytomic_mcp.tools.errors import fail

CURRENT_API_KEY: ContextVar[str | None] = ContextVar("polytomic_api_key", default=None)
MAX_TENANTS = 256


def bearer_key(headers: Any) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    value = headers.get("authorization") if headers is not None else None
    if not isinstance(value, str):
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@dataclass
class ServerState:
    """Holds the Services while the lifespan is active (one, or one per tenant key)."""

    secret_prefix: str = "POLYTOMIC_SECRET_"
    log_level: str = "info"
    factory: Callable[[str], PolytomicClient] | None = None
    services: Services | None = None
    _tenants: OrderedDict[str, Services] = field(default_factory=OrderedDict)
    _retired: list[PolytomicClient] = field(default_factory=list)

    @property
    def multi_tenant(self) -> bool:
        """Whether each request brings its own key."""
        return self.factory is not None

    def make_services(self, client: PolytomicClient) -> Services:
        """Services around a client with this server's options."""
        return Services(client, secret_prefix=self.secret_prefix)

    def current(self) -> Services:
        """The Services for the request being handled."""
        if self.factory is None:
            if self.services is None:
                raise RuntimeError("the Polytomic client is not started (server lifespan not entered)")
            return self.services
        key = CURRENT_API_KEY.get()
        if not key:
            raise fail("This server takes the Polytomic API key from each request: send 'Authorization: Bearer <key>'.")
        tenant = self._tenants.get(key)
        if tenant is None:
            tenant = self._tenants[key] = self.make_services(self.factory(key))
            while len(self._tenants) > MAX_TENANTS:
                _, evicted = self._tenants.popitem(last=False)
                self._retired.append(evicted.client)
        self._tenants.move_to_end(key)
        return tenant

    async def aclose(self) -> None:
        """Close every tenant client."""
        clients = [s.client for s in self._tenants.values()] + self._retired
        self._tenants.clear()
        self._retired = []
        for client in clients:
            await client.aclose()


async def tenant_middleware(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
    """Expose the request's bearer key to ``ServerState.current`` while the request is handled."""
    key = bearer_key(getattr(ctx.request, "headers", None))
    token = CURRENT_API_KEY.set(key)
    try:
        return await call_next(ctx)
    finally:
        CURRENT_API_KEY.reset(token)
