"""Every ``use_instead`` search_api gives leads somewhere for every parameter of the operation: the typed tool takes
it, or call_api takes a call that sets it (asking first as its consent table says, unchanged).

Before: search_api sent model_sync.create to create_sync, which cannot set model_filters (nor overrides, filters,
sync_all_records...), and call_api refused the operation as covered by create_sync: no way to send them at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from server_support import mcp_session, sample

from dev.catalog_rules import STORED, TOOL_ITSELF, TYPED_ARGS
from polytomic_mcp.catalog import Operation, field_name, is_required, load
from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio
TYPED = [op for op in load() if op.typed_tool is not None]


def call(op: Operation, also: str | None = None) -> dict[str, Any]:
    """call_api arguments with every path parameter and required field, plus ``also`` when it is a query or body field."""
    query = {field_name(k): sample(v) for k, v in op.query.items() if is_required(k) or field_name(k) == also}
    body = {field_name(k): sample(v) for k, v in (op.body or {}).items() if is_required(k) or field_name(k) == also}
    arguments: dict[str, Any] = {"operation": op.id, "path_params": dict.fromkeys(op.path_params, "x1"), "dry_run": True}
    return arguments | ({"query": query} if query else {}) | ({"body": body} if op.body is not None else {})


async def refused_as_typed(client: Client, op: Operation, arguments: dict[str, Any]) -> bool:
    result = await client.call_tool("call_api", arguments)
    text = result.content[0].text if result.content else ""
    return result.is_error and f"call {op.typed_tool} instead" in text


async def test_every_parameter_of_a_typed_operation_is_taken_by_its_tool_or_by_call_api(sandbox: Sandbox) -> None:
    gaps: list[str] = []
    async with mcp_session(sandbox) as client:
        arguments_of = {t.name: set(t.input_schema.get("properties", {})) for t in (await client.list_tools()).tools}
        for op in TYPED:
            hits = (await client.call_tool("search_api", {"query": op.id})).structured_content or {}
            [hit] = [h for h in hits["operations"] if h["operation"] == op.id]
            if hit.get("use_instead") != op.typed_tool:
                gaps.append(f"{op.id}: search_api says use {hit.get('use_instead')}, the catalog {op.typed_tool}")
            carried = TYPED_ARGS[op.id]
            for name in [*op.path_params, *op.query_names, *op.body_fields]:
                if name in carried:
                    argument = carried[name]
                    itself = {TOOL_ITSELF: name == "async", STORED: name.endswith("connection_id") and op.method == "PUT"}
                    if not itself.get(argument, argument in arguments_of[op.typed_tool]):
                        gaps.append(f"{op.id}: {op.typed_tool} has no argument '{argument}' for {name}")
                elif name not in (hit.get("call_api_for") or []):
                    gaps.append(f"{op.id}: {name} is neither {op.typed_tool}'s nor listed in call_api_for")
                elif name not in op.path_params and await refused_as_typed(client, op, call(op, name)):
                    gaps.append(f"{op.id}: call_api refuses a call setting {name}, which {op.typed_tool} cannot send")
    assert gaps == []


@pytest.mark.parametrize("op", [op for op in TYPED if not op.reads], ids=lambda op: op.id)
async def test_a_typed_write_setting_only_what_its_tool_takes_is_sent_to_the_tool(sandbox: Sandbox, op: Operation) -> None:
    """The other half: call_api does not become the way around a typed tool's checks and questions."""
    assert set(op.required_body_fields) | set(op.required_query) <= set(TYPED_ARGS[op.id]), "a required field call_api would always take"
    async with mcp_session(sandbox) as client:
        result = await client.call_tool("call_api", call(op))
    assert result.is_error and f"call {op.typed_tool} instead" in result.content[0].text and "Nothing was sent" in result.content[0].text
    if op.untyped_params:
        assert f"only to set what {op.typed_tool} cannot: {', '.join(op.untyped_params)}" in result.content[0].text
