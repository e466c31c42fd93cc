"""The Streamable HTTP app: DNS-rebinding protection on by default, bearer keys required in multi-tenant mode."""

from __future__ import annotations

import json

from mcp.server import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

from polytomic_mcp.settings import Settings

from .state import bearer_key

LOOPBACK_HOSTS = ("127.0.0.1:*", "localhost:*", "[::1]:*", "127.0.0.1", "localhost", "[::1]")
LOOPBACK_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """Host and Origin allow-lists: loopback plus whatever the settings add; off only when asked."""
    if not settings.dns_rebinding_protection:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[*LOOPBACK_HOSTS, *settings.allowed_hosts],
        allowed_origins=[*LOOPBACK_ORIGINS, *settings.allowed_origins],
    )


class RequireBearer:
    """ASGI wrapper: MCP requests without ``Authorization: Bearer <key>`` get 401 (multi-tenant mode)."""

    def __init__(self, app: ASGIApp, path: str = "/mcp") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.path):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            if bearer_key(headers) is None:
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
        await self.app(scope, receive, send)


def http_app(server: MCPServer, settings: Settings) -> ASGIApp:
    """The ASGI app serving MCP at /mcp with this server's security settings."""
    app: ASGIApp = server.streamable_http_app(
        stateless_http=settings.stateless,
        transport_security=transport_security(settings),
        host=settings.host,
    )
    return RequireBearer(app) if settings.key_from_request else app


def serve_http(server: MCPServer, settings: Settings) -> None:
    """Run the HTTP app under uvicorn until stopped."""
    import uvicorn

    uvicorn.run(http_app(server, settings), host=settings.host, port=settings.port, log_level="warning")
