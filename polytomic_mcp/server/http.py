"""The Streamable HTTP app and its uvicorn server, safe to expose.

Outermost first: the JSON access log (one line per request, ``X-Request-Id``), the probes
``/healthz`` and ``/readyz`` (answered before the checks below, which a load balancer's probe
cannot pass), Host/Origin allow-lists (421/403), the Bearer key in multi-tenant mode (401; the
session is bound to the key's hash), the body timeout (408), then the SDK's Streamable HTTP
transport with a session manager that expires idle sessions and evicts the oldest idle one at the
limit. uvicorn runs it with a header timeout.
"""

from __future__ import annotations

import hashlib
import json

import httpx2
import uvicorn
from mcp.server import MCPServer
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from polytomic_mcp.settings import Settings

from .access_log import AccessLog, configure_access_log
from .host_origin import CheckHostAndOrigin
from .probes import Probes
from .sessions import EvictingSessionManager
from .state import bearer_key
from .timeouts import BodyTimeout, h11_with_header_timeout

MCP_PATH = "/mcp"


def key_principal(key: str) -> AuthenticatedUser:
    """The session owner for a Bearer key: its SHA-256, so the raw key is never kept in the session table."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    return AuthenticatedUser(AccessToken(token=digest, client_id=digest, scopes=[]))


class RequireBearer:
    """ASGI wrapper (multi-tenant mode): MCP requests without ``Authorization: Bearer <key>`` get 401; the others
    carry the key's principal in ``scope["user"]``, which the SDK binds each session to (another key: 404)."""

    def __init__(self, app: ASGIApp, path: str = MCP_PATH) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.path):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            key = bearer_key(headers)
            if key is None:
                body = json.dumps({
                    "error": "unauthorized",
                    "message": "Send your Polytomic API key as 'Authorization: Bearer <key>'.",
                }).encode()
                await send({
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"www-authenticate", b'Bearer realm="polytomic-mcp"'),
                        (b"content-length", str(len(body)).encode()),
                    ],
                })
                await send({"type": "http.response.body", "body": body})
                return
            scope = {**scope, "user": key_principal(key)}
        await self.app(scope, receive, send)


def mcp_app(server: MCPServer, settings: Settings) -> Starlette:
    """Starlette serving the SDK's Streamable HTTP transport at /mcp, with the evicting session manager.

    Built here rather than by ``server.streamable_http_app`` (which hard-codes the SDK's manager class);
    the server has no auth provider or custom routes, so nothing else of that builder is needed.
    Host/Origin checks are ours (``CheckHostAndOrigin``): the SDK's are turned off, its Content-Type check stays.
    """
    manager = EvictingSessionManager(
        app=server._lowlevel_server,  # noqa: SLF001 - mcp 2.3 has no public handle on the low-level server
        stateless=settings.stateless,
        security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        session_idle_timeout=settings.session_idle_timeout,
        max_sessions=settings.max_sessions,
    )
    return Starlette(routes=[Route(MCP_PATH, endpoint=StreamableHTTPASGIApp(manager))], lifespan=lambda _app: manager.run())


def http_app(server: MCPServer, settings: Settings, probe_transport: httpx2.AsyncBaseTransport | None = None) -> ASGIApp:
    """The ASGI app serving MCP at /mcp with this server's security settings, plus probes and access logs.

    ``probe_transport`` replaces the network for the readiness request (tests).
    """
    app: ASGIApp = BodyTimeout(mcp_app(server, settings), settings.http_body_timeout)
    if settings.key_from_request:
        app = RequireBearer(app)
    if settings.dns_rebinding_protection:
        app = CheckHostAndOrigin(app, settings.allowed_hosts, settings.allowed_origins)
    return AccessLog(Probes(app, settings.base_url, settings.sandbox, probe_transport))


def uvicorn_config(app: ASGIApp, settings: Settings) -> uvicorn.Config:
    """uvicorn's settings for the app: h11 with a header timeout (uvicorn has none of its own)."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        http=h11_with_header_timeout(settings.http_header_timeout),
        ws="none",
    )


def serve_http(server: MCPServer, settings: Settings) -> None:
    """Run the HTTP app under uvicorn until stopped, with access lines on stderr."""
    configure_access_log()
    uvicorn.Server(uvicorn_config(http_app(server, settings), settings)).run()
