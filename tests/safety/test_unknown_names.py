"""Unknown names and over-long ids over an in-memory session: an error result (or -32602), never a crash.

The raw stdio and HTTP edges are in test_edges.py (slow: they start servers).
"""

from __future__ import annotations

from typing import Any

import pytest
from mcp import MCPError
from safety_support import BASE_URL, MODES, crash_log, describe, mcp_session, seed

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio

@pytest.mark.parametrize("mode", MODES)
async def test_unknown_tool_resource_and_prompt_keep_the_session(mode: str) -> None:
    sandbox = Sandbox.with_empty_workspace(base_url=BASE_URL)
    async with mcp_session(sandbox, mode) as client:
        result = await client.call_tool("no_such_tool", {"x": 1})
        assert result.is_error is True
        assert result.content[0].text == "Unknown tool: no_such_tool"

        for uri in ["polytomic://nope", "file:///etc/passwd", "polytomic://connections/does-not-exist",
                    "polytomic://models/does-not-exist", "polytomic://connections/" + "x" * 70_000, ""]:
            with pytest.raises(MCPError) as caught:
                await client.read_resource(uri)
            assert caught.value.code == -32602, (uri[:60], caught.value.code, caught.value.message)

        with pytest.raises(MCPError):
            await client.get_prompt("no_such_prompt", {})

        listed = await client.call_tool("list_connections", {})
        assert not listed.is_error and listed.structured_content == {"connections": [], "total": 0}
        assert "list_connections" in {t.name for t in (await client.list_tools()).tools}


OVERLONG = "x" * 70_000  # percent-encoded into the request URL, it passes httpx2's 65,536-character limit


def overlong_cases(seeded: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    target = {"connection_id": seeded.salesforce, "object": "Contact"}
    return {
        "list_connections": ("list_connections", {"connection_id": OVERLONG}),
        "list_models": ("list_models", {"model_id": OVERLONG}),
        "list_syncs": ("list_syncs", {"sync_id": OVERLONG}),
        "get_sync_status": ("get_sync_status", {"sync_id": OVERLONG}),
        "start_sync": ("start_sync", {"sync_id": OVERLONG}),
        "activate_sync": ("activate_sync", {"sync_id": OVERLONG, "active": False}),
        "list_source_objects-id": ("list_source_objects", {"connection_id": OVERLONG}),
        "list_source_objects-params": ("list_source_objects", {"connection_id": seeded.mongo, "params": {"database": OVERLONG}}),
        "list_target_objects": ("list_target_objects", {"connection_id": OVERLONG}),
        "list_target_objects-fields": ("list_target_objects", {"connection_id": OVERLONG, "target_object": "Contact"}),
        "create_model": ("create_model", {"name": "m", "connection_id": OVERLONG, "configuration": {}}),
        "create_sync-target": ("create_sync", {"name": "s", "mode": "create", "target": {**target, "connection_id": OVERLONG},
                                               "fields": [], "schedule": {"frequency": "manual"}}),
        "create_sync-model": ("create_sync", {"name": "s", "mode": "create", "target": target, "dry_run": True,
                                              "fields": [{"source": {"model_id": OVERLONG, "field": "email"}, "target": "Email"}],
                                              "schedule": {"frequency": "manual"}}),
        "list_models-cursor": ("list_models", {"cursor": OVERLONG}),
        "list_syncs-cursor": ("list_syncs", {"cursor": OVERLONG}),
    }


OVERLONG_CASES = sorted(overlong_cases(type("S", (), {"salesforce": "s", "mongo": "m"})()))


@pytest.mark.parametrize("case", OVERLONG_CASES)
async def test_overlong_id_is_an_error_result_not_a_crash(case: str) -> None:
    sandbox = Sandbox.with_empty_workspace(base_url=BASE_URL)
    with crash_log() as crashes:
        async with mcp_session(sandbox) as client:
            seeded = await seed(client, sandbox)
            tool, arguments = overlong_cases(seeded)[case]
            listed = tool in {t.name for t in (await client.list_tools()).tools}
            crashes.take()
            result = await client.call_tool(tool, arguments) if listed else None
            crashed = [describe(c) for c in crashes.take()]
            still_serving = await client.call_tool("list_connections", {})
    if result is None:
        pytest.skip(f"{tool} is not listed")
    assert not still_serving.is_error
    assert result.is_error is True
    text = result.content[0].text
    assert text != f"Error executing tool {tool}", f"the tool crashed: {crashed}"
    assert text.startswith(f"Error executing tool {tool}: ")


@pytest.mark.parametrize("tool,argument", [("list_connections", "connection_id"), ("list_models", "model_id"), ("list_syncs", "sync_id")])
async def test_long_id_under_the_url_limit_is_not_found(tool: str, argument: str) -> None:
    """60,000 URL-safe characters still fit in a URL: a normal 'not found' error result."""
    sandbox = Sandbox.with_empty_workspace(base_url=BASE_URL)
    async with mcp_session(sandbox) as client:
        result = await client.call_tool(tool, {argument: "x" * 60_000})
        assert result.is_error is True
        text = result.content[0].text
        assert text.startswith(f"Error executing tool {tool}: Could not get") and "not found" in text, text[:300]

