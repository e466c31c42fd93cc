"""With 30% injected faults (429, 5xx, slow, dropped answers), creates never duplicate."""

from __future__ import annotations

import pytest

from polytomic_mcp.client import PolytomicClient, PolytomicError
from polytomic_mcp.client.models import Model, ModelCreateRequest, SyncRequest
from polytomic_mcp.sandbox import EMPTY_API_KEY, FaultConfig, Sandbox

pytestmark = pytest.mark.anyio

BASE = "http://sandbox.polytomic.test"
COUNT = 20


def client_for(sandbox: Sandbox, max_retries: int) -> PolytomicClient:
    return PolytomicClient(
        EMPTY_API_KEY, base_url=BASE, transport=sandbox.transport(), max_retries=max_retries,
        retry_backoff=0.001, max_retry_delay=0.005, job_poll_interval=0.001,
    )


async def create_everything(api: PolytomicClient, sandbox: Sandbox) -> None:
    for index in range(COUNT):
        mongo = await api.connections.create(
            name=f"mongo-{index}", type="mongodb", configuration={"hosts": "example.mongodb.net", "password": "pw"}
        )
        model = await api.models.create(
            ModelCreateRequest(name=f"model-{index}", connection_id=mongo.id,
                               configuration={"database": "example", "collection": "users"}),
        )
        assert isinstance(model, Model)
        pg = next(c for c in await api.connections.list() if c.name == "pg")
        await api.syncs.create(SyncRequest.model_validate({
            "name": f"sync-{index}", "mode": "append", "target": {"connection_id": pg.id, "object": "public.users"},
            "fields": [{"source": {"model_id": model.id, "field": "email"}, "target": "email"}],
            "schedule": {"frequency": "manual"},
        }))


def counts(sandbox: Sandbox) -> tuple[int, int, int]:
    workspace = sandbox.workspace(EMPTY_API_KEY)
    return len(workspace.connections), len(workspace.models), len(workspace.syncs)


@pytest.fixture
def sandbox() -> Sandbox:
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)
    sandbox.workspace(EMPTY_API_KEY).add_connection(
        "pg", "postgresql",
        {"hostname": "db.example.com", "username": "u", "password": "p", "database": "acme", "port": 5432},
    )
    return sandbox


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_thirty_percent_faults_end_with_exactly_twenty_of_each(sandbox: Sandbox, seed: int) -> None:
    sandbox.faults = FaultConfig(rate=0.3, seed=seed, slow_seconds=0.01, retry_after=0.001)
    async with client_for(sandbox, max_retries=8) as api:
        await create_everything(api, sandbox)
    injected = {r.fault for r in sandbox.requests if r.fault}
    assert {"429", "500", "503", "slow", "drop"} <= injected
    assert counts(sandbox) == (COUNT + 1, COUNT, COUNT)


async def test_exhausted_retries_fail_clearly_and_never_duplicate(sandbox: Sandbox) -> None:
    sandbox.faults = FaultConfig(rate=0.3, seed=7, kinds=("500", "503", "drop"), retry_after=0.001)
    failures: list[PolytomicError] = []
    async with client_for(sandbox, max_retries=1) as api:
        for index in range(COUNT):
            try:
                await api.connections.create(name=f"c-{index}", type="mongodb", configuration={"hosts": "example.mongodb.net"})
            except PolytomicError as error:
                failures.append(error)
    assert failures, "with one retry and 30% faults some calls must give up"
    for error in failures:
        assert error.may_have_succeeded and error.idempotency_key
        assert str(error)
    created = counts(sandbox)[0] - 1
    assert COUNT - len(failures) <= created <= COUNT
    names = [c.name for c in sandbox.workspace(EMPTY_API_KEY).connections.values()]
    assert len(names) == len(set(names))


async def test_json_nested_too_deep_to_decode_is_a_parse_error_not_a_crash() -> None:
    import httpx2

    from polytomic_mcp.client import PolytomicClient, ResponseParseError

    deep = ('{"data": ' + '[' * 5000 + ']' * 5000 + '}').encode()
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, content=deep, headers={"content-type": "application/json"}))
    async with PolytomicClient("k", base_url="https://api.test", transport=transport, max_retries=0) as client:
        with pytest.raises(ResponseParseError, match="nested too deep"):
            await client.call("GET", "/api/connections")
