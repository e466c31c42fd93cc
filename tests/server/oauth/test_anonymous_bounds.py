"""What anonymous callers can make the authorization server keep: compact, checked, bounded per address and in total.

Before: four registrations of ~4 MiB metadata kept ~107 MiB each; a pending authorization with 1 MiB
``state`` kept 2.3 MiB for 15 minutes; 10,000 anonymous registrations evicted a legitimate client and
10,000 anonymous authorizations expired a user's sign-in in progress; any redirect URI was accepted.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from oauth_support import ISSUER, REDIRECT, Clock, auth_routes, pkce, register
from starlette.applications import Starlette

from polytomic_mcp.server.callers import RememberCaller, caller
from polytomic_mcp.server.oauth.provider import PER_CALLER, SealedTokenProvider
from polytomic_mcp.server.oauth.quotas import Quota, QuotaExceeded
from polytomic_mcp.server.oauth.request_bounds import redirect_problem
from polytomic_mcp.server.oauth.sealing import Sealer
from polytomic_mcp.shared_state import MemoryState

pytestmark = pytest.mark.anyio


@pytest.fixture
def provider() -> SealedTokenProvider:
    return SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key")


def client_at(provider: SealedTokenProvider, address: str) -> httpx2.AsyncClient:
    """An HTTP client reaching the auth routes from ``address``."""
    app = RememberCaller(Starlette(routes=auth_routes(provider)))
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app, client=(address, 40000)), base_url=ISSUER)


@pytest.fixture
async def http(provider: SealedTokenProvider) -> AsyncIterator[httpx2.AsyncClient]:
    async with client_at(provider, "203.0.113.7") as client:
        yield client


async def authorize(http: httpx2.AsyncClient, client_id: str, **extra: str) -> httpx2.Response:
    """Start an authorization (POSTed as a form, as the SDK's handler also takes it: no URL length limit)."""
    _, challenge = pkce()
    return await http.post("/authorize", data={
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "code_challenge": challenge,
        "code_challenge_method": "S256", "state": "s", **extra})


async def test_a_registration_keeps_only_what_the_flow_reads(http: httpx2.AsyncClient, provider: SealedTokenProvider) -> None:
    answer = await http.post("/register", json={
        "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none", "client_name": "Claude",
        "jwks": {"keys": [{"k": "x" * 50_000}]}, "logo_uri": "https://example.com/logo.png",
        "contacts": ["a@example.com"] * 100})
    assert answer.status_code == 201, answer.text
    kept = await provider.get_client(answer.json()["client_id"])
    assert kept is not None and kept.client_name == "Claude" and [str(u) for u in kept.redirect_uris or []] == [REDIRECT]
    assert kept.jwks is None and kept.logo_uri is None and kept.contacts is None
    assert len(kept.model_dump_json()) < 1_000


@pytest.mark.parametrize("uri", [
    "http://evil.example/cb", "https://claude.ai@evil.example/cb", "javascript:alert(1)", "data:text/html,hi",
    "file:///etc/passwd", "https://*.example.com/cb", "https://claude.ai/cb#frag", "myapp:/cb",
])
async def test_unsafe_redirect_uris_are_refused_at_registration(http: httpx2.AsyncClient, uri: str) -> None:
    answer = await http.post("/register", json={"redirect_uris": [uri], "token_endpoint_auth_method": "none"})
    assert answer.status_code == 400, (uri, answer.text)


@pytest.mark.parametrize("uri", [
    "https://claude.ai/api/mcp/auth_callback", "http://127.0.0.1:33418/callback", "http://localhost:8080/cb",
    "http://[::1]:9000/cb", "com.example.app:/oauth/cb",
])
def test_https_loopback_and_app_schemes_are_accepted(uri: str) -> None:
    assert redirect_problem(uri) is None


async def test_one_address_cannot_evict_anyone_else_registrations_or_sign_ins(provider: SealedTokenProvider) -> None:
    async with client_at(provider, "198.51.100.1") as user:
        legitimate = await register(user)
        in_progress = await authorize(user, legitimate["client_id"])
        assert in_progress.status_code == 302
    async with client_at(provider, "203.0.113.9") as attacker:
        answers = [await attacker.post("/register", json={"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none"})
                   for _ in range(PER_CALLER + 5)]
        assert [a.status_code for a in answers].count(201) == PER_CALLER
        assert "too many registrations from this address" in answers[-1].text
        mine = answers[0].json()["client_id"]
        started = [await authorize(attacker, mine) for _ in range(PER_CALLER + 5)]
        assert [s.headers["location"].startswith(f"{ISSUER}/oauth/key") for s in started].count(True) == PER_CALLER
        assert "temporarily_unavailable" in started[-1].headers["location"]
    assert await provider.get_client(legitimate["client_id"]) is not None, "the user's client is still registered"
    request_id = in_progress.headers["location"].split("request=")[1]
    assert await provider.pending(request_id) is not None, "the user's sign-in in progress is still there"


@pytest.mark.parametrize("extra", [
    {"state": "s" * 1_000_001}, {"code_challenge": "c" * 1_000_000}, {"code_challenge": "short"},
    {"code_challenge": "not~allowed=" * 5},
    {"resource": "https://example.com/" + "r" * 5_000},
])
async def test_an_authorization_carrying_more_than_the_flow_keeps_is_refused(
    http: httpx2.AsyncClient, provider: SealedTokenProvider, extra: dict[str, str],
) -> None:
    client = await register(http)
    answer = await authorize(http, client["client_id"], **extra)
    assert answer.status_code in (302, 400)
    assert "invalid_request" in answer.headers.get("location", answer.text)
    kept = [await authorize(http, client["client_id"]) for _ in range(PER_CALLER)]
    assert all(k.headers["location"].startswith(f"{ISSUER}/oauth/key") for k in kept), "a refusal spends no quota"


async def test_a_spent_quota_refuses_the_next_entry_and_refills_when_its_window_ends() -> None:
    clock = Clock()
    quota = Quota(MemoryState(clock=clock), "things", per_caller=2, total=3, window=10)
    for address in ["a", "a", "b"]:
        token = caller.set(address)
        await quota.spend()
        caller.reset(token)
    token = caller.set("a")
    with pytest.raises(QuotaExceeded, match="from this address"):
        await quota.spend()
    caller.reset(token)
    token = caller.set("c")
    with pytest.raises(QuotaExceeded, match="on this server"):
        await quota.spend()
    clock.now += 11
    await quota.spend()
    caller.reset(token)


def test_the_caller_is_the_requests_client_address() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(caller.get())

    import anyio
    anyio.run(RememberCaller(app), {"type": "http", "client": ("192.0.2.4", 5)}, None, None)
    assert seen == ["192.0.2.4"] and caller.get() == "unknown"
