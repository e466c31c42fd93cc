"""Grants that stay revoked: reuse detection and revocation no caller can flush, RFC 7009 revocation for public
clients, codes that burn on a wrong verifier and revoke on replay, tokens only for this server, scopes the client
registered."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from mcp.server.auth.provider import TokenError
from oauth_support import ISSUER, KEY, REDIRECT, Clock, authorize_code, pkce, register, token
from starlette.applications import Starlette

from polytomic_mcp.server.oauth.grants import PER_TENANT, GrantBook, TooManyGrants
from polytomic_mcp.server.oauth.provider import READ_SCOPE, SealedTokenProvider
from polytomic_mcp.server.oauth.routes import authorization_server_routes
from polytomic_mcp.server.oauth.sealing import Sealer
from polytomic_mcp.shared_state import MemoryState

pytestmark = pytest.mark.anyio
RESOURCE = f"{ISSUER}/mcp"


ROOM = 100
"""Records the state may hold in the rotation test: a rotation that added one would run out of room (503)."""


@pytest.fixture
def provider() -> SealedTokenProvider:
    return SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key", resource_url=RESOURCE,
                               state=MemoryState(limit=ROOM))


@pytest.fixture
async def http(provider: SealedTokenProvider) -> AsyncIterator[httpx2.AsyncClient]:
    app = Starlette(routes=authorization_server_routes(provider, ISSUER))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=ISSUER) as client:
        yield client


async def granted(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> tuple[str, dict[str, Any]]:
    client = await register(http)
    verifier, challenge = pkce()
    code = await authorize_code(http, provider, client, challenge)
    answer = await token(http, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                         code_verifier=verifier, client_id=client["client_id"])
    assert answer.status_code == 200, answer.text
    return client["client_id"], dict(answer.json())


async def refresh(http: httpx2.AsyncClient, client_id: str, refresh_token: str) -> httpx2.Response:
    return await token(http, grant_type="refresh_token", refresh_token=refresh_token, client_id=client_id)


async def test_a_stolen_rotated_refresh_token_stays_refused_however_often_the_attacker_refreshes(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    """Before: 10,001 refreshes of the attacker's own grant flushed the 10,000-entry table of used tokens."""
    victim_client, victim = await granted(http, provider)
    stolen = victim["refresh_token"]
    assert (await refresh(http, victim_client, stolen)).status_code == 200
    attacker_client, attacker = await granted(http, provider)
    current = attacker["refresh_token"]
    for _ in range(300):
        answer = await refresh(http, attacker_client, current)
        assert answer.status_code == 200, "one record per grant, however many rotations (the state holds 100)"
        current = answer.json()["refresh_token"]
    reused = await refresh(http, victim_client, stolen)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


async def test_revoked_grants_are_kept_per_grant_until_they_expire() -> None:
    clock = Clock()
    book = GrantBook(MemoryState(clock=clock), window=1e9)
    await book.start("victim", "tenant-v", "r0", 100)
    await book.revoke("victim", 100)
    for index in range(20_000):
        await book.start(f"g{index}", f"tenant-{index % 40}", "r", 50)
        await book.revoke(f"g{index}", 50)
    assert await book.is_revoked("victim"), "other callers' grant-and-revoke cycles cannot push a revocation out"
    clock.now += 60
    assert await book.is_revoked("victim") and not await book.is_revoked("g0")
    clock.now += 50
    assert not await book.is_revoked("victim"), "kept as long as the tokens it covers, then forgotten"


async def test_a_reused_refresh_token_revokes_its_grant() -> None:
    book = GrantBook(MemoryState(), window=1e9)
    await book.start("g", "tenant", "r0", 100)
    assert await book.rotate("g", "r0", "r1", 100) and await book.is_live_refresh("g", "r1")
    assert not await book.rotate("g", "r0", "r2", 100)
    assert await book.is_revoked("g") and not await book.is_live_refresh("g", "r1")


