"""create_sync echoes the schedule as saved and, for a scheduled sync that is on, when it runs next."""

from __future__ import annotations

import pytest
from server_support import call_ok, mcp_session, users_model_and_warehouse
from workflow import MONGO

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("active", "runs_next"), [(True, True), (False, False)])
async def test_a_created_sync_says_its_schedule_and_next_run(sandbox: Sandbox, active: bool, runs_next: bool) -> None:
    async with mcp_session(sandbox) as client:
        model_id, warehouse_id = await users_model_and_warehouse(client)
        created = await call_ok(client, "create_sync", {
            "name": "S", "mode": "create", "target": {"connection_id": warehouse_id, "object": "public.users"},
            "fields": [{"source": {"model_id": model_id, "field": "email"}, "target": "email"}],
            "schedule": {"frequency": "daily", "hour": "5"}, "active": active})
        status = await call_ok(client, "get_sync_status", {"sync_id": created["id"]})
    assert created["schedule"] == {"frequency": "daily", "hour": "5"}
    assert ("next_run_at" in created) is runs_next
    if runs_next:
        assert created["next_run_at"] == status["next_run_at"] and created["next_run_at"].endswith("T05:00:00Z")


async def test_source_params_that_name_a_source_say_so_and_require_nothing_more(sandbox: Sandbox) -> None:
    """Before: list_source_objects kept answering requires_one_of ['collection'] after the collection was given."""
    async with mcp_session(sandbox) as client:
        mongo = await call_ok(client, "create_connection", MONGO)
        partway = await call_ok(client, "list_source_objects", {"connection_id": mongo["id"], "params": {"database": "example"}})
        chosen = await call_ok(client, "list_source_objects", {
            "connection_id": mongo["id"], "params": {"database": "example", "collection": "users"}})
    assert partway["requires_one_of"] == ["collection"] and "drill down" in partway["next_step"]
    assert "requires_one_of" not in chosen and chosen["fields"] and chosen["next_step"].startswith("These params name a source")
