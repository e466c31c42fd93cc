"""Per-tenant Services in multi-tenant HTTP mode: cheap to add, bounded, closed when evicted.

Every tenant (bearer key) gets its own client, caches and secret registry, so no tenant's
output is ever scrubbed with, or served from, another's. All tenant clients share one HTTP
connection pool, so a new key costs a few objects rather than a pool and a TLS context, and
at most ``limit`` tenants are kept (least recently used go first; a tenant still serving a
request is closed when that request ends).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import httpx2

from polytomic_mcp.bounded_cache import BoundedCache
from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.tools.core.services import Services

MAX_TENANTS = 256
"""Tenants kept at once; the least recently used is closed to make room."""


class SharedTransport(httpx2.AsyncBaseTransport):
    """One connection pool lent to many clients: a client closing it leaves it open; ``close_pool`` closes it."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Leave the shared pool open: other tenants still use it."""

    async def close_pool(self) -> None:
        """Close the pool itself (when the server stops)."""
        await self._inner.aclose()


def key_digest(api_key: str) -> str:
    """A stable identifier for a key that does not reveal it (SHA-256, hex)."""
    return hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Grant:
    """What a request is allowed to act as: a key, the organization (partner keys) and whether writes are refused."""

    api_key: str
    organization_id: str | None = None
    read_only: bool = False

    def digest(self) -> str:
        """The pool's identifier for this grant, revealing no key."""
        return key_digest(f"{self.api_key}\0{self.organization_id or ''}\0{int(self.read_only)}")


ClientFactory = Callable[[str, "str | None"], PolytomicClient]
"""A client for (API key, organization id)."""


@dataclass(eq=False)
class Tenant:
    """One key's Services and how many requests are using them right now."""

    services: Services
    in_flight: int = 0
    evicted: bool = False


class TenantPool:
    """Tenants by grant digest (key, organization, read-only), least recently used first."""

    def __init__(
        self, factory: ClientFactory, make_services: Callable[..., Services],
        limit: int = MAX_TENANTS,
    ) -> None:
        self._factory = factory
        self._make_services = make_services
        self._tenants: BoundedCache[str, Tenant] = BoundedCache(limit)

    def __len__(self) -> int:
        return len(self._tenants)

    async def acquire(self, grant: Grant | str) -> Tenant:
        """The tenant for ``grant`` (a bare key: that key, no organization, read-write), made on first use,
        counted as in use until ``release``; a read-only grant's Services refuse writes."""
        grant = Grant(grant) if isinstance(grant, str) else grant
        digest = grant.digest()
        tenant = self._tenants.get(digest)
        evicted: list[Tenant] = []
        if tenant is None:
            client = self._factory(grant.api_key, grant.organization_id)
            services = self._make_services(client, read_only=True) if grant.read_only else self._make_services(client)
            tenant = Tenant(services)
            evicted = self._tenants.put(digest, tenant)
        tenant.in_flight += 1
        for oldest in evicted:
            oldest.evicted = True
            if oldest.in_flight == 0:
                await oldest.services.client.aclose()
        return tenant

    async def release(self, tenant: Tenant) -> None:
        """The request using ``tenant`` ended; close it if it was evicted meanwhile."""
        tenant.in_flight -= 1
        if tenant.evicted and tenant.in_flight == 0:
            await tenant.services.client.aclose()

    async def aclose(self) -> None:
        """Close every tenant's client."""
        tenants = self._tenants.values()
        self._tenants.clear()
        for tenant in tenants:
            tenant.evicted = True
            await tenant.services.client.aclose()
