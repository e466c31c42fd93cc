"""Sync validation, problems, versions, listing and executions."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sandbox_support import (
    EMPTY_API_KEY,
    POSTGRES_CONFIG,
    contact_sync_body,
    create,
    mongo_connection,
    salesforce_connection,
    users_model,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
async def setup(sandbox, client) -> dict[str, Any]:
    mongo = await mongo_connection(client)
    model = await users_model(client, mongo["id"])
    sf = await salesforce_connection(client, sandbox)
    return {"mongo": mongo, "model": model, "sf": sf}


async def test_create_sync_echoes_request(setup, client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    data = await create(client, "/api/syncs", contact_sync_body(model, sf))
    assert data["model_ids"] == [model]
    assert data["identity"]["target"] == "Email" and data["identity"]["remote_field_type_id"] == "email"
    assert data["identities"]["mappings"][0]["function"] == "Equality"
    assert data["problems"] == []
    assert data["schedule"] == {"frequency": "daily", "hour": "5", "minute": "0", "day_of_week": "", "day_of_month": "", "month": ""}
    assert data["target"]["object"] == "Contact" and data["target"]["create"] is None
    assert data["fields"][0] == {"source": {"model_id": model, "field": "first_name"}, "target": "FirstName", "new": False, "encryption_enabled": False}
    assert data["organization_id"] and data["created_at"] and data["active"] is False
    fetched = (await client.get(f"/api/syncs/{data['id']}")).json()["data"]
    assert fetched == data


def _mutate(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is _DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return body


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "status", "message"),
    [
        ("target.object", "Contcat", 422, 'target object "Contcat" does not exist on connection "Salesforce"'),
        ("mode", "remove", 422, None),
        ("mode", "upsert", 400, 'unknown mode "upsert"'),
        ("fields.0.source.field", "firstname", 422, 'model field "firstname" does not exist in model "Users"'),
        ("fields.0.target", "Fristname", 422, 'target field "Fristname" does not exist on Contact'),
        ("identities.mappings.0.function", "equality", 400, 'unknown identity function "equality"; valid: Equality, ISubstring, OneOf, DomainMatch, HostnameMatch'),
        ("identities.mappings.0.function", "DomainMatch", 422, 'identity function "DomainMatch" is not supported by Contact.Email; supported: Equality, ISubstring'),
        ("identities.mappings.0.target", "LastName", 422, 'target field "LastName" on Contact cannot be used as an identity'),
        ("identities", _DELETE, 422, 'mode "updateOrCreate" on Contact requires an identity'),
        ("schedule.frequency", "fortnightly", 400, 'unknown schedule frequency "fortnightly"; valid: manual, continuous, hourly, daily, weekly, custom, builder, runafter, multi, dbtcloud'),
        ("schedule.hour", 5, 400, "schedule.hour must be a string, got integer"),
        ("fields.0.source.model_id", "00000000-0000-0000-0000-000000000000", 422, 'model "00000000-0000-0000-0000-000000000000" not found'),
        ("target.connection_id", "nope", 422, 'target connection "nope" not found'),
        ("name", _DELETE, 400, "name is required"),
        ("fields", _DELETE, 400, "fields is required"),
    ],
)
async def test_sync_validation(setup, client, path, value, status, message) -> None:
    body = contact_sync_body(setup["model"]["id"], setup["sf"]["id"])
    if path == "mode" and value == "remove":
        body["target"]["object"] = "Lead"
        message = 'mode "remove" is not supported by Lead; supported: create, updateOrCreate'
    body = _mutate(body, path, value)
    r = await client.post("/api/syncs", json=body)
    assert r.status_code == status, r.text
    assert message in r.json()["message"]
    assert (await client.get("/api/syncs")).json()["data"] == []


async def test_target_must_be_destination(setup, client) -> None:
    body = contact_sync_body(setup["model"]["id"], setup["mongo"]["id"])
    r = await client.post("/api/syncs", json=body)
    assert r.status_code == 422 and "cannot be used as a sync destination" in r.json()["message"]


async def test_unauthorized_target_is_rejected(sandbox, setup, client) -> None:
    pending = await salesforce_connection(client, sandbox, authorize=False)
    r = await client.post("/api/syncs", json=contact_sync_body(setup["model"]["id"], pending["id"]))
    assert r.status_code == 422 and "not authorized yet" in r.json()["message"]


async def test_unmapped_required_field_is_a_problem_not_an_error(setup, client, legacy_client) -> None:
    body = contact_sync_body(setup["model"]["id"], setup["sf"]["id"])
    body["fields"] = body["fields"][:1]
    data = await create(client, "/api/syncs", body)
    assert data["problems"] == [
        {
            "code": "required_field_unmapped",
            "message": 'required target field "LastName" on Contact is not mapped; records created by this sync would be rejected',
            "path": "$.fields",
            "severity": "error",
        }
    ]
    start = await client.post(f"/api/syncs/{data['id']}/executions", json={})
    assert start.status_code == 400 and "LastName" in start.json()["message"]
    activate = await client.post(f"/api/syncs/{data['id']}/activate", json={"active": True})
    assert activate.status_code == 422
    legacy = (await legacy_client.get(f"/api/syncs/{data['id']}")).json()["data"]
    assert "problems" not in legacy and "identities" not in legacy


async def test_update_mode_does_not_need_required_fields(setup, client) -> None:
    body = contact_sync_body(setup["model"]["id"], setup["sf"]["id"], mode="update")
    body["fields"] = body["fields"][:1]
    assert (await create(client, "/api/syncs", body))["problems"] == []


async def test_identity_forms_per_version(setup, client, legacy_client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    body = contact_sync_body(model, sf)
    legacy_rejected = await legacy_client.post("/api/syncs", json=body)
    assert legacy_rejected.status_code == 400 and "identities is not supported in API version 2024-02-08" in legacy_rejected.json()["message"]
    identity = body.pop("identities")["mappings"][0]
    legacy_ok = await legacy_client.post("/api/syncs", json={**body, "identity": identity})
    assert legacy_ok.status_code == 200, legacy_ok.text
    assert legacy_ok.json()["data"]["identity"]["target"] == "Email"
    deprecated_ok = (await client.post("/api/syncs", json={**body, "identity": identity})).json()["data"]
    assert deprecated_ok["identities"]["mappings"][0]["target"] == "Email"


async def test_multiple_identities_need_strategy(setup, client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    body = contact_sync_body(model, sf)
    second = {"source": {"model_id": model, "field": "_id"}, "target": "External_Id__c", "function": "Equality"}
    body["identities"] = {"mappings": [body["identities"]["mappings"][0], second]}
    missing = await client.post("/api/syncs", json=body)
    body["identities"]["strategy"] = "and"
    ok = await client.post("/api/syncs", json=body)
    assert missing.status_code == 400 and "strategy" in missing.json()["message"]
    assert ok.status_code == 200 and len(ok.json()["data"]["identities"]["mappings"]) == 2


async def test_new_postgres_table_target(setup, client) -> None:
    pg = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    model = setup["model"]["id"]
    body = {
        "name": "Users to new table",
        "mode": "create",
        "schedule": {"frequency": "manual"},
        "target": {"connection_id": pg["id"], "create": {"schema": "analytics", "table": "mongo_users"}},
        "fields": [{"source": {"model_id": model, "field": "email"}, "target": "email", "new": True}],
    }
    data = await create(client, "/api/syncs", body)
    assert data["target"]["object"] == "analytics.mongo_users"
    bad = await client.post("/api/syncs", json={**body, "target": {"connection_id": pg["id"], "create": {"schema": "nope", "table": "t"}}})
    assert bad.status_code == 400 and "schema must be one of" in bad.json()["message"]


async def test_existing_table_needs_new_flag_for_unknown_columns(setup, client) -> None:
    pg = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    model = setup["model"]["id"]
    body = {
        "name": "Append",
        "mode": "append",
        "schedule": {"frequency": "manual"},
        "target": {"connection_id": pg["id"], "object": "public.users"},
        "fields": [{"source": {"model_id": model, "field": "plan"}, "target": "tier"}],
    }
    rejected = await client.post("/api/syncs", json=body)
    body["fields"][0]["new"] = True
    accepted = await client.post("/api/syncs", json=body)
    assert rejected.status_code == 422 and "set new: true" in rejected.json()["message"]
    assert accepted.status_code == 200


async def test_target_filters_only_where_supported(setup, client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    filters = {"conditions": [{"field": "LeadSource", "function": "Equality", "value": "Web"}]}
    rejected = await client.post("/api/syncs", json=contact_sync_body(model, sf, target_filters=filters))
    accepted = await client.post("/api/syncs", json=contact_sync_body(model, sf, mode="update", target_filters=filters))
    assert rejected.status_code == 422 and "does not support target filters" in rejected.json()["message"]
    assert accepted.status_code == 200
    assert accepted.json()["data"]["target_filters"]["logic"] == "A"


async def test_list_2025_light_paged_and_2024_full(sandbox, setup, client, legacy_client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    ids = [(await create(client, "/api/syncs", contact_sync_body(model, sf, name=f"s{i}")))["id"] for i in range(3)]
    first = (await client.get("/api/syncs", params={"limit": 2})).json()
    assert [s["id"] for s in first["data"]] == [ids[2], ids[1]]
    assert set(first["data"][0]) == {
        "id", "name", "organization_id", "active", "mode", "model_ids", "target_connection_id", "target_object", "schedule",
        "sync_all_records", "skip_initial_backfill", "only_enrich_updates", "created_at", "created_by", "updated_at", "updated_by",
    }
    second = (await client.get("/api/syncs", params={"limit": 2, "page_token": first["pagination"]["next_page_token"]})).json()
    assert [s["id"] for s in second["data"]] == [ids[0]] and second["pagination"]["next_page_token"] == ""
    legacy = (await legacy_client.get("/api/syncs")).json()
    assert "pagination" not in legacy and len(legacy["data"]) == 3 and "fields" in legacy["data"][0]
    await client.post(f"/api/syncs/{ids[0]}/activate", json={"active": True})
    active = (await client.get("/api/syncs", params={"active": "true"})).json()["data"]
    assert [s["id"] for s in active] == [ids[0]]


async def test_syncs_and_executions_unpaged_when_the_sandbox_does_not_page(sandbox, setup, client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    ws = sandbox.workspace(EMPTY_API_KEY)
    body = contact_sync_body(model, sf)
    ids = [ws.add_sync(f"s{i}", target=body["target"], mode=body["mode"], fields=body["fields"],
                       identities=body["identities"]).id for i in range(60)]
    run = [(await client.post(f"/api/syncs/{ids[0]}/executions", json={})).json()["data"]["id"]]
    for _ in range(59):
        await client.post(f"/api/syncs/{ids[0]}/cancel")
        run.append((await client.post(f"/api/syncs/{ids[0]}/executions", json={})).json()["data"]["id"])
    sandbox.paginate_lists = False
    syncs = (await client.get("/api/syncs", params={"limit": 2})).json()
    assert "pagination" not in syncs and [s["id"] for s in syncs["data"]] == list(reversed(ids))
    executions = (await client.get(f"/api/syncs/{ids[0]}/executions", params={"ascending": "true"})).json()
    assert "pagination" not in executions and [e["id"] for e in executions["data"]] == run


async def test_activate(setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    r = await client.post(f"/api/syncs/{sync['id']}/activate", json={"active": True})
    assert r.json() == {"data": {"id": sync["id"], "active": True}}
    bad = await client.post(f"/api/syncs/{sync['id']}/activate", json={})
    assert bad.status_code == 400


async def test_schedules(client) -> None:
    options = (await client.get("/api/syncs/schedules")).json()["data"]["schedule_options"]
    assert [o["frequency"] for o in options] == ["manual", "continuous", "hourly", "daily", "weekly", "custom", "builder", "runafter", "multi", "dbtcloud"]


async def test_execution_progression_and_conflict(setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    started = (await client.post(f"/api/syncs/{sync['id']}/executions", json={"resync": False, "test": False})).json()["data"]
    assert started["status"] == "created" and set(started) == {"id", "status", "created_at"}
    again = await client.post(f"/api/syncs/{sync['id']}/executions", json={})
    assert again.status_code == 409 and "already running" in again.json()["message"]
    first = (await client.get(f"/api/syncs/{sync['id']}/status")).json()["data"]
    assert first["current_execution"]["status"] == "running" and first["last_execution"] is None
    second = (await client.get(f"/api/syncs/{sync['id']}/status")).json()["data"]
    assert second["current_execution"] is None
    last = second["last_execution"]
    assert last["id"] == started["id"] and last["status"] == "completed"
    assert last["counts"] == {"total": 12, "insert": 0, "update": 12, "upserts": 0, "delete": 0, "error": 0, "warnings": 0}, "the contacts exist: matched by email"
    rerun = (await client.post(f"/api/syncs/{sync['id']}/executions", json={})).json()["data"]
    await client.get(f"/api/syncs/{sync['id']}/executions/{rerun['id']}")
    done = (await client.get(f"/api/syncs/{sync['id']}/executions/{rerun['id']}")).json()["data"]
    assert done["status"] == "completed" and done["counts"]["total"] == 0, "nothing changed since the first run"


async def test_cancel_and_execution_listing(setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    ids = []
    for _ in range(3):
        ids.append((await client.post(f"/api/syncs/{sync['id']}/executions", json={})).json()["data"]["id"])
        cancelled = (await client.post(f"/api/syncs/{sync['id']}/cancel")).json()["data"]
        assert ids[-1] in cancelled["message"]
    nothing = (await client.post(f"/api/syncs/{sync['id']}/cancel")).json()["data"]
    assert nothing["message"] == "no execution is running"
    page = (await client.get(f"/api/syncs/{sync['id']}/executions", params={"limit": 2})).json()
    assert [e["id"] for e in page["data"]] == [ids[2], ids[1]] and page["pagination"]["next_page_token"]
    rest = (await client.get(f"/api/syncs/{sync['id']}/executions", params={"limit": 2, "page_token": page["pagination"]["next_page_token"]})).json()
    assert [e["id"] for e in rest["data"]] == [ids[0]]
    ascending = (await client.get(f"/api/syncs/{sync['id']}/executions", params={"ascending": "true"})).json()["data"]
    assert [e["id"] for e in ascending] == ids and all(e["status"] == "canceled" for e in ascending)
    completed = (await client.get(f"/api/syncs/{sync['id']}/executions", params={"only_completed": "true"})).json()["data"]
    assert completed == []


async def test_deleting_a_model_breaks_its_syncs(setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    await client.delete(f"/api/models/{setup['model']['id']}")
    problems = (await client.get(f"/api/syncs/{sync['id']}")).json()["data"]["problems"]
    assert [p["code"] for p in problems] == ["model_not_found"]


async def test_update_and_delete_sync(setup, client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    sync = await create(client, "/api/syncs", contact_sync_body(model, sf))
    updated = (await client.put(f"/api/syncs/{sync['id']}", json=contact_sync_body(model, sf, name="Renamed"))).json()["data"]
    assert updated["id"] == sync["id"] and updated["name"] == "Renamed" and updated["created_at"] == sync["created_at"]
    assert (await client.delete(f"/api/syncs/{sync['id']}")).status_code == 204
    assert (await client.get(f"/api/syncs/{sync['id']}")).status_code == 404


async def test_connection_delete_cascades_syncs(sandbox, setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    r = await client.delete(f"/api/connections/{setup['sf']['id']}")
    assert r.status_code == 422
    assert r.json()["metadata"]["used_by"] == [{"type": "sync", "name": "Users to Contacts", "id": sync["id"]}]
    assert (await client.delete(f"/api/connections/{setup['mongo']['id']}?force=true")).status_code == 204
    assert (await client.get(f"/api/syncs/{sync['id']}")).status_code == 404
    assert sandbox.workspace(EMPTY_API_KEY).models == {}


async def test_update_sync_is_a_full_replacement(setup, client, legacy_client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    body = contact_sync_body(model, sf, active=True, override_fields=[{"target": "LeadSource", "override_value": "Web"}])
    sync = await create(client, "/api/syncs", body)
    assert sync["active"] is True and sync["override_fields"]
    bare = contact_sync_body(model, sf)
    replaced = (await client.put(f"/api/syncs/{sync['id']}", json=bare)).json()["data"]
    assert replaced["active"] is False and replaced["override_fields"] == [], "members left out are reset, not kept"
    legacy_body = contact_sync_body(model, sf, identity={"source": {"model_id": model, "field": "email"}, "target": "Email", "function": "Equality"})
    legacy_body.pop("identities")
    assert (await legacy_client.put(f"/api/syncs/{sync['id']}", json=legacy_body)).status_code == 200
    refused = await legacy_client.put(f"/api/syncs/{sync['id']}", json=bare)
    assert refused.status_code == 400 and "send identity" in refused.json()["message"]
    missing = await client.put("/api/syncs/nope", json=bare)
    assert missing.status_code == 404
