"""Bulk-sync runs: created -> running -> completed per read, per-schema counts, failures, 409, cancel and logs."""

from __future__ import annotations

from typing import Any

import pytest
from bulk_support import Connections, data, error, poll_until_done, reference_body, seed, workspace

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.sandbox.world import system_for

pytestmark = pytest.mark.anyio

ROWS = {name: system_for("salesforce").tables[name].row_count for name in ("Account", "Contact", "Lead")}


@pytest.fixture
def conns(sandbox: Sandbox) -> Connections:
    return seed(sandbox)


async def make(client: Any, conns: Connections, **overrides: Any) -> dict[str, Any]:
    sync: dict[str, Any] = await data(await client.post("/api/bulk/syncs", json=reference_body(conns, **overrides)))
    return sync


async def start(client: Any, sync_id: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    execution: dict[str, Any] = await data(await client.post(f"/api/bulk/syncs/{sync_id}/executions", json=body or {}))
    return execution


async def test_a_run_advances_one_step_per_status_read_with_per_schema_counts(conns, client) -> None:
    sync = await make(client, conns)
    started = await start(client, sync["id"])
    assert started["status"] == "created" and [s["schema"] for s in started["schemas"]] == ["Contact", "Account"]
    assert started["output_disposition"] == "retain" and started["is_test"] is False
    steps = [await data(await client.get(f"/api/bulk/syncs/{sync['id']}/status")) for _ in range(2)]
    running, done = steps
    assert running["current_execution"]["status"] == "running" and running["last_execution"] is None
    assert {s["status"] for s in running["current_execution"]["schemas"]} == {"running"}
    assert done["current_execution"] is None
    last = done["last_execution"]
    assert last["status"] == "completed" and last["status_message"] == "" and last["error_count"] == 0
    assert {s["schema"]: s["record_count"] for s in last["schemas"]} == {"Contact": ROWS["Contact"], "Account": ROWS["Account"]}
    assert last["record_count"] == ROWS["Contact"] + ROWS["Account"]
    assert {s["schema"]: s["output_name"] for s in last["schemas"]} == {"Contact": "contact", "Account": "account"}


async def test_a_second_start_while_running_is_409(conns, client) -> None:
    sync = await make(client, conns)
    first = await start(client, sync["id"])
    message = error(await client.post(f"/api/bulk/syncs/{sync['id']}/executions", json={}), 409)
    assert "already running" in message and first["id"] in message
    await poll_until_done(client, sync["id"], first["id"])
    assert (await start(client, sync["id"]))["status"] == "created"


async def test_later_runs_are_incremental_unless_resynced(conns, client) -> None:
    sync = await make(client, conns, schemas=["Account"])
    await poll_until_done(client, sync["id"], (await start(client, sync["id"]))["id"])
    second = await poll_until_done(client, sync["id"], (await start(client, sync["id"]))["id"])
    assert second["record_count"] == ROWS["Account"] // 20
    resynced = await start(client, sync["id"], {"resync_mode": "rebuild"})
    assert resynced["is_resync"] is True and resynced["output_disposition"] == "rebuild"
    assert (await poll_until_done(client, sync["id"], resynced["id"]))["record_count"] == ROWS["Account"]


async def test_the_seeded_failing_schema_fails_alone(conns, client) -> None:
    sync = await make(client, conns, schemas=["Account", "Task"])
    done = await poll_until_done(client, sync["id"], (await start(client, sync["id"]))["id"])
    rows = {s["schema"]: s for s in done["schemas"]}
    assert rows["Account"]["status"] == "completed" and rows["Account"]["record_count"] == ROWS["Account"]
    assert rows["Task"]["status"] == "failed" and rows["Task"]["error_count"] == 1
    assert "INVALID_TYPE_FOR_OPERATION" in rows["Task"]["status_message"]
    assert done["status"] == "completed" and done["error_count"] == 1 and done["status_message"] == "1 of 2 schemas failed: Task"

    only_task = await make(client, conns, name="tasks", schemas=["Task"])
    failed = await poll_until_done(client, only_task["id"], (await start(client, only_task["id"]))["id"])
    assert failed["status"] == "failed" and failed["status_message"] == "every schema failed: Task"


async def test_fail_bulk_schema_makes_any_schema_fail(conns, sandbox, client) -> None:
    workspace(sandbox).fail_bulk_schema(conns.postgres, "public.orders", "permission denied for table orders")
    sync = await make(client, conns, source_connection_id=conns.postgres, schemas=["public.users", "public.orders"])
    done = await poll_until_done(client, sync["id"], (await start(client, sync["id"]))["id"])
    assert {s["schema"]: s["status"] for s in done["schemas"]} == {"public.users": "completed", "public.orders": "failed"}
    assert done["status_message"] == "1 of 2 schemas failed: public.orders"


async def test_test_runs_copy_at_most_five_records_per_schema(conns, client) -> None:
    sync = await make(client, conns)
    done = await poll_until_done(client, sync["id"], (await start(client, sync["id"], {"test": True}))["id"])
    assert done["is_test"] is True and {s["record_count"] for s in done["schemas"]} == {5}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"resync": True}, "resync is no longer accepted on API version 2025-09-18; send resync_mode"),
        ({"test": True, "resync_mode": "resync"}, "test and resync_mode cannot be combined"),
        ({"resync_mode": "full"}, "resync_mode must be one of refetch, resync, rebuild"),
        ({"fetch_mode": "all"}, "fetch_mode must be one of none, incremental, full"),
        ({"schemas": ["Lead"]}, 'schemas[0]: "Lead" is not an enabled schema of this bulk sync; enabled: Contact, Account'),
    ],
)
async def test_bad_start_bodies_are_400(conns, client, body, expected) -> None:
    sync = await make(client, conns)
    assert expected in error(await client.post(f"/api/bulk/syncs/{sync['id']}/executions", json=body), 400)


