"""The key page: the key is checked with GET /api/me, the organization shown, and only then a code issued."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from oauth_support import ISSUER, KEY, REDIRECT, auth_routes, pkce, register, token
from starlette.applications import Starlette

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.server.oauth.key_page import CSRF_COOKIE, KEY_PAGE_PATH, VERIFIED_COOKIE, KeyPage
from polytomic_mcp.server.oauth.provider import READ_SCOPE, SealedTokenProvider
from polytomic_mcp.server.oauth.sealing import Sealer

pytestmark = pytest.mark.anyio

WRONG_KEY = "pk_wrong_key_456"


class FakeMe:
    """GET /api/me answering for KEY only; counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.calls += 1
        assert request.url.path == "/api/me"
        if request.headers.get("authorization") != f"Bearer {KEY}":
            return httpx2.Response(401, json={"message": "invalid api key"})
        return httpx2.Response(200, json={"data": {"organization_id": "org-1", "organization_name": "Acme Data"}})


@pytest.fixture
def provider() -> SealedTokenProvider:
    return SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}{KEY_PAGE_PATH}")


@pytest.fixture
def me() -> FakeMe:
    return FakeMe()


@pytest.fixture
async def http(provider: SealedTokenProvider, me: FakeMe) -> AsyncIterator[httpx2.AsyncClient]:
    def client_for_key(api_key: str, organization_id: str | None) -> PolytomicClient:
        return PolytomicClient(api_key, organization_id=organization_id, base_url="https://api.test",
                               max_retries=0, transport=httpx2.MockTransport(me))

    routes = [*auth_routes(provider), *KeyPage(provider, client_for_key, ISSUER).routes()]
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=Starlette(routes=routes)),
                                  base_url=ISSUER) as client:
        yield client


async def open_page(http: httpx2.AsyncClient) -> tuple[str, str, str, str]:
    """Register, authorize and load the key page: (client id, request id, csrf token, PKCE verifier)."""
    client = await register(http)
    verifier, challenge = pkce()
    answer = await http.get("/authorize", params={
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT,
        "code_challenge": challenge, "code_challenge_method": "S256", "state": "st-9",
    })
    form = await http.get(answer.headers["location"])
    assert form.status_code == 200 and "Polytomic API key" in form.text
    # Under "no-referrer" a browser posts the form with "Origin: null", which the origin check refuses.
    assert form.headers["referrer-policy"] == "same-origin"
    assert "Read-only" in form.text and "only read tools" in form.text
    assert "you are sent to <strong>http://127.0.0.1:33418</strong>" in form.text
    csrf = re.search(r"name=csrf value='([^']+)'", form.text)
    assert csrf is not None and form.cookies.get(CSRF_COOKIE) == csrf.group(1)
    request_id = parse_qs(urlparse(answer.headers["location"]).query)["request"][0]
    return client["client_id"], request_id, csrf.group(1), verifier


async def check_key(http: httpx2.AsyncClient, request_id: str, csrf: str) -> httpx2.Response:
    """The key page's first step with KEY, read-only."""
    return await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf, "step": "verify",
                                                "api_key": KEY, "access": "read"})


async def test_verified_key_shows_the_organization_then_issues_a_read_only_code(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    client_id, request_id, csrf, verifier = await open_page(http)
    checked = await check_key(http, request_id, csrf)
    assert checked.status_code == 200 and "Acme Data" in checked.text and "read-only" in checked.text
    assert KEY not in checked.text
    done = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf, "step": "confirm"})
    assert done.status_code == 303
    location = done.headers["location"]
    assert location.startswith(REDIRECT) and KEY not in location
    query = parse_qs(urlparse(location).query)
    assert query["state"] == ["st-9"]
    tokens = await token(http, grant_type="authorization_code", code=query["code"][0], redirect_uri=REDIRECT,
                         code_verifier=verifier, client_id=client_id)
    assert tokens.status_code == 200, tokens.text
    access = await provider.load_access_token(tokens.json()["access_token"])
    assert access is not None and access.api_key == KEY and access.scopes == [READ_SCOPE]


