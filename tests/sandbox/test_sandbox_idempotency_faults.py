"""Idempotency-Key replay and locking, and seeded fault injection (gateway errors, slow, drop)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import anyio
import httpx2
import pytest
from sandbox_support import EMPTY_API_KEY, MONGO_CONFIG, OTHER_KEY, make_client

from polytomic_mcp.sandbox import FaultConfig, RecordedRequest, Sandbox
from polytomic_mcp.sandbox.idempotency import IN_FLIGHT_BODY

pytestmark = pytest.mark.anyio

CONNECTION = {"name": "Mongo", "type": "mongodb", "configuration": MONGO_CONFIG}


async def test_replay_returns_first_response(sandbox: Sandbox, client) -> None:
    headers = {"Idempotency-Key": "create-mongo-0001"}
    first = await client.post("/api/connections", json=CONNECTION, headers=headers)
    second = await client.post("/api/connections", json={**CONNECTION, "name": "Other"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len(sandbox.workspace(EMPTY_API_KEY).connections) == 1
    assert [r.replayed for r in sandbox.requests[-2:]] == [False, True]


async def test_errors_are_replayed_too(client) -> None:
    headers = {"Idempotency-Key": "bad-then-good-01"}
    bad = await client.post("/api/connections", json={**CONNECTION, "type": "mongo"}, headers=headers)
    retry = await client.post("/api/connections", json=CONNECTION, headers=headers)
    assert bad.status_code == retry.status_code == 400
    assert retry.json() == bad.json()


async def test_invalid_key_is_400(client) -> None:
    short = await client.post("/api/connections", json=CONNECTION, headers={"Idempotency-Key": "short"})
    bad_chars = await client.post("/api/connections", json=CONNECTION, headers={"Idempotency-Key": "has spaces in it"})
    assert short.status_code == 400 and "Idempotency-Key" in short.json()["message"]
    assert bad_chars.status_code == 400
    assert (await client.get("/api/connections", headers={"Idempotency-Key": "x"})).status_code == 200


async def test_keys_are_scoped_per_workspace(sandbox: Sandbox, client) -> None:
    headers = {"Idempotency-Key": "shared-key-0001"}
    mine = await client.post("/api/connections", json=CONNECTION, headers=headers)
    async with make_client(sandbox, key=OTHER_KEY) as other:
        theirs = await other.post("/api/connections", json=CONNECTION, headers=headers)
    assert theirs.status_code == 200 and "idempotent-replayed" not in theirs.headers
    assert theirs.json()["data"]["id"] != mine.json()["data"]["id"]


async def test_in_flight_key_is_409(sandbox: Sandbox, client) -> None:
    entered, release = anyio.Event(), anyio.Event()

    async def hold_first(record: RecordedRequest) -> None:
        if record.path == "/api/connections" and not entered.is_set():
            entered.set()
            await release.wait()

    sandbox.before_handle = hold_first
    headers = {"Idempotency-Key": "in-flight-key-01"}
    results: dict[str, httpx2.Response] = {}

    async def first() -> None:
        results["first"] = await client.post("/api/connections", json=CONNECTION, headers=headers)

    async with anyio.create_task_group() as tg:
        tg.start_soon(first)
        await entered.wait()
        conflict = await client.post("/api/connections", json=CONNECTION, headers=headers)
        release.set()
    assert conflict.status_code == 409
    assert conflict.json() == {"status": 409, "message": "a request with this idempotency key is already being processed", "metadata": None}
    assert results["first"].status_code == 200
    replay = await client.post("/api/connections", json=CONNECTION, headers=headers)
    assert replay.json() == results["first"].json()


def test_in_flight_body_matches_reference_sample(shared_dir: Path) -> None:
    expected = json.loads((shared_dir / "samples" / "error_409_idempotency_in_flight.json").read_text())
    assert IN_FLIGHT_BODY == expected


async def _fault_trace(sb: Sandbox, config: FaultConfig, n: int = 40) -> list[tuple[int, str | None]]:
    sb.faults = config
    trace = []
    async with make_client(sb) as c:
        for _ in range(n):
            try:
                r = await c.get("/api/me")
                trace.append((r.status_code, sb.requests[-1].fault))
            except httpx2.ReadError:
                trace.append((0, sb.requests[-1].fault))
    return trace


async def test_faults_are_repeatable_from_seed(sandbox: Sandbox) -> None:
    config = FaultConfig(rate=0.5, kinds=("429", "500", "503", "slow", "drop"), seed=1234, slow_seconds=0.001, retry_after=0.01)
    first = await _fault_trace(sandbox, config)
    second = await _fault_trace(sandbox, config)
    other = await _fault_trace(sandbox, FaultConfig(rate=0.5, seed=99, slow_seconds=0.001))
    assert first == second
    assert first != other
    kinds = {fault for _, fault in first}
    assert {"429", "500", "503", "drop"} <= kinds and None in kinds
    for status, fault in first:
        expected = {"429": 429, "500": 500, "503": 503, "drop": 0, "slow": 200, None: 200}[fault]
        assert status == expected


async def test_429_has_retry_after_and_is_not_stored_for_idempotency(sandbox: Sandbox, client) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=("429",), retry_after=0.01)
    headers = {"Idempotency-Key": "retry-after-429"}
    limited = await client.post("/api/connections", json=CONNECTION, headers=headers)
    assert limited.status_code == 429 and limited.headers["retry-after"] == "0.01"
    assert limited.json()["status"] == 429 and "message" in limited.json()
    assert limited.headers["x-polytomic-version"]
    assert sandbox.requests[-1].fault == "429" and sandbox.requests[-1].status == 429
    sandbox.faults = FaultConfig()
    created = await client.post("/api/connections", json=CONNECTION, headers=headers)
    assert created.status_code == 200 and "idempotent-replayed" not in created.headers


async def test_faults_happen_before_auth(sandbox: Sandbox) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=("503",))
    async with make_client(sandbox, key="pk_nobody") as c:
        r = await c.get("/api/me")
    assert r.status_code == 503


async def test_drop_processes_then_fails_and_retry_replays(sandbox: Sandbox, client) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=("drop",))
    headers = {"Idempotency-Key": "dropped-create-1"}
    with pytest.raises(httpx2.ReadError, match="connection dropped by sandbox fault injection"):
        await client.post("/api/connections", json=CONNECTION, headers=headers)
    assert sandbox.requests[-1].fault == "drop" and sandbox.requests[-1].status == 200
    assert len(sandbox.workspace(EMPTY_API_KEY).connections) == 1
    sandbox.faults = FaultConfig()
    retry = await client.post("/api/connections", json=CONNECTION, headers=headers)
    assert retry.status_code == 200 and retry.headers["idempotent-replayed"] == "true"
    assert len(sandbox.workspace(EMPTY_API_KEY).connections) == 1


async def test_slow_fault_delays_then_answers(sandbox: Sandbox, client) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=("slow",), slow_seconds=0.05)
    started = time.perf_counter()
    r = await client.get("/api/me")
    assert r.status_code == 200 and time.perf_counter() - started >= 0.05
    assert sandbox.requests[-1].fault == "slow"


async def test_oauth_page_gets_no_faults(sandbox: Sandbox, client) -> None:
    conn = (await client.post("/api/connections", json={"name": "SF", "type": "salesforce", "configuration": {"domain": "acme.my.salesforce.com"}})).json()["data"]
    sandbox.faults = FaultConfig(rate=1.0, kinds=("500",))
    async with make_client(sandbox, key=None) as browser:
        assert (await browser.get(conn["auth_url"])).status_code == 200
    assert sandbox.requests[-1].fault is None


async def test_faults_limited_to_matching_requests_and_a_count(sandbox: Sandbox, client) -> None:
    sandbox.faults = FaultConfig(rate=1.0, kinds=("503",), only=r"GET /api/connection_types", limit=2)
    assert (await client.get("/api/me")).status_code == 200
    statuses = [(await client.get("/api/connection_types")).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert [r.fault for r in sandbox.requests] == [None, "503", "503", None]


def test_fault_config_validation() -> None:
    assert FaultConfig().rate == 0
    with pytest.raises(ValueError):
        FaultConfig(rate=1.5)
    with pytest.raises(ValueError):
        FaultConfig(rate=0.1, kinds=("418",))
    with pytest.raises(ValueError):
        FaultConfig(rate=1.0, limit=-1)
    with pytest.raises(ValueError):
        FaultConfig(rate=1.0, only="GET /api/models/(")
