"""Operations no simulated domain serves answer from the generic store: per workspace, 404 naming a missing object.

Before: webhooks, events, users and roles answered "no route" and later 501 "the sandbox does not simulate", so an
agent could not tell an operation a deployment lacks from a wrong path. The SDK oracle
(tests/contract/test_sdk_oracle.py) checks every answer against the SDK's types; these tests check behaviour.
"""

from __future__ import annotations

import httpx2
import pytest
from bulk_support import reference_body, seed
from sandbox_support import OTHER_KEY, create, make_client, mongo_connection, salesforce_connection

from polytomic_mcp.client import PolytomicClient, ServerError
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio
HOOK = {"endpoint": "https://hooks.example.com/polytomic", "secret": "whsec-1"}


async def test_a_webhook_is_created_listed_read_replaced_disabled_and_deleted(client: httpx2.AsyncClient) -> None:
    hook = await create(client, "/api/webhooks", HOOK)
    assert hook["endpoint"] == HOOK["endpoint"] and hook["id"] and hook["created_at"]
    assert [h["id"] for h in (await client.get("/api/webhooks")).json()["data"]] == [hook["id"]]
    assert (await client.get(f"/api/webhooks/{hook['id']}")).json()["data"] == hook

    replaced = await client.put(f"/api/webhooks/{hook['id']}", json={"endpoint": "https://other.example.com/x", "secret": "s2"})
    assert replaced.json()["data"]["endpoint"] == "https://other.example.com/x"
    assert replaced.json()["data"]["created_at"] == hook["created_at"]

    disabled = (await client.post(f"/api/webhooks/{hook['id']}/disable")).json()["data"]
    assert disabled["disabled"] is True and disabled["disabled_at"]
    enabled = (await client.post(f"/api/webhooks/{hook['id']}/enable")).json()["data"]
    assert enabled["disabled"] is False and "disabled_at" not in enabled
    assert (await client.get(f"/api/webhooks/{hook['id']}")).json()["data"]["disabled"] is False

    assert (await client.delete(f"/api/webhooks/{hook['id']}")).status_code == 204
    gone = await client.get(f"/api/webhooks/{hook['id']}")
    assert gone.status_code == 404 and gone.json()["message"] == f'not found: no webhook "{hook["id"]}"'


async def test_objects_belong_to_the_workspace_of_the_key(sandbox: Sandbox, client: httpx2.AsyncClient) -> None:
    hook = await create(client, "/api/webhooks", HOOK)
    async with make_client(sandbox, key=OTHER_KEY) as other:
        assert (await other.get("/api/webhooks")).json()["data"] == []
        assert (await other.get(f"/api/webhooks/{hook['id']}")).status_code == 404


async def test_a_missing_owner_is_a_404_naming_it(client: httpx2.AsyncClient) -> None:
    harbor = await client.get("/api/harbors/h-404/contexts")
    assert harbor.status_code == 404 and harbor.json()["message"] == 'not found: no harbor "h-404"'
    sync = await client.get("/api/syncs/s-404/error-handling")
    assert sync.status_code == 404 and "s-404" in sync.json()["message"]
    delivery = await client.get("/api/webhooks/w-404/deliveries")
    assert delivery.status_code == 404 and delivery.json()["message"] == 'not found: no webhook "w-404"'


async def test_settings_start_plain_and_keep_what_was_set(client: httpx2.AsyncClient, sandbox: Sandbox) -> None:
    conn = await salesforce_connection(client, sandbox)
    mongo = await mongo_connection(client)
    model = await create(client, "/api/models", {"name": "Users", "connection_id": mongo["id"],
                                                 "configuration": {"database": "example", "collection": "users"}})
    sync = sandbox.workspace(EMPTY_API_KEY).add_sync(
        "s", target={"connection_id": conn["id"], "object": "Contact"}, mode="updateOrCreate",
        fields=[{"source": {"model_id": model["id"], "field": "last_name"}, "target": "LastName"}],
        identities={"mappings": [{"source": {"model_id": model["id"], "field": "email"}, "target": "Email", "function": "Equality"}]},
    )
    path = f"/api/syncs/{sync.id}/error-handling"
    first = (await client.get(path)).json()["data"]
    assert first == {"auto_retry_record_errors": False, "notify_on_record_errors": False, "subscribers": [], "warning_notifications": False}
    assert (await client.get(path)).json()["data"] == first
    put = await client.put(path, json={"notify_on_record_errors": True, "subscribers": ["ops@example.com"]})
    assert put.json()["data"] == {"notify_on_record_errors": True, "subscribers": ["ops@example.com"]}
    assert (await client.get(path)).json()["data"] == put.json()["data"]
    emails = await client.put("/api/notifications/global-error-subscribers", json={"emails": ["a@example.com"]})
    assert emails.json() == {"emails": ["a@example.com"]}


