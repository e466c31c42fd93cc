"""Change and remove what exists: merges over full-replacement PUTs, secrets kept, deletes refused while in use."""

from __future__ import annotations

from typing import Any

import mcp_types as types
import pytest
from server_support import MODES, call_error, call_ok, call_relayed, consent_token, mcp_session
from workflow import MONGO, run_workflow

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


def puts(sandbox: Sandbox, prefix: str) -> list[dict[str, Any]]:
    return [r.body for r in sandbox.requests if r.method == "PUT" and r.path.startswith(prefix)]


def stored(sandbox: Sandbox) -> Any:
    return sandbox.workspace(EMPTY_API_KEY)


@pytest.mark.parametrize("mode", MODES)
async def test_reference_changes_and_removal(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode) as client:
        ids = await run_workflow(client, sandbox)
        model = ids["model"]
        added = {"source": {"model_id": model, "field": "phone"}, "target": "Phone"}
        current = await call_ok(client, "list_syncs", {"sync_id": ids["sync"]})
        updated = await call_ok(client, "update_sync", {"sync_id": ids["sync"], "fields": [*current["fields"], added]})
        assert updated["updated"] and updated["changes"] == ["fields"]
        body = puts(sandbox, "/api/syncs/")[-1]
        assert (body["name"], body["mode"], body["target"]["object"], body["schedule"]) == (
            "Mongo to Salesforce Sync", "create", "Contact", {"frequency": "continuous"})
        assert body["identities"]["mappings"][0]["target"] == "Email"
        assert [f["target"] for f in body["fields"]] == ["FirstName", "LastName", "Phone"]

        hosts = await call_relayed(client, "update_connection", {"connection_id": ids["mongo"], "configuration": {"hosts": "cluster0.example.mongodb.net"}})
        assert hosts["changes"][0] == "configuration.hosts" and hosts["changes"][1].startswith("configuration.password: re-sends")
        for sent in puts(sandbox, "/api/connections/"):
            assert sent["configuration"]["password"] == MONGO["configuration"]["password"], "the secret was re-sent, never masked or dropped"

        in_use = await call_error(client, "delete", {"kind": "connection", "id": ids["mongo"]})
        assert "MongoDB Model" in in_use and "force=true" in in_use
        model_in_use = await call_error(client, "delete", {"kind": "model", "id": model})
        assert "Mongo to Salesforce Sync" in model_in_use
        for kind in ("sync", "model", "connection"):
            key = {"sync": "sync", "model": "model", "connection": "mongo"}[kind]
            assert (await call_relayed(client, "delete", {"kind": kind, "id": ids[key]}))["deleted"] is True
    workspace = stored(sandbox)
    assert (list(workspace.syncs), list(workspace.models), [c.name for c in workspace.connections.values()]) == (
        [], [], ["Salesforce Connection"])


