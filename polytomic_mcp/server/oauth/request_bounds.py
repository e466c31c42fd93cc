"""What an anonymous caller may make this server keep: client metadata and authorization requests, checked and compact.

Registrations keep only what the flow reads (redirect URIs, auth method, grant and response types, scope,
name); everything else a client sends (``jwks``, logos, contacts...) is dropped. Each kept field has a size.
Redirect URIs must be https (no user part, no fragment, no wildcard), http on a loopback address (native
apps, RFC 8252), or a private-use scheme with a dot in it (``com.example.app:/cb``); the key page names
the real destination.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from mcp.server.auth.provider import AuthorizationParams
from mcp.shared.auth import OAuthClientInformationFull

MAX_REDIRECT_URIS = 10
MAX_URI_CHARS = 2_000
MAX_NAME_CHARS = 200
MAX_SCOPE_CHARS = 200
MAX_STATE_CHARS = 1_000
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
_PRIVATE_USE_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+$")
_CODE_CHALLENGE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
KEPT_FIELDS = ("client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at", "redirect_uris",
               "token_endpoint_auth_method", "grant_types", "response_types", "scope", "client_name")


class BadRequest(ValueError):
    """Client metadata or an authorization request this server will not keep; the message says why."""


def redirect_problem(uri: str) -> str | None:
    """Why ``uri`` is not an acceptable redirect URI, or None."""
    if len(uri) > MAX_URI_CHARS:
        return f"a redirect URI is longer than {MAX_URI_CHARS} characters"
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if parts.fragment or "#" in uri:
        return "a redirect URI may not have a fragment"
    if "*" in uri:
        return "a redirect URI may not have a wildcard"
    if scheme in ("https", "http"):
        if "@" in parts.netloc or not parts.hostname:
            return "a redirect URI needs a host and no user part"
        if scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
            return "an http redirect URI must be on a loopback address (127.0.0.1, [::1], localhost); use https"
        return None
    if _PRIVATE_USE_SCHEME.match(scheme):
        return None
    return f"redirect URIs must be https, loopback http or an app's own scheme (com.example.app:/...), not {scheme or 'none'}:"


def compact_client(client: OAuthClientInformationFull) -> OAuthClientInformationFull:
    """``client`` with only the fields the flow reads, after checking each; ``BadRequest`` names the first problem."""
    uris = [str(uri) for uri in client.redirect_uris or []]
    if not uris or len(uris) > MAX_REDIRECT_URIS:
        raise BadRequest(f"between 1 and {MAX_REDIRECT_URIS} redirect URIs are required")
    for uri in uris:
        if (problem := redirect_problem(uri)) is not None:
            raise BadRequest(problem)
    if len(client.client_name or "") > MAX_NAME_CHARS or len(client.scope or "") > MAX_SCOPE_CHARS:
        raise BadRequest(f"client_name and scope are limited to {MAX_NAME_CHARS} characters")
    if len(client.grant_types) > 4 or len(client.response_types) > 4:
        raise BadRequest("too many grant or response types")
    return OAuthClientInformationFull.model_validate(client.model_dump(include=set(KEPT_FIELDS)))


def check_authorization(params: AuthorizationParams) -> None:
    """``BadRequest`` when an authorization request carries more than the flow needs to keep."""
    if len(params.state or "") > MAX_STATE_CHARS:
        raise BadRequest(f"state is limited to {MAX_STATE_CHARS} characters")
    if not _CODE_CHALLENGE.match(params.code_challenge or ""):
        raise BadRequest("code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)")
    if len(params.resource or "") > MAX_URI_CHARS or len(str(params.redirect_uri)) > MAX_URI_CHARS:
        raise BadRequest(f"resource and redirect_uri are limited to {MAX_URI_CHARS} characters")
    if len(params.scopes or []) > 10:
        raise BadRequest("too many scopes")
