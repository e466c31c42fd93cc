"""Diagnose runs: plain status, recent runs with counts, one run's rejected records and console log, failing syncs, cancel."""

from __future__ import annotations

import pytest
from server_support import MODES, call_error, call_ok, call_relayed, consent_token, mcp_session
from workflow import run_workflow

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("mode", MODES)
async def test_is_anything_failing_is_one_call_and_the_runs_say_why(sandbox: Sandbox, mode: str) -> None:
    seeded = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=3)
    sync_id = seeded["sync"].id
    async with mcp_session(sandbox, mode=mode) as client:
        ids = await run_workflow(client, sandbox)
        failing = await call_ok(client, "list_syncs", {"failing": True})
        status = await call_ok(client, "get_sync_status", {"sync_id": sync_id})
        runs = await call_ok(client, "get_sync_runs", {"sync_id": sync_id, "only_failed": True, "limit": 2})
        detail = await call_ok(client, "get_sync_runs", {"sync_id": sync_id, "execution_id": runs["runs"][0]["id"]})
        healthy = await call_ok(client, "get_sync_status", {"sync_id": ids["sync"]})
    assert [s["id"] for s in failing["syncs"]] == [sync_id] and "last run failed" in failing["syncs"][0]["failing"]
    assert status["summary"].startswith("Last run failed") and "REQUIRED_FIELD_MISSING" in status["last_run"]["errors"][0]
    assert "get_sync_runs" in status["next_step"]
    assert len(runs["runs"]) == 2 and all(r["status"] == "failed" for r in runs["runs"])
    assert runs["runs"][0]["records"]["errored"] == runs["runs"][0]["records"]["total"] > 0
    assert detail["record_logs"]["errors"] > 0 and detail["record_errors"][0]["code"] == "REQUIRED_FIELD_MISSING"
    assert detail["console_tail"] and "update_sync" in detail["next_step"]
    assert healthy["summary"].startswith("Never run.")


async def test_a_run_in_progress_can_be_followed_and_stopped(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        started = await call_relayed(client, "start_sync", {"sync_id": ids["sync"]})
        running = await call_ok(client, "get_sync_status", {"sync_id": ids["sync"]})
        stopped = await call_relayed(client, "cancel_sync_run", {"sync_id": ids["sync"], "execution_id": started["execution_id"]})
        after = await call_ok(client, "get_sync_status", {"sync_id": ids["sync"]})
        stop = {"sync_id": ids["sync"], "execution_id": started["execution_id"]}
        again = await call_error(client, "cancel_sync_run", {**stop, "consent_token": consent_token(await call_error(client, "cancel_sync_run", stop))})
    assert running["summary"].startswith("Running now") and "cancel_sync_run" in running["next_step"]
    assert stopped["execution_id"] == started["execution_id"] and "get_sync_status" in stopped["next_step"]
    assert after["summary"].startswith("Last run canceled") and "current_run" not in after
    assert "Nothing to stop" in again and "already ended" in again


async def test_pausing_says_there_is_no_automatic_resume(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        paused = await call_ok(client, "activate_sync", {"sync_id": ids["sync"], "active": False})
        status = await call_ok(client, "get_sync_status", {"sync_id": ids["sync"]})
    assert paused["active"] is False and "no automatic resume" in paused["note"]
    assert "Paused" in status["summary"]
