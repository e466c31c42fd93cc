"""Two updates of one object at once: each sends the whole merged object, so the later one used to undo the earlier.

Now a process serializes its updates of one object and, just before saving, reads the object again: when
someone changed it after the call read it, the call changes nothing and says so. Nothing is lost silently.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from server_support import MODES, call_ok, mcp_session
from workflow import run_workflow

from polytomic_mcp.sandbox import FaultConfig, Sandbox

pytestmark = pytest.mark.anyio


async def both(client: Any, tool: str, first: dict[str, Any], second: dict[str, Any]) -> list[Any]:
    """Start two calls together; their results, in order."""
    results: list[Any] = [None, None]

    async def call(index: int, arguments: dict[str, Any]) -> None:
        results[index] = await client.call_tool(tool, arguments)

    async with anyio.create_task_group() as group:
        group.start_soon(call, 0, first)
        group.start_soon(call, 1, second)
    return results


def outcome(results: list[Any]) -> tuple[int, list[str]]:
    """How many succeeded, and the error texts."""
    errors = [r.content[0].text for r in results if r.is_error]
    return len(results) - len(errors), errors


@pytest.mark.parametrize("mode", MODES)
async def test_two_connection_updates_at_once_lose_nothing_silently(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        ids = await run_workflow(client, sandbox)
        sandbox.faults = FaultConfig(rate=1.0, kinds=("slow",), only=r"PUT /api/connections/.*", slow_seconds=0.2)
        results = await both(client, "update_connection",
                             {"connection_id": ids["mongo"], "name": "Mongo (renamed)"},
                             {"connection_id": ids["mongo"], "configuration": {"username": "other", "password": "secret"}})
        sandbox.faults = FaultConfig()
        stored = await call_ok(client, "list_connections", {"connection_id": ids["mongo"]})
    done, errors = outcome(results)
    assert done == 1 and len(errors) == 1 and "changed by someone else" in errors[0] and "Nothing was changed" in errors[0]
    renamed = results[0].is_error is False
    assert (stored["name"] == "Mongo (renamed)") is renamed
    assert (stored["configuration"]["username"] == "other") is not renamed


@pytest.mark.parametrize("mode", MODES)
async def test_two_sync_updates_at_once_lose_nothing_silently(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        ids = await run_workflow(client, sandbox)
        sandbox.faults = FaultConfig(rate=1.0, kinds=("slow",), only=r"PUT /api/syncs/.*", slow_seconds=0.2)
        results = await both(client, "update_sync",
                             {"sync_id": ids["sync"], "name": "Renamed sync"},
                             {"sync_id": ids["sync"], "schedule": {"frequency": "manual"}})
        sandbox.faults = FaultConfig()
        stored = await call_ok(client, "list_syncs", {"sync_id": ids["sync"]})
    done, errors = outcome(results)
    assert done == 1 and "changed by someone else" in errors[0]
    renamed = results[0].is_error is False
    assert (stored["name"] == "Renamed sync") is renamed
    assert (stored["schedule"]["frequency"] == "manual") is not renamed


async def test_one_update_after_another_both_apply(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        await call_ok(client, "update_sync", {"sync_id": ids["sync"], "name": "Renamed sync"})
        await call_ok(client, "update_sync", {"sync_id": ids["sync"], "schedule": {"frequency": "manual"}})
        stored = await call_ok(client, "list_syncs", {"sync_id": ids["sync"]})
    assert stored["name"] == "Renamed sync" and stored["schedule"]["frequency"] == "manual"
