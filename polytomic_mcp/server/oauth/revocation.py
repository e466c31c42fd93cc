"""Token revocation (RFC 7009) that public clients can use too.

The SDK's handler (mcp 2.3) requires a ``client_secret`` field in the form even for a public client
(``token_endpoint_auth_method`` none), so a standard client's ``token`` + ``client_id`` request was
answered 400 "client_secret: Field required" and nothing was revoked. Client authentication is still
the SDK's own (``ClientAuthenticator``); the rest follows the RFC: an unknown or foreign token is
answered 200 and left alone.
"""

from __future__ import annotations

from mcp.server.auth.middleware.client_auth import AuthenticationError, ClientAuthenticator
from mcp.server.auth.routes import cors_middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .provider import SealedTokenProvider

REVOCATION_PATH = "/revoke"


class Revocation:
    """POST /revoke: ``token`` (access or refresh), the client's own credentials; revokes the token's whole grant."""

    def __init__(self, provider: SealedTokenProvider) -> None:
        self.provider = provider
        self.authenticator = ClientAuthenticator(provider)

    async def handle(self, request: Request) -> Response:
        try:
            client = await self.authenticator.authenticate_request(request)
        except AuthenticationError as error:
            return JSONResponse({"error": "invalid_client", "error_description": error.message}, status_code=401)
        value = (await request.form()).get("token")
        if not isinstance(value, str) or not value:
            return JSONResponse({"error": "invalid_request", "error_description": "token is required"}, status_code=400)
        token = await self.provider.load_access_token(value) or await self.provider.load_refresh_token(client, value)
        if token is not None and token.client_id == client.client_id:
            await self.provider.revoke_token(token)
        return Response(status_code=200, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def route(self) -> Route:
        return Route(REVOCATION_PATH, endpoint=cors_middleware(self.handle, ["POST", "OPTIONS"]), methods=["POST", "OPTIONS"])
