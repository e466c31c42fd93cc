"""``PolytomicClient``: the typed async entry point to the Polytomic REST API."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx2

from ..public_addresses import Resolver, resolve_host
from ._exceptions import InvalidRequestError
from ._http import HTTPCore, QueryParams
from ._versions import DEFAULT_API_VERSION, SUPPORTED_API_VERSIONS
from .resources.bulk_syncs import BulkSyncsResource
from .resources.connection_types import ConnectionTypesResource
from .resources.connections import ConnectionsResource
from .resources.identity import IdentityResource
from .resources.jobs import DEFAULT_POLL_INTERVAL, JobsResource
from .resources.models import ModelsResource
from .resources.schemas import SchemasResource
from .resources.sources import SourcesResource
from .resources.syncs import SyncsResource
from .resources.targets import TargetsResource

DEFAULT_BASE_URL = "https://app.polytomic.com"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2


class PolytomicClient:
    """Async client for the Polytomic API; use it with ``async with``.

    Example::

        async with PolytomicClient(api_key="...") as client:
            me = await client.identity.get()
            async for sync in client.syncs.list(active=True):
                print(sync.name)

    Args:
        api_key: organization API key (sent as Bearer), or a partner/deployment key
            when ``organization_id`` is given (sent as Basic ``org_id:key``).
        base_url: API host; self-hosted deployments set their own.
        api_version: pinned ``X-Polytomic-Version`` ("2025-09-18" or "2024-02-08").
        timeout: seconds per HTTP attempt.
        max_retries: retries after the first attempt for 408/409/429/5xx and network errors.
        organization_id: the customer organization a partner/deployment key acts in.
        transport: an httpx2 transport (tests pass the sandbox's in-process transport).
        retry_backoff: first back-off delay in seconds (doubles per retry, with jitter).
        max_retry_delay: upper bound of one back-off delay.
        job_poll_interval: seconds before the first status poll of an asynchronous job
            (model create/update); later polls wait 1.5 times longer each, up to 2 s.
        resolver: how the host of a log file the API redirects to is resolved before the public-address
            check (tests pass a fake; default: DNS).
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_version: str = DEFAULT_API_VERSION,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        organization_id: str | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        retry_backoff: float = 0.5,
        max_retry_delay: float = 8.0,
        job_poll_interval: float = DEFAULT_POLL_INTERVAL,
        resolver: Resolver = resolve_host,
    ) -> None:
        if not api_key:
            raise ValueError("api_key is required")
        if api_version not in SUPPORTED_API_VERSIONS:
            raise ValueError(f"unsupported api_version {api_version!r}; use one of {', '.join(SUPPORTED_API_VERSIONS)}")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version
        self.organization_id = organization_id
        self._core = HTTPCore(
            api_key=api_key,
            base_url=self.base_url,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            organization_id=organization_id,
            transport=transport,
            retry_backoff=retry_backoff,
            max_retry_delay=max_retry_delay,
            resolver=resolver,
        )
        self.identity = IdentityResource(self._core)
        self.connection_types = ConnectionTypesResource(self._core)
        self.connections = ConnectionsResource(self._core)
        self.sources = SourcesResource(self._core)
        self.job_poll_interval = job_poll_interval
        self.jobs = JobsResource(self._core, poll_interval=job_poll_interval)
        self.models = ModelsResource(self._core, self.jobs)
        self.targets = TargetsResource(self._core)
        self.syncs = SyncsResource(self._core)
        self.schemas = SchemasResource(self._core)
        self.bulk_syncs = BulkSyncsResource(self._core)

    def __repr__(self) -> str:
        org = f", organization_id={self.organization_id!r}" if self.organization_id else ""
        return f"PolytomicClient(base_url={self.base_url!r}, api_version={self.api_version!r}{org}, api_key='******')"

    __str__ = __repr__

    def secrets_for_scrubbing(self) -> tuple[str, ...]:
        """The key and the Authorization value built from it, only so callers can register them for redaction."""
        return self._core.secrets

    async def call(
        self, method: str, path: str, *, params: QueryParams = None, json: Any = None, idempotency_key: str | None = None,
    ) -> Any:
        """Send one request to any API path through the same pipeline (auth, version, retries, idempotency, errors).

        For operations the typed resources do not cover; returns the decoded JSON body as is.
        """
        if not path.startswith("/api/"):
            raise InvalidRequestError(f"{method} {path} not sent: API paths start with /api/")
        return await self._core.request(method.upper(), path, params=params, json=json, idempotency_key=idempotency_key)

    async def aclose(self) -> None:
        """Close the underlying connection pool."""
        await self._core.aclose()

    async def __aenter__(self) -> PolytomicClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
