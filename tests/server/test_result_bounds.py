"""Every tool result and resource stays within the size limit, whatever the API answers, and is bounded off the event loop.

The answers here are far larger or deeper than Polytomic's usual ones: a 50,000-key object, JSON
nested 300 levels, text full of ``<`` (escaped six characters each in the text form), a 2 MB
configuration value. Each must come back bounded, with its cut named, never as a bare error.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from api_support import ApiDouble, api_session
from mcp_types import CallToolResult
from server_support import call_relayed, mcp_session
from workflow import MONGO

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.tools.api import call_masking
from polytomic_mcp.tools.core import registry
from polytomic_mcp.tools.core.bounds import MAX_RESULT_CHARS, TOO_DEEP

pytestmark = pytest.mark.anyio
USERS = "GET /api/organization/users"


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": True}
    for _ in range(levels):
        value = {"k": value}
    return value


def assert_bounded(result: CallToolResult) -> dict[str, Any]:
    """The result's structured content, after checking it and its text are both within the limit."""
    assert not result.is_error, result.content[0].text
    structured = result.structured_content or {}
    assert len(result.content[0].text) <= MAX_RESULT_CHARS
    assert len(json.dumps(structured, separators=(",", ":"), ensure_ascii=False)) <= MAX_RESULT_CHARS
    return structured


async def call_api_answering(sandbox: Sandbox, answer: Any) -> CallToolResult:
    double = ApiDouble(sandbox, {r"GET /api/organization/users": lambda request: (200, answer)})
    async with api_session(sandbox, double) as client:
        return await client.call_tool("call_api", {"operation": USERS})


async def test_an_answer_of_50000_keys_is_cut_to_the_limit_and_says_so(sandbox: Sandbox) -> None:
    shown = assert_bounded(await call_api_answering(sandbox, {"data": {f"user{index:05d}": index for index in range(50_000)}}))
    assert "of 50000 keys" in shown["truncated"] and "narrower call" in shown["truncated"]
    assert shown["next_step"] and shown["sent"] is True


async def test_an_answer_nested_300_levels_deep_is_shown_down_to_the_depth_limit(sandbox: Sandbox) -> None:
    shown = assert_bounded(await call_api_answering(sandbox, {"data": nested(300)}))
    assert TOO_DEEP in json.dumps(shown["response"]) and "nested too deep" in shown["truncated"]


async def test_the_text_form_with_its_escapes_stays_within_the_limit(sandbox: Sandbox) -> None:
    shown = assert_bounded(await call_api_answering(sandbox, {"data": [{"html": "<p>" * 600} for _ in range(40)]}))
    assert "truncated" in shown


async def test_a_huge_answer_is_cut_in_a_worker_thread_and_the_result_rendered_from_what_is_kept(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    cuts: list[int] = []
    renders: list[tuple[int, int]] = []
    cut, render = call_masking.bounded, registry.compact_result

    def recorded_cut(value: Any, *args: Any, **kwargs: Any) -> Any:
        cuts.append(threading.get_ident())
        return cut(value, *args, **kwargs)

    def recorded_render(model: Any) -> CallToolResult:
        renders.append((threading.get_ident(), len(json.dumps(model.model_dump(mode="json"), default=str))))
        return render(model)

    monkeypatch.setattr(call_masking, "bounded", recorded_cut)
    monkeypatch.setattr(registry, "compact_result", recorded_render)
    password = "Tr0ub4dor-and-3-horses"
    answer = {"data": [{"id": f"u{index}", "note": f"seen {password} here"} for index in range(20_000)]}
    double = ApiDouble(sandbox, {r"GET /api/organization/users": lambda request: (200, answer)})
    async with api_session(sandbox, double) as client:
        await call_relayed(client, "create_connection", {**MONGO, "configuration": {**MONGO["configuration"], "password": password}})
        renders.clear()
        big = await client.call_tool("call_api", {"operation": USERS})
    shown = assert_bounded(big)
    assert cuts and all(thread != threading.get_ident() for thread in cuts), "a huge answer is cut off the event loop"
    assert renders[0][1] <= MAX_RESULT_CHARS, "only what is kept reaches the result"
    assert "shows the first" in shown["truncated"] and "of 20000 items" in shown["truncated"]
    assert "seen ****** here" in big.content[0].text and password not in big.content[0].text, "the call's secrets reach the thread"


async def test_connections_in_a_huge_answer_are_masked_by_their_type_even_where_the_cut_left_the_type_out(
    sandbox: Sandbox,
) -> None:
    """Only the kept part is masked, but each object is looked up where it was copied from, so its type still counts.

    Salesforce's ``client_id`` is secret by its schema alone (nothing in the name says so).
    """
    connection = {"configuration": {"client_id": "3MVG9-client-id-value", "domain": "acme.my.salesforce.com"},
                  "type": {**{f"about{index:04d}": index for index in range(5_000)}, "id": "salesforce"}}
    shown = assert_bounded(await call_api_answering(sandbox, {"data": [{**connection, "id": f"c{index}"} for index in range(50)]}))
    first = shown["response"]["data"][0]
    assert "id" not in first["type"], "the cut left the type's id out (else this test shows nothing)"
    assert first["configuration"] == {"client_id": "******", "domain": "acme.my.salesforce.com"}
    assert "3MVG9-client-id-value" not in json.dumps(shown)


async def test_a_connection_resource_with_a_huge_configuration_is_bounded(sandbox: Sandbox) -> None:
    huge = sandbox.workspace(EMPTY_API_KEY).add_connection(
        "Huge", "mongodb", {"hosts": "h" * 2_000_000, "username": "u", "password": "pw-123456"})
    async with mcp_session(sandbox) as client:
        text = (await client.read_resource(f"polytomic://connections/{huge.id}")).contents[0].text
    assert len(text) <= MAX_RESULT_CHARS and "more characters cut" in text and "pw-123456" not in text
