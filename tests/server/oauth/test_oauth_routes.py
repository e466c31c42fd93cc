"""Discovery and the bearer check: 401 + WWW-Authenticate -> resource metadata -> authorization server metadata."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator

import httpx2
import pytest
from oauth_support import ISSUER, KEY, full_grant
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.server.oauth.provider import SealedTokenProvider, TenantAccessToken
from polytomic_mcp.server.oauth.routes import oauth_routes, require_token
from polytomic_mcp.server.oauth.sealing import Sealer

pytestmark = pytest.mark.anyio

RESOURCE = f"{ISSUER}/mcp"


async def whoami(request: Request) -> Response:
    """Stands in for /mcp: answers with the tenant the bearer check attached."""
    token = request.user.access_token
    assert isinstance(token, TenantAccessToken)
    return JSONResponse({"key_matches": token.api_key == KEY, "scopes": token.scopes})


def no_client(api_key: str, organization_id: str | None) -> PolytomicClient:
    raise AssertionError("the key page is not used here")


@pytest.fixture
def provider() -> SealedTokenProvider:
    return SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key")


@pytest.fixture
async def http(provider: SealedTokenProvider) -> AsyncIterator[httpx2.AsyncClient]:
    routes = [*oauth_routes(provider, ISSUER, RESOURCE, no_client),
              Mount("/mcp", app=require_token(Starlette(routes=[Route("/", whoami, methods=["POST"])]), provider, RESOURCE))]
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=Starlette(routes=routes)),
                                  base_url=ISSUER) as client:
        yield client


async def test_discovery_from_401_to_authorization_server_metadata(http: httpx2.AsyncClient) -> None:
    refused = await http.post("/mcp/")
    assert refused.status_code == 401
    found = re.search(r'resource_metadata="([^"]+)"', refused.headers["www-authenticate"])
    assert found is not None
    resource = (await http.get(found.group(1))).json()
    assert resource["resource"].rstrip("/") == RESOURCE and resource["authorization_servers"]
    issuer = resource["authorization_servers"][0].rstrip("/")
    metadata = (await http.get(f"{issuer}/.well-known/oauth-authorization-server")).json()
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert {"registration_endpoint", "authorization_endpoint", "token_endpoint", "revocation_endpoint"} <= set(metadata)


async def test_token_reaches_the_app_with_its_tenant_and_revoked_or_foreign_tokens_do_not(
    http: httpx2.AsyncClient, provider: SealedTokenProvider,
) -> None:
    client, tokens = await full_grant(http, provider, read_write=False)
    bearer = {"authorization": f"Bearer {tokens['access_token']}"}
    served = await http.post("/mcp/", headers=bearer)
    assert served.status_code == 200 and served.json() == {"key_matches": True, "scopes": ["polytomic:read"]}
    foreign = SealedTokenProvider(Sealer(secrets.token_bytes(32)), f"{ISSUER}/oauth/key")
    other = foreign._issue(client["client_id"], KEY, None, ["polytomic:read"], None, "g", "r")  # noqa: SLF001
    refused = await http.post("/mcp/", headers={"authorization": f"Bearer {other.access_token}"})
    assert refused.status_code == 401 and 'error="invalid_token"' in refused.headers["www-authenticate"]
    await http.post("/revoke", data={"token": tokens["access_token"], "client_id": client["client_id"],
                                     "client_secret": ""})
    assert (await http.post("/mcp/", headers=bearer)).status_code == 401
    raw_key = await http.post("/mcp/", headers={"authorization": f"Bearer {KEY}"})
    assert raw_key.status_code == 401
