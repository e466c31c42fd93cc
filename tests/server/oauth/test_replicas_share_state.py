"""Two replicas (two providers and key pages, one secret) over one shared state agree on every single-use step.

Each request of the "browser" and the client goes to the next replica in turn (``Alternating``), as behind a
round-robin load balancer without sticky routing; targeted checks name the replica. The state is the in-process
backend (both replicas in this process) and a real redis-server (slow); ``tests/security/test_oauth_replicas.py``
runs the same steps across real server processes.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, get_args
from urllib.parse import parse_qs, urlparse

import anyio
import httpx2
import pytest
from oauth_support import ISSUER, KEY, REDIRECT, pkce, register, token
from redis_server import RedisServer
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Route

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.server.callers import RememberCaller
from polytomic_mcp.server.oauth.key_page import KEY_PAGE_PATH, KeyPage
from polytomic_mcp.server.oauth.provider import SealedTokenProvider
from polytomic_mcp.server.oauth.routes import STATE_HANDLERS, authorization_server_routes, require_token
from polytomic_mcp.server.oauth.sealing import TOKEN_PREFIX, Sealer, TokenKind
from polytomic_mcp.shared_state import MemoryState, SharedState
from polytomic_mcp.shared_state.redis_state import RedisState

pytestmark = pytest.mark.anyio
SECRET = secrets.token_bytes(32)
ADDRESS = "203.0.113.77"
"""The client address of every request (quotas count per address; the state keeps only its digest)."""


def me(request: httpx2.Request) -> httpx2.Response:
    """GET /api/me answering for KEY only (the Polytomic API the key page checks keys with)."""
    if request.headers.get("authorization") != f"Bearer {KEY}":
        return httpx2.Response(401, json={"message": "invalid api key"})
    return httpx2.Response(200, json={"data": {"organization_id": "org-1", "organization_name": "Acme Data"}})


def client_for_key(api_key: str, organization_id: str | None) -> PolytomicClient:
    return PolytomicClient(api_key, organization_id=organization_id, base_url="https://api.test", max_retries=0,
                           transport=httpx2.MockTransport(me))


@dataclass
class Replica:
    provider: SealedTokenProvider
    http: httpx2.AsyncClient


def replica_app(provider: SealedTokenProvider, extra: list[BaseRoute] | None = None) -> Any:
    """One replica's OAuth routes (and ``extra``), answering 503 when the shared state cannot be reached."""
    routes = [*authorization_server_routes(provider, ISSUER), *KeyPage(provider, client_for_key, ISSUER).routes(),
              *(extra or [])]
    return RememberCaller(Starlette(routes=routes, exception_handlers=dict(STATE_HANDLERS)))


class Alternating(httpx2.AsyncBaseTransport):
    """Each request to the next app in turn: a round-robin load balancer without sticky routing."""

    def __init__(self, apps: list[Any]) -> None:
        self._transports = [httpx2.ASGITransport(app=app, client=(ADDRESS, 40000)) for app in apps]
        self._turn = itertools.cycle(range(len(apps)))
        self.served: list[int] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        index = next(self._turn)
        self.served.append(index)
        return await self._transports[index].handle_async_request(request)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.slow)])
async def shared(request: pytest.FixtureRequest) -> AsyncIterator[SharedState]:
    """The state both replicas use: this process's, or a real redis-server's."""
    state: SharedState = MemoryState() if request.param == "memory" else RedisState(request.getfixturevalue("redis_url"))
    try:
        yield state
    finally:
        await state.aclose()


@pytest.fixture
async def replicas(shared: SharedState) -> AsyncIterator[list[Replica]]:
    providers = [SealedTokenProvider(Sealer(SECRET), f"{ISSUER}{KEY_PAGE_PATH}", state=shared) for _ in range(2)]
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=replica_app(providers[0])), base_url=ISSUER) as a, \
            httpx2.AsyncClient(transport=httpx2.ASGITransport(app=replica_app(providers[1])), base_url=ISSUER) as b:
        yield [Replica(providers[0], a), Replica(providers[1], b)]


@pytest.fixture
async def balanced(replicas: list[Replica]) -> AsyncIterator[tuple[httpx2.AsyncClient, Alternating]]:
    alternating = Alternating([replica_app(r.provider) for r in replicas])
    async with httpx2.AsyncClient(transport=alternating, base_url=ISSUER) as http:
        yield http, alternating


async def sign_in(http: httpx2.AsyncClient) -> tuple[str, str, str]:
    """Register, authorize, open the key page, check the key, confirm: (client id, code, PKCE verifier)."""
    client = await register(http)
    verifier, challenge = pkce()
    answer = await http.get("/authorize", params={
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT,
        "code_challenge": challenge, "code_challenge_method": "S256", "state": "st"})
    assert answer.status_code == 302, answer.text
    request_id = parse_qs(urlparse(answer.headers["location"]).query)["request"][0]
    form = await http.get(KEY_PAGE_PATH, params={"request": request_id})
    csrf = re.search(r"name=csrf value='([^']+)'", form.text)
    assert form.status_code == 200 and csrf is not None, form.text
    data = {"request": request_id, "csrf": csrf.group(1)}
    checked = await http.post(KEY_PAGE_PATH, data={**data, "step": "verify", "api_key": KEY, "access": "read-write"})
    assert checked.status_code == 200 and "Acme Data" in checked.text, checked.text
    done = await http.post(KEY_PAGE_PATH, data={**data, "step": "confirm"})
    assert done.status_code == 303, done.text
    return client["client_id"], parse_qs(urlparse(done.headers["location"]).query)["code"][0], verifier


