"""What every tool needs at call time: the Polytomic client and the per-server caches."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

from polytomic_mcp.bounded_cache import BoundedCache
from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.client.models import ConfigurationSchema, ConnectionType, ScheduleOption
from polytomic_mcp.redaction import SecretRegistry, scope
from polytomic_mcp.shared_state import MemoryState, SharedState, tenant_hash

from .approvals import ConsentStore
from .creates import CreateGuard
from .errors import fail
from .secrets import DEFAULT_SECRET_PREFIX, WrittenSecrets

T = TypeVar("T")
CATALOG_TTL = 300.0
"""Seconds the connection-type list, type schemas and schedule options stay cached."""
LISTING_TTL = 60.0
"""Seconds the list behind a paged listing is kept for its next pages."""
DEFAULT_TOOL_TIMEOUT = 45.0
"""Seconds a tool call may take in all, below the timeouts MCP clients commonly use (60 s and more)."""


SyncKind = Literal["model", "bulk"]
ConsentMode = Literal["relay", "strict"]
MAX_CACHED = 1_000
"""Connection-type schemas (and the type list and schedule options) kept per key."""


@dataclass
class Services:
    """One key's client, its secret registry and small caches of data that rarely changes (connection types, schemas)."""

    client: PolytomicClient
    secret_prefix: str = DEFAULT_SECRET_PREFIX
    ttl: float = CATALOG_TTL
    tool_timeout: float = DEFAULT_TOOL_TIMEOUT
    read_only: bool = False
    """Read-only mode: tools that guard their own writes (call_api) refuse them."""
    allow_credential_minting: bool = False
    """Whether call_api may run operations that create API keys or temporary credentials."""
    secrets: SecretRegistry = field(default_factory=SecretRegistry)
    """Everything masked in this key's output: the key, ``$env`` values, and secrets written to connections."""
    server_secrets: SecretRegistry = field(default_factory=SecretRegistry)
    """Only what the server itself holds (the key, ``$env`` values): the one mask for questions to the person, so
    an agent cannot blind a question by registering a word as a secret elsewhere."""
    state: SharedState = field(default_factory=MemoryState)
    """What replicas must agree on (create locks, model jobs): one backend per process, shared by its tenants."""
    creates: CreateGuard = field(init=False)
    written: WrittenSecrets = field(default_factory=WrittenSecrets)
    sync_kinds: BoundedCache[str, SyncKind] = field(default_factory=lambda: BoundedCache(10_000))
    """The kind of each sync id seen, so the right path is read first."""
    consents: ConsentStore = field(default_factory=ConsentStore)
    """Pending yeses (relayed tokens, approval links), in the shared state; one store per process, shared by tenants."""
    consent_mode: ConsentMode = "relay"
    """``relay``: a client that cannot ask gets a question and a token for the assistant to relay; ``strict``: refused."""
    approval_base: str | None = None
    """This server's public origin over HTTP (approval links are offered), None over stdio."""
    _cache: BoundedCache[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.secrets.pin(*self.client.secrets_for_scrubbing())
        self.server_secrets.pin(*self.client.secrets_for_scrubbing())
        self._cache = BoundedCache(MAX_CACHED, ttl=self.ttl)
        self.creates = CreateGuard(self.state, self.tenant, wait=self.tool_timeout)

    def env_secret(self, *values: str) -> None:
        """Remember values read from ``$env`` (masked everywhere, questions included)."""
        self.secrets.add(*values)
        self.server_secrets.add(*values)

    @property
    def tenant(self) -> str:
        """Who this is for, as a hash of the key and organization: the namespace of its shared records (a yes given
        for one tenant is not another's)."""
        return tenant_hash("\0".join([*self.client.secrets_for_scrubbing(), self.client.organization_id or ""]))

    async def _cached(self, key: str, load: Callable[[], Awaitable[T]]) -> T:
        """The cached value for ``key`` if fresh, else ``load()``'s result, cached."""
        hit = self._cache.get(key)
        if hit is not None:
            return cast(T, hit)
        value = await load()
        self._cache.put(key, value)
        return value

    async def listing(self, key: str, load: Callable[[], Awaitable[T]], *, first_page: bool) -> T:
        """What one paged listing pages through: loaded for its first page and kept ``LISTING_TTL`` seconds, so the
        pages after it come from the same list (consistent, and not the whole list fetched again for each page)."""
        hit = None if first_page else self._cache.get(f"listing:{key}")
        if hit is not None:
            return cast(T, hit)
        value = await load()
        self._cache.put(f"listing:{key}", value, expires_at=time.monotonic() + LISTING_TTL)
        return value

    async def connection_types(self) -> list[ConnectionType]:
        """GET /api/connection_types, cached."""
        return await self._cached("types", self.client.connection_types.list)

    async def connection_type(self, type_id: str) -> ConnectionType | None:
        """One listed type by id (exact, then case-insensitive)."""
        types = await self.connection_types()
        return next((t for t in types if t.id == type_id), None) or next(
            (t for t in types if t.id.lower() == type_id.lower()), None
        )

    async def type_schema(self, type_id: str) -> ConfigurationSchema:
        """GET /api/connection_types/{id}, cached per type."""
        return await self._cached(f"schema:{type_id}", lambda: self.client.connection_types.get_schema(type_id))

    async def schedule_options(self) -> list[ScheduleOption]:
        """GET /api/syncs/schedules, cached."""
        return await self._cached("schedules", self.client.syncs.schedule_options)


_serving: ContextVar[Services | None] = ContextVar("polytomic_services", default=None)
MISSING_KEY = "This server takes the Polytomic API key from each request: send 'Authorization: Bearer <key>'."


@contextmanager
def serving(svc: Services) -> Iterator[Services]:
    """Serve the request handled inside this block with ``svc``; its output is scrubbed with ``svc.secrets``."""
    token = _serving.set(svc)
    try:
        with scope(svc.secrets):
            yield svc
    finally:
        _serving.reset(token)


def current_services() -> Services:
    """The Services of the request being handled (set by the server for each request)."""
    svc = _serving.get()
    if svc is None:
        raise fail(MISSING_KEY)
    return svc


def serving_now() -> Services | None:
    """The Services of the request being handled, or None outside a request."""
    return _serving.get()
