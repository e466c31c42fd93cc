"""Shared pieces of the OAuth tests: the SDK's auth routes around a provider, PKCE, registration, codes."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx2
from mcp.server.auth.routes import create_auth_routes
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from pydantic import AnyHttpUrl
from starlette.routing import BaseRoute

from polytomic_mcp.server.oauth.provider import READ_SCOPE, WRITE_SCOPE, SealedTokenProvider

ISSUER = "http://127.0.0.1:8000"
REDIRECT = "http://127.0.0.1:33418/callback"
KEY = "pk_tenant_secret_123"


class Clock:
    """A settable clock for expiry tests."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


def auth_routes(provider: SealedTokenProvider) -> list[BaseRoute]:
    """The SDK's authorization server routes with registration and revocation on."""
    return list(create_auth_routes(
        provider, AnyHttpUrl(ISSUER),
        client_registration_options=ClientRegistrationOptions(
            enabled=True, valid_scopes=[READ_SCOPE, WRITE_SCOPE], default_scopes=[READ_SCOPE]),
        revocation_options=RevocationOptions(enabled=True),
    ))


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


async def register(http: httpx2.AsyncClient) -> dict[str, Any]:
    answer = await http.post("/register", json={
        "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"], "scope": f"{READ_SCOPE} {WRITE_SCOPE}",
    })
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def authorize_code(http: httpx2.AsyncClient, provider: SealedTokenProvider, client: dict[str, Any],
                         challenge: str, read_write: bool = True) -> str:
    """Run /authorize to the key page, then complete it as the key page does after verifying the key."""
    answer = await http.get("/authorize", params={
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT,
        "code_challenge": challenge, "code_challenge_method": "S256", "state": "st-1",
    })
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(f"{ISSUER}/oauth/key?")
    request_id = parse_qs(urlparse(location).query)["request"][0]
    redirect = await provider.issue_code(request_id, KEY, "org-1", read_write)
    query = parse_qs(urlparse(redirect).query)
    assert redirect.startswith(REDIRECT) and query["state"] == ["st-1"]
    return query["code"][0]


async def token(http: httpx2.AsyncClient, **form: str) -> httpx2.Response:
    return await http.post("/token", data=form)


async def full_grant(http: httpx2.AsyncClient, provider: SealedTokenProvider,
                     read_write: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    client = await register(http)
    verifier, challenge = pkce()
    code = await authorize_code(http, provider, client, challenge, read_write)
    answer = await token(http, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                         code_verifier=verifier, client_id=client["client_id"])
    assert answer.status_code == 200, answer.text
    return client, dict(answer.json())