async def test_one_key_starts_a_bounded_number_of_grants_per_window() -> None:
    clock = Clock()
    book = GrantBook(MemoryState(clock=clock), window=1_000)
    for index in range(PER_TENANT):
        await book.start(f"g{index}", "tenant", "r", 1e6)
    with pytest.raises(TooManyGrants):
        await book.start("one-more", "tenant", "r", 1e6)
    await book.start("another-key", "other-tenant", "r", 1e6)
    clock.now += 1_001
    await book.start("next-window", "tenant", "r", 1e6)


async def test_a_public_client_revokes_with_token_and_client_id_alone(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    """Before: 400 "client_secret: Field required" to a standard RFC 7009 request."""
    client_id, tokens = await granted(http, provider)
    answer = await http.post("/revoke", data={"token": tokens["refresh_token"], "client_id": client_id})
    assert answer.status_code == 200, answer.text
    assert await provider.load_access_token(tokens["access_token"]) is None
    assert (await refresh(http, client_id, tokens["refresh_token"])).status_code == 400


async def test_another_clients_token_is_not_revoked(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    _, tokens = await granted(http, provider)
    other = await register(http)
    answer = await http.post("/revoke", data={"token": tokens["access_token"], "client_id": other["client_id"]})
    assert answer.status_code == 200 and await provider.load_access_token(tokens["access_token"]) is not None


async def test_a_replayed_code_revokes_what_the_first_exchange_issued(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    client = await register(http)
    verifier, challenge = pkce()
    code = await authorize_code(http, provider, client, challenge)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier,
            "client_id": client["client_id"]}
    first = await token(http, **form)
    assert first.status_code == 200
    assert (await token(http, **form)).status_code == 400
    assert await provider.load_access_token(first.json()["access_token"]) is None


async def test_a_replay_before_the_first_exchange_issued_anything_still_leaves_no_grant(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    """The replay arrives between the first request's claim of the code and its grant: that grant is refused."""
    client = await register(http)
    code = await authorize_code(http, provider, client, pkce()[1])
    registered = await provider.get_client(client["client_id"])
    assert registered is not None
    first = await provider.load_authorization_code(registered, code)
    assert first is not None and first.api_key == KEY
    assert await provider.load_authorization_code(registered, code) is None, "the replay"
    with pytest.raises(TokenError):
        await provider.exchange_authorization_code(registered, first)


async def test_a_code_is_its_grant_data_sealed_and_short_enough_for_a_redirect(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    client = await register(http)
    code = await authorize_code(http, provider, client, pkce()[1])
    claims = provider.sealer.open("code", code)
    assert claims is not None and KEY in claims.values() and claims["cid"] == client["client_id"]
    assert len(code) < 600, len(code)


async def test_a_wrong_verifier_burns_the_code(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    client = await register(http)
    verifier, challenge = pkce()
    code = await authorize_code(http, provider, client, challenge)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": client["client_id"]}
    assert (await token(http, **form, code_verifier=pkce()[0])).status_code == 400
    assert (await token(http, **form, code_verifier=verifier)).status_code == 400, "the right verifier comes too late"


async def test_tokens_are_issued_and_accepted_for_this_server_only(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    client = await register(http)
    _, challenge = pkce()
    answer = await http.get("/authorize", params={
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT, "code_challenge": challenge,
        "code_challenge_method": "S256", "resource": "https://evil.example/mcp"})
    assert "invalid_request" in answer.headers.get("location", answer.text)
    foreign = provider._issue(client["client_id"], KEY, None, [READ_SCOPE], "https://evil.example/mcp", "g", "r")  # noqa: SLF001
    assert await provider.load_access_token(foreign.access_token) is None
    own = provider._issue(client["client_id"], KEY, None, [READ_SCOPE], RESOURCE + "/", "g2", "r2")  # noqa: SLF001
    assert await provider.load_access_token(own.access_token) is not None
