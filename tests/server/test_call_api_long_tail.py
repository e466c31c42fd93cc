"""call_api on the long tail: the answer's body for every method, a refusal before sending what the configured API
version lacks, and a 404 that says whether the object or the route is missing.

Before: webhooks, events, users and roles answered "no route" (later 501), call_api showed ``sent: true`` with
nothing more for some writes, and an agent could not tell an unsupported deployment from a wrong path or id.
"""

from __future__ import annotations

from typing import Any

import mcp_types as types
import pytest
from api_support import ApiDouble, api_session
from server_support import call_error, call_ok, mcp_session

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


async def _yes(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"confirm": True})


async def test_call_api_answers_with_the_body_for_every_method(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox, elicitation_callback=_yes) as client:
        created = await call_ok(client, "call_api", {"operation": "permissions.roles.create", "body": {"name": "Analysts"}})
        role = created["response"]["data"]
        read = await call_ok(client, "call_api", {"operation": "permissions.roles.get", "path_params": {"id": role["id"]}})
        replaced = await call_ok(client, "call_api", {"operation": "permissions.roles.update", "path_params": {"id": role["id"]},
                                                      "body": {"name": "Readers"}})
        user = (await call_ok(client, "call_api", {"operation": "users.create_current_org_user",
                                                   "body": {"email": "new.hire@example.com"}}))["response"]["data"]
        removed = await call_ok(client, "call_api", {"operation": "users.delete_current_org_user", "path_params": {"id": user["id"]}})
        deleted = await call_ok(client, "call_api", {"operation": "permissions.roles.delete", "path_params": {"id": role["id"]}})
    assert role["name"] == "Analysts" and read["response"]["data"] == role
    assert replaced["response"]["data"]["name"] == "Readers"
    assert removed["response"]["data"]["email"] == "new.hire@example.com" and removed["request"].startswith("DELETE")
    assert "response" not in deleted and "sent no body back (success)" in deleted["next_step"]


async def test_a_patch_answers_with_its_body_too(sandbox: Sandbox) -> None:
    connection = sandbox.workspace(EMPTY_API_KEY).add_connection("Salesforce", "salesforce", {"domain": "acme.my.salesforce.com"})
    ids = {"connection_id": connection.id, "schema_id": "Contact"}
    async with mcp_session(sandbox, elicitation_callback=_yes) as client:
        upserted = await call_ok(client, "call_api", {"operation": "schemas.upsert_field", "path_params": ids,
                                                      "body": {"fields": [{"field_id": "Score__c", "label": "Score", "type": "number"}]}})
        patched = await call_ok(client, "call_api", {"operation": "schemas.patch_field", "path_params": {**ids, "field_id": "Score__c"},
                                                     "body": {"label": "Lead score"}})
    assert "response" not in upserted and "sent no body back (success)" in upserted["next_step"]
    assert patched["response"]["data"]["id"] == "Score__c" and patched["request"].startswith("PATCH")


async def test_a_connection_test_has_no_answer_body_and_says_it_passed(sandbox: Sandbox) -> None:
    """The API answers 204 and the SDK ignores any body (``HttpResponse[None]``): success is the whole answer."""
    async with mcp_session(sandbox) as client:
        result = await client.call_tool("call_api", {"operation": "connections.test_connection", "body": {
            "type": "mongodb", "configuration": {"hosts": "example.mongodb.net"}}})
    shown = result.structured_content or {}
    assert not result.is_error and shown["sent"] is True and "response" not in shown
    assert "sent no body back (success)" in shown["next_step"]


async def test_an_operation_the_configured_version_lacks_is_refused_unsent_naming_the_version(sandbox: Sandbox) -> None:
    asked: list[str] = []

    async def ask(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"confirm": True})

    async with mcp_session(sandbox, api_version="2024-02-08", elicitation_callback=ask) as client:
        sandbox.requests.clear()
        read = await call_error(client, "call_api", {"operation": "webhooks.list_deliveries", "path_params": {"id": "wh_1"}})
        write = await call_error(client, "call_api", {"operation": "harbors.create", "body": {"name": "H", "backing_mode": "x"}})
        found = await call_ok(client, "search_api", {"query": "list webhook deliveries"})
        old = await call_ok(client, "call_api", {"operation": "webhooks.list"})
    assert "API version 2025-09-18" in read and "2024-02-08" in read and "Nothing was sent" in read
    assert "POLYTOMIC_API_VERSION" in read and "API version 2025-09-18" in write
    assert not asked, "refused before the person is asked"
    assert [r.path for r in sandbox.requests] == ["/api/webhooks"]
    hit = next(h for h in found["operations"] if h["operation"] == "webhooks.list_deliveries")
    assert "2025-09-18" in hit["unavailable"]
    assert old["response"]["data"] == []


async def test_a_404_for_an_id_says_the_object_is_missing_and_where_to_find_ids(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        text = await call_error(client, "call_api", {"operation": "webhooks.get", "path_params": {"id": "wh-404"}})
        owner = await call_error(client, "call_api", {"operation": "harbors.list_contexts", "path_params": {"harbor_id": "h-404"}})
    assert 'no webhook "wh-404"' in text and "object" in text and "webhooks.list" in text
    assert "the route exists" in text.lower() or "not the route" in text.lower()
    assert 'no harbor "h-404"' in owner and "harbors.list" in owner


async def test_a_404_for_a_path_without_ids_says_the_deployment_lacks_the_route(sandbox: Sandbox) -> None:
    double = ApiDouble(sandbox, answers={r"GET /api/webhooks": lambda request: (404, None)})
    async with api_session(sandbox, double) as client:
        text = await call_error(client, "call_api", {"operation": "webhooks.list"})
    assert "The route is missing" in text and "does not serve GET /api/webhooks" in text and "an object is missing" not in text


async def test_a_404_saying_no_route_for_a_path_with_ids_blames_the_route(sandbox: Sandbox) -> None:
    double = ApiDouble(sandbox, answers={r"GET /api/webhooks/[^/]+": lambda request: (404, {"message": "404 page not found"})})
    async with api_session(sandbox, double) as client:
        text = await call_error(client, "call_api", {"operation": "webhooks.get", "path_params": {"id": "wh_1"}})
    assert "does not serve GET /api/webhooks/{id}" in text