async def test_an_action_that_makes_an_object_stores_it_where_it_is_read_back(client: httpx2.AsyncClient) -> None:
    mongo = await mongo_connection(client)
    ran = await client.post(f"/api/connections/{mongo['id']}/query", params={"query": "select 1"}, json={})
    query = ran.json()["data"]
    assert ran.status_code == 200 and query["id"]
    assert (await client.get(f"/api/queries/{query['id']}")).json()["data"]["id"] == query["id"]
    assert (await client.get("/api/queries/q-404")).status_code == 404


async def test_the_callers_organization_and_user_are_there_from_the_start(sandbox: Sandbox, client: httpx2.AsyncClient) -> None:
    ws = sandbox.workspace(EMPTY_API_KEY)
    assert (await client.get("/api/organization")).json()["data"] == {"id": ws.organization_id, "name": ws.organization_name}
    assert ws.organization_id in [o["id"] for o in (await client.get("/api/organizations")).json()["data"]]
    users = (await client.get("/api/organization/users")).json()["data"]
    me = (await client.get("/api/me")).json()["data"]
    assert [(u["id"], u["email"]) for u in users] == [(me["id"], me["email"])]
    invited = await create(client, f"/api/organizations/{ws.organization_id}/users", {"email": "new@example.com", "role": "user"})
    listed = (await client.get(f"/api/organizations/{ws.organization_id}/users")).json()["data"]
    assert {u["email"] for u in listed} == {me["email"], "new@example.com"} and invited["organization_id"] == ws.organization_id


async def test_a_batch_upsert_keys_each_object_by_its_id(client: httpx2.AsyncClient, sandbox: Sandbox) -> None:
    conn = await salesforce_connection(client, sandbox)
    fields = f"/api/connections/{conn['id']}/schemas/Contact/fields"
    added = await client.post(fields, json={"fields": [{"field_id": "Score__c", "label": "Score", "type": "number"}]})
    assert added.status_code == 204
    patched = await client.patch(f"{fields}/Score__c", json={"label": "Lead score"})
    assert (patched.json()["data"]["id"], patched.json()["data"]["type"]) == ("Score__c", "number")
    assert (await client.delete(f"{fields}/Score__c")).status_code == 204
    assert (await client.patch(f"{fields}/Score__c", json={"label": "x"})).status_code == 404
    assert (await client.post(f"/api/connections/{conn['id']}/schemas/Nope/fields", json={"fields": []})).status_code == 404


async def test_required_fields_and_types_are_checked_as_the_api_would(client: httpx2.AsyncClient) -> None:
    missing = await client.post("/api/webhooks", json={"endpoint": "https://x.example.com"})
    assert missing.status_code == 400 and missing.json()["message"] == "secret is required"
    wrong = await client.post("/api/permissions/roles", json={"name": 7})
    assert wrong.status_code == 400 and wrong.json()["message"] == "name must be a string"


async def test_an_operation_the_version_lacks_is_a_404_naming_the_version_that_has_it(legacy_client: httpx2.AsyncClient) -> None:
    assert (await legacy_client.get("/api/webhooks")).status_code == 200
    answer = await legacy_client.get("/api/harbors")
    assert answer.status_code == 404
    assert answer.json()["message"] == ("not found: no route for GET /api/harbors in API version 2024-02-08; "
                                        "harbors.list is in API version 2025-09-18 and later")


async def test_paths_the_api_does_not_have_are_still_404_and_wrong_methods_405(client: httpx2.AsyncClient) -> None:
    assert (await client.get("/api/no-such-thing")).json()["message"] == "not found: no route for GET /api/no-such-thing"
    assert (await client.patch("/api/webhooks")).status_code == 405
    assert (await client.patch("/api/connections")).status_code == 405


async def test_one_bulk_schema_is_changed_through_the_bulk_sync_domain(sandbox: Sandbox, client: httpx2.AsyncClient) -> None:
    bulk = await create(client, "/api/bulk/syncs", reference_body(seed(sandbox)))
    path = f"/api/bulk/syncs/{bulk['id']}/schemas/Contact"
    answer = await client.put(path, json={"enabled": False})
    assert answer.status_code == 200 and answer.json()["data"]["enabled"] is False
    assert (await client.get(path)).json()["data"]["enabled"] is False
    assert (await client.put(f"/api/bulk/syncs/{bulk['id']}/schemas/Nope", json={})).status_code == 404


async def test_a_501_is_not_retried() -> None:
    """A server that does not implement an operation: no retry (retrying will not help)."""
    calls = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        return httpx2.Response(501, json={"status": 501, "message": "not implemented"})

    async with PolytomicClient(EMPTY_API_KEY, base_url="http://api.test", transport=httpx2.MockTransport(handler),
                               retry_backoff=0.001) as api:
        with pytest.raises(ServerError):
            await api.call("GET", "/api/events")
    assert len(calls) == 1
