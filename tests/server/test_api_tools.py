"""search_api and call_api: the issue's agent checks in at most three calls, and every guard with its adversarial case.

Requests are checked on the wire through ``ApiDouble`` (the sandbox plus SDK-shaped answers for
what it does not implement), so a guard that "refuses" after sending would be caught.
"""

from __future__ import annotations

import json
from typing import Any

import mcp_types as types
import pytest
from api_support import HOOK_SECRET, MINTED_KEY, ApiDouble, Counted, api_session, default_answers
from server_support import MODES, call_error, call_ok
from workflow import SALESFORCE, SNOWFLAKE, authorize, bulk_args

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.settings import Settings
from polytomic_mcp.tools.core.effects import Effect

pytestmark = pytest.mark.anyio


def answering(action: str, confirm: bool = True, asked: list[str] | None = None) -> Any:
    async def callback(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        if asked is not None:
            asked.append(params.message)
        return types.ElicitResult(action=action, content={"confirm": confirm} if action == "accept" else None)

    return callback


@pytest.mark.parametrize("mode", MODES)
async def test_list_our_webhooks_in_two_calls_with_the_secret_masked(sandbox: Sandbox, mode: str) -> None:
    double = ApiDouble(sandbox)
    async with api_session(sandbox, double, mode=mode) as client:
        agent = Counted(client)
        found = await agent.ok("search_api", {"query": "list our webhooks"})
        listed = await agent.ok("call_api", {"operation": found["operations"][0]["operation"]})
        text = (await client.call_tool("call_api", {"operation": "GET /api/webhooks"})).content
    assert found["operations"][0]["operation"] == "webhooks.list" and len(agent.calls) == 2
    assert listed["response"]["data"][0]["endpoint"] == "https://hooks.example.com/polytomic"
    assert listed["response"]["data"][0]["secret"] == "******"
    assert HOOK_SECRET not in json.dumps(listed) and all(HOOK_SECRET not in c.text for c in text)
    [sent, _] = double.to("GET", "/api/webhooks")
    assert sent.body is None and sent.version == "2025-09-18" and sent.idempotency_key is None


@pytest.mark.parametrize("mode", MODES)
async def test_global_error_notifications_for_ops_in_three_calls_after_the_user_agrees(sandbox: Sandbox, mode: str) -> None:
    double = ApiDouble(sandbox)
    asked: list[str] = []
    async with api_session(sandbox, double, mode=mode, elicitation_callback=answering("accept", asked=asked)) as client:
        agent = Counted(client)
        found = await agent.ok("search_api", {"query": "turn on global error notifications for ops@example.com"})
        by_method = {hit["method"]: hit for hit in found["operations"][:2]}
        current = await agent.ok("call_api", {"operation": by_method["GET"]["operation"]})
        emails = [*current["response"]["emails"], "ops@example.com"]
        changed = await agent.ok("call_api", {"operation": by_method["PUT"]["operation"], "body": {"emails": emails}})
    assert len(agent.calls) == 3 and by_method["PUT"]["asks_user"] == Effect.OUTWARD.value
    assert changed["response"] == {"emails": ["data@example.com", "ops@example.com"]}
    [put] = double.to("PUT", "/api/notifications/global-error-subscribers")
    assert put.body == {"emails": ["data@example.com", "ops@example.com"]} and put.idempotency_key
    assert asked and "PUT /api/notifications/global-error-subscribers" in asked[-1] and "ops@example.com" in asked[-1]


async def test_console_log_of_the_last_failed_bulk_run_in_three_calls(sandbox: Sandbox) -> None:
    double = ApiDouble(sandbox)
    async with api_session(sandbox, double) as client:
        salesforce = await call_ok(client, "create_connection", SALESFORCE)
        await authorize(sandbox, salesforce["auth_url"])
        snowflake = await call_ok(client, "create_connection", SNOWFLAKE)
        bulk = await call_ok(client, "create_bulk_sync", {**bulk_args(salesforce["id"], snowflake["id"]), "schemas": ["Account", "Task"]})
        await call_ok(client, "start_sync", {"sync_id": bulk["id"]})
        for _ in range(20):
            if "running" not in json.dumps(await call_ok(client, "get_sync_status", {"sync_id": bulk["id"]})):
                break
        agent = Counted(client)
        found = await agent.ok("search_api", {"query": "show the console log of the last failed bulk sync run"})
        failing = await agent.ok(found["operations"][0]["use_instead"] and "list_syncs", {"failing": True})
        [sync] = failing["syncs"]
        execution_id = sync["failing"].split("execution_id ")[1].rstrip(")")
        run = await agent.ok(found["operations"][0]["use_instead"], {"sync_id": sync["id"], "execution_id": execution_id})
    assert found["operations"][0]["use_instead"] == "get_sync_runs" and len(agent.calls) == 3
    assert sync["id"] == bulk["id"] and "Task" in sync["failing"]
    assert run["console_tail"] and any("Task" in line for line in run["console_tail"])
    assert double.to("GET", rf"/api/bulk/syncs/{bulk['id']}/executions/{execution_id}/consolelog")


@pytest.mark.parametrize("mode", MODES)
async def test_users_of_this_organization_in_two_calls(sandbox: Sandbox, mode: str) -> None:
    double = ApiDouble(sandbox)
    async with api_session(sandbox, double, mode=mode) as client:
        agent = Counted(client)
        found = await agent.ok("search_api", {"query": "who are the users of this organization"})
        users = await agent.ok("call_api", {"operation": found["operations"][0]["operation"]})
    assert found["operations"][0]["path"] == "/api/organization/users" and len(agent.calls) == 2
    assert [u["email"] for u in users["response"]["data"]] == ["ana@example.com", "ben@example.com"]
    assert len(double.to("GET", "/api/organization/users")) == 1


async def test_read_only_mode_keeps_call_api_for_reads_and_refuses_writes_unsent(sandbox: Sandbox) -> None:
    double = ApiDouble(sandbox)
    async with api_session(sandbox, double, settings=Settings(sandbox=True, read_only=True)) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        hits = await call_ok(client, "search_api", {"query": "PUT /api/notifications/global-error-subscribers"})
        read = await call_ok(client, "call_api", {"operation": "GET /api/webhooks"})
        refused = await call_error(client, "call_api", {"operation": "PUT /api/notifications/global-error-subscribers",
                                                        "body": {"emails": []}})
        dry = await call_error(client, "call_api", {"operation": "DELETE /api/webhooks/{id}", "path_params": {"id": "wh_1"}, "dry_run": True})
    assert {"search_api", "call_api"} <= names and "create_connection" not in names
    assert read["sent"] and "read-only mode" in hits["operations"][0]["unavailable"]
    assert "read-only mode" in refused and "Nothing was sent" in refused and "read-only mode" in dry
    assert [s.method for s in double.sent] == ["GET"]


async def test_writes_a_typed_tool_does_are_refused_naming_the_tool(sandbox: Sandbox) -> None:
    double = ApiDouble(sandbox)
    async with api_session(sandbox, double, elicitation_callback=answering("accept")) as client:
        start = await call_error(client, "call_api", {"operation": "POST /api/syncs/{id}/executions", "path_params": {"id": "s1"}})
        update = await call_error(client, "call_api", {"operation": "connections.update", "path_params": {"id": "c1"}, "body": {"name": "x"}})
        delete = await call_error(client, "call_api", {"operation": "DELETE /api/models/{id}", "path_params": {"id": "m1"}})
        hits = await call_ok(client, "search_api", {"query": "POST /api/syncs/{id}/executions"})
    assert "call start_sync instead" in start and "call update_connection instead" in update and "call delete instead" in delete
    assert hits["operations"][0]["use_instead"] == "start_sync"
    assert double.sent == []


async def test_credential_minting_is_off_unless_enabled_and_the_new_key_is_masked_anyway(sandbox: Sandbox) -> None:
    arguments = {"operation": "users.create_api_key", "path_params": {"org_id": "org_1", "id": "u1"}}
    off = ApiDouble(sandbox)
    async with api_session(sandbox, off, elicitation_callback=answering("accept")) as client:
        refused = await call_error(client, "call_api", arguments)
        hit = (await call_ok(client, "search_api", {"query": "users.create_api_key"}))["operations"][0]
    on = ApiDouble(sandbox)
    settings = Settings(sandbox=True, allow_credential_minting=True)
    async with api_session(sandbox, on, settings=settings, elicitation_callback=answering("accept")) as client:
        result = await client.call_tool("call_api", arguments)
    assert "POLYTOMIC_ALLOW_CREDENTIAL_MINTING" in refused and off.sent == [] and "POLYTOMIC_ALLOW_CREDENTIAL_MINTING" in hit["unavailable"]
    assert not result.is_error and len(on.to("POST", "/api/organizations/org_1/users/u1/keys")) == 1
    assert MINTED_KEY not in json.dumps(result.structured_content) and all(MINTED_KEY not in c.text for c in result.content)


@pytest.mark.parametrize("action", ["decline", "cancel", "accept-no"])
async def test_a_destructive_call_the_user_does_not_confirm_is_not_sent(sandbox: Sandbox, action: str) -> None:
    double = ApiDouble(sandbox)
    callback = answering("accept", confirm=False) if action == "accept-no" else answering(action)
    async with api_session(sandbox, double, elicitation_callback=callback) as client:
        text = await call_error(client, "call_api", {"operation": "DELETE /api/webhooks/{id}", "path_params": {"id": "wh_1"}})
    assert "was not sent" in text and "did not confirm" in text
    assert double.to("DELETE", "/api/webhooks/wh_1") == []


async def test_the_question_and_the_answer_never_show_a_secret_the_call_carries(sandbox: Sandbox) -> None:
    echo = {r"PUT /api/webhooks/[^/]+": lambda r: (200, {"data": {"id": "wh_1", **json.loads(r.content)}})}
    double = ApiDouble(sandbox, echo)
    asked: list[str] = []
    literal = "whsec-literal-5e4d3c2b1a"
    async with api_session(sandbox, double, elicitation_callback=answering("accept", asked=asked)) as client:
        result = await client.call_tool("call_api", {"operation": "PUT /api/webhooks/{id}", "path_params": {"id": "wh_1"},
                                                      "body": {"endpoint": "https://hooks.example.com/new", "secret": literal}})
    [put] = double.to("PUT", "/api/webhooks/wh_1")
    assert put.body == {"endpoint": "https://hooks.example.com/new", "secret": literal}
    assert asked and literal not in asked[0] and "******" in asked[0] and "PUT /api/webhooks/wh_1" in asked[0]
    shown = json.dumps(result.structured_content) + "".join(c.text for c in result.content)
    assert not result.is_error and literal not in shown
    assert result.structured_content["response"]["data"] == {"id": "wh_1", "endpoint": "https://hooks.example.com/new", "secret": "******"}


async def test_env_references_resolve_only_in_secret_fields_and_never_come_back(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYTOMIC_SECRET_HOOK", "whsec-from-env-a1b2c3d4e5")
    double = ApiDouble(sandbox)
    reference = {"$env": "POLYTOMIC_SECRET_HOOK"}
    async with api_session(sandbox, double, elicitation_callback=answering("accept")) as client:
        dry = await call_ok(client, "call_api", {"operation": "webhooks.create", "body": {"endpoint": "https://h.example.com", "secret": reference},
                                                 "dry_run": True})
        created = await client.call_tool("call_api", {"operation": "webhooks.create", "body": {"endpoint": "https://h.example.com", "secret": reference}})
        misplaced = await call_error(client, "call_api", {"operation": "webhooks.create", "body": {"endpoint": reference, "secret": "x"}})
    [post] = double.to("POST", "/api/webhooks")
    assert post.body == {"endpoint": "https://h.example.com", "secret": "whsec-from-env-a1b2c3d4e5"}
    assert dry["sent"] is False and dry["body"]["secret"] == reference
    shown = json.dumps(created.structured_content) + "".join(c.text for c in created.content)
    assert not created.is_error and "whsec-from-env-a1b2c3d4e5" not in shown
    assert "'endpoint'" in misplaced and "Nothing was sent" in misplaced


async def test_dry_run_resolves_the_request_without_sending_and_ids_cannot_leave_their_segment(sandbox: Sandbox) -> None:
    double = ApiDouble(sandbox)
    async with api_session(sandbox, double) as client:
        dry = await call_ok(client, "call_api", {"operation": "webhooks.list_deliveries", "path_params": {"id": "a/../b"},
                                                 "query": {"success": False}, "dry_run": True})
        dots = await call_error(client, "call_api", {"operation": "GET /api/webhooks/{id}", "path_params": {"id": ".."}})
        wrong = await call_error(client, "call_api", {"operation": "GET /api/webhooks/{id}", "path_params": {"hook": "x"}})
        concrete = await call_error(client, "call_api", {"operation": "GET /api/webhooks/wh_1"})
        unknown = await call_error(client, "call_api", {"operation": "GET /api/nothing"})
    assert dry == {"operation": "webhooks.list_deliveries", "request": "GET /api/webhooks/a%2F..%2Fb/deliveries", "sent": False,
                   "query": {"success": False}, "next_step": "No problems found; call call_api again without dry_run to send it."}
    assert "'.' or '..'" in dots and "missing 'id'" in wrong and "GET /api/webhooks/{id}" in concrete and "search_api" in unknown
    assert double.sent == []


async def test_a_write_retried_after_a_503_keeps_one_idempotency_key(sandbox: Sandbox) -> None:
    attempts: list[str] = []

    def flaky(request: Any) -> tuple[int, Any]:
        attempts.append(request.headers["idempotency-key"])
        return (503, {"message": "busy"}) if len(attempts) == 1 else (200, {"data": {"id": "wh_2"}})

    double = ApiDouble(sandbox, {r"POST /api/webhooks": flaky})
    async with api_session(sandbox, double, elicitation_callback=answering("accept")) as client:
        created = await call_ok(client, "call_api", {"operation": "webhooks.create", "body": {"endpoint": "https://h.example.com", "secret": "whsec-0a9b8c7d6e"}})
        again = await call_ok(client, "call_api", {"operation": "webhooks.create", "body": {"endpoint": "https://h.example.com", "secret": "whsec-0a9b8c7d6e"}})
    assert created["response"] == {"data": {"id": "wh_2"}} and again["sent"]
    assert len(attempts) == 3 and attempts[0] == attempts[1] != attempts[2]


async def test_paging_cursors_pass_through_and_big_answers_are_bounded(sandbox: Sandbox) -> None:
    many = {"data": [{"id": f"u{i}", "email": f"user{i}@example.com", "role": "user"} for i in range(3000)]}
    double = ApiDouble(sandbox, {r"GET /api/webhooks/[^/]+/deliveries": lambda r: (
        200, {"data": [], "pagination": {"next_page_token": "dGhlLW5leHQtcGFnZQ"}}), r"GET /api/organization/users": lambda r: (200, many)})
    async with api_session(sandbox, double) as client:
        page = await call_ok(client, "call_api", {"operation": "webhooks.list_deliveries", "path_params": {"id": "wh_1"}})
        big = await client.call_tool("call_api", {"operation": "GET /api/organization/users"})
    assert page["next_page_token"] == "dGhlLW5leHQtcGFnZQ" and "page_token" in page["next_step"]
    assert page["response"]["pagination"]["next_page_token"] == "dGhlLW5leHQtcGFnZQ"
    assert not big.is_error and len(json.dumps(big.structured_content, separators=(",", ":"))) <= 16_000 and "truncated" in big.structured_content


@pytest.mark.parametrize(("operation", "effect"), [
    ("POST /api/connections/{id}/proxy", Effect.CREDENTIALED),
    ("POST /api/connections/{connection_id}/query", Effect.CREDENTIALED),
    ("POST /api/webhooks", Effect.OUTWARD),
    ("POST /api/record-view-links", Effect.OUTWARD),
])
async def test_search_api_says_why_a_side_door_asks(sandbox: Sandbox, operation: str, effect: Effect) -> None:
    async with api_session(sandbox, ApiDouble(sandbox)) as client:
        hit = (await call_ok(client, "search_api", {"query": operation}))["operations"][0]
    assert f"{hit['method']} {hit['path']}" == operation and hit["asks_user"] == effect.value


async def test_secrets_an_agent_sends_never_hide_words_from_later_questions_or_answers(sandbox: Sandbox) -> None:
    """An agent's "secret" (a dry run, or a request the person declines) must not mask that word in what comes later."""
    word = "alice@example.com"
    people = {"data": [{"id": "u1", "email": word, "role": "admin", "organization_id": "org_1"}]}
    double = ApiDouble(sandbox, {**default_answers(), r"GET /api/organization/users": lambda r: (200, people)})
    asked: list[str] = []

    async def person(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        declined = "/api/webhooks" in params.message
        return types.ElicitResult(action="decline" if declined else "accept", content=None if declined else {"confirm": True})

    async with api_session(sandbox, double, elicitation_callback=person) as client:
        dry = await call_ok(client, "call_api", {"operation": "connections.test_connection", "dry_run": True,
                                                 "body": {"type": "postgresql", "configuration": {"hostname": "db", "password": word}}})
        declined = await call_error(client, "call_api", {"operation": "webhooks.create",
                                                         "body": {"endpoint": "https://h.example.com", "secret": word}})
        users = await client.call_tool("call_api", {"operation": "GET /api/organization/users"})
        changed = await client.call_tool("call_api", {"operation": "notifications.set_global_error_subscribers", "body": {"emails": [word]}})
    assert dry["body"]["configuration"]["password"] == "******" and "was not sent" in declined
    assert asked[0].count(word) == 0 and "******" in asked[0]
    assert word in asked[-1] and "/api/notifications/global-error-subscribers" in asked[-1]
    for result in (users, changed):
        assert not result.is_error and word in json.dumps(result.structured_content) and word in "".join(c.text for c in result.content)
    assert [s.method for s in double.sent] == ["GET", "PUT"]
