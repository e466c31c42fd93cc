"""A dry run that finds problems says so first (``blocked``); one that finds none says nothing of the kind.

Before: a blocked dry run read like a success until the agent reached the ``checks`` list.
"""

from __future__ import annotations

import json

import pytest
from server_support import mcp_session, users_model_and_warehouse

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("mode", "field", "blocked"), [("upsert", "nope", True), ("create", "email", False)])
async def test_a_blocked_dry_run_leads_with_its_verdict(sandbox: Sandbox, mode: str, field: str, blocked: bool) -> None:
    async with mcp_session(sandbox) as client:
        model_id, warehouse_id = await users_model_and_warehouse(client)
        result = await client.call_tool("create_sync", {
            "name": "S", "mode": mode, "target": {"connection_id": warehouse_id, "object": "public.users"},
            "fields": [{"source": {"model_id": model_id, "field": "email"}, "target": field}],
            "schedule": {"frequency": "manual"}, "dry_run": True})
    shown = result.structured_content or {}
    assert not result.is_error
    if blocked:
        assert next(iter(shown)) == "blocked" and shown["blocked"].startswith("Blocked: 2 problem(s)")
        assert result.content[0].text.index("Blocked: 2 problem(s)") < result.content[0].text.index("checks")
        assert "updateOrCreate" in json.dumps(shown["checks"]), "the mode check says what was meant"
    else:
        assert "blocked" not in shown and "No problems found" in shown["next_step"]


@pytest.mark.parametrize(("source", "target", "blocked"), [("created_at", "is_active", True), ("plan", "lifetime_value", False)])
async def test_a_dry_run_names_a_type_mismatch_with_both_types_and_what_the_run_will_do(
    sandbox: Sandbox, source: str, target: str, blocked: bool,
) -> None:
    """Before: a string column mapped onto a number field passed the dry run, and the run then rejected every record."""
    async with mcp_session(sandbox) as client:
        model_id, warehouse_id = await users_model_and_warehouse(client)
        result = await client.call_tool("create_sync", {
            "name": "S", "mode": "create", "target": {"connection_id": warehouse_id, "object": "public.users"},
            "fields": [{"source": {"model_id": model_id, "field": f}, "target": t} for f, t in (("email", "email"), (source, target))],
            "schedule": {"frequency": "manual"}, "dry_run": True})
    shown = result.structured_content or {}
    [check] = shown["checks"]
    assert check["path"] == "fields[1]" and "INVALID_TYPE" in check["message"]
    assert f"'{source}' (" in check["message"] and f"'{target}' (" in check["message"]
    if blocked:
        assert "(datetime)" in check["message"] and "(boolean)" in check["message"] and "warning" not in check
        assert shown["blocked"].startswith("Blocked: 1 problem(s)")
    else:
        assert "(string)" in check["message"] and "(number)" in check["message"] and check["warning"] is True
        assert "blocked" not in shown and shown["next_step"].startswith("Only warnings")


async def test_an_update_dry_run_names_the_type_mismatch_of_a_new_mapping(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        model_id, warehouse_id = await users_model_and_warehouse(client)

        def mapped(*pairs: tuple[str, str]) -> list[dict[str, object]]:
            return [{"source": {"model_id": model_id, "field": f}, "target": t} for f, t in pairs]

        sync = await client.call_tool("create_sync", {
            "name": "S", "mode": "create", "target": {"connection_id": warehouse_id, "object": "public.users"},
            "fields": mapped(("email", "email")), "schedule": {"frequency": "manual"}})
        result = await client.call_tool("update_sync", {"sync_id": (sync.structured_content or {})["id"], "dry_run": True,
                                                         "fields": mapped(("email", "email"), ("created_at", "is_active"))})
    shown = result.structured_content or {}
    [check] = shown["checks"]
    assert check.startswith("fields[1]: model field 'created_at' (datetime) into 'is_active' (boolean)") and "INVALID_TYPE" in check
    assert shown["blocked"].startswith("Blocked: 1 problem(s)")
