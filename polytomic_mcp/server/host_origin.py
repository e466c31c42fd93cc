"""DNS-rebinding protection: Host and Origin headers parsed and matched exactly against allow-lists.

Replaces the SDK's check (mcp 2.3 ``TransportSecurityMiddleware``), whose ``host:*`` patterns are
prefix matches that ``Origin: http://127.0.0.1:1@evil.com`` passes. The server's own pages (the approval
page) also accept the origin they are served from, without widening what /mcp accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from polytomic_mcp.origins import Endpoint, allowed, parse_host, parse_host_pattern, parse_origin, parse_origin_pattern

LOOPBACK_HOSTS = ("127.0.0.1:*", "localhost:*", "[::1]:*", "127.0.0.1", "localhost", "[::1]")
LOOPBACK_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")


def _patterns(values: tuple[str, ...], parse: Callable[[str], Endpoint | None]) -> tuple[Endpoint, ...]:
    """Parsed allow-list entries (settings refuse malformed ones before the server starts)."""
    patterns: list[Endpoint] = []
    for value in values:
        pattern = parse(value)
        if pattern is None:
            raise ValueError(f"malformed allow-list entry {value!r}")
        patterns.append(pattern)
    return tuple(patterns)


@dataclass(frozen=True)
class OwnPages:
    """This server's own pages under ``prefix`` (e.g. the approval page) and the origin they are served from:
    that origin and its host are accepted there, and only there."""

    prefix: str
    origin: str


class CheckHostAndOrigin:
    """ASGI wrapper: a Host outside the allow-list gets 421, an Origin outside it 403 (an absent Origin passes)."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...], allowed_origins: tuple[str, ...],
                 own_pages: OwnPages | None = None) -> None:
        self.app = app
        self.hosts = _patterns((*LOOPBACK_HOSTS, *allowed_hosts), parse_host_pattern)
        self.origins = _patterns((*LOOPBACK_ORIGINS, *allowed_origins), parse_origin_pattern)
        self.own_prefix = own_pages.prefix if own_pages is not None else None
        self.own_hosts, self.own_origins = self.hosts, self.origins
        if own_pages is not None:
            self.own_hosts = (*self.hosts, *_patterns((urlsplit(own_pages.origin).netloc,), parse_host_pattern))
            self.own_origins = (*self.origins, *_patterns((own_pages.origin,), parse_origin_pattern))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            own = self.own_prefix is not None and scope["path"].startswith(self.own_prefix)
            hosts = self._values(scope, b"host")
            if len(hosts) != 1 or not allowed(parse_host(hosts[0]), self.own_hosts if own else self.hosts):
                await PlainTextResponse("Invalid Host header", status_code=421)(scope, receive, send)
                return
            origins = self.own_origins if own else self.origins
            if not all(allowed(parse_origin(origin), origins) for origin in self._values(scope, b"origin")):
                await PlainTextResponse("Invalid Origin header", status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _values(scope: Scope, name: bytes) -> list[str]:
        """Every value of one header (a repeated Host or Origin must not slip a second value past the check)."""
        return [value.decode("latin-1") for key, value in scope.get("headers", []) if key.lower() == name]