async def test_2024_starts_a_resync_with_the_old_boolean(conns, legacy_client) -> None:
    sync = await data(await legacy_client.post("/api/bulk/syncs", json=reference_body(conns, legacy=True)))
    started = await data(await legacy_client.post(f"/api/bulk/syncs/{sync['id']}/executions", json={"resync": True}))
    assert started["is_resync"] is True and started["output_disposition"] == "rebuild"


async def test_a_partial_run_copies_only_the_asked_schemas(conns, client) -> None:
    sync = await make(client, conns)
    started = await start(client, sync["id"], {"schemas": ["Account"]})
    assert started["is_partial"] is True and [s["schema"] for s in started["schemas"]] == ["Account"]


async def test_cancel_goes_canceling_then_canceled(conns, client) -> None:
    sync = await make(client, conns)
    started = await start(client, sync["id"])
    cancel = await data(await client.post(f"/api/bulk/syncs/{sync['id']}/executions/{started['id']}/cancel"))
    assert started["id"] in cancel["message"]
    seen = await data(await client.get(f"/api/bulk/syncs/{sync['id']}/executions/{started['id']}"))
    assert seen["status"] == "canceled" and {s["status"] for s in seen["schemas"]} == {"canceled"}
    again = await data(await client.post(f"/api/bulk/syncs/{sync['id']}/cancel"))
    assert again["message"] == "no execution is running"


async def test_deactivating_cancels_the_running_execution(conns, client) -> None:
    sync = await make(client, conns, active=True)
    started = await start(client, sync["id"])
    assert await data(await client.post(f"/api/bulk/syncs/{sync['id']}/activate", json={"active": False})) == {"id": sync["id"], "active": False}
    status = await data(await client.get(f"/api/bulk/syncs/{sync['id']}/status"))
    assert status["current_execution"] is None and status["last_execution"]["id"] == started["id"]
    assert status["last_execution"]["status"] == "canceled"


