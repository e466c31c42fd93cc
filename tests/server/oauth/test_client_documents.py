"""Client ID metadata documents: an https client id is fetched (fenced against SSRF), checked and cached; the SDK's
routes then authorize it like a registered client, and the mcp client's own OAuth support picks it over
registration when the metadata says it is supported."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.shared.auth import OAuthClientMetadata
from oauth_support import ISSUER, KEY, REDIRECT, pkce, token
from pydantic import AnyUrl
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from token_storage import MemoryTokenStorage

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.server.oauth.client_documents import FAILURE_TTL, MAX_BYTES, ClientDocuments, is_public_address
from polytomic_mcp.server.oauth.provider import SCOPES, SealedTokenProvider, TenantAccessToken
from polytomic_mcp.server.oauth.routes import oauth_routes, require_token
from polytomic_mcp.server.oauth.sealing import Sealer

pytestmark = pytest.mark.anyio

CLIENT_URL = "https://client.example.com/oauth/metadata.json"
PUBLIC_IP = "93.184.216.34"


def document(**changes: Any) -> dict[str, Any]:
    return {"client_id": CLIENT_URL, "client_name": "Example client", "redirect_uris": [REDIRECT],
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "token_endpoint_auth_method": "none", **changes}


class Host:
    """The client's web host: serves one answer per URL and counts requests."""

    def __init__(self, answers: dict[str, httpx2.Response]) -> None:
        self.answers = answers
        self.requests: list[str] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        assert request.url.host == PUBLIC_IP or request.url.host not in request.headers["host"], "sent to the address checked"
        assert request.extensions.get("sni_hostname") == request.headers["host"].split(":")[0]
        url = f"https://{request.headers['host']}{request.url.raw_path.decode()}"
        self.requests.append(url)
        return self.answers.get(url, httpx2.Response(404))


def resolver_to(*addresses: str) -> Any:
    async def resolve(host: str, port: int) -> list[str]:
        return list(addresses)
    return resolve


def documents(host: Host, *addresses: str) -> ClientDocuments:
    return ClientDocuments(transport=httpx2.MockTransport(host), resolver=resolver_to(*(addresses or (PUBLIC_IP,))),
                           default_scope=" ".join(SCOPES))


async def test_a_valid_document_describes_a_public_client_and_is_cached() -> None:
    host = Host({CLIENT_URL: httpx2.Response(200, json=document())})
    docs = documents(host)
    first = await docs.client(CLIENT_URL)
    again = await docs.client(CLIENT_URL)
    assert first is not None and first.client_id == CLIENT_URL and first.token_endpoint_auth_method == "none"
    assert [str(u) for u in first.redirect_uris or []] == [REDIRECT]
    assert again is first and len(host.requests) == 1


@pytest.mark.parametrize(("answer", "why"), [
    (httpx2.Response(200, json=document(client_id="https://other.example.com/metadata.json")), "names another id"),
    (httpx2.Response(200, json=document(token_endpoint_auth_method="client_secret_post")), "wants a secret"),
    (httpx2.Response(200, json=document(client_secret="s3cret")), "carries a secret"),
    (httpx2.Response(200, json=document(redirect_uris=[])), "no redirect URIs"),
    (httpx2.Response(200, json=document(redirect_uris="not a list")), "not client metadata"),
    (httpx2.Response(200, content=b"<html>not json</html>"), "not JSON"),
    (httpx2.Response(200, json=[document()]), "not an object"),
    (httpx2.Response(200, content=b"{" + b" " * MAX_BYTES + b"}"), "too large"),
    (httpx2.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data"}), "a redirect"),
    (httpx2.Response(500), "a server error"),
])
async def test_bad_documents_are_refused_and_the_refusal_kept_for_a_minute(answer: httpx2.Response, why: str) -> None:
    host = Host({CLIENT_URL: answer})
    now = [0.0]
    docs = ClientDocuments(transport=httpx2.MockTransport(host), resolver=resolver_to(PUBLIC_IP),
                           default_scope=" ".join(SCOPES), clock=lambda: now[0])
    assert await docs.client(CLIENT_URL) is None, why
    assert await docs.client(CLIENT_URL) is None
    assert host.requests == [CLIENT_URL], "a failure is remembered: anonymous retries cost no fetch"
    now[0] += FAILURE_TTL + 1
    assert await docs.client(CLIENT_URL) is None
    assert host.requests == [CLIENT_URL, CLIENT_URL]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.169.254", "::1",
                                     "::ffff:127.0.0.1", "fd00::1", "100.64.0.1", "0.0.0.0"])
async def test_hosts_resolving_to_non_public_addresses_are_never_fetched(address: str) -> None:
    host = Host({CLIENT_URL: httpx2.Response(200, json=document())})
    assert not is_public_address(address)
    assert await documents(host, PUBLIC_IP, address).client(CLIENT_URL) is None
    assert host.requests == []


