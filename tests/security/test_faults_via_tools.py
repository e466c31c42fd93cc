"""Through the MCP tools: retried creates never duplicate, and exhausted retries say what may have happened."""

from __future__ import annotations

import pytest
from mcp import Client
from server_support import BASE_URL, MODES
from workflow import run_workflow

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, FaultConfig, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio


def client_for(sandbox: Sandbox, retries: int) -> PolytomicClient:
    return PolytomicClient(
        EMPTY_API_KEY, base_url=BASE_URL, transport=sandbox.transport(), max_retries=retries,
        retry_backoff=0.001, max_retry_delay=0.005, job_poll_interval=0.001,
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", [11, 12])
async def test_workflow_under_thirty_percent_faults_creates_exactly_one_of_each(sandbox: Sandbox, mode: str, seed: int) -> None:
    sandbox.faults = FaultConfig(rate=0.3, seed=seed, slow_seconds=0.005, retry_after=0.001)
    async with client_for(sandbox, retries=10) as api:
        async with Client(build_server(Settings(sandbox=True), client=api), mode=mode) as client:
            await run_workflow(client, sandbox)
    workspace = sandbox.workspace(EMPTY_API_KEY)
    assert (len(workspace.connections), len(workspace.models), len(workspace.syncs)) == (2, 1, 1)
    faults = {r.fault for r in sandbox.requests if r.fault}
    assert "drop" in faults and len(faults) >= 3


async def test_exhausted_retries_are_honest(sandbox: Sandbox) -> None:
    sandbox.faults = FaultConfig(rate=0.3, seed=5, kinds=("500", "503", "drop"), retry_after=0.001)
    outcomes: dict[str, str] = {}
    async with client_for(sandbox, retries=0) as api:
        async with Client(build_server(Settings(sandbox=True), client=api)) as client:
            for index in range(60):
                name = f"conn-{index}"
                result = await client.call_tool("create_connection", {
                    "name": name, "type": "mongodb", "configuration": {"hosts": "example.mongodb.net"}})
                outcomes[name] = result.content[0].text if result.is_error else "created"
    stored = {c.name for c in sandbox.workspace(EMPTY_API_KEY).connections.values()}
    maybe = {n for n, text in outcomes.items() if "MAY have been applied" in text}
    created = {n for n, text in outcomes.items() if text == "created"}
    assert created <= stored, "a reported success must exist"
    assert stored <= created | maybe, "an object we did not report must have been flagged as possibly created"
    assert maybe, "30% faults without retries must produce some uncertain outcomes"
    assert any("could not check whether" in text for text in outcomes.values()), "a failed name check must refuse, not skip"
    for name in maybe:
        assert f"list_connections(search='{name}')" in outcomes[name]
    assert any(n in stored for n in maybe), "dropped answers hide real creates; the message must have said so"
