"""list_syncs answers "is anything failing, what runs when" in one call, narrowed by destination and target object.

Before: items carried no schedule, next run or last run, and the only filters were name and active state.
"""

from __future__ import annotations

from typing import Any

import pytest
from server_support import call_error, call_ok, mcp_session

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio

PG_CONFIG = {"hostname": "db.example.com", "database": "analytics", "username": "u", "password": "p"}


def seed(sandbox: Sandbox) -> dict[str, Any]:
    """A failing sync to Salesforce Contact (3 failed runs), a daily sync to Postgres public.users that ran once,
    a never-run sync to Salesforce Lead and a bulk sync Salesforce -> Postgres that ran once."""
    ws = sandbox.workspace(EMPTY_API_KEY)
    failing = ws.seed_failing_sync()
    model_id, salesforce = failing["model"].id, failing["destination"].id
    pg = ws.add_connection("Warehouse", "postgresql", PG_CONFIG).id
    daily = ws.add_sync("Users to warehouse", target={"connection_id": pg, "object": "public.users"}, mode="create", active=True,
                        schedule={"frequency": "daily", "hour": "5", "minute": "0"},
                        fields=[{"source": {"model_id": model_id, "field": "email"}, "target": "email"}])
    ws.run_sync(daily.id)
    leads = ws.add_sync("Signups to leads", target={"connection_id": salesforce, "object": "Lead"}, mode="create",
                        fields=[{"source": {"model_id": model_id, "field": "email"}, "target": "Email"},
                                {"source": {"model_id": model_id, "field": "last_name"}, "target": "LastName"},
                                {"source": {"model_id": model_id, "field": "company"}, "target": "Company"}])
    bulk = ws.add_bulk_sync("Salesforce to warehouse", source_connection_id=salesforce, destination_connection_id=pg,
                            destination_configuration={"schema": "salesforce"}, schemas=["Account"])
    return {"failing": failing["sync"].id, "daily": daily.id, "leads": leads.id, "bulk": bulk["id"], "pg": pg,
            "salesforce": salesforce}


async def run_bulk(client: Any, sync_id: str) -> None:
    await call_ok(client, "start_sync", {"sync_id": sync_id})
    for _ in range(20):
        if not (await call_ok(client, "get_sync_status", {"sync_id": sync_id})).get("current_run"):
            return
    raise AssertionError("the bulk run never finished")


async def test_each_item_says_when_it_runs_and_how_its_last_run_went(sandbox: Sandbox) -> None:
    ids = seed(sandbox)
    async with mcp_session(sandbox) as client:
        await run_bulk(client, ids["bulk"])
        listed = await call_ok(client, "list_syncs", {})
    by_id = {s["id"]: s for s in listed["syncs"]}
    failing, daily, leads, bulk = (by_id[ids[k]] for k in ("failing", "daily", "leads", "bulk"))
    assert failing["last_run"]["status"] == "failed" and failing["last_run"]["rejected"] > 0 and failing["last_run"]["at"]
    assert failing["schedule"] == "manual" and "next_run_at" not in failing
    assert daily["last_run"]["status"] == "completed" and daily["last_run"]["rejected"] == 0
    assert daily["schedule"] == "daily 05:00 UTC" and daily["next_run_at"]
    assert "last_run" not in leads, "never run"
    assert bulk["kind"] == "bulk" and bulk["last_run"]["status"] == "completed" and bulk["schedule"] == "manual"


async def test_one_status_read_per_model_sync_shown_and_one_for_every_bulk_sync(sandbox: Sandbox) -> None:
    ids = seed(sandbox)
    ws = sandbox.workspace(EMPTY_API_KEY)
    extra = [ws.add_bulk_sync(f"Copy {n}", source_connection_id=ids["salesforce"], destination_connection_id=ids["pg"],
                              destination_configuration={"schema": f"s{n}"}, schemas=["Account"])["id"] for n in range(3)]
    async with mcp_session(sandbox) as client:
        sandbox.requests.clear()
        listed = await call_ok(client, "list_syncs", {})
    reads = [r.path for r in sandbox.requests]
    assert {s["id"] for s in listed["syncs"]} >= {ids["bulk"], *extra}
    assert reads.count("/api/bulk/syncs/status") == 1 and not [p for p in reads if p.startswith("/api/bulk/syncs/") and p.endswith("/status")
                                                             and p != "/api/bulk/syncs/status"]
    assert sorted(p for p in reads if p.startswith("/api/syncs/")) == sorted(f"/api/syncs/{ids[k]}/status" for k in ("failing", "daily", "leads"))


@pytest.mark.parametrize(("arguments", "expected"), [
    ({"destination": "salesforce"}, {"failing", "leads"}),
    ({"destination": "Warehouse"}, {"daily", "bulk"}),
    ({"destination": "pg"}, {"daily", "bulk"}),
    ({"destination": "salesforce", "target_object": "contact"}, {"failing"}),
    ({"target_object": "public.users"}, {"daily"}),
    ({"destination": "postgresql", "failing": True}, set()),
    ({"destination": "salesforce", "failing": True}, {"failing"}),
])
async def test_filters_by_destination_connection_or_type_and_target_object(
    sandbox: Sandbox, arguments: dict[str, Any], expected: set[str],
) -> None:
    ids = seed(sandbox)
    arguments = {k: ids[v] if v == "pg" else v for k, v in arguments.items()}
    async with mcp_session(sandbox) as client:
        listed = await call_ok(client, "list_syncs", arguments)
    assert {s["id"] for s in listed["syncs"]} == {ids[k] for k in expected} and listed["total"] == len(expected)


async def test_an_unknown_destination_names_what_exists(sandbox: Sandbox) -> None:
    seed(sandbox)
    async with mcp_session(sandbox) as client:
        text = await call_error(client, "list_syncs", {"destination": "salesforc"})
    assert "salesforc" in text and "did you mean 'salesforce'" in text and "list_connections" in text
