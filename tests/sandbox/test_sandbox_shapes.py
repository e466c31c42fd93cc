"""Responses carry at least the members of the reference samples (run only when the shared reference is present)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sandbox_support import create, mongo_connection, salesforce_connection, users_model

pytestmark = pytest.mark.anyio


def _sample(shared: Path, name: str) -> Any:
    return json.loads((shared / "samples" / name).read_text())


def _assert_covers(sample: Any, ours: Any, path: str = "$") -> None:
    """Every key of ``sample`` exists in ``ours`` with the same JSON kind, recursively (first list item only)."""
    if isinstance(sample, dict):
        assert isinstance(ours, dict), path
        for key, value in sample.items():
            assert key in ours, f"{path}.{key} missing"
            if value is not None and ours[key] is not None:
                _assert_covers(value, ours[key], f"{path}.{key}")
    elif isinstance(sample, list) and sample and ours:
        _assert_covers(sample[0], ours[0], f"{path}[0]")
    elif sample is not None and not isinstance(sample, list):
        assert type(ours) is type(sample) or {type(ours), type(sample)} <= {int, float}, f"{path}: {type(ours)} vs {type(sample)}"


async def test_connection_and_model_shapes(shared_dir, client) -> None:
    conn = await mongo_connection(client)
    _assert_covers(_sample(shared_dir, "connection_create_response_mongodb.json")["data"] | {"configuration": {}}, conn)
    fetched = (await client.get(f"/api/connections/{conn['id']}")).json()
    sample_get = _sample(shared_dir, "connection_get.json")
    sample_get["data"]["configuration"] = {}
    sample_get["data"]["type"].pop("operations")
    _assert_covers(sample_get, fetched)
    model = await users_model(client, conn["id"], labels=["crm"], tracking_columns=["updated_at"], identifier="email")
    _assert_covers(_sample(shared_dir, "model_get.json")["data"], model)
    sample = (await client.get(f"/api/models/{model['id']}/sample")).json()
    _assert_covers(_sample(shared_dir, "model_sample.json")["data"] | {"records": []}, sample["data"])
    fields = (await client.get(f"/api/connections/{conn['id']}/modelsync/source/fields", params={"params[database]": "example", "params[collection]": "users"})).json()
    _assert_covers(_sample(shared_dir, "modelsync_source_fields.json"), fields)
    me = (await client.get("/api/me")).json()
    _assert_covers(_sample(shared_dir, "identity_get.json"), me)


async def test_target_and_sync_shapes(shared_dir, sandbox, client) -> None:
    conn = await mongo_connection(client)
    model = await users_model(client, conn["id"])
    sf = await salesforce_connection(client, sandbox)
    objects = (await client.get(f"/api/connections/{sf['id']}/modelsync/targetobjects")).json()
    _assert_covers(_sample(shared_dir, "target_objects_list.json"), objects)
    fields = (await client.get(f"/api/connections/{sf['id']}/modelsync/target/fields", params={"target": "Contact"})).json()
    _assert_covers(_sample(shared_dir, "target_fields.json"), fields)
    raw = json.dumps(_sample(shared_dir, "sync_create_request.json"))
    raw = raw.replace("516a4fbe-464a-4678-8153-ec53d2e4bdd5", model["id"]).replace("f91e157a-7b92-4ccb-8ab1-e21d3e83b810", sf["id"])
    created = await create(client, "/api/syncs", json.loads(raw))
    sample_sync = _sample(shared_dir, "sync_get.json")["data"]
    assert set(created) == set(sample_sync)
    _assert_covers(sample_sync, created)
    assert created["override_fields"] == [{"target": "LeadSource", "override_value": "Polytomic", "new": False}]
    assert created["filters"][0]["function"] == "IsNotNull" and created["filter_logic"] == "A"
    listed = (await client.get("/api/syncs")).json()
    _assert_covers(_sample(shared_dir, "sync_list_2025-09-18.json") | {"pagination": {}}, listed)
    started = (await client.post(f"/api/syncs/{created['id']}/executions", json=_sample(shared_dir, "sync_start_request.json"))).json()
    _assert_covers(_sample(shared_dir, "sync_start_response.json"), started)
    await client.get(f"/api/syncs/{created['id']}/status")
    status = (await client.get(f"/api/syncs/{created['id']}/status")).json()
    _assert_covers(_sample(shared_dir, "sync_status.json"), status)
    assert status["data"]["next_execution_time"].endswith("05:00:00Z")
    executions = (await client.get(f"/api/syncs/{created['id']}/executions")).json()
    _assert_covers(_sample(shared_dir, "sync_executions_list.json"), executions)
    activated = (await client.post(f"/api/syncs/{created['id']}/activate", json={"active": False})).json()
    _assert_covers(_sample(shared_dir, "sync_activate.json"), activated)
    schedules = (await client.get("/api/syncs/schedules")).json()
    _assert_covers(_sample(shared_dir, "sync_schedule_options.json"), schedules)


async def test_async_and_error_shapes(shared_dir, client) -> None:
    conn = await mongo_connection(client)
    body = {"name": "Users", "connection_id": conn["id"], "configuration": {"database": "example", "collection": "users"}}
    job = (await client.post("/api/models?async=true", json=body)).json()
    assert set(job) == set(_sample(shared_dir, "model_create_async_response.json"))
    _assert_covers(_sample(shared_dir, "model_create_async_response.json"), job)
    await client.get(f"/api/jobs/createmodel/{job['job']['job_id']}")
    done = (await client.get(f"/api/jobs/createmodel/{job['job']['job_id']}")).json()
    sample_done = _sample(shared_dir, "job_get_done.json")
    sample_done["data"]["result"]["configuration"] = {}
    _assert_covers(sample_done, done)
    missing = (await client.get("/api/models/516a4fbe-464a-4678-8153-ec53d2e4bdd5")).json()
    assert set(missing) == set(_sample(shared_dir, "error_404.json"))
    bad = (await client.post("/api/connections", json={"name": "PG", "type": "postgresql", "configuration": {}})).json()
    assert set(bad) == set(_sample(shared_dir, "error_400_validation.json"))
