"""Client ID metadata documents (MCP authorization 2025-11-25): a client whose id is an https URL is described by the
JSON document at that URL, fetched by this server instead of registered.

The fetch is an outbound request chosen by whoever calls /authorize, so it is fenced: https only, the host must
resolve to public addresses only (and the connected peer is checked again, against DNS rebinding), no redirects,
64 KB, and one deadline for all of it (DNS, connect, every byte). The name is looked up once, on this module's own
few threads, never the event loop's shared executor (12 anonymous requests naming a domain whose DNS never answers
used to stall every upstream connect and /readyz), and the connection goes to the address checked, the name given
as TLS server name and Host (so the certificate is still verified for it, and no second lookup can differ). At
most ``MAX_FETCHING`` fetches run at once (per replica) and ``PER_CALLER_PER_MINUTE`` per client address (on all replicas); a failure is remembered
for ``FAILURE_TTL``. The document must name itself as ``client_id``, list its redirect URIs (matched exactly by the
SDK) and be a public client (no secret). Good documents are kept for five minutes, compact (only what the flow
reads).
"""

from __future__ import annotations

import functools
import json
import logging
import socket
import time
from collections.abc import Callable
from urllib.parse import urlparse

import anyio
import httpx2
from mcp.shared.auth import OAuthClientInformationFull
from pydantic import ValidationError

from polytomic_mcp.bounded_cache import BoundedCache
from polytomic_mcp.public_addresses import Resolver, check_peer, check_public_host
from polytomic_mcp.public_addresses import is_public_address as is_public_address  # re-exported: the fences live there
from polytomic_mcp.shared_state import MemoryState, SharedState

from ..callers import caller
from .quotas import PerMinute
from .request_bounds import BadRequest, compact_client

log = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024
FETCH_TIMEOUT = 5.0
"""Seconds for the whole fetch: lookup, connect, and the last byte."""
CACHE_TTL = 300.0
FAILURE_TTL = 60.0
MAX_CACHED = 1_000
MAX_FETCHING = 8
PER_CALLER_PER_MINUTE = 10
_LOOKUPS = anyio.CapacityLimiter(4)
"""Threads for these lookups: a name server that never answers holds these, and nothing else."""


async def resolve_apart(host: str, port: int) -> list[str]:
    """``host``'s addresses, looked up on this module's own threads (see ``_LOOKUPS``)."""
    infos = await anyio.to_thread.run_sync(
        functools.partial(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM), abandon_on_cancel=True,
        limiter=_LOOKUPS)
    return [str(info[4][0]) for info in infos]


def is_document_url(client_id: str) -> bool:
    """Whether a client id names a metadata document: an https URL with a path (as the clients' SDK requires)."""
    parsed = urlparse(client_id)
    return parsed.scheme == "https" and bool(parsed.hostname) and parsed.path not in ("", "/")


class ClientDocuments:
    """Fetches, checks and caches client ID metadata documents."""

    def __init__(self, transport: httpx2.AsyncBaseTransport | None = None, resolver: Resolver = resolve_apart,
                 clock: Callable[[], float] = time.monotonic, default_scope: str | None = None,
                 state: SharedState | None = None) -> None:
        """``default_scope``: what a document that names no ``scope`` may ask for (the grant is decided on the key
        page); ``state``: where the per-address fetch counts live (every replica's; default: this process)."""
        self._default_scope = default_scope
        self._transport = transport
        self._resolver = resolver
        self._clock = clock
        self._cache: BoundedCache[str, OAuthClientInformationFull] = BoundedCache(MAX_CACHED, ttl=CACHE_TTL, clock=clock)
        self._failed: BoundedCache[str, bool] = BoundedCache(MAX_CACHED, ttl=FAILURE_TTL, clock=clock)
        self._fetching = anyio.Semaphore(MAX_FETCHING)
        self._per_caller = PerMinute(state if state is not None else MemoryState(), "document-fetches", PER_CALLER_PER_MINUTE)
        self.fetches = 0
        """Fetches started (for tests and the benchmark)."""

    async def client(self, client_id: str) -> OAuthClientInformationFull | None:
        """The client the document at ``client_id`` describes, or None when it cannot be fetched or is not valid."""
        if (cached := self._cache.get(client_id)) is not None:
            return cached
        if client_id in self._failed or self._fetching.value == 0 or not await self._per_caller.allow(caller.get()):
            return None
        try:
            async with self._fetching:
                self.fetches += 1
                with anyio.fail_after(FETCH_TIMEOUT):
                    document = await self._fetch(client_id)
        except (OSError, httpx2.HTTPError, ValueError, TimeoutError) as error:
            log.warning("client metadata document %s refused: %s", client_id, error or "took too long")
            self._failed.put(client_id, True)
            return None
        client = self._check(client_id, document, self._default_scope)
        if client is None:
            self._failed.put(client_id, True)
        else:
            self._cache.put(client_id, client)
        return client

    async def _fetch(self, url: str) -> object:
        parsed = urlparse(url)
        if not is_document_url(url) or parsed.hostname is None:
            raise ValueError("not an https URL with a path")
        host, port = parsed.hostname, parsed.port or 443
        resolved: list[str] = []

        async def kept(name: str, at: int) -> list[str]:
            resolved.extend(await self._resolver(name, at))
            return resolved

        await check_public_host(host, port, kept)
        address = resolved[0] if resolved else host.strip("[]")
        at = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        direct = f"https://{at}{parsed.path}" + (f"?{parsed.query}" if parsed.query else "")
        headers = {"Accept": "application/json", "Host": parsed.netloc}
        async with httpx2.AsyncClient(transport=self._transport, timeout=FETCH_TIMEOUT, follow_redirects=False) as http:
            async with http.stream("GET", direct, headers=headers, extensions={"sni_hostname": host}) as response:
                check_peer(response.extensions)
                if response.status_code != 200:
                    raise ValueError(f"HTTP {response.status_code}")
                body = b""
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        raise ValueError(f"larger than {MAX_BYTES} bytes")
        return json.loads(body)

    @staticmethod
    def _check(client_id: str, document: object, default_scope: str | None) -> OAuthClientInformationFull | None:
        if not isinstance(document, dict) or document.get("client_id") != client_id:
            log.warning("client metadata document %s refused: its client_id is not its own URL", client_id)
            return None
        if "client_secret" in document or document.get("token_endpoint_auth_method", "none") != "none":
            log.warning("client metadata document %s refused: only public clients (auth method none)", client_id)
            return None
        try:
            client = OAuthClientInformationFull.model_validate(
                {"scope": default_scope, **document, "token_endpoint_auth_method": "none", "client_secret": None})
        except ValidationError:
            log.warning("client metadata document %s refused: not valid client metadata", client_id)
            return None
        try:
            return compact_client(client)
        except BadRequest as problem:
            log.warning("client metadata document %s refused: %s", client_id, problem)
            return None
