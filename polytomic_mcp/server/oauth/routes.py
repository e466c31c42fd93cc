"""The OAuth pieces of the HTTP app: the SDK's authorization server and resource metadata routes, the key
page, and the SDK's bearer check in front of /mcp (401 with ``WWW-Authenticate`` naming the metadata)."""

from __future__ import annotations

from mcp.server.auth.middleware.bearer_auth import BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.routes import build_resource_metadata_url, create_auth_routes, create_protected_resource_routes
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from pydantic import AnyHttpUrl
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from .key_page import ClientForKey, KeyPage
from .provider import READ_SCOPE, SCOPES, SealedTokenProvider


def oauth_routes(
    provider: SealedTokenProvider, issuer_url: str, resource_url: str, client_for_key: ClientForKey,
) -> list[BaseRoute]:
    """Authorization server metadata, registration, authorize, token, revoke, protected resource metadata, key page."""
    return [
        *create_auth_routes(
            provider, AnyHttpUrl(issuer_url),
            client_registration_options=ClientRegistrationOptions(
                enabled=True, valid_scopes=list(SCOPES), default_scopes=[READ_SCOPE]),
            revocation_options=RevocationOptions(enabled=True),
        ),
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
