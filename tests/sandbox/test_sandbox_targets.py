"""Destination discovery: target objects, creation properties and target fields per API version."""

from __future__ import annotations

import pytest
from sandbox_support import POSTGRES_CONFIG, create, mongo_connection, salesforce_connection

pytestmark = pytest.mark.anyio


async def test_salesforce_target_objects(sandbox, client) -> None:
    sf = await salesforce_connection(client, sandbox)
    body = (await client.get(f"/api/connections/{sf['id']}/modelsync/targetobjects")).json()
    objects = {o["id"]: o for o in body["data"]}
    assert {"Contact", "Lead", "Account", "Opportunity", "Case", "Campaign", "Task", "User"} <= set(objects)
    contact_modes = {m["id"]: m for m in objects["Contact"]["modes"]}
    assert list(contact_modes) == ["create", "update", "updateOrCreate", "remove"]
    assert contact_modes["create"]["requires_identity"] is False
    assert contact_modes["updateOrCreate"]["requires_identity"] is True
    assert [m["id"] for m in objects["Lead"]["modes"]] == ["create", "updateOrCreate"]
    assert body["target_creation"] == {"supported": False, "properties": []}


async def test_contact_fields(sandbox, client) -> None:
    sf = await salesforce_connection(client, sandbox)
    data = (await client.get(f"/api/connections/{sf['id']}/modelsync/target/fields", params={"target": "Contact"})).json()["data"]
    fields = {f["id"]: f for f in data["fields"]}
    assert fields["LastName"]["required"] is True and fields["LastName"]["createable"] is True
    assert fields["FirstName"]["required"] is False and fields["Email"]["required"] is False
    assert [f["id"] for f in fields["Email"]["identity_functions"]] == ["Equality", "ISubstring"]
    assert fields["LastName"]["supports_identity"] is False
    assert [f["id"] for f in fields["Id"]["identity_functions"]] == ["Equality"]
    assert {m["mode"] for m in data["modes"]} == {"create", "update", "updateOrCreate", "remove"}
    assert set(data["modes"][0]) == {"mode", "label", "description", "requires_identity", "supports_field_sync_mode", "supports_target_filters"}
    assert data["properties"]["supports_multiple_identities"] is True


async def test_target_fields_argument_rules(sandbox, client, legacy_client) -> None:
    pg = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    url = f"/api/connections/{pg['id']}/modelsync/target/fields"
    neither = await client.get(url)
    both = await client.get(url, params={"target": "public.users", "properties[schema]": "public", "properties[table]": "t"})
    new = await client.get(url, params={"properties[schema]": "public", "properties[table]": "new_users"})
    legacy = await legacy_client.get(url, params={"properties[schema]": "public", "properties[table]": "new_users"})
    unknown = await client.get(url, params={"target": "public.nope"})
    assert neither.status_code == 400 and "exactly one of target or properties" in neither.json()["message"]
    assert both.status_code == 400
    assert new.status_code == 200 and new.json()["data"]["id"] == "public.new_users" and new.json()["data"]["fields"] == []
    assert legacy.status_code == 400 and "2024-02-08" in legacy.json()["message"]
    assert unknown.status_code == 404 and "public.users" in unknown.json()["message"]


async def test_postgres_target_creation(client) -> None:
    pg = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    plain = (await client.get(f"/api/connections/{pg['id']}/modelsync/targetobjects")).json()
    inline = (await client.get(f"/api/connections/{pg['id']}/modelsync/targetobjects", params={"include_target_creation_values": "true"})).json()
    assert plain["target_creation"]["supported"] is True
    assert plain["target_creation"]["properties"] == [{"id": "schema", "title": "Schema", "enum": True}, {"id": "table", "title": "Table name", "enum": False}]
    assert inline["target_creation"]["properties"][0]["values"] == [{"label": "public", "value": "public"}, {"label": "analytics", "value": "analytics"}]
    assert {"public.users", "public.accounts", "public.orders"} <= {o["id"] for o in plain["data"]}
    prop = (await client.get(f"/api/connections/{pg['id']}/modelsync/targetobjects/properties/schema")).json()["data"]
    assert prop["enum"] is True and {"label": "public", "value": "public"} in prop["values"]
    assert (await client.get(f"/api/connections/{pg['id']}/modelsync/targetobjects/properties/nope")).status_code == 404


async def test_source_only_connection_has_no_targets(client) -> None:
    mongo = await mongo_connection(client)
    r = await client.get(f"/api/connections/{mongo['id']}/modelsync/targetobjects")
    assert r.status_code == 422 and "cannot be used as a sync destination" in r.json()["message"]


async def test_hubspot_identity_functions(client) -> None:
    hub = await create(client, "/api/connections", {"name": "HS", "type": "hubspot", "configuration": {"oauth_refresh_token": "rt"}})
    data = (await client.get(f"/api/connections/{hub['id']}/modelsync/target/fields", params={"target": "companies"})).json()["data"]
    domain = next(f for f in data["fields"] if f["id"] == "domain")
    assert [f["id"] for f in domain["identity_functions"]] == ["DomainMatch", "HostnameMatch", "Equality"]