async def test_a_connection_that_breaks_after_create_fails_the_run(conns, sandbox, client) -> None:
    sync = await make(client, conns)
    stored = workspace(sandbox).connections[conns.snowflake]
    stored.status, stored.status_error = "unhealthy", "password expired"
    done = await poll_until_done(client, sync["id"], (await start(client, sync["id"]))["id"])
    assert done["status"] == "failed" and "password expired" in done["status_message"]


async def test_history_pages_and_filters_terminal_runs(conns, client) -> None:
    sync = await make(client, conns)
    finished = await poll_until_done(client, sync["id"], (await start(client, sync["id"]))["id"])
    running = await start(client, sync["id"])
    terminal = await data(await client.get(f"/api/bulk/syncs/{sync['id']}/executions", params={"only_terminal": "true"}))
    assert [e["id"] for e in terminal] == [finished["id"]], "the read moved the new run to running, which is not terminal"
    listed = await client.get(f"/api/bulk/syncs/{sync['id']}/executions", params={"limit": 1})
    assert [e["id"] for e in listed.json()["data"]] == [running["id"]] and listed.json()["pagination"]["next_page_token"]
    other = await make(client, conns, name="other")
    assert (await client.get(f"/api/bulk/syncs/{other['id']}/executions/{finished['id']}")).status_code == 404


async def test_console_log_follows_the_run_with_a_cursor(conns, client) -> None:
    sync = await make(client, conns, schemas=["Account", "Task"])
    run = await poll_until_done(client, sync["id"], (await start(client, sync["id"]))["id"])
    path = f"/api/bulk/syncs/{sync['id']}/executions/{run['id']}/consolelog"
    everything = await data(await client.get(path))
    messages = [e["message"] for e in everything["entries"]]
    assert messages[0].startswith("execution queued") and any(m.startswith("Task: Salesforce rejected") for m in messages)
    assert everything["next_cursor"] == ""
    first = await data(await client.get(path, params={"limit": 2}))
    rest = await data(await client.get(path, params={"after": first["next_cursor"]}))
    assert first["entries"] + rest["entries"] == everything["entries"]


async def test_status_summary_reports_each_schema_once(conns, client) -> None:
    sync = await make(client, conns, schemas=["Account", "Task"])
    run = await poll_until_done(client, sync["id"], (await start(client, sync["id"]))["id"])
    summary = await data(await client.get("/api/bulk/syncs/status", params={"sync_id": sync["id"]}))
    rows = {r["schema"]: r for r in summary[0]["schemas"]}
    assert summary[0]["sync_id"] == sync["id"] and set(rows) == {"Account", "Task"}
    assert rows["Task"]["status"] == "failed" and rows["Account"]["execution_id"] == run["id"]
    assert "sync_id (repeatable), all=true or active=true" in error(await client.get("/api/bulk/syncs/status"), 400)


async def test_delete_cancels_and_removes_history(conns, sandbox, client) -> None:
    sync = await make(client, conns)
    await start(client, sync["id"])
    assert (await client.delete(f"/api/bulk/syncs/{sync['id']}")).status_code == 204
    assert (await client.get(f"/api/bulk/syncs/{sync['id']}")).status_code == 404
    assert workspace(sandbox).bulk.executions == {}


async def test_seed_helper_stores_a_runnable_sync(conns, sandbox, client) -> None:
    seeded = workspace(sandbox).add_bulk_sync(
        "seeded", source_connection_id=conns.hubspot, destination_connection_id=conns.postgres,
        destination_configuration={"schema": "hubspot"}, schemas=["contacts"],
    )
    assert seeded["default_schedule"]["frequency"] == "manual"
    done = await poll_until_done(client, seeded["id"], (await start(client, seeded["id"]))["id"])
    assert [s["schema"] for s in done["schemas"]] == ["contacts"] and done["status"] == "completed"
    with pytest.raises(ValueError, match='schema "deal" does not exist'):
        workspace(sandbox).add_bulk_sync("bad", source_connection_id=conns.hubspot, destination_connection_id=conns.postgres,
                                         destination_configuration={"schema": "x"}, schemas=["deal"])