def exchange(client_id: str, code: str, verifier: str) -> dict[str, str]:
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier,
            "client_id": client_id}


def refreshing(client_id: str, refresh_token: str) -> dict[str, str]:
    return {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}


async def test_the_whole_flow_alternating_replicas_then_a_code_used_on_one_is_refused_on_the_other(
    balanced: tuple[httpx2.AsyncClient, Alternating], replicas: list[Replica],
) -> None:
    http, alternating = balanced
    client_id, code, verifier = await sign_in(http)
    assert set(alternating.served) == {0, 1}
    a, b = replicas
    first = await token(a.http, **exchange(client_id, code, verifier))
    assert first.status_code == 200, first.text
    replayed = await token(b.http, **exchange(client_id, code, verifier))
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    access = first.json()["access_token"]
    assert await a.provider.load_access_token(access) is None, "the replay on B revoked what A issued"
    assert await b.provider.load_access_token(access) is None


async def test_a_refresh_token_reused_across_replicas_revokes_the_grant_on_both(
    balanced: tuple[httpx2.AsyncClient, Alternating], replicas: list[Replica],
) -> None:
    http, _ = balanced
    a, b = replicas
    client_id, code, verifier = await sign_in(http)
    tokens = (await token(a.http, **exchange(client_id, code, verifier))).json()
    rotated = await token(a.http, **refreshing(client_id, tokens["refresh_token"]))
    assert rotated.status_code == 200, rotated.text
    reused = await token(b.http, **refreshing(client_id, tokens["refresh_token"]))
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    newest = rotated.json()
    for replica in replicas:
        assert await replica.provider.load_access_token(newest["access_token"]) is None
    assert (await token(a.http, **refreshing(client_id, newest["refresh_token"]))).status_code == 400


async def test_of_two_replicas_refreshing_the_same_token_at_once_exactly_one_rotates_it(
    balanced: tuple[httpx2.AsyncClient, Alternating], replicas: list[Replica],
) -> None:
    http, _ = balanced
    client_id, code, verifier = await sign_in(http)
    tokens = (await token(replicas[0].http, **exchange(client_id, code, verifier))).json()
    answers: list[int] = []

    async def refresh(replica: Replica) -> None:
        answers.append((await token(replica.http, **refreshing(client_id, tokens["refresh_token"]))).status_code)

    async with anyio.create_task_group() as group:
        for replica in replicas * 3:
            group.start_soon(refresh, replica)
    assert sorted(answers) == [200, 400, 400, 400, 400, 400]


async def test_a_revocation_on_one_replica_turns_the_token_away_on_the_other(
    balanced: tuple[httpx2.AsyncClient, Alternating], replicas: list[Replica], shared: SharedState,
) -> None:
    http, _ = balanced
    a, b = replicas
    client_id, code, verifier = await sign_in(http)
    tokens = (await token(b.http, **exchange(client_id, code, verifier))).json()
    assert await b.provider.load_access_token(tokens["access_token"]) is not None
    assert (await a.http.post("/revoke", data={"token": tokens["access_token"], "client_id": client_id})).status_code == 200
    assert await b.provider.load_access_token(tokens["access_token"]) is None
    assert (await token(b.http, **refreshing(client_id, tokens["refresh_token"]))).status_code == 400
    restarted = SealedTokenProvider(Sealer(SECRET), f"{ISSUER}{KEY_PAGE_PATH}", state=shared)
    assert await restarted.load_access_token(tokens["access_token"]) is None, "a new process on the same state"


