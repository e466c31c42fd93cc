"""The OAuth pieces of the HTTP app: the SDK's authorization server and resource metadata routes, the key
page, the SDK's bearer check in front of /mcp (401 with ``WWW-Authenticate`` naming the metadata), and the
answer when the shared state cannot be reached (503 ``temporarily_unavailable``: nothing was done)."""

from __future__ import annotations

from mcp.server.auth.handlers.metadata import MetadataHandler
from mcp.server.auth.middleware.bearer_auth import BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.routes import (
    build_metadata,
    build_resource_metadata_url,
    cors_middleware,
    create_auth_routes,
    create_protected_resource_routes,
)
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from pydantic import AnyHttpUrl
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from polytomic_mcp.shared_state import StateUnavailable

from .key_page import ClientForKey, KeyPage
from .provider import READ_SCOPE, SCOPES, SealedTokenProvider
from .revocation import REVOCATION_PATH, Revocation

METADATA_PATH = "/.well-known/oauth-authorization-server"


def authorization_server_routes(provider: SealedTokenProvider, issuer_url: str) -> list[BaseRoute]:
    """The SDK's authorization server routes, with metadata that also says what the provider accepts beyond the
    SDK's defaults (client ID metadata documents: https client ids; public clients: auth method none), and a
    revocation endpoint that public clients can use (see ``revocation``)."""
    registration = ClientRegistrationOptions(enabled=True, valid_scopes=list(SCOPES), default_scopes=[READ_SCOPE])
    revocation = RevocationOptions(enabled=True)
    metadata = build_metadata(AnyHttpUrl(issuer_url), None, registration, revocation)
    metadata.client_id_metadata_document_supported = True
    metadata.token_endpoint_auth_methods_supported = [*(metadata.token_endpoint_auth_methods_supported or []), "none"]
    advertised = Route(METADATA_PATH, endpoint=cors_middleware(MetadataHandler(metadata).handle, ["GET", "OPTIONS"]),
                       methods=["GET", "OPTIONS"])
    routes: list[BaseRoute] = list(create_auth_routes(
        provider, AnyHttpUrl(issuer_url), client_registration_options=registration, revocation_options=revocation))
    replaced = {METADATA_PATH: advertised, REVOCATION_PATH: Revocation(provider).route()}
    return [replaced.get(route.path, route) if isinstance(route, Route) else route for route in routes]


def oauth_routes(
    provider: SealedTokenProvider, issuer_url: str, resource_url: str, client_for_key: ClientForKey,
) -> list[BaseRoute]:
    """Authorization server metadata, registration, authorize, token, revoke, protected resource metadata, key page."""
    return [
        *authorization_server_routes(provider, issuer_url),
        *create_protected_resource_routes(
            AnyHttpUrl(resource_url), [AnyHttpUrl(issuer_url)], scopes_supported=list(SCOPES),
            resource_name="Polytomic MCP",
        ),
        *KeyPage(provider, client_for_key, issuer_url).routes(),
    ]


def require_token(app: ASGIApp, provider: SealedTokenProvider, resource_url: str) -> ASGIApp:
    """``app`` behind the SDK's bearer check: a sealed access token of this server with the read scope, else 401."""
    guarded = RequireAuthMiddleware(app, [READ_SCOPE], build_resource_metadata_url(AnyHttpUrl(resource_url)))
    return AuthenticationMiddleware(guarded, backend=BearerAuthBackend(provider))


async def state_unavailable(_request: Request, error: Exception) -> Response:
    """A Starlette exception handler for ``StateUnavailable``: every OAuth step that needs the shared state (a
    registration, an authorization, a code, a refresh, a revocation, a token's revocation check) fails closed."""
    return JSONResponse({"error": "temporarily_unavailable", "error_description": str(error)}, status_code=503,
                        headers={"Retry-After": "5", "Cache-Control": "no-store"})


STATE_HANDLERS = {StateUnavailable: state_unavailable}
"""``exception_handlers`` for an app serving the OAuth routes or a token-guarded /mcp."""