async def test_a_secret_this_server_never_saw_must_be_supplied(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as first:
        mongo = await call_ok(first, "create_connection", MONGO)
    async with mcp_session(sandbox) as fresh:
        needed = await call_error(fresh, "update_connection", {"connection_id": mongo["id"], "configuration": {"hosts": "cluster0.example.mongodb.net"}})
        copied = await call_error(fresh, "update_connection", {"connection_id": mongo["id"], "configuration": {"password": "******"}})
        ok = await call_ok(fresh, "update_connection", {"connection_id": mongo["id"], "configuration": {"hosts": "cluster0.example.mongodb.net", "password": "new-pw"}})
    assert "'password'" in needed and "$env" in needed and "Nothing was changed" in needed
    assert "mask" in copied and "Nothing was changed" in copied
    assert ok["updated"] and len(puts(sandbox, "/api/connections/")) == 1
    sent = puts(sandbox, "/api/connections/")[0]["configuration"]
    assert (sent["hosts"], sent["password"], sent["username"]) == ("cluster0.example.mongodb.net", "new-pw", "user")


async def test_dry_runs_show_the_request_and_change_nothing(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        plan = await call_relayed(client, "update_connection", {"connection_id": ids["mongo"], "name": "Mongo (prod)", "dry_run": True})
        sync_plan = await call_ok(client, "update_sync", {"sync_id": ids["sync"], "schedule": {"frequency": "custom"}, "dry_run": True})
        taken = await call_ok(client, "create_sync", {**_sync_args(ids), "dry_run": True})
    assert plan["updated"] is False and plan["request"]["configuration"]["password"] == "******" and plan["changes"][0] == "name"
    assert len(plan["changes"]) == 2 and plan["changes"][1].startswith("configuration.password: re-sends the value this server set at ")
    assert sync_plan["checks"] and "cron" in sync_plan["checks"][0] and "*/5" in sync_plan["checks"][0]
    assert any("already exists" in c["message"] and "update_sync" in c["message"] for c in taken["checks"])
    assert puts(sandbox, "/api/") == []


def _sync_args(ids: dict[str, Any]) -> dict[str, Any]:
    from workflow import sync_args

    return sync_args(ids["model"], ids["salesforce"])


async def test_an_interval_schedule_needs_the_whole_cron_form(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        bare = await call_error(client, "create_sync", {**_sync_args(ids), "name": "five", "schedule": {"frequency": "custom"}})
        bad = await call_error(client, "update_sync", {"sync_id": ids["sync"], "schedule": {
            "frequency": "custom", "minute": "every 5", "hour": "*", "day_of_month": "*", "month": "*", "day_of_week": "*"}})
        every = await call_ok(client, "update_sync", {"sync_id": ids["sync"], "schedule": {
            "frequency": "custom", "minute": "*/5", "hour": "*", "day_of_month": "*", "month": "*", "day_of_week": "*"}})
    assert "day_of_week" in bare and "*/5" in bare
    assert "schedule.minute" in bad and "cron" in bad
    assert every["changes"] == ["schedule"]


async def test_a_model_change_that_drops_fields_a_sync_uses_is_refused(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        text = await call_error(client, "update_model", {"model_id": ids["model"], "fields": ["_id", "email", "first_name"]})
        renamed = await call_ok(client, "update_model", {"model_id": ids["model"], "name": "Mongo users"})
    assert "Mongo to Salesforce Sync" in text and "'last_name'" in text and "Nothing was changed" in text
    assert renamed["changes"] == ["name"] and stored(sandbox).models[ids["model"]].name == "Mongo users"


async def test_mistakes_name_the_fix(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        unknown_sync = await call_error(client, "update_sync", {"sync_id": "nope", "name": "x"})
        unknown_field = await call_error(client, "update_sync", {"sync_id": ids["sync"], "fields": [
            {"source": {"model_id": ids["model"], "field": "emial"}, "target": "Email"}]})
        unknown_key = await call_error(client, "update_connection", {"connection_id": ids["mongo"], "configuration": {"hostz": "x"}})
        unknown_delete = await call_error(client, "delete", {"kind": "model", "id": "nope"})
        rename_taken = await call_error(client, "update_connection", {"connection_id": ids["mongo"], "name": "Salesforce Connection"})
    assert "list_syncs" in unknown_sync
    assert "did you mean 'email'" in unknown_field
    assert "unknown field 'hostz'" in unknown_key and "'hosts'" in unknown_key
    assert "list_models" in unknown_delete
    assert "already exists" in rename_taken


def answering(confirm: bool, asked: list[str]):
    async def callback(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"confirm": confirm})

    return callback


@pytest.mark.parametrize("mode", MODES)
async def test_deletes_and_record_changing_updates_ask_first(sandbox: Sandbox, mode: str) -> None:
    asked: list[str] = []
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering(False, asked)) as client:
        ids = await run_workflow(client, sandbox)
        declined = await call_error(client, "delete", {"kind": "connection", "id": ids["mongo"], "force": True})
        no_upsert = await call_error(client, "update_sync", {"sync_id": ids["sync"], "mode": "updateOrCreate"})
    assert "was not deleted" in declined and "Nothing was changed" in no_upsert
    assert "MongoDB Model" in asked[0] and "Mongo to Salesforce Sync" in asked[0] and "cannot be undone" in asked[0]
    assert "'updateOrCreate'" in asked[1] and "'Salesforce Connection'" in asked[1]
    assert len(stored(sandbox).connections) == 2 and next(iter(stored(sandbox).syncs.values())).mode == "create"
    asked.clear()
    async with mcp_session(sandbox, mode=mode, elicitation_callback=answering(True, asked)) as client:
        gone = await call_relayed(client, "delete", {"kind": "connection", "id": ids["mongo"], "force": True})
    assert gone["also_deleted"] and len(asked) == 1
    assert list(stored(sandbox).models) == [] and list(stored(sandbox).syncs) == []


async def test_a_delete_whose_answer_is_lost_names_the_call_that_shows_whether_it_went(sandbox: Sandbox) -> None:
    from polytomic_mcp.sandbox import FaultConfig

    async with mcp_session(sandbox) as client:
        ids = await run_workflow(client, sandbox)
        await call_relayed(client, "delete", {"kind": "sync", "id": ids["sync"]})
        sandbox.faults = FaultConfig(rate=1.0, kinds=("drop",), only=r"DELETE /api/models/.*", limit=20)
        question = await call_error(client, "delete", {"kind": "model", "id": ids["model"]})
        text = await call_error(client, "delete", {"kind": "model", "id": ids["model"], "consent_token": consent_token(question)})
    assert f"list_models(model_id='{ids['model']}')" in text and "get_model" not in text


@pytest.mark.parametrize("api_version", ["2025-09-18", "2024-02-08"])
async def test_an_identity_given_to_update_sync_replaces_the_stored_identities(sandbox: Sandbox, api_version: str) -> None:
    """An agent's ``identity`` was dropped when the stored sync held ``identities`` (both were cleared by the merge)."""
    async with mcp_session(sandbox, api_version=api_version) as client:
        ids = await run_workflow(client, sandbox)
        identity = {"source": {"model_id": ids["model"], "field": "_id"}, "target": "External_Id__c", "function": "Equality"}
        dry = await call_ok(client, "update_sync", {"sync_id": ids["sync"], "mode": "update", "identity": identity, "dry_run": True})
        assert dry.get("checks") is None, dry.get("checks")
        sent = dry["request"].get("identities", {}).get("mappings") or [dry["request"].get("identity")]
        assert [m["target"] for m in sent] == ["External_Id__c"]
        saved = await call_ok(client, "update_sync", {"sync_id": ids["sync"], "identity": identity})
        matches = saved["result"].get("identities", {}).get("mappings") or [saved["result"].get("identity")]
        assert [m["target"] for m in matches] == ["External_Id__c"]
