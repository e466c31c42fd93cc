"""Real transports: ``python -m polytomic_mcp --sandbox`` over stdio, and Streamable HTTP on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import processes
import pytest
from mcp import Client, StdioServerParameters
from processes import stdio_exchange
from server_support import handshake
from workflow import MONGO

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

MODES = ["auto", "legacy"]


async def list_and_create(client: Client, name: str = MONGO["name"]) -> None:
    """tools/list, then a create_connection named ``name`` (names are unique within a server's workspace)."""
    names = {t.name for t in (await client.list_tools()).tools}
    assert {"create_connection", "create_sync", "list_target_objects"} <= names
    result = await client.call_tool("create_connection", {**MONGO, "name": name})
    assert not result.is_error, result.content[0].text
    assert result.structured_content["configuration"]["password"] == "******"


@pytest.mark.parametrize("mode", MODES)
async def test_stdio_subprocess(mode: str) -> None:
    params = StdioServerParameters(command=sys.executable, args=["-m", "polytomic_mcp", "--sandbox"])
    async with Client(params, mode=mode) as client:
        await list_and_create(client)


@pytest.fixture(scope="module", params=[False, True], ids=["stateful", "stateless"])
def http_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """One server per kind, shared by both protocol eras (each test opens its own session)."""
    with processes.http_server("--sandbox", stateless=request.param) as url:
        yield url


@pytest.mark.parametrize("mode", MODES)
async def test_streamable_http(http_server: str, mode: str) -> None:
    async with Client(http_server, mode=mode) as client:
        await list_and_create(client, f"MongoDB over HTTP, {mode}")


def test_stdout_carries_only_protocol_in_stdio_mode() -> None:
    create = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "create_connection", "arguments": MONGO}}
    stdout, stderr = stdio_exchange(handshake(create), 2, "--log-level", "DEBUG")
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) >= 2 and '"serverInfo"' in lines[0]
    assert all(json.loads(line)["jsonrpc"] == "2.0" for line in lines)
    assert "DEBUG" in stderr, "logs went to stderr"


def test_a_silent_stdio_server_cannot_hang_the_exchange() -> None:
    """The helper's deadline holds even when the server never writes a line (nothing is sent, so it waits on stdin)."""
    with pytest.raises(TimeoutError, match="no answer to id 1"):
        stdio_exchange([], 1, timeout=1)


def test_missing_key_exits_2_with_what_to_set() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYTOMIC_")}
    process = subprocess.run([sys.executable, "-m", "polytomic_mcp"], capture_output=True, text=True, env=env, timeout=30)
    assert process.returncode == 2
    assert "POLYTOMIC_API_KEY" in process.stderr and "--sandbox" in process.stderr
    assert process.stdout == ""


def test_demo_runs_and_prints_a_transcript() -> None:
    process = subprocess.run([sys.executable, "-m", "polytomic_mcp", "demo"], capture_output=True, text=True, timeout=120)
    assert process.returncode == 0, process.stderr[-2000:]
    for step in ("create_connection", "create_model", "list_target_objects", "create_sync", "start_sync"):
        assert step in process.stdout
    seeded = process.stdout.split("[3] create_connection", 1)[0]
    assert "Customers to Salesforce Contacts" in seeded, "the demo first shows the demo workspace's failing sync"
    for cause in ("STRING_TOO_LONG", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "MALFORMED_ID", "INVALID_CROSS_REFERENCE_KEY", "INVALID_TYPE"):
        assert f"why: 1 of 5 records rejected by Salesforce Contact: {cause}" in seeded
    assert "auth_url" in process.stdout
    assert '"password": "******"' in process.stdout and '"secret"' not in process.stdout
