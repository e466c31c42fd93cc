"""Creating bulk syncs through injected faults (429, 5xx, slow, dropped answers) never creates one twice."""

from __future__ import annotations

import pytest

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.client.models import BulkSyncRequest
from polytomic_mcp.sandbox import EMPTY_API_KEY, FaultConfig, Sandbox

pytestmark = pytest.mark.anyio

BASE = "http://sandbox.polytomic.test"
CREATE = "POST /api/bulk/syncs"
COUNT = 12


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox.with_empty_workspace(base_url=BASE)


def request(sandbox: Sandbox, name: str) -> BulkSyncRequest:
    ws = sandbox.workspace(EMPTY_API_KEY)
    by_type = {c.type_id: c.id for c in ws.connections.values()}
    if not by_type:
        by_type["salesforce"] = ws.add_connection("Salesforce", "salesforce", {"domain": "acme.my.salesforce.com"}).id
        by_type["snowflake"] = ws.add_connection("Snowflake", "snowflake", {"account": "a", "username": "u", "dbname": "DB"}).id
    return BulkSyncRequest.model_validate({
        "name": name, "source_connection_id": by_type["salesforce"], "destination_connection_id": by_type["snowflake"],
        "destination_configuration": {"schema": "SALESFORCE"}, "mode": "replicate", "schemas": ["Account", "Contact"],
        "schedule": {"frequency": "daily", "hour": "5", "minute": "0"},
    })


def client_for(sandbox: Sandbox) -> PolytomicClient:
    return PolytomicClient(EMPTY_API_KEY, base_url=BASE, transport=sandbox.transport(), max_retries=8, retry_backoff=0.001, max_retry_delay=0.005)


async def test_a_dropped_create_answer_is_retried_into_exactly_one_bulk_sync(sandbox: Sandbox) -> None:
    body = request(sandbox, "Salesforce to Snowflake")
    sandbox.faults = FaultConfig(rate=1.0, kinds=("drop",), only=CREATE, limit=1)
    async with client_for(sandbox) as api:
        sync = await api.bulk_syncs.create(body)
    attempts = [r for r in sandbox.requests if f"{r.method} {r.path}" == CREATE]
    assert [(r.fault, r.replayed) for r in attempts] == [("drop", False), (None, True)]
    assert len({r.headers["idempotency-key"] for r in attempts}) == 1
    assert list(sandbox.workspace(EMPTY_API_KEY).bulk.syncs) == [sync.id]


async def test_thirty_percent_faults_end_with_exactly_one_bulk_sync_per_create() -> None:
    """Three seeds between them hit the create with every fault kind, dropped answers included."""
    seen: set[str] = set()
    for seed in (1, 2, 3):
        sandbox = Sandbox.with_empty_workspace(base_url=BASE)
        bodies = [request(sandbox, f"bulk-{index}") for index in range(COUNT)]
        sandbox.faults = FaultConfig(rate=0.3, seed=seed, slow_seconds=0.01, retry_after=0.001)
        async with client_for(sandbox) as api:
            created = [(await api.bulk_syncs.create(body)).id for body in bodies]
        stored = sandbox.workspace(EMPTY_API_KEY).bulk.syncs
        assert sorted(stored) == sorted(created) and len(stored) == COUNT
        assert sorted(s["name"] for s in stored.values()) == sorted(b.name for b in bodies)
        seen |= {r.fault for r in sandbox.requests if f"{r.method} {r.path}" == CREATE and r.fault}
    assert seen == {"429", "500", "503", "slow", "drop"}