@pytest.mark.parametrize("client_id", ["http://client.example.com/metadata.json", "https://client.example.com/",
                                       "https://client.example.com", "not-a-url"])
async def test_only_https_urls_with_a_path_are_documents(client_id: str) -> None:
    host = Host({})
    provider = SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key", documents=documents(host))
    assert await provider.get_client(client_id) is None
    assert host.requests == []


def no_client(api_key: str, organization_id: str | None) -> PolytomicClient:
    def me(request: httpx2.Request) -> httpx2.Response:
        if request.headers.get("authorization") != f"Bearer {KEY}":
            return httpx2.Response(401, json={"message": "invalid api key"})
        return httpx2.Response(200, json={"data": {"organization_id": "org-1", "organization_name": "Acme Data"}})
    return PolytomicClient(api_key, organization_id=organization_id, base_url="https://api.test", max_retries=0,
                           transport=httpx2.MockTransport(me))


async def whoami(request: Request) -> Response:
    token = request.user.access_token
    assert isinstance(token, TenantAccessToken)
    return JSONResponse({"client": token.client_id, "key_matches": token.api_key == KEY})


@pytest.fixture
def host() -> Host:
    return Host({CLIENT_URL: httpx2.Response(200, json=document())})


@pytest.fixture
async def http(host: Host) -> AsyncIterator[httpx2.AsyncClient]:
    provider = SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key", documents=documents(host))
    resource = f"{ISSUER}/mcp"
    app = require_token(Starlette(routes=[Route("/", whoami, methods=["GET", "POST"])]), provider, resource)
    routes = [*oauth_routes(provider, ISSUER, resource, no_client), Mount("/mcp", app=app)]
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=Starlette(routes=routes)),
                                  base_url=ISSUER) as client:
        yield client


async def through_key_page(http: httpx2.AsyncClient, page_url: str) -> str:
    """Paste KEY on the page, allow, and return the redirect the browser is sent to."""
    page = await http.get(page_url)
    csrf = re.search(r"name=csrf value='([^']+)'", page.text)
    assert page.status_code == 200 and csrf is not None
    assert "An MCP client from <strong>client.example.com</strong> asks" in page.text
    form = {"request": parse_qs(urlparse(page_url).query)["request"][0], "csrf": csrf.group(1)}
    checked = await http.post("/oauth/key", data={**form, "step": "verify", "api_key": KEY, "access": "read"})
    assert checked.status_code == 200, checked.text
    done = await http.post("/oauth/key", data={**form, "step": "confirm"})
    assert done.status_code == 303
    return str(done.headers["location"])


async def test_metadata_advertises_documents_and_public_clients(http: httpx2.AsyncClient) -> None:
    metadata = (await http.get("/.well-known/oauth-authorization-server")).json()
    assert metadata["client_id_metadata_document_supported"] is True
    assert "none" in metadata["token_endpoint_auth_methods_supported"]
    assert metadata["registration_endpoint"] == f"{ISSUER}/register"


