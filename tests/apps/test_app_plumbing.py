"""The Apps extension as a client meets it: an Apps host sees each view's tools point at a ``ui://`` document it can
read; every other client sees exactly the tools, resources and results it saw before views existed."""

from __future__ import annotations

import json
import re

import pytest
from apps_support import demo_session, demo_syncs, wire
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from server_support import BASE_URL, mcp_session

from dev import contract
from polytomic_mcp.sandbox import DEMO_API_KEY, Sandbox
from polytomic_mcp.server.apps import VIEWS, view_of_tool
from polytomic_mcp.tools.core.manifest import entries

pytestmark = pytest.mark.anyio

SYNC_VIEW = "ui://polytomic/sync.html"


def test_every_view_names_tools_that_exist_and_a_document_that_is_there() -> None:
    manifest = entries()
    for view in VIEWS:
        assert view.uri.startswith("ui://polytomic/"), view.uri
        assert set(view.tools) <= set(manifest), set(view.tools) - set(manifest)
        assert view.html.lstrip().lower().startswith("<!doctype html>")
    assert view_of_tool()["get_sync_status"] == view_of_tool()["get_sync_runs"] == SYNC_VIEW


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_an_apps_host_sees_the_view_of_each_tool_and_reads_it(mode: str) -> None:
    async with demo_session(apps=True, mode=mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        with_view = {name: tool.meta for name, tool in tools.items() if tool.meta}
        assert with_view == {name: {"ui": {"resourceUri": uri}, "ui/resourceUri": uri} for name, uri in view_of_tool().items()}
        listed = {str(r.uri): r for r in (await client.list_resources()).resources}
        assert listed[SYNC_VIEW].mime_type == APP_MIME_TYPE
        read = (await client.read_resource(SYNC_VIEW)).contents
        assert len(read) == 1 and read[0].mime_type == APP_MIME_TYPE
        assert getattr(read[0], "text", None) == VIEWS[0].html


async def test_the_server_advertises_the_extension() -> None:
    """On 2026-era sessions (the SDK leaves ``extensions`` out of 2025-era capabilities; hosts then go by ``_meta.ui``)."""
    async with demo_session(apps=False, mode="auto") as client:
        capabilities = client.server_capabilities
        assert capabilities.extensions is not None and EXTENSION_ID in capabilities.extensions


async def test_a_client_without_the_extension_sees_todays_contract() -> None:
    """tools/list, resources and templates as committed in tests/server/contract.json (what dev.regenerate checks)."""
    committed = json.loads(contract.PATH.read_text())
    assert await contract.collect() == committed
    assert all("_meta" not in tool for tool in committed["tools"])
    assert not [r for r in committed["resources"] if r["uri"].startswith("ui://")]


@pytest.mark.parametrize("settings", [{}, {"mimeTypes": ["text/html"]}])
async def test_the_extension_without_the_app_mime_type_is_not_enough(settings: dict[str, object]) -> None:
    sandbox = Sandbox.with_demo_workspace(base_url=BASE_URL)
    async with mcp_session(sandbox, api_key=DEMO_API_KEY, extensions=[advertise(EXTENSION_ID, settings)]) as client:
        assert not [tool.name for tool in (await client.list_tools()).tools if tool.meta]
        assert not [r.uri for r in (await client.list_resources()).resources if str(r.uri).startswith("ui://")]


async def test_results_are_the_same_with_or_without_the_extension() -> None:
    seen: dict[bool, list[dict[str, object]]] = {}
    sandbox = Sandbox.with_demo_workspace(base_url=BASE_URL)
    for apps in (False, True):
        async with demo_session(apps=apps, sandbox=sandbox) as client:
            syncs = await demo_syncs(client)
            seen[apps] = [wire(await client.call_tool(name, {"sync_id": sync["id"]}))
                          for sync in syncs.values() for name in ("get_sync_status", "get_sync_runs")]
    assert seen[True] == seen[False]
    assert any("rejected" in json.dumps(result) for result in seen[False])


def test_the_documents_load_nothing_from_anywhere() -> None:
    """One self-contained document per view: inline script and style only, a CSP that allows no network."""
    for view in VIEWS:
        html = view.html
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert csp is not None, view.file
        policy = {part.split()[0]: part.split()[1:] for part in csp.group(1).split(";") if part.strip()}
        assert policy["default-src"] == ["'none'"]
        assert len(policy["script-src"]) == 1 and re.fullmatch(r"'unsafe-inline'|'sha256-[A-Za-z0-9+/]{43}='", policy["script-src"][0])
        assert policy["style-src"] == ["'unsafe-inline'"]
        assert policy["connect-src"] == ["'none'"]
        assert not re.search(r"\b(src|href)\s*=", html, re.I), "no external scripts, styles, images or links"
        assert not re.search(r"@import|url\s*\(|https?://(?!www\.w3\.org/2000/svg)", html, re.I)
        assert not re.search(r"\b(fetch|XMLHttpRequest|WebSocket|EventSource|importScripts)\b", html)
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function", html)
