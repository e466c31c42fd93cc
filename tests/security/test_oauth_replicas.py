"""``--auth oauth`` on two replica processes behind the round-robin proxy, sharing state through a real redis-server,
with the shared sandbox as the Polytomic API: what one replica does to a code, a refresh token, a revocation or a
registration, the other sees, and so do both after a restart.

The browser's and the client's requests alternate between the replicas (no sticky routing); the single-use steps
name the replica they go to. The in-process version of these steps is ``tests/server/oauth/test_replicas_share_state.py``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from http_support import INITIALIZE, MCP_HEADERS
from processes import free_port
from replica_support import Replica, RoundRobinProxy, replica, serving, shared_sandbox
from test_oauth_end_to_end import REDIRECT, call, discover, pkce

from polytomic_mcp.sandbox import EMPTY_API_KEY

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SECRET = secrets.token_hex(32)


class Deployment:
    """Two OAuth replicas sharing ``state_url``, the proxy in front at ``public`` (their issuer and resource)."""

    def __init__(self, stack: ExitStack, state_url: str) -> None:
        self.stack = stack
        self.sandbox = stack.enter_context(shared_sandbox())
        port = free_port()
        self.public = f"http://127.0.0.1:{port}"
        self.env = {"POLYTOMIC_AUTH": "oauth", "POLYTOMIC_PUBLIC_URL": self.public, "POLYTOMIC_OAUTH_SECRET": SECRET,
                    "POLYTOMIC_STATE_URL": state_url}
        self.replicas: list[Replica] = []
        self.generation: ExitStack | None = None
        self.start_replicas()
        self.proxy = RoundRobinProxy([r.url for r in self.replicas])
        stack.enter_context(serving(self.proxy.app, port))

    def start_replicas(self) -> None:
        """Two fresh server processes (nothing of their predecessors' memory), behind the same proxy."""
        if self.generation is not None:
            self.generation.close()
        self.generation = self.stack.enter_context(ExitStack())
        self.replicas = [self.generation.enter_context(replica(self.sandbox.base_url, env=self.env)) for _ in range(2)]
        if hasattr(self, "proxy"):
            self.proxy.upstreams[:] = [r.url for r in self.replicas]

    def url(self, index: int, path: str) -> str:
        return self.replicas[index].url + path


@contextmanager
def deployed(state_url: str) -> Iterator[Deployment]:
    with ExitStack() as stack:
        yield Deployment(stack, state_url)


async def register(http: httpx2.AsyncClient, at: str) -> str:
    registered = await http.post(at, json={"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none",
                                           "grant_types": ["authorization_code", "refresh_token"]})
    assert registered.status_code == 201, registered.text
    return str(registered.json()["client_id"])


async def sign_in(http: httpx2.AsyncClient, metadata: dict[str, Any], client_id: str | None = None) -> tuple[str, str, str]:
    """Through the proxy: register (unless given a client), authorize, the key page (verify, confirm):
    (client id, code, PKCE verifier)."""
    client_id = client_id or await register(http, metadata["registration_endpoint"])
    verifier, challenge = pkce()
    authorize = await http.get(metadata["authorization_endpoint"], params={
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    assert authorize.status_code == 302, authorize.text
    page_url = authorize.headers["location"]
    page = await http.get(page_url)
    csrf = re.search(r"name=csrf value='([^']+)'", page.text)
    assert page.status_code == 200 and csrf is not None, page.text
    form = {"request": parse_qs(urlparse(page_url).query)["request"][0], "csrf": csrf.group(1)}
    base = page_url.split("?")[0]
    checked = await http.post(base, data={**form, "step": "verify", "api_key": EMPTY_API_KEY, "access": "read"})
    assert checked.status_code == 200 and EMPTY_API_KEY not in checked.text, checked.text
    done = await http.post(base, data={**form, "step": "confirm"})
    assert done.status_code == 303, done.text
    return client_id, parse_qs(urlparse(done.headers["location"]).query)["code"][0], verifier


async def exchange(http: httpx2.AsyncClient, at: str, client_id: str, code: str, verifier: str) -> httpx2.Response:
    return await http.post(at, data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                     "code_verifier": verifier, "client_id": client_id})


async def refresh(http: httpx2.AsyncClient, at: str, client_id: str, refresh_token: str) -> httpx2.Response:
    return await http.post(at, data={"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id})


async def accepted(http: httpx2.AsyncClient, at: str, access_token: str) -> bool:
    """Whether the replica at ``at`` lets ``access_token`` initialize an MCP session (else 401)."""
    answer = await http.post(at, json=INITIALIZE, headers={**MCP_HEADERS, "Authorization": f"Bearer {access_token}"})
    assert answer.status_code in (200, 401), answer.text
    return answer.status_code == 200


async def test_replicas_agree_on_codes_refresh_tokens_revocations_and_registrations_across_restarts(
    redis_url: str,
) -> None:
    with deployed(redis_url) as deployment:
        async with httpx2.AsyncClient(timeout=30) as http:
            metadata = await discover(http, deployment.public + "/mcp")
            served = len(deployment.proxy.served)

            client_id, code, verifier = await sign_in(http, metadata)
            assert {s.replica for s in deployment.proxy.served[served:]} == {0, 1}, "the sign-in alternated replicas"
            first = await exchange(http, deployment.url(0, "/token"), client_id, code, verifier)
            assert first.status_code == 200, first.text
            replayed = await exchange(http, deployment.url(1, "/token"), client_id, code, verifier)
            assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
            assert not await accepted(http, deployment.url(0, "/mcp"), first.json()["access_token"]), \
                "the code replayed on B revoked what A issued"

            client_id, code, verifier = await sign_in(http, metadata)
            tokens = (await exchange(http, deployment.url(1, "/token"), client_id, code, verifier)).json()
            listed = await call(deployment.public + "/mcp", tokens["access_token"], "list_connections", {})
            assert listed[0] is False, listed[1]
            rotated = await refresh(http, deployment.url(0, "/token"), client_id, tokens["refresh_token"])
            assert rotated.status_code == 200, rotated.text
            reused = await refresh(http, deployment.url(1, "/token"), client_id, tokens["refresh_token"])
            assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
            for index in (0, 1):
                assert not await accepted(http, deployment.url(index, "/mcp"), rotated.json()["access_token"])

            client_id, code, verifier = await sign_in(http, metadata)
            revoked = (await exchange(http, deployment.url(0, "/token"), client_id, code, verifier)).json()
            assert await accepted(http, deployment.url(1, "/mcp"), revoked["access_token"])
            answer = await http.post(deployment.url(0, "/revoke"), data={"token": revoked["access_token"],
                                                                         "client_id": client_id})
            assert answer.status_code == 200
            assert not await accepted(http, deployment.url(1, "/mcp"), revoked["access_token"])

            registered = await register(http, deployment.url(0, "/register"))
            kept_id, code, verifier = await sign_in(http, metadata, registered)
            kept = (await exchange(http, deployment.url(1, "/token"), kept_id, code, verifier)).json()

            deployment.start_replicas()
            for index in (0, 1):
                assert not await accepted(http, deployment.url(index, "/mcp"), revoked["access_token"]), \
                    "still revoked after both replicas restarted"
                assert await accepted(http, deployment.url(index, "/mcp"), kept["access_token"])
            again = await refresh(http, deployment.url(1, "/token"), kept_id, kept["refresh_token"])
            assert again.status_code == 200, "a client registered through A, before the restart, refreshes through B"
            stale = await refresh(http, deployment.url(0, "/token"), kept_id, kept["refresh_token"])
            assert stale.status_code == 400, "the rotation survived the restart too"
        logs = [r.log() for r in deployment.replicas]
    assert not any(EMPTY_API_KEY in log for log in logs)