async def test_a_document_client_is_authorized_without_registering(http: httpx2.AsyncClient, host: Host) -> None:
    verifier, challenge = pkce()
    authorize = await http.get("/authorize", params={
        "response_type": "code", "client_id": CLIENT_URL, "redirect_uri": REDIRECT,
        "code_challenge": challenge, "code_challenge_method": "S256", "state": "d1"})
    assert authorize.status_code == 302, authorize.text
    redirect = await through_key_page(http, authorize.headers["location"])
    code = parse_qs(urlparse(redirect).query)["code"][0]
    tokens = await token(http, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                         code_verifier=verifier, client_id=CLIENT_URL)
    assert tokens.status_code == 200, tokens.text
    seen = await http.get("/mcp/", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"})
    assert seen.json() == {"client": CLIENT_URL, "key_matches": True}
    assert host.requests == [CLIENT_URL]


async def test_a_redirect_uri_the_document_does_not_list_is_refused(http: httpx2.AsyncClient) -> None:
    _, challenge = pkce()
    answer = await http.get("/authorize", params={
        "response_type": "code", "client_id": CLIENT_URL, "redirect_uri": "https://evil.example/callback",
        "code_challenge": challenge, "code_challenge_method": "S256", "state": "d2"})
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "redirect" in answer.text.lower()


async def test_mcp_client_oauth_uses_the_document_instead_of_registering(http: httpx2.AsyncClient, host: Host) -> None:
    redirects: list[str] = []

    async def open_page(url: str) -> None:
        assert url.startswith(f"{ISSUER}/authorize?") and "client_id=https" in url
        authorize = await http.get(url)
        redirects.append(await through_key_page(http, authorize.headers["location"]))

    async def callback() -> AuthorizationCodeResult:
        query = parse_qs(urlparse(redirects[-1]).query)
        return AuthorizationCodeResult(code=query["code"][0], state=query["state"][0])

    registrations: list[str] = []

    async def watch(request: httpx2.Request) -> None:
        if request.url.path == "/register":
            registrations.append(str(request.url))

    storage = MemoryTokenStorage()
    auth = OAuthClientProvider(
        f"{ISSUER}/mcp/", OAuthClientMetadata(redirect_uris=[AnyUrl(REDIRECT)], token_endpoint_auth_method="none"),
        storage, redirect_handler=open_page, callback_handler=callback, client_metadata_url=CLIENT_URL)
    transport = http._transport  # noqa: SLF001 - the same in-memory app the fixture serves
    async with httpx2.AsyncClient(transport=transport, base_url=ISSUER, auth=auth,
                                  event_hooks={"request": [watch]}) as client:
        answer = await client.post("/mcp/", json={})
    assert answer.status_code == 200 and answer.json() == {"client": CLIENT_URL, "key_matches": True}
    assert registrations == [] and storage.client is not None and storage.client.client_id == CLIENT_URL
    assert host.requests == [CLIENT_URL]


class Peer:
    """A network stream as httpx2 reports it: the address the connection actually reached."""

    def __init__(self, address: str) -> None:
        self.address = address

    def get_extra_info(self, name: str) -> object:
        return (self.address, 443) if name == "server_addr" else None


@pytest.mark.parametrize(("peer", "accepted"), [("127.0.0.1", False), ("10.0.0.7", False), (PUBLIC_IP, True)])
async def test_a_connection_that_reached_a_non_public_peer_is_refused(peer: str, accepted: bool) -> None:
    """DNS rebinding: the name resolved to a public address at the check, then to a private one at the connect."""
    host = Host({CLIENT_URL: httpx2.Response(200, json=document(), extensions={"network_stream": Peer(peer)})})
    assert (await documents(host).client(CLIENT_URL) is not None) is accepted


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:a9fe:a9fe::1",
                                     "fec0::1", "64:ff9b:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"])
def test_ipv6_forms_of_private_addresses_are_not_public(address: str) -> None:
    """NAT64, 6to4 and Teredo carry an IPv4 address, judged in its place; site-local fec0::/10 is not public."""
    assert not is_public_address(address)
    assert is_public_address("64:ff9b::808:808") and is_public_address("2002:808:808::1")


async def test_a_document_trickled_slowly_is_cut_at_one_deadline_for_the_whole_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the 5 s timeout was per read, so a slowly sent document held a connection for a minute and more."""
    import anyio

    from polytomic_mcp.server.oauth import client_documents

    monkeypatch.setattr(client_documents, "FETCH_TIMEOUT", 0.3)

    class Trickle(httpx2.AsyncByteStream):
        async def __aiter__(self) -> Any:
            for _ in range(100):
                await anyio.sleep(0.05)
                yield b" "

    host = Host({})
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, stream=Trickle()))
    docs = ClientDocuments(transport=transport, resolver=resolver_to(PUBLIC_IP), default_scope=" ".join(SCOPES))
    with anyio.fail_after(2):
        assert await docs.client(CLIENT_URL) is None
    assert host.requests == []


async def test_lookups_that_never_answer_hold_only_their_own_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: 12 /authorize naming a domain whose DNS never answers filled the loop's executor: every upstream
    connect and /readyz stalled behind them."""
    import socket
    import threading

    import anyio

    from polytomic_mcp.server.oauth import client_documents

    monkeypatch.setattr(client_documents, "FETCH_TIMEOUT", 0.3)
    release = threading.Event()
    real = socket.getaddrinfo

    def stuck(host: str | bytes, *args: Any, **kwargs: Any) -> Any:
        if (host.decode() if isinstance(host, bytes) else host).endswith("stuck.example"):
            release.wait(10)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    docs = ClientDocuments(default_scope=" ".join(SCOPES))
    try:
        with anyio.fail_after(3):
            async with anyio.create_task_group() as group:
                for index in range(12):
                    group.start_soon(docs.client, f"https://c{index}.stuck.example/metadata.json")
                await anyio.sleep(0.05)
                with anyio.fail_after(1):
                    assert await anyio.getaddrinfo("localhost", 443), "the shared executor still answers meanwhile"
        assert docs.fetches <= 10, "past the per-address budget nothing more was started"
    finally:
        release.set()


async def test_one_address_starts_a_bounded_number_of_fetches_a_minute() -> None:
    from polytomic_mcp.server.oauth.client_documents import PER_CALLER_PER_MINUTE

    host = Host({})
    docs = documents(host)
    for index in range(PER_CALLER_PER_MINUTE + 5):
        await docs.client(f"https://c{index}.example.com/metadata.json")
    assert docs.fetches == PER_CALLER_PER_MINUTE
