"""Read-only mode and tool filtering fail closed; every setting is parsed strictly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from server_support import MODES, call_ok, mcp_session
from workflow import MONGO

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.settings import Settings, SettingsError, parse_bool
from polytomic_mcp.tools import SPECS

pytestmark = pytest.mark.anyio
READ_ONLY = {name for name, spec in SPECS.items() if spec.read_only}


@pytest.mark.parametrize("mode", MODES)
async def test_read_only_lists_only_read_tools_and_refuses_writes(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode, settings=Settings(sandbox=True, read_only=True)) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        assert names == READ_ONLY and "create_connection" not in names
        for tool in ("create_connection", "create_sync", "activate_sync", "start_sync"):
            result = await client.call_tool(tool, MONGO if tool == "create_connection" else {"sync_id": "x"})
            assert result.is_error
            assert "read-only mode" in result.content[0].text and tool in result.content[0].text
        assert (await call_ok(client, "list_connections", {}))["total"] == 0
    assert sandbox.workspace(next(iter(sandbox.workspaces))).connections == {}
    assert not [r for r in sandbox.requests if r.method != "GET"]


@pytest.mark.parametrize("mode", MODES)
async def test_tool_filter_and_read_only_wins(sandbox: Sandbox, mode: str) -> None:
    chosen = frozenset({"create_connection", "list_target_objects", "list_connections"})
    async with mcp_session(sandbox, mode=mode, settings=Settings(sandbox=True, tools=chosen)) as client:
        assert {t.name for t in (await client.list_tools()).tools} == chosen
        refused = await client.call_tool("get_model", {"model_id": "m"})
        assert refused.is_error and "not in this server's tool list" in refused.content[0].text
    both = Settings(sandbox=True, tools=chosen, read_only=True)
    async with mcp_session(sandbox, mode=mode, settings=both) as client:
        assert {t.name for t in (await client.list_tools()).tools} == {"list_target_objects", "list_connections"}
        refused = await client.call_tool("create_connection", MONGO)
        assert refused.is_error and "read-only mode" in refused.content[0].text


@pytest.mark.parametrize("raw", ["true", "TRUE", "1", "yes", "Yes"])
def test_true_words(raw: str) -> None:
    assert parse_bool("X", raw) is True


@pytest.mark.parametrize("raw", ["read_only-true", "ture", "on", "", "y", "truee", "2"])
def test_anything_else_is_refused(raw: str) -> None:
    with pytest.raises(SettingsError, match="X must be one of true/false"):
        parse_bool("X", raw)


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POLYTOMIC_")}
    return subprocess.run(
        [sys.executable, "-m", "polytomic_mcp", *args], capture_output=True, text=True, env={**clean, **env},
        timeout=30, stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        ((), {"POLYTOMIC_READ_ONLY": "read_only-true", "POLYTOMIC_API_KEY": "k"}, "POLYTOMIC_READ_ONLY"),
        ((), {"POLYTOMIC_READ_ONLY": "ture", "POLYTOMIC_API_KEY": "k"}, "POLYTOMIC_READ_ONLY"),
        ((), {"POLYTOMIC_API_VERSION": "2023-01-01", "POLYTOMIC_API_KEY": "k"}, "POLYTOMIC_API_VERSION"),
        ((), {"POLYTOMIC_BASE_URL": "app.polytomic.com", "POLYTOMIC_API_KEY": "k"}, "POLYTOMIC_BASE_URL"),
        (("--port", "70000", "--sandbox"), {}, "--port"),
        (("--port", "http", "--sandbox"), {}, "--port"),
        (("--tools", "create_connection,drop_database", "--sandbox"), {}, "drop_database"),
        ((), {"POLYTOMIC_TOOLS": "list_connectionz", "POLYTOMIC_SANDBOX": "1"}, "POLYTOMIC_TOOLS"),
        ((), {"POLYTOMIC_SECRET_PREFIX": "POLYTOMIC_", "POLYTOMIC_SANDBOX": "1"}, "POLYTOMIC_SECRET_PREFIX"),
        (("--key-from-request",), {}, "--transport http"),
        ((), {"POLYTOMIC_SANDBOX": "maybe"}, "POLYTOMIC_SANDBOX"),
    ],
)
def test_bad_settings_refuse_to_start_with_exit_2(args: tuple[str, ...], env: dict[str, str], named: str) -> None:
    process = run_cli(*args, **env)
    assert process.returncode == 2, process.stderr
    assert named in process.stderr
    assert process.stdout == ""
