"""Sync runs: record-level outcomes (REQUIRED_FIELD_MISSING), progression by reads, cancel, history and the seed helper."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_support import EMPTY_API_KEY, POSTGRES_CONFIG, contact_sync_body, create, mongo_connection, salesforce_connection, users_model

pytestmark = pytest.mark.anyio

ZERO = {"total": 0, "insert": 0, "update": 0, "upserts": 0, "delete": 0, "error": 0, "warnings": 0}


@pytest.fixture
async def setup(sandbox, client) -> dict[str, Any]:
    mongo = await mongo_connection(client)
    model = await users_model(client, mongo["id"])
    sf = await salesforce_connection(client, sandbox)
    return {"mongo": mongo, "model": model, "sf": sf}


async def finished(client, sync_id: str, execution_id: str) -> dict[str, Any]:
    """Read the execution until it has ended."""
    for _ in range(10):
        data: dict[str, Any] = (await client.get(f"/api/syncs/{sync_id}/executions/{execution_id}")).json()["data"]
        if data["status"] in ("completed", "failed", "canceled"):
            return data
    raise AssertionError(f"execution {execution_id} never finished")


async def run(client, sync_id: str, **body: Any) -> dict[str, Any]:
    started = await client.post(f"/api/syncs/{sync_id}/executions", json=body)
    assert started.status_code == 200, started.text
    return await finished(client, sync_id, started.json()["data"]["id"])


def mapping(model_id: str, source: str, target: str) -> dict[str, Any]:
    return {"source": {"model_id": model_id, "field": source}, "target": target}


async def test_the_seeded_sync_fails_every_record_with_required_field_missing(sandbox, client) -> None:
    seeded = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync()
    sync_id = seeded["sync"].id
    history = (await client.get(f"/api/syncs/{sync_id}/executions")).json()["data"]
    assert [e["id"] for e in history] == [e.id for e in seeded["executions"]] and len(history) == 3
    assert history[0]["created_at"] > history[1]["created_at"] > history[2]["created_at"]
    for execution in history:
        assert execution["status"] == "failed"
        assert execution["counts"] == {**ZERO, "total": 12, "error": 12}
        assert execution["errors"] == ["12 of 12 records rejected by Salesforce Contact: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]"]
    status = (await client.get(f"/api/syncs/{sync_id}/status")).json()["data"]
    assert status["current_execution"] is None and status["last_execution"]["id"] == history[0]["id"]
    assert (await client.get(f"/api/syncs/{sync_id}")).json()["data"]["problems"] == [], "nothing in the sync's definition shows the mistake"


async def test_a_new_run_of_the_seeded_sync_fails_after_running(sandbox, client) -> None:
    sync_id = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=0)["sync"].id
    started = (await client.post(f"/api/syncs/{sync_id}/executions", json={})).json()["data"]
    statuses = [(await client.get(f"/api/syncs/{sync_id}/status")).json()["data"] for _ in range(2)]
    assert statuses[0]["current_execution"]["status"] == "running" and statuses[0]["last_execution"] is None
    assert statuses[1]["current_execution"] is None and statuses[1]["last_execution"]["id"] == started["id"]
    assert statuses[1]["last_execution"]["status"] == "failed" and "REQUIRED_FIELD_MISSING" in statuses[1]["last_execution"]["errors"][0]


async def test_fixing_the_mapping_lets_the_rejected_records_through(sandbox, client) -> None:
    seeded = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=1)
    sync, model_id = seeded["sync"], seeded["model"].id
    body = {
        "name": sync.name, "mode": sync.mode, "schedule": sync.schedule, "target": {"connection_id": sync.target["connection_id"], "object": "Contact"},
        "identities": {"mappings": [{"source": {"model_id": model_id, "field": "email"}, "target": "Email", "function": "Equality"}]},
        "fields": [mapping(model_id, "first_name", "FirstName"), mapping(model_id, "last_name", "LastName")],
    }
    assert (await client.put(f"/api/syncs/{sync.id}", json=body)).status_code == 200
    fixed = await run(client, sync.id)
    assert fixed["status"] == "completed" and fixed["errors"] == [] and fixed["counts"] == {**ZERO, "total": 12, "update": 12}
    again = await run(client, sync.id)
    assert again["counts"] == ZERO, "every record was written: the next run has nothing to send"
    resync = await run(client, sync.id, resync=True)
    assert resync["counts"]["update"] == 12


async def test_a_source_field_empty_for_some_records_fails_only_those(setup, client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    body = contact_sync_body(model, sf, mode="create")
    body.pop("identities")
    body["fields"] = [mapping(model, "email", "Email"), mapping(model, "phone", "LastName")]
    sync = await create(client, "/api/syncs", body)
    done = await run(client, sync["id"])
    assert done["status"] == "completed" and done["errors"] == []
    assert done["counts"] == {**ZERO, "total": 12, "insert": 11, "error": 1}


async def test_a_test_run_and_chosen_identities_limit_the_records(setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    assert (await run(client, sync["id"], test=True))["counts"]["total"] == 10
    chosen = await run(client, sync["id"], resync=True, identities=["ada@analyticalengines.com", "don@taocp.org"])
    assert chosen["counts"] == {**ZERO, "total": 2, "update": 2}


async def test_a_sql_model_syncs_only_the_rows_its_query_selects(sandbox, client) -> None:
    pg = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    query = "SELECT email, first_name, last_name FROM public.users WHERE is_active AND updated_at > '2025-09-01'"
    model = await create(client, "/api/models", {"name": "Active", "connection_id": pg["id"], "configuration": {"query": query}})
    sf = await salesforce_connection(client, sandbox)
    sync = await create(client, "/api/syncs", contact_sync_body(model["id"], sf["id"]))
    assert (await run(client, sync["id"]))["counts"] == {**ZERO, "total": 7, "update": 7}


async def test_a_broken_source_connection_fails_the_run_with_its_reason(setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    mongo = setup["mongo"]
    await client.put(f"/api/connections/{mongo['id']}", json={"name": "Mongo", "configuration": mongo["configuration"], "validate": False})
    failed = await run(client, sync["id"])
    assert failed["status"] == "failed" and failed["counts"] == ZERO
    assert failed["errors"] == ['connection "Mongo" (mongodb, ' + mongo["id"] + ") is unhealthy: authentication failed: MongoDB rejected the password"]


async def test_runs_finish_after_the_configured_number_of_reads(sandbox, setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    workspace = sandbox.workspace(EMPTY_API_KEY)
    workspace.run_polls = 1
    started = (await client.post(f"/api/syncs/{sync['id']}/executions", json={})).json()["data"]
    assert (await client.get(f"/api/syncs/{sync['id']}/executions/{started['id']}")).json()["data"]["status"] == "completed"
    workspace.run_polls = 4
    started = (await client.post(f"/api/syncs/{sync['id']}/executions", json={"resync": True})).json()["data"]
    seen = [(await client.get(f"/api/syncs/{sync['id']}/status")).json()["data"] for _ in range(4)]
    assert [s["current_execution"]["status"] for s in seen[:3]] == ["running"] * 3
    assert seen[3]["current_execution"] is None and seen[3]["last_execution"]["id"] == started["id"]


async def test_cancel_a_running_execution(setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    started = (await client.post(f"/api/syncs/{sync['id']}/executions", json={})).json()["data"]
    path = f"/api/syncs/{sync['id']}/executions/{started['id']}"
    assert (await client.get(path)).json()["data"]["status"] == "running"
    cancelled = await client.post(f"{path}/cancel")
    assert cancelled.json() == {"data": {"message": f"execution {started['id']} is canceling"}}
    assert (await client.post(f"/api/syncs/{sync['id']}/executions", json={})).status_code == 409, "a canceling run still holds the sync"
    assert (await client.get(path)).json()["data"]["status"] == "canceled"
    again = await client.post(f"{path}/cancel")
    assert again.status_code == 400 and "already ended (canceled)" in again.json()["message"]
    assert (await client.post(f"/api/syncs/{sync['id']}/cancel")).json() == {"data": {"message": "no execution is running"}}
    assert (await client.post(f"/api/syncs/{sync['id']}/executions/nope/cancel")).status_code == 404


async def test_execution_cancel_is_not_a_route_on_2024(setup, client, legacy_client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    started = (await client.post(f"/api/syncs/{sync['id']}/executions", json={})).json()["data"]
    r = await legacy_client.post(f"/api/syncs/{sync['id']}/executions/{started['id']}/cancel")
    assert r.status_code == 404 and r.json()["message"].startswith("not found: no route for POST")
    assert (await legacy_client.post(f"/api/syncs/{sync['id']}/cancel")).json()["data"]["message"] == f"execution {started['id']} is canceled"


async def test_deleting_a_sync_with_a_running_execution(setup, client) -> None:
    sync = await create(client, "/api/syncs", contact_sync_body(setup["model"]["id"], setup["sf"]["id"]))
    started = (await client.post(f"/api/syncs/{sync['id']}/executions", json={})).json()["data"]
    await client.get(f"/api/syncs/{sync['id']}/status")
    assert (await client.delete(f"/api/syncs/{sync['id']}")).status_code == 204
    assert (await client.get(f"/api/syncs/{sync['id']}/executions/{started['id']}")).status_code == 404
    assert (await client.delete(f"/api/syncs/{sync['id']}")).status_code == 404


async def test_a_deleted_model_or_removed_field_stops_the_sync(setup, client) -> None:
    model, sf, mongo = setup["model"], setup["sf"]["id"], setup["mongo"]["id"]
    sync = await create(client, "/api/syncs", contact_sync_body(model["id"], sf))
    narrowed = {"name": "Users", "connection_id": mongo, "configuration": {"database": "example", "collection": "users"}, "fields": ["email", "last_name"]}
    assert (await client.put(f"/api/models/{model['id']}", json=narrowed)).status_code == 200
    problems = (await client.get(f"/api/syncs/{sync['id']}")).json()["data"]["problems"]
    assert problems == [{"code": "model_field_not_found", "message": 'model field "first_name" no longer exists in model "Users"',
                         "path": "$.fields[0].source.field", "severity": "error"}]
    refused = await client.post(f"/api/syncs/{sync['id']}/executions", json={})
    assert refused.status_code == 400 and refused.json()["metadata"]["problems"] == problems
    await client.delete(f"/api/models/{model['id']}")
    codes = [p["code"] for p in (await client.get(f"/api/syncs/{sync['id']}")).json()["data"]["problems"]]
    assert codes == ["model_not_found"]
    assert (await client.post(f"/api/syncs/{sync['id']}/executions", json={})).status_code == 400


async def test_next_execution_time_only_for_active_clocked_syncs(setup, client) -> None:
    model, sf = setup["model"]["id"], setup["sf"]["id"]
    daily = await create(client, "/api/syncs", contact_sync_body(model, sf, name="daily"))
    manual = await create(client, "/api/syncs", contact_sync_body(model, sf, name="manual", schedule={"frequency": "manual"}, active=True))
    assert (await client.get(f"/api/syncs/{daily['id']}/status")).json()["data"]["next_execution_time"] is None, "inactive"
    await client.post(f"/api/syncs/{daily['id']}/activate", json={"active": True})
    upcoming = (await client.get(f"/api/syncs/{daily['id']}/status")).json()["data"]["next_execution_time"]
    assert upcoming is not None and upcoming.endswith("T05:00:00Z")
    assert (await client.get(f"/api/syncs/{manual['id']}/status")).json()["data"]["next_execution_time"] is None
