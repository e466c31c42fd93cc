"""The server declares logging, honours logging/setLevel, and sends progress and warnings as log messages."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from mcp import MCPDeprecationWarning
from server_support import mcp_session
from workflow import MONGO, SALESFORCE, model_args

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def run(sandbox: Sandbox, mode: str, level: str | None) -> list[tuple[str, Any]]:
    logs: list[tuple[str, Any]] = []

    async def on_log(params: Any) -> None:
        logs.append((params.level, params.data))

    async with mcp_session(sandbox, mode=mode, logging_callback=on_log, log_level="debug") as client:
        if level is not None:
            assert client.server_capabilities.logging is not None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MCPDeprecationWarning)
                await client.set_logging_level(level)
        mongo = (await client.call_tool("create_connection", MONGO)).structured_content
        await client.call_tool("create_model", model_args(mongo["id"]))
        await client.call_tool("create_connection", SALESFORCE)
    return logs


async def test_progress_and_warnings_arrive_as_log_messages(sandbox: Sandbox) -> None:
    logs = await run(sandbox, "auto", None)
    assert ("info", "model 'MongoDB Model': Polytomic job done") in logs
    assert any(level == "warning" and "auth_url" in data for level, data in logs)


async def test_set_level_filters_lower_levels(sandbox: Sandbox) -> None:
    logs = await run(sandbox, "legacy", "warning")
    assert logs and all(level == "warning" for level, _ in logs)


def test_a_chosen_level_belongs_to_its_connection_not_to_the_server() -> None:
    """Before: logging/setLevel set one level for the whole server, so one tenant could silence another's messages."""
    from types import SimpleNamespace

    from polytomic_mcp.server.state import ServerState, connection_key

    state = ServerState()
    alice, bob = object(), object()
    alice_request_1, alice_request_2 = SimpleNamespace(client_params=alice), SimpleNamespace(client_params=alice)
    state.log_levels.put(connection_key(alice_request_1), "error")
    assert state.log_level(alice_request_2) == "error", "every request of one connection sees its choice"
    assert state.log_level(SimpleNamespace(client_params=bob)) == "info", "another connection keeps its own"
