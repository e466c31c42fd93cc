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