async def test_wrong_key_shows_an_error_and_issues_nothing(http: httpx2.AsyncClient) -> None:
    _, request_id, csrf, _ = await open_page(http)
    refused = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf, "step": "verify",
                                                   "api_key": WRONG_KEY, "access": "read-write"})
    assert refused.status_code == 400 and "Polytomic refused this key" in refused.text
    assert WRONG_KEY not in refused.text
    assert "value=read-write checked" in refused.text and "value=read checked" not in refused.text
    new_csrf = re.search(r"name=csrf value='([^']+)'", refused.text)
    assert new_csrf is not None
    confirm = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": new_csrf.group(1),
                                                   "step": "confirm"})
    assert confirm.status_code == 400 and "location" not in confirm.headers


@pytest.mark.parametrize("tamper", ["no-form-token", "no-cookie", "cross-origin", "null-origin", "cross-site-fetch"])
async def test_forged_posts_are_refused_before_the_key_is_checked(
    http: httpx2.AsyncClient, me: FakeMe, tamper: str,
) -> None:
    _, request_id, csrf, _ = await open_page(http)
    data = {"request": request_id, "csrf": csrf, "step": "verify", "api_key": KEY}
    headers: dict[str, str] = {}
    if tamper == "no-form-token":
        del data["csrf"]
    elif tamper == "no-cookie":
        http.cookies.clear()
    elif tamper == "cross-origin":
        headers["origin"] = "https://evil.example"
    elif tamper == "null-origin":
        headers["origin"] = "null"
    else:
        headers["sec-fetch-site"] = "cross-site"
    answer = await http.post(KEY_PAGE_PATH, data=data, headers=headers)
    assert answer.status_code == 403 and KEY not in answer.text
    assert me.calls == 0


async def test_unknown_request_gets_no_form(http: httpx2.AsyncClient) -> None:
    answer = await http.get(KEY_PAGE_PATH, params={"request": "made-up"})
    assert answer.status_code == 400 and "expired" in answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in answer.headers["content-security-policy"]


async def test_the_page_belongs_to_the_browser_that_opened_it(http: httpx2.AsyncClient, me: FakeMe) -> None:
    """Before: anyone with the page URL (the request id) could finish the grant with their own key."""
    _, request_id, csrf, _ = await open_page(http)
    own = dict(http.cookies)
    http.cookies.clear()
    other = await http.get(KEY_PAGE_PATH, params={"request": request_id})
    assert other.status_code == 403 and "another browser" in other.text
    http.cookies.set(CSRF_COOKIE, csrf)
    taken = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf, "step": "verify", "api_key": KEY})
    assert taken.status_code == 403 and me.calls == 0
    http.cookies.update(own)
    assert (await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf, "step": "verify",
                                                  "api_key": KEY})).status_code == 200


async def test_key_checks_are_limited_per_sign_in_and_per_address_and_never_retried(
    http: httpx2.AsyncClient, me: FakeMe,
) -> None:
    from polytomic_mcp.server.oauth.key_page import CHECKS_PER_MINUTE, CHECKS_PER_REQUEST

    async def wrong_keys(times: int) -> list[int]:
        """Open a page and post a wrong key ``times`` times (each answer's fresh CSRF token for the next)."""
        _, request_id, csrf, _ = await open_page(http)
        statuses = []
        for _ in range(times):
            answer = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf, "step": "verify",
                                                           "api_key": WRONG_KEY})
            statuses.append(answer.status_code)
            found = re.search(r"name=csrf value='([^']+)'", answer.text)
            csrf = found.group(1) if found else csrf
        return statuses

    assert await wrong_keys(CHECKS_PER_REQUEST + 2) == [400] * CHECKS_PER_REQUEST + [429, 429]
    assert me.calls == CHECKS_PER_REQUEST, "one check per attempt: Polytomic's answer is never retried"
    later = [status for _ in range(3) for status in await wrong_keys(2)]
    assert later.count(429) == len(later) - (CHECKS_PER_MINUTE - CHECKS_PER_REQUEST)
    assert me.calls == CHECKS_PER_MINUTE, "past the address's minute budget nothing reaches Polytomic"


