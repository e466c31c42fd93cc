"""Console logs, the record-log index, signed log URLs and the files behind them (2025-09-18; URLs on both versions)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sandbox_support import EMPTY_API_KEY, make_client

pytestmark = pytest.mark.anyio


@pytest.fixture
def seeded(sandbox) -> dict[str, Any]:
    return sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=1)


def execution_path(seeded: dict[str, Any], index: int = 0) -> str:
    return f"/api/syncs/{seeded['sync'].id}/executions/{seeded['executions'][index].id}"


async def test_console_log_tells_the_story_of_the_run(client, seeded) -> None:
    body = (await client.get(f"{execution_path(seeded)}/consolelog")).json()["data"]
    messages = [(e["level"], e["message"]) for e in body["entries"]]
    assert messages == [
        ("info", 'Run queued for sync "Signups to Salesforce Contacts"'),
        ("info", "Run started"),
        ("info", 'Read 12 records from model "Signups"'),
        ("info", f'Writing to Contact on "Salesforce" (salesforce, {seeded["destination"].id}) (mode updateOrCreate)'),
        ("error", "12 of 12 records rejected by Salesforce Contact: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]"),
        ("error", "Run failed: 12 of 12 records rejected by Salesforce Contact: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]"),
    ]
    assert body["next_cursor"] == body["entries"][-1]["id"]
    assert body["entries"][-1]["payload"]["error"] == 12 and body["entries"][0]["timestamp"].endswith("Z")


async def test_console_log_pages_with_limit_and_after(client, seeded) -> None:
    path = f"{execution_path(seeded)}/consolelog"
    everything = (await client.get(path)).json()["data"]["entries"]
    latest = (await client.get(path, params={"limit": 2})).json()["data"]
    assert latest["entries"] == everything[-2:]
    first = everything[0]["id"]
    following = (await client.get(path, params={"limit": 3, "after": first})).json()["data"]
    assert following["entries"] == everything[1:4] and following["next_cursor"] == everything[3]["id"]
    caught_up = (await client.get(path, params={"after": everything[-1]["id"]})).json()["data"]
    assert caught_up == {"entries": [], "next_cursor": everything[-1]["id"]}
    bad = await client.get(path, params={"after": "not-a-cursor"})
    assert bad.status_code == 400 and "invalid after cursor" in bad.json()["message"]
    assert (await client.get(path, params={"limit": "many"})).status_code == 400


async def test_console_log_grows_while_a_run_is_followed(sandbox, client) -> None:
    sync_id = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=0)["sync"].id
    started = (await client.post(f"/api/syncs/{sync_id}/executions", json={})).json()["data"]
    path = f"/api/syncs/{sync_id}/executions/{started['id']}/consolelog"
    first = (await client.get(path)).json()["data"]
    assert [e["message"] for e in first["entries"]] == ['Run queued for sync "Signups to Salesforce Contacts"', "Run started"]
    rest = (await client.get(path, params={"after": first["next_cursor"]})).json()["data"]
    assert rest["entries"][-1]["message"].startswith("Run failed: 12 of 12 records rejected")


async def test_logs_index_counts_each_record_log(client, seeded) -> None:
    path = execution_path(seeded)
    index = (await client.get(f"{path}/logs")).json()["data"]
    base = f"http://sandbox.polytomic.test{path}"
    assert index == {
        "records": {"count": 12, "url": f"{base}/records"},
        "errors": {"count": 12, "url": f"{base}/errors"},
        "warnings": {"count": 0, "url": f"{base}/warnings"},
        "inserts": {"count": 0, "url": f"{base}/inserts"},
        "updates": {"count": 0, "url": f"{base}/updates"},
        "deletes": {"count": 0, "url": f"{base}/deletes"},
    }


async def test_a_running_execution_has_no_record_logs_yet(sandbox, client) -> None:
    sync_id = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=0)["sync"].id
    started = (await client.post(f"/api/syncs/{sync_id}/executions", json={})).json()["data"]
    path = f"/api/syncs/{sync_id}/executions/{started['id']}"
    assert (await client.get(f"{path}/logs")).json()["data"] == {}, "the read made it running; it ends on the next"
    assert (await client.get(f"{path}/logs")).json()["data"]["errors"]["count"] == 12


async def test_error_log_names_each_record_its_field_and_code(sandbox, client, seeded) -> None:
    urls = (await client.get(f"{execution_path(seeded)}/errors")).json()["data"]
    assert set(urls) == {"expires", "urls"} and len(urls["urls"]) == 1 and urls["urls"][0].endswith("/errors-00000.jsonl")
    async with make_client(sandbox, key=None, version=None) as anonymous:
        downloaded = await anonymous.get(urls["urls"][0])
    assert downloaded.status_code == 200 and downloaded.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in downloaded.text.splitlines()]
    assert len(lines) == 12
    assert lines[0] == {
        "identity": {"email": "ada@analyticalengines.com"}, "operation": "update", "code": "REQUIRED_FIELD_MISSING",
        "field": "LastName", "fields": ["LastName"], "message": "Required fields are missing: [LastName]",
    }
    assert (await client.get(f"{execution_path(seeded)}/inserts")).json()["data"]["urls"] == []


async def test_a_log_file_redirects_to_its_signed_url(sandbox, client, seeded) -> None:
    path = execution_path(seeded)
    redirect = await client.get(f"{path}/records/records-00000.jsonl")
    assert redirect.status_code == 302 and redirect.content == b""
    location = redirect.headers["location"]
    assert location.startswith("http://sandbox.polytomic.test/sandbox-logs/")
    async with make_client(sandbox, key=None, version=None) as anonymous:
        record = json.loads((await anonymous.get(location)).text.splitlines()[0])
        forged = await anonymous.get(location.replace("/sandbox-logs/", "/sandbox-logs/x"))
    assert record == {"identity": {"email": "ada@analyticalengines.com"}, "operation": "update", "status": "error",
                      "fields": {"FirstName": "Ada", "LastName": None}}
    assert forged.status_code == 403
    assert (await client.get(f"{path}/errors/errors-00001.jsonl")).status_code == 404
    unknown = await client.get(f"{path}/debug")
    assert unknown.status_code == 400 and 'unknown log type "debug"' in unknown.json()["message"]


async def test_log_urls_exist_on_2024_but_console_and_index_do_not(legacy_client, seeded) -> None:
    path = execution_path(seeded)
    assert len((await legacy_client.get(f"{path}/errors")).json()["data"]["urls"]) == 1
    for tail, operation in (("consolelog", "get_console_logs"), ("logs", "get_logs_index")):
        r = await legacy_client.get(f"{path}/{tail}")
        assert r.status_code == 404 and r.json()["message"] == (
            f"not found: no route for GET {path}/{tail} in API version 2024-02-08; "
            f"model_sync.executions.{operation} is in API version 2025-09-18 and later")


async def test_log_urls_of_a_deleted_sync_stop_working(sandbox, client, seeded) -> None:
    url = (await client.get(f"{execution_path(seeded)}/errors")).json()["data"]["urls"][0]
    await client.delete(f"/api/syncs/{seeded['sync'].id}")
    async with make_client(sandbox, key=None, version=None) as anonymous:
        assert (await anonymous.get(url)).status_code == 404
