"""Workspace isolation, reset, seed helpers and large synthetic destinations."""

from __future__ import annotations

import pytest
from sandbox_support import MONGO_CONFIG, OTHER_KEY, POSTGRES_CONFIG, make_client, mongo_connection

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


async def test_workspaces_never_see_each_other(sandbox: Sandbox, client) -> None:
    mine = await mongo_connection(client)
    async with make_client(sandbox, key=OTHER_KEY) as other:
        assert (await other.get("/api/connections")).json()["data"] == []
        assert (await other.get(f"/api/connections/{mine['id']}")).status_code == 404
        assert (await other.delete(f"/api/connections/{mine['id']}")).status_code == 404
        me = (await other.get("/api/me")).json()["data"]
        theirs = (await other.post("/api/connections", json={"name": "Theirs", "type": "mongodb", "configuration": MONGO_CONFIG})).json()["data"]
    assert me["organization_name"] == "Other Org"
    assert theirs["organization_id"] == sandbox.workspace(OTHER_KEY).organization_id != mine["organization_id"]
    assert [c["id"] for c in (await client.get("/api/connections")).json()["data"]] == [mine["id"]]


async def test_reset_clears_objects_but_keeps_keys(sandbox: Sandbox, client) -> None:
    await mongo_connection(client)
    org = sandbox.workspace(EMPTY_API_KEY).organization_id
    sandbox.reset()
    assert sandbox.requests == []
    assert sandbox.workspace(EMPTY_API_KEY).connections == {}
    r = await client.get("/api/connections")
    assert r.status_code == 200 and r.json()["data"] == []
    assert sandbox.workspace(EMPTY_API_KEY).organization_id == org


def test_workspace_registration() -> None:
    sb = Sandbox(base_url="http://localhost:9999/")
    ws = sb.add_workspace("pk_a", org_name="A")
    assert sb.workspace("pk_a") is ws and ws.organization_name == "A"
    assert Sandbox().add_workspace("pk_a").organization_id == ws.organization_id
    with pytest.raises(ValueError):
        sb.add_workspace("pk_a")
    with pytest.raises(KeyError):
        sb.workspace("pk_missing")


def test_seed_helpers_validate() -> None:
    sb = Sandbox()
    ws = sb.add_workspace("pk_bench")
    connections = [ws.add_connection(f"pg {i}", "postgresql", POSTGRES_CONFIG) for i in range(1000)]
    for i, conn in enumerate(connections):
        ws.add_model(f"model {i}", conn.id, {"table": "public.users"})
    assert len(ws.connections) == len(ws.models) == 1000
    with pytest.raises(ValueError, match="hosts is required"):
        ws.add_connection("bad", "mongodb", {})
    with pytest.raises(ValueError, match='relation "public.nope" does not exist'):
        ws.add_model("bad", connections[0].id, {"table": "public.nope"})


def test_seeded_oauth_connection_can_await_consent() -> None:
    sb = Sandbox()
    ws = sb.add_workspace("pk_oauth")
    pending = ws.add_connection("SF", "salesforce", {"domain": "acme.my.salesforce.com"}, status="")
    ready = ws.add_connection("SF2", "salesforce", {"domain": "acme.my.salesforce.com"})
    assert pending.authorized is False and pending.auth_url.startswith(sb.base_url)
    assert ready.authorized is True and ready.configuration["username"]
    sb.complete_oauth(pending.id)
    assert ws.connections[pending.id].status == "healthy"


async def test_seeded_sync_and_synthetic_target(sandbox: Sandbox, client) -> None:
    ws = sandbox.workspace(EMPTY_API_KEY)
    source = ws.add_connection("PG", "postgresql", POSTGRES_CONFIG)
    model = ws.add_model("Users", source.id, {"table": "public.users"})
    target = ws.add_synthetic_target("Warehouse", objects=900, fields=50)
    objects = (await client.get(f"/api/connections/{target.id}/modelsync/targetobjects")).json()["data"]
    assert len(objects) == 900
    fields = (await client.get(f"/api/connections/{target.id}/modelsync/target/fields", params={"target": objects[-1]["id"]})).json()["data"]["fields"]
    assert len(fields) == 50
    sync = ws.add_sync(
        "Users to synthetic",
        target={"connection_id": target.id, "object": objects[-1]["id"]},
        mode="updateOrCreate",
        fields=[{"source": {"model_id": model.id, "field": "first_name"}, "target": "field_05"}],
        identities={"mappings": [{"source": {"model_id": model.id, "field": "email"}, "target": "email", "function": "Equality"}]},
    )
    fetched = (await client.get(f"/api/syncs/{sync.id}")).json()["data"]
    assert fetched["target"]["object"] == "synthetic.object_0900" and fetched["problems"] == []