async def test_a_client_registered_read_only_is_never_offered_or_granted_write(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    registered = (await http.post("/register", json={"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none",
                                                     "scope": READ_SCOPE})).json()
    _, challenge = pkce()
    answer = await http.get("/authorize", params={
        "response_type": "code", "client_id": registered["client_id"], "redirect_uri": REDIRECT,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    form = await http.get(answer.headers["location"])
    assert "value=read-write" not in form.text and "asked for read-only access" in form.text
    request_id = parse_qs(urlparse(answer.headers["location"]).query)["request"][0]
    csrf = re.search(r"name=csrf value='([^']+)'", form.text)
    assert csrf is not None
    checked = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf.group(1), "step": "verify",
                                                   "api_key": KEY, "access": "read-write"})
    assert "read-only" in checked.text
    done = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf.group(1), "step": "confirm"})
    code = parse_qs(urlparse(done.headers["location"]).query)["code"][0]
    assert (await provider.load_authorization_code(await provider.get_client(registered["client_id"]), code)).scopes == [READ_SCOPE]  # type: ignore[arg-type, union-attr]


def test_an_app_scheme_destination_is_named_as_an_app_not_a_website() -> None:
    from polytomic_mcp.server.oauth.key_page import destination

    assert "claude.ai" not in destination("myapp.example://claude.ai/cb")
    assert "the app that opens <strong>myapp.example:</strong> links" in destination("myapp.example://claude.ai/cb")


async def test_a_non_ascii_key_is_refused_on_the_page_without_a_request_to_polytomic(
    http: httpx2.AsyncClient, me: FakeMe,
) -> None:
    _, request_id, csrf, _ = await open_page(http)
    answer = await http.post(KEY_PAGE_PATH, data={"request": request_id, "csrf": csrf, "step": "verify",
                                                   "api_key": "pk_\u00e9t\u00e9"})
    assert answer.status_code == 400 and "not a Polytomic API key" in answer.text and me.calls == 0


async def test_the_checked_key_waits_for_confirmation_sealed_in_an_http_only_cookie_bound_to_the_sign_in(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    """Before: the checked key waited in the shared state (sealed); now the state keeps no key in any form."""
    _, request_id, csrf, _ = await open_page(http)
    checked = await check_key(http, request_id, csrf)
    cookie = next(line for line in checked.headers.get_list("set-cookie") if line.startswith(f"{VERIFIED_COOKIE}="))
    assert "HttpOnly" in cookie and f"Path={KEY_PAGE_PATH}" in cookie and "SameSite=strict" in cookie
    sealed = checked.cookies[VERIFIED_COOKIE]
    claims = provider.sealer.open("verified", sealed)
    assert KEY not in sealed and claims is not None and claims["key"] == KEY and claims["rid"] == request_id
    assert KEY not in checked.text and sealed not in checked.text


async def test_a_checked_key_confirms_only_its_own_sign_in_and_only_once(http: httpx2.AsyncClient) -> None:
    def restore(name: str, value: str) -> None:
        http.cookies.set(name, value, domain="127.0.0.1", path=KEY_PAGE_PATH)

    _, first, csrf, _ = await open_page(http)
    await check_key(http, first, csrf)
    sealed = http.cookies[VERIFIED_COOKIE]
    _, second, csrf2, _ = await open_page(http)
    restore(VERIFIED_COOKIE, sealed)
    other = await http.post(KEY_PAGE_PATH, data={"request": second, "csrf": csrf2, "step": "confirm"})
    assert other.status_code == 400 and "Nothing to confirm" in other.text
    restore(VERIFIED_COOKIE, sealed)
    restore(CSRF_COOKIE, csrf)
    assert (await http.post(KEY_PAGE_PATH, data={"request": first, "csrf": csrf, "step": "confirm"})).status_code == 303
    assert VERIFIED_COOKIE not in http.cookies, "the confirmation drops the sealed key"
    restore(VERIFIED_COOKIE, sealed)
    replayed = await http.post(KEY_PAGE_PATH, data={"request": first, "csrf": csrf, "step": "confirm"})
    assert replayed.status_code in (400, 403) and "location" not in replayed.headers
