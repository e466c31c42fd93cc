"""The remote connector as a user meets it: the mcp Python client's own OAuth support (discovery from the 401,
dynamic registration, PKCE, token exchange) opens the key page in a real headless Chromium, where a wrong key is
refused on the page, the right one is checked, shows its organization and is allowed read-write; the client then
calls tools with its token. Screenshots of the page are kept in ``test-artifacts/``."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from browser_support import Callback, chromium, png_size, screenshot
from http_support import Running
from mcp import Client
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientMetadata
from pydantic import AnyUrl
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from server_support import BASE_URL
from token_storage import MemoryTokenStorage

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

KEY = "pk_browser_tenant_key"
WRONG_KEY = "pk_not_a_real_key"
ORGANIZATION = "Acme Browser Org"


def consent_in_browser(driver: webdriver.Chrome, url: str, callback: Callback) -> dict[str, Any]:
    """What a user does on the key page: a wrong key first, then the right one read-write, then allow."""
    wait = WebDriverWait(driver, 20)
    seen: dict[str, Any] = {"urls": []}
    driver.get(url)
    wait.until(expected_conditions.title_is("Connect Polytomic"))
    seen["form"] = screenshot(driver, "oauth-key-page")
    seen["urls"].append(driver.current_url)
    driver.find_element(By.ID, "api_key").send_keys(WRONG_KEY)
    driver.find_element(By.CSS_SELECTOR, "input[name=access][value=read-write]").click()
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    seen["error"] = wait.until(expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, ".error"))).text
    seen["wrong_key_shot"] = screenshot(driver, "oauth-key-page-wrong-key")
    seen["urls"].append(driver.current_url)
    seen["kept_access"] = driver.find_element(By.CSS_SELECTOR, "input[name=access][value=read-write]").is_selected()
    seen["key_field_after_error"] = driver.find_element(By.ID, "api_key").get_attribute("value")
    driver.find_element(By.ID, "api_key").send_keys(KEY)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(expected_conditions.title_is("Confirm access"))
    seen["confirm_text"] = driver.find_element(By.TAG_NAME, "body").text
    seen["confirm_source"] = driver.page_source
    seen["confirm"] = screenshot(driver, "oauth-key-page-confirm")
    seen["urls"].append(driver.current_url)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    if not callback.arrived.wait(20):
        raise AssertionError(f"the browser never reached the client's redirect URI (at {driver.current_url})")
    wait.until(expected_conditions.title_is("Authorized"))
    seen["urls"].append(driver.current_url)
    return seen


async def test_mcp_client_oauth_through_the_key_page_in_chromium() -> None:
    api = Sandbox(base_url=BASE_URL)
    api.add_workspace(KEY, org_name=ORGANIZATION)
    settings = Settings(sandbox=True, transport="http", auth="oauth", key_from_request=True,
                        oauth_secret=secrets.token_hex(32), public_url="http://127.0.0.1")
    seen: dict[str, Any] = {}
    with Running(settings, api) as running, Callback() as callback, chromium() as driver:

        async def open_browser(url: str) -> None:
            seen.update(await anyio.to_thread.run_sync(consent_in_browser, driver, url, callback))

        async def code_from_redirect() -> AuthorizationCodeResult:
            query = callback.queries[-1]
            return AuthorizationCodeResult(code=query["code"][0], state=query["state"][0])

        storage = MemoryTokenStorage()
        auth = OAuthClientProvider(
            running.url,
            OAuthClientMetadata(
                redirect_uris=[AnyUrl(callback.url)], client_name="browser test", token_endpoint_auth_method="none",
                grant_types=["authorization_code", "refresh_token"], scope="polytomic:read polytomic:write"),
            storage, redirect_handler=open_browser, callback_handler=code_from_redirect)
        async with httpx2.AsyncClient(auth=auth, timeout=60) as http:
            async with Client(streamable_http_client(running.url, http_client=http), mode="auto") as client:
                tools = {tool.name for tool in (await client.list_tools()).tools}
                created = await client.call_tool("create_connection", {
                    "name": "browser mongo", "type": "mongodb",
                    "configuration": {"hosts": "example.mongodb.net", "password": "pw"}})

    assert "refused this key" in seen["error"] and WRONG_KEY not in seen["error"]
    assert seen["kept_access"] is True and seen["key_field_after_error"] == ""
    assert ORGANIZATION in seen["confirm_text"] and "read and write" in seen["confirm_text"]
    assert KEY not in seen["confirm_source"]
    assert all(KEY not in url and WRONG_KEY not in url for url in seen["urls"])
    assert seen["urls"][-1].startswith(callback.url)
    for shot in ("form", "wrong_key_shot", "confirm"):
        path: Path = seen[shot]
        width, height = png_size(path)
        assert width >= 600 and height >= 600 and path.stat().st_size > 5_000, (path, width, height)
    assert storage.client is not None and storage.tokens is not None
    assert storage.tokens.scope == "polytomic:read polytomic:write" and KEY not in storage.tokens.access_token
    assert "create_connection" in tools
    assert created.is_error is False, created.content
    posted = [r for r in api.requests if r.method == "POST" and r.path == "/api/connections"]
    assert len(posted) == 1 and posted[0].headers.get("authorization") == f"Bearer {KEY}"