async def test_a_client_registered_through_one_replica_refreshes_through_the_other(
    replicas: list[Replica], shared: SharedState,
) -> None:
    a, b = replicas
    client = await register(a.http)
    assert await b.provider.get_client(client["client_id"]) is not None
    verifier, challenge = pkce()
    answer = await b.http.get("/authorize", params={
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    request_id = parse_qs(urlparse(answer.headers["location"]).query)["request"][0]
    redirect = await a.provider.issue_code(request_id, KEY, "org-1", read_write=False)
    code = parse_qs(urlparse(redirect).query)["code"][0]
    tokens = (await token(b.http, **exchange(client["client_id"], code, verifier))).json()
    refreshed = await token(a.http, **refreshing(client["client_id"], tokens["refresh_token"]))
    assert refreshed.status_code == 200, refreshed.text
    restarted = SealedTokenProvider(Sealer(SECRET), f"{ISSUER}{KEY_PAGE_PATH}", state=shared)
    assert await restarted.get_client(client["client_id"]) is not None, "a new process on the same state"


class Recording:
    """A ``SharedState`` passing every call to ``inner`` and keeping each key and value written (to search them)."""

    def __init__(self, inner: SharedState) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.written: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def put(self, key: str, value: str, ttl: float) -> None:
        self.written += [key, value]
        await self.inner.put(key, value, ttl)

    async def add(self, key: str, value: str, ttl: float) -> bool:
        self.written += [key, value]
        return await self.inner.add(key, value, ttl)

    async def swap(self, key: str, expected: str, value: str, ttl: float) -> bool:
        self.written += [key, value]
        return await self.inner.swap(key, expected, value, ttl)

    async def hit(self, key: str, window: float) -> int:
        self.written.append(key)
        return await self.inner.hit(key, window)

    async def claim(self, key: str, ttl: float) -> bool:
        self.written.append(key)
        return await self.inner.claim(key, ttl)


SEALED = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_-]+")


def opened(sealer: Sealer, text: str) -> list[str]:
    """The claims (as JSON) of every blob in ``text`` that opens under ``sealer`` as any kind."""
    found = []
    for blob in SEALED.findall(text):
        for kind in get_args(TokenKind):
            if (claims := sealer.open(kind, blob)) is not None:
                found.append(json.dumps(claims))
    return found


async def test_the_state_holds_no_key_even_sealed_and_no_token_code_address_or_client_secret(
    shared: SharedState,
) -> None:
    """Before: the code's record and the key page's checked key held the key sealed under the server secret."""
    recording = Recording(shared)
    state: SharedState = recording  # type: ignore[assignment]
    providers = [SealedTokenProvider(Sealer(SECRET), f"{ISSUER}{KEY_PAGE_PATH}", state=state) for _ in range(2)]
    alternating = Alternating([replica_app(p) for p in providers])
    async with httpx2.AsyncClient(transport=alternating, base_url=ISSUER) as http:
        client_id, code, verifier = await sign_in(http)
        confidential = (await http.post("/register", json={
            "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "client_secret_post"})).json()
        tokens = (await token(http, **exchange(client_id, code, verifier))).json()
        refreshed = (await token(http, **refreshing(client_id, tokens["refresh_token"]))).json()
        await http.post("/revoke", data={"token": refreshed["access_token"], "client_id": client_id})
        assert (await token(http, **exchange(client_id, code, verifier))).status_code == 400, "a replayed code"
    assert len(recording.written) > 20
    for secret in [KEY, code, tokens["access_token"], tokens["refresh_token"], refreshed["refresh_token"],
                   confidential["client_secret"], ADDRESS]:
        assert not any(secret in text for text in recording.written), secret
    sealed = [claims for text in recording.written for claims in opened(Sealer(SECRET), text)]
    assert sealed, "the confidential client's secret is stored sealed: the scan opens it"
    assert not [claims for claims in sealed if KEY in claims]
    kept = await providers[1].get_client(confidential["client_id"])
    assert kept is not None and kept.client_secret == confidential["client_secret"]


@pytest.mark.slow
async def test_every_step_fails_closed_when_redis_cannot_be_reached(redis_server: RedisServer, redis_url: str) -> None:
    state = RedisState(redis_url)
    provider = SealedTokenProvider(Sealer(SECRET), f"{ISSUER}{KEY_PAGE_PATH}", state=state)

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        await PlainTextResponse("tools")(scope, receive, send)

    app = replica_app(provider, extra=[Route("/mcp", require_token(guarded, provider, f"{ISSUER}/mcp"))])
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=ISSUER) as http:
        client_id, code, verifier = await sign_in(http)
        tokens = (await token(http, **exchange(client_id, code, verifier))).json()
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert (await http.get("/mcp", headers=bearer)).status_code == 200
        _, challenge = pkce()
        started = await http.get("/authorize", params={
            "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
            "code_challenge": challenge, "code_challenge_method": "S256"})
        redis_server.stop()
        try:
            answers = {
                "register": await http.post("/register", json={"redirect_uris": [REDIRECT],
                                                               "token_endpoint_auth_method": "none"}),
                "refresh": await token(http, **refreshing(client_id, tokens["refresh_token"])),
                "code": await token(http, **exchange(client_id, code, verifier)),
                "revoke": await http.post("/revoke", data={"token": tokens["access_token"], "client_id": client_id}),
                "mcp": await http.get("/mcp", headers=bearer),
                "key page": await http.get(started.headers["location"]),
            }
            authorize = await http.get("/authorize", params={
                "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
                "code_challenge": challenge, "code_challenge_method": "S256"})
        finally:
            redis_server.start()
            await state.aclose()
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(answers, 503)
    for name in ["register", "refresh", "code", "revoke", "mcp"]:
        assert answers[name].json() == {
            "error": "temporarily_unavailable", "error_description": answers[name].json()["error_description"]}, name
        assert "could not reach the shared state" in answers[name].json()["error_description"]
    assert "Nothing was authorized" in answers["key page"].text
    assert authorize.status_code == 503 and "temporarily_unavailable" in authorize.text
