"""OAuth connections: auth_url consent page, redirect, status before and after, and API-supplied tokens."""

from __future__ import annotations

import pytest
from sandbox_support import create, make_client, salesforce_connection

pytestmark = pytest.mark.anyio


async def test_salesforce_with_only_domain_awaits_consent(sandbox, client) -> None:
    conn = await salesforce_connection(client, sandbox, authorize=False)
    assert conn["configuration"] == {"domain": "acme.my.salesforce.com", "connect_mode": "browser"}
    assert conn["status"] == ""
    assert conn["auth_url"].startswith(f"{sandbox.base_url}/oauth/authorize?state=")
    assert conn["auth_code"] == ""


async def test_unauthorized_connection_cannot_be_used(sandbox, client) -> None:
    conn = await salesforce_connection(client, sandbox, authorize=False)
    r = await client.get(f"/api/connections/{conn['id']}/modelsync/targetobjects")
    assert r.status_code == 422
    assert "is not authorized yet; open its auth_url" in r.json()["message"]


async def test_opening_auth_url_completes_consent_without_api_key(sandbox, client) -> None:
    conn = await salesforce_connection(client, sandbox, authorize=False)
    async with make_client(sandbox, key=None, version=None) as browser:
        page = await browser.get(conn["auth_url"])
        again = await browser.get(conn["auth_url"])
    assert page.status_code == 200 and "connected" in page.text
    assert again.status_code == 404
    data = (await client.get(f"/api/connections/{conn['id']}")).json()["data"]
    assert data["status"] == "healthy"
    assert data["configuration"]["username"] == "sandbox.user@acme.example.com"
    assert data["configuration"]["oauth_refresh_token"] == "******"
    assert (await client.get(f"/api/connections/{conn['id']}/modelsync/targetobjects")).status_code == 200


async def test_auth_url_redirects_to_redirect_url(sandbox, client) -> None:
    conn = await create(
        client,
        "/api/connections",
        {
            "name": "SF",
            "type": "salesforce",
            "configuration": {"domain": "acme.my.salesforce.com", "connect_mode": "browser"},
            "redirect_url": "https://app.example.com/polytomic/oauth-done",
        },
    )
    async with make_client(sandbox, key=None) as browser:
        r = await browser.get(conn["auth_url"])
    assert r.status_code == 302
    assert r.headers["location"] == "https://app.example.com/polytomic/oauth-done"


async def test_complete_oauth_helper_and_code_mode(sandbox, client) -> None:
    conn = await create(
        client, "/api/connections", {"name": "SF", "type": "salesforce", "configuration": {"domain": "acme.my.salesforce.com", "connect_mode": "code"}}
    )
    assert conn["auth_code"] and conn["auth_url"]
    sandbox.complete_oauth(conn["id"])
    assert (await client.get(f"/api/connections/{conn['id']}")).json()["data"]["status"] == "healthy"
    async with make_client(sandbox, key=None) as browser:
        assert (await browser.get(conn["auth_url"])).status_code == 404


async def test_api_supplied_tokens_skip_consent(client) -> None:
    hub = await create(client, "/api/connections", {"name": "HS", "type": "hubspot", "configuration": {"oauth_refresh_token": "rt", "client_id": "id", "client_secret": "cs"}})
    assert hub["status"] == "healthy" and hub["auth_url"] == ""
    assert hub["configuration"]["client_secret"] == "******"
    assert hub["configuration"]["hub_domain"]


async def test_reconnect_reissues_auth_url(sandbox, client) -> None:
    conn = await salesforce_connection(client, sandbox)
    body = {"name": "SF", "configuration": {"domain": "acme.my.salesforce.com", "connect_mode": "browser"}}
    kept = (await client.put(f"/api/connections/{conn['id']}", json=body)).json()["data"]
    assert kept["status"] == "healthy" and kept["auth_url"] == ""
    assert kept["configuration"]["username"] == "sandbox.user@acme.example.com"
    again = (await client.put(f"/api/connections/{conn['id']}", json={**body, "reconnect": True})).json()["data"]
    assert again["status"] == "" and again["auth_url"].startswith(sandbox.base_url)
