"""The OAuth provider behind --auth oauth, through the SDK's own routes (registration, token, revocation)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from oauth_support import (
    ISSUER,
    KEY,
    REDIRECT,
    Clock,
    auth_routes,
    authorize_code,
    full_grant,
    pkce,
    register,
    token,
)
from starlette.applications import Starlette

from polytomic_mcp.oauth_secret import SecretError
from polytomic_mcp.server.oauth.provider import READ_SCOPE, WRITE_SCOPE, SealedTokenProvider
from polytomic_mcp.server.oauth.sealing import Sealer, secret_from_env

pytestmark = pytest.mark.anyio


@pytest.fixture
def provider() -> SealedTokenProvider:
    return SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key")


@pytest.fixture
async def http(provider: SealedTokenProvider) -> AsyncIterator[httpx2.AsyncClient]:
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=Starlette(routes=auth_routes(provider))),
                                  base_url=ISSUER) as client:
        yield client


async def test_code_exchange_issues_sealed_tokens_carrying_the_tenant(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    client, tokens = await full_grant(http, provider)
    assert KEY not in tokens["access_token"] and KEY not in tokens["refresh_token"]
    access = await provider.load_access_token(tokens["access_token"])
    assert access is not None
    assert (access.api_key, access.organization_id, access.client_id) == (KEY, "org-1", client["client_id"])
    assert access.scopes == [READ_SCOPE, WRITE_SCOPE]


async def test_read_only_grant_lacks_the_write_scope(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    _, tokens = await full_grant(http, provider, read_write=False)
    access = await provider.load_access_token(tokens["access_token"])
    assert access is not None and access.scopes == [READ_SCOPE]


async def test_pkce_mismatch_is_invalid_grant(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    client = await register(http)
    _, challenge = pkce()
    code = await authorize_code(http, provider, client, challenge)
    answer = await token(http, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                         code_verifier=pkce()[0], client_id=client["client_id"])
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


async def test_reused_code_is_invalid_grant(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    client = await register(http)
    verifier, challenge = pkce()
    code = await authorize_code(http, provider, client, challenge)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": verifier, "client_id": client["client_id"]}
    assert (await token(http, **form)).status_code == 200
    again = await token(http, **form)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_code_of_another_client_is_invalid_grant(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    client, other = await register(http), await register(http)
    verifier, challenge = pkce()
    code = await authorize_code(http, provider, client, challenge)
    answer = await token(http, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                         code_verifier=verifier, client_id=other["client_id"])
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


async def test_wrong_redirect_uri_is_refused(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    client = await register(http)
    verifier, challenge = pkce()
    unregistered = await http.get("/authorize", params={
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT + "x",
        "code_challenge": challenge, "code_challenge_method": "S256",
    })
    assert unregistered.status_code == 400 and "location" not in unregistered.headers
    code = await authorize_code(http, provider, client, challenge)
    answer = await token(http, grant_type="authorization_code", code=code, redirect_uri=REDIRECT + "x",
                         code_verifier=verifier, client_id=client["client_id"])
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


async def test_refresh_rotates_and_the_old_refresh_token_is_refused(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    client, tokens = await full_grant(http, provider)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client["client_id"]}
    fresh = await token(http, **form)
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["refresh_token"] != tokens["refresh_token"]
    access = await provider.load_access_token(fresh.json()["access_token"])
    assert access is not None and access.api_key == KEY
    reused = await token(http, **form)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    # Reuse of a rotated refresh token revokes the whole grant, including the newest tokens.
    assert await provider.load_access_token(fresh.json()["access_token"]) is None


async def test_refresh_cannot_widen_a_read_only_grant(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    client, tokens = await full_grant(http, provider, read_write=False)
    answer = await token(http, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                         client_id=client["client_id"], scope=f"{READ_SCOPE} {WRITE_SCOPE}")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"


async def test_revoked_access_token_and_its_refresh_token_are_refused(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    client, tokens = await full_grant(http, provider)
    # mcp 2.3's revocation form declares client_secret without a default: a public client sends it empty.
    answer = await http.post("/revoke", data={"token": tokens["access_token"], "client_id": client["client_id"],
                                              "client_secret": ""})
    assert answer.status_code == 200, answer.text
    assert await provider.load_access_token(tokens["access_token"]) is None
    refreshed = await token(http, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                            client_id=client["client_id"])
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"


async def test_expired_access_token_is_refused() -> None:
    clock = Clock()
    provider = SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key", clock)
    issued = provider._issue("client-1", KEY, None, [READ_SCOPE], None, "grant-1", "refresh-1")  # noqa: SLF001
    assert await provider.load_access_token(issued.access_token) is not None
    clock.now += (issued.expires_in or 0) + 1
    assert await provider.load_access_token(issued.access_token) is None


async def test_token_sealed_with_another_secret_or_kind_is_refused(provider: SealedTokenProvider) -> None:
    other = SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key")
    issued = other._issue("client-1", KEY, None, [READ_SCOPE], None, "grant-1", "refresh-1")  # noqa: SLF001
    assert await provider.load_access_token(issued.access_token) is None
    own = provider._issue("client-1", KEY, None, [READ_SCOPE], None, "grant-1", "refresh-1")  # noqa: SLF001
    assert await provider.load_access_token(own.refresh_token or "") is None
    assert await provider.load_access_token(own.access_token[:-2] + "AA") is None


@pytest.mark.parametrize("value", ["", "short", "00" * 16, base64.b64encode(b"x" * 31).decode(),
                                   "0" * 64, "a" * 43, "ab" * 32, "correcthorsebatterystaplecorrecthorsebatter",
                                   base64.b64encode(bytes(range(8)) * 4).decode()])
def test_missing_short_or_guessable_secret_is_refused(value: str) -> None:
    """Before: 64 zeros, ``a`` x 43 and a passphrase were accepted, and one was recovered offline from one token."""
    with pytest.raises(SecretError):
        secret_from_env({"POLYTOMIC_OAUTH_SECRET": value})


@pytest.mark.parametrize("encode", [bytes.hex, lambda raw: base64.b64encode(raw).decode(),
                                    lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")])
def test_secret_accepted_as_hex_or_base64(encode: Any) -> None:
    raw = secrets.token_bytes(32)
    assert secret_from_env({"POLYTOMIC_OAUTH_SECRET": encode(raw)}) == raw
