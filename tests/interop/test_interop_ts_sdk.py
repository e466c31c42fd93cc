"""The reference workflow through the official TypeScript SDK (node/sdk_workflow.mjs): Client with
StdioClientTransport and StreamableHTTPClientTransport; every structured result is validated by the SDK
against the tool's outputSchema (tools are listed first, so the validators are in place)."""

from __future__ import annotations

import pytest
from interop_support import HttpServer, Toolchain, parse_json_output, sdk_workflow, stdio_server_command

pytestmark = pytest.mark.slow

WORKFLOW_STEPS = [
    "list_connection_types", "create_connection", "create_connection", "create_model",
    "list_target_objects", "create_sync", "start_sync", "get_sync_status",
]


def check_summary(summary: dict, *, http: bool) -> None:
    assert summary["ok"] is True, summary
    assert summary["protocolVersion"] == "2025-11-25", summary["protocolVersion"]
    assert summary["serverInfo"]["name"] == "polytomic"
    assert summary["steps"] == WORKFLOW_STEPS
    # the SDK had an output-schema validator for every call (so each structuredContent was validated)
    assert summary["validated"] == WORKFLOW_STEPS
    assert summary["validatorRejectsWrongShape"] is True
    assert set(WORKFLOW_STEPS) <= set(summary["toolsWithOutputSchema"])
    ids = summary["ids"]
    assert len(set(ids.values())) == 4 and all(ids.values())
    assert summary["start"]["sync_id"] == ids["sync"] and summary["start"]["execution_id"]
    assert summary["status"]["sync_id"] == ids["sync"]
    assert summary["status"]["current_run"]["id"] == summary["start"]["execution_id"]
    assert {ids["mongo"], ids["salesforce"]} <= set(summary["connectionsResource"])
    assert summary["promptMessages"] >= 1
    assert "closeError" not in summary, summary["closeError"]
    if http:
        assert summary["sessionId"], "a stateful server gives a session id"


def run_workflow(toolchain: Toolchain, *target: str) -> dict:
    result = sdk_workflow(toolchain, *target)
    summary = parse_json_output(result)
    assert not result.timed_out and result.returncode == 0, f"the TypeScript SDK workflow failed: {summary.get('failedStep')}: {summary.get('error')}\n{result.describe()}"
    return summary


def test_workflow_over_stdio(toolchain: Toolchain) -> None:
    summary = run_workflow(toolchain, "stdio", *stdio_server_command())
    check_summary(summary, http=False)


def test_workflow_over_streamable_http(toolchain: Toolchain, stateful_server: HttpServer) -> None:
    summary = run_workflow(toolchain, "http", stateful_server.url)
    check_summary(summary, http=True)
    assert stateful_server.alive(), stateful_server.log_tail()


def test_workflow_over_stateless_streamable_http(toolchain: Toolchain, stateless_server: HttpServer) -> None:
    summary = run_workflow(toolchain, "http", stateless_server.url)
    assert summary["ok"] is True, summary
    assert summary["sessionId"] is None, "a --stateless server gives no session id"
    check_summary({**summary, "sessionId": None}, http=False)
