"""The Streamable HTTP app and its uvicorn server, safe to expose.

Outermost first: the JSON access log (one line per request, ``X-Request-Id``), the probes
``/healthz`` and ``/readyz`` (answered before the checks below, which a load balancer's probe
cannot pass), Host/Origin allow-lists (421/403), the Bearer key in multi-tenant mode (401; the
session is bound to the key's hash), the body's time and size limits (408, 413), then the SDK's Streamable HTTP
transport with a session manager that expires idle sessions and evicts the oldest idle one at the
limit, next to the approval page at /consent (no key: its link is the capability). uvicorn runs
it with a header timeout.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlparse

import httpx2
import uvicorn
from mcp.server import MCPServer
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.oauth_secret import SecretError, decode_secret
from polytomic_mcp.origins import parse_origin_pattern
from polytomic_mcp.settings import Settings, SettingsError

from .access_log import AccessLog, configure_access_log
from .app import build_server, consent_store, make_client, shared_state_of
from .approval_page import CONSENT_PATH, ApprovalPage
from .callers import RememberCaller
from .host_origin import CheckHostAndOrigin, OwnPages
from .mcp_internals import EvictingSessionManager, low_level
from .oauth.key_page import KEY_PAGE_PATH, ClientForKey
from .oauth.provider import SealedTokenProvider
from .oauth.routes import oauth_routes, require_token
from .oauth.sealing import Sealer
from .probes import Probes
from .sandbox_backend import sandbox_tenants
from .state import bearer_key
from .tenants import SharedTransport
from .timeouts import BodyLimits, h11_with_header_timeout

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


def mcp_app(server: MCPServer, settings: Settings, oauth: OAuthParts | None = None) -> Starlette:
    """Starlette serving the SDK's Streamable HTTP transport at /mcp, with the evicting session manager.

    Built here rather than by ``server.streamable_http_app`` (which hard-codes the SDK's manager class).
    Host/Origin checks are ours (``CheckHostAndOrigin``): the SDK's are turned off, its Content-Type check stays.
    With ``oauth``, the OAuth routes are served too and /mcp needs one of its access tokens. Over HTTP the
    approval page serves the links this server's tools offer.
    """
    manager = EvictingSessionManager(
        app=low_level(server),
        stateless=settings.stateless,
        security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        session_idle_timeout=settings.session_idle_timeout,
        max_sessions=settings.max_sessions,
    )
    transport: ASGIApp = StreamableHTTPASGIApp(manager)
    routes: list[BaseRoute] = []
    if oauth is not None:
        transport = require_token(transport, oauth.provider, oauth.resource_url)
        routes = oauth_routes(oauth.provider, oauth.issuer_url, oauth.resource_url, oauth.client_for_key)
    if settings.approval_base is not None:
        routes.extend(ApprovalPage(consent_store(server), settings.approval_base).routes())
    return Starlette(routes=[*routes, Route(MCP_PATH, endpoint=transport)], lifespan=lambda _app: manager.run())


class OAuthParts:
    """What ``--auth oauth`` adds to the app: the provider sealing tokens, the public URLs, and key checking."""

    def __init__(self, settings: Settings, client_for_key: ClientForKey) -> None:
        if settings.public_url is None:
            raise SettingsError("--auth oauth needs POLYTOMIC_PUBLIC_URL")
        try:
            sealer = Sealer(decode_secret(settings.oauth_secret or ""))
        except SecretError as error:
            raise SettingsError(str(error)) from None
        self.issuer_url = settings.public_url
        self.resource_url = settings.public_url + MCP_PATH
        self.provider = SealedTokenProvider(sealer, settings.public_url + KEY_PAGE_PATH, resource_url=self.resource_url)
        self.client_for_key = client_for_key


def key_checks(settings: Settings, transport: httpx2.AsyncBaseTransport | None = None) -> ClientForKey:
    """Clients for the key page's checks: never retried (each is a request from this server's address) and over one
    connection pool, so a submission does not build a TLS context of its own (about 20 ms of CPU)."""
    pool: list[SharedTransport] = []

    def client(key: str, organization_id: str | None) -> PolytomicClient:
        if not pool:
            pool.append(SharedTransport(transport or httpx2.AsyncHTTPTransport()))
        return make_client(settings, api_key=key, organization_id=organization_id, max_retries=0, transport=pool[0])

    return client


def public_host_and_origin(settings: Settings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Allowed Host and Origin values: the configured ones plus, with --auth oauth, the public URL's (the key page form)."""
    if settings.auth != "oauth" or settings.public_url is None:
        return settings.allowed_hosts, settings.allowed_origins
    public = urlparse(settings.public_url)
    origin = f"{public.scheme}://{public.netloc}"
    return (*settings.allowed_hosts, public.netloc), (*settings.allowed_origins, origin)


def approval_pages(settings: Settings) -> OwnPages | None:
    """Where the approval page is served from: its form posts come from that origin, accepted on /consent only."""
    if settings.approval_base is None:
        return None
    base = urlparse(settings.approval_base)
    origin = f"{base.scheme}://{base.netloc}"
    return OwnPages(CONSENT_PATH + "/", origin) if parse_origin_pattern(origin) is not None else None


def http_app(
    server: MCPServer, settings: Settings, probe_transport: httpx2.AsyncBaseTransport | None = None,
    client_for_key: ClientForKey | None = None,
) -> ASGIApp:
    """The ASGI app serving MCP at /mcp with this server's security settings, plus probes and access logs.

    ``probe_transport`` replaces the network for the readiness request (tests); ``client_for_key`` makes the
    client the key page checks a pasted key with (default: the configured API or sandbox).
    """
    oauth = None
    if settings.auth == "oauth":
        oauth = OAuthParts(settings, client_for_key or key_checks(settings))
    app: ASGIApp = BodyLimits(mcp_app(server, settings, oauth), settings.http_body_timeout, large_paths=(MCP_PATH,))
    app = RememberCaller(app)
    if settings.key_from_request and oauth is None:
        app = RequireBearer(app)
    if settings.dns_rebinding_protection:
        app = CheckHostAndOrigin(app, *public_host_and_origin(settings), approval_pages(settings))
    return AccessLog(Probes(app, settings.base_url, settings.sandbox, probe_transport, shared_state_of(server)))


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


def serving_app(settings: Settings) -> ASGIApp:
    """The app ``serve_http`` runs: with ``--sandbox`` and per-request keys, one sandbox serves both the tools and
    the key page's check, so a key is accepted on the page exactly when the tools accept it."""
    factory = sandbox_tenants(settings) if settings.sandbox and settings.key_from_request else None
    return http_app(build_server(settings, client_factory=factory), settings, client_for_key=factory)


def serve_http(settings: Settings) -> None:
    """Run the HTTP app under uvicorn until stopped, with access lines on stderr."""
    configure_access_log()
    uvicorn.Server(uvicorn_config(serving_app(settings), settings)).run()
