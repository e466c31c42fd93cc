"""The demo key's workspace starts with a company's world and a week of runs, one nightly sync failing for real; every
other key starts empty."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from sandbox_support import log_lines, make_client

from polytomic_mcp.sandbox import DEMO_API_KEY, EMPTY_API_KEY, Sandbox
from polytomic_mcp.sandbox.demo_world import FAILING_SYNC

pytestmark = pytest.mark.anyio

CAUSES = Counter({"STRING_TOO_LONG": 1, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": 1, "MALFORMED_ID": 1,
                  "INVALID_CROSS_REFERENCE_KEY": 1, "INVALID_TYPE": 1})


@pytest.fixture
def demo() -> Sandbox:
    return Sandbox.with_demo_workspace()


@pytest.fixture
async def demo_client(demo: Sandbox) -> AsyncIterator[httpx2.AsyncClient]:
    async with make_client(demo, key=DEMO_API_KEY) as c:
        yield c


async def _data(client: httpx2.AsyncClient, path: str, **params: Any) -> Any:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def _failing_sync(client: httpx2.AsyncClient) -> dict[str, Any]:
    return next(s for s in await _data(client, "/api/syncs") if s["name"] == FAILING_SYNC)


async def test_the_demo_workspace_holds_sources_destinations_models_syncs_and_days_of_runs(demo_client) -> None:
    connections = await _data(demo_client, "/api/connections")
    assert {c["type"]["id"] for c in connections} >= {"postgresql", "mongodb", "salesforce", "hubspot", "snowflake"}
    assert all(c["status"] == "healthy" for c in connections)
    assert len(await _data(demo_client, "/api/models")) >= 4
    syncs = await _data(demo_client, "/api/syncs")
    assert {s["mode"] for s in syncs} >= {"updateOrCreate", "create", "replace"} and any(not s["active"] for s in syncs)
    days = set()
    for sync in syncs:
        days |= {e["created_at"][:10] for e in await _data(demo_client, f"/api/syncs/{sync['id']}/executions")}
    assert len(days) >= 4, days
    (bulk,) = await _data(demo_client, "/api/bulk/syncs")
    runs = await _data(demo_client, f"/api/bulk/syncs/{bulk['id']}/executions")
    assert len(runs) == 3 and all(r["status"] == "completed" and r["record_count"] > 0 for r in runs)
    assert len({r["created_at"][:10] for r in runs}) == 3


async def test_one_sync_failed_last_night_rejecting_records_for_five_causes(demo_client) -> None:
    sync = await _failing_sync(demo_client)
    status = await _data(demo_client, f"/api/syncs/{sync['id']}/status")
    last = status["last_execution"]
    assert last["status"] == "failed" and last["counts"]["error"] == last["counts"]["total"] == 5
    assert Counter(e.split(": ")[1] for e in last["errors"]) == CAUSES
    history = await _data(demo_client, f"/api/syncs/{sync['id']}/executions")
    assert [e["status"] for e in history] == ["failed", "failed", "completed"]
    assert history[-1]["counts"]["update"] == 7 and history[-1]["counts"]["error"] == 5, "the first night wrote the other seven"
    others = [s for s in await _data(demo_client, "/api/syncs") if s["id"] != sync["id"]]
    for other in others:
        for execution in await _data(demo_client, f"/api/syncs/{other['id']}/executions"):
            assert execution["status"] == "completed" and execution["counts"]["error"] == 0, other["name"]


async def test_the_failure_is_real_running_again_rejects_the_same_records(demo, demo_client) -> None:
    sync = await _failing_sync(demo_client)
    ws = demo.workspace(DEMO_API_KEY)
    again = ws.run_sync(sync["id"])
    assert again.status == "failed" and Counter(e.split(": ")[1] for e in again.errors) == CAUSES
    full = ws.run_sync(sync["id"], resync=True)
    assert full.counts["total"] == 12 and full.counts["update"] == 7 and full.counts["error"] == 5


async def test_fixing_only_the_mapping_leaves_the_causes_the_model_must_fix(demo, demo_client) -> None:
    sync = await _data(demo_client, f"/api/syncs/{(await _failing_sync(demo_client))['id']}")
    body = {k: sync[k] for k in ("name", "mode", "schedule", "identities", "active")}
    body["target"] = {"connection_id": sync["target"]["connection_id"], "object": sync["target"]["object"]}
    body["fields"] = [{**f, "source": {**f["source"], "field": "sfdc_account_id"}} if f["target"] == "AccountId" else f for f in sync["fields"]]
    assert (await demo_client.put(f"/api/syncs/{sync['id']}", json=body)).status_code == 200
    run = demo.workspace(DEMO_API_KEY).run_sync(sync["id"], resync=True)
    rejected = await log_lines(demo, demo_client, f"/api/syncs/{sync['id']}/executions/{run.id}", "errors")
    assert Counter(line["code"] for line in rejected) == Counter(
        {"STRING_TOO_LONG": 1, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": 1, "INVALID_TYPE": 1})
    assert run.status == "completed" and run.counts["update"] == 9 and run.counts["error"] == 3


async def test_every_other_key_starts_empty(demo) -> None:
    demo.add_workspace("pk_sandbox_someone_else")
    for sandbox, key in ((demo, "pk_sandbox_someone_else"), (Sandbox.with_empty_workspace(), EMPTY_API_KEY)):
        async with make_client(sandbox, key=key) as client:
            for path in ("/api/connections", "/api/models", "/api/syncs", "/api/bulk/syncs"):
                assert await _data(client, path) == [], path


async def test_a_seeded_run_logs_between_its_start_and_end_and_names_every_cause_when_it_fails(demo_client) -> None:
    sync = await _failing_sync(demo_client)
    last = (await _data(demo_client, f"/api/syncs/{sync['id']}/executions"))[0]
    lines = (await _data(demo_client, f"/api/syncs/{sync['id']}/executions/{last['id']}/consolelog"))["entries"]
    assert all(last["started_at"] <= line["timestamp"] <= last["completed_at"] for line in lines), (last, lines)
    failed = lines[-1]["message"]
    assert failed.startswith("Run failed:") and all(cause in failed for cause in CAUSES), failed
