"""Fuzz every tool in tools/list with arguments built from its own inputSchema, plus deliberately broken ones.

Whatever the arguments, a tools/call must come back as a CallToolResult: no exception in the client, no
JSON-RPC error, ``is_error`` a bool, an error text that says something (not the SDK's opaque
"Error executing tool X", which means the tool crashed), structured content on success. The session
must still work afterwards.

Examples per tool: POLYTOMIC_FUZZ_EXAMPLES (default 100), split between the two protocol eras
(in-memory ``mode="auto"`` = 2026-07-28 direct dispatch, ``mode="legacy"`` = 2025-11-25 JSON-RPC). The quick
suite (``-m "not slow"``) runs the first ``FAST_EXAMPLES`` of them; the slow test runs the rest with other
seeds, so the full run still makes the whole number per tool. Each (tool, era, part) uses its own fixed seed,
so runs are repeatable and the eras see different inputs.
"""

from __future__ import annotations

import os
import zlib
from typing import Any

import anyio
import pytest
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, Phase, given, seed, settings
from mcp import Client, MCPError
from mcp.server import MCPServer
from mcp.types import INVALID_PARAMS, CallToolResult, TextContent
from safety_support import (
    MODES,
    Harness,
    SchemaStrategies,
    Seeded,
    crash_log,
    harness,
    hints_for,
    listed_tool_schemas,
    string_pool,
)

from polytomic_mcp.tools import load_tools

SPECS = load_tools()

EXAMPLES_PER_TOOL = int(os.environ.get("POLYTOMIC_FUZZ_EXAMPLES", "100"))
FAST_EXAMPLES = min(EXAMPLES_PER_TOOL, 10)
"""Examples per tool in the quick suite; the slow test makes the rest."""

TOOL_SCHEMAS: dict[str, dict[str, Any]] = anyio.run(listed_tool_schemas)


def test_every_listed_tool_is_fuzzed() -> None:
    """The parametrization below comes from a live tools/list; it must cover every declared tool."""
    assert set(TOOL_SCHEMAS) == set(SPECS), set(TOOL_SCHEMAS) ^ set(SPECS)
    assert len(TOOL_SCHEMAS) >= 10, sorted(TOOL_SCHEMAS)
    for name, schema in TOOL_SCHEMAS.items():
        assert schema.get("type") == "object", (name, schema)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("tool", sorted(TOOL_SCHEMAS))
def test_fuzz_tool(tool: str, mode: str) -> None:
    fuzz(tool, mode, "quick", per_mode(FAST_EXAMPLES))


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("tool", sorted(TOOL_SCHEMAS))
def test_fuzz_tool_at_length(tool: str, mode: str) -> None:
    if EXAMPLES_PER_TOOL <= FAST_EXAMPLES:
        pytest.skip(f"POLYTOMIC_FUZZ_EXAMPLES={EXAMPLES_PER_TOOL}: the quick test already makes them all")
    fuzz(tool, mode, "long", per_mode(EXAMPLES_PER_TOOL - FAST_EXAMPLES))


def per_mode(examples: int) -> int:
    """Examples for each protocol era out of ``examples`` per tool."""
    return max(1, -(-examples // len(MODES)))


def fuzz(tool: str, mode: str, part: str, examples: int) -> None:
    """Call ``tool`` with ``examples`` argument sets drawn from its listed schema (seeded by tool, era and part)."""
    with start_blocking_portal() as portal, harness(portal, mode) as h:
        live = {t.name: t.input_schema for t in portal.call(h.client.list_tools).tools}
        assert tool in live, f"{tool} is no longer listed"
        schema = live[tool]
        pool = string_pool(h.seeded)
        strategies = SchemaStrategies(schema, pool, hints_for(h.seeded))

        @seed(zlib.crc32(f"{tool}/{mode}/{part}".encode()))
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=[
                HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
                HealthCheck.large_base_example, HealthCheck.filter_too_much,
            ],
            print_blob=False,
        )
        @given(arguments=strategies.arguments())
        def call(arguments: Any) -> None:
            h.call(tool, arguments)

        call()
        assert h.calls >= examples
        h.assert_alive()
        print(f"{tool}/{mode}/{part}: {h.calls} calls")


def test_the_oracle_catches_crashes_and_protocol_errors() -> None:
    """The per-call checks above fail on the failures they exist for (a crash, a JSON-RPC error, an empty error)."""
    server = MCPServer("oracle-check", log_level="WARNING")

    @server.tool()
    def boom() -> dict:
        raise RuntimeError("unexpected")

    @server.tool()
    def protocol() -> dict:
        raise MCPError(INVALID_PARAMS, "rejected")

    @server.tool()
    def empty_error() -> CallToolResult:
        return CallToolResult(content=[TextContent(type="text", text=" ")], is_error=True)

    @server.tool(structured_output=True)
    def fine() -> dict[str, bool]:
        return {"ok": True}

    for mode in MODES:
        with start_blocking_portal() as portal, crash_log() as crashes, portal.wrap_async_context_manager(Client(server, mode=mode)) as client:
            h = Harness(portal, client, crashes, None, Seeded("a", "b", "c", "d", "e", ""))  # type: ignore[arg-type]
            assert h.call("fine", {}).structured_content == {"ok": True}
            with pytest.raises(AssertionError, match="crashed inside the tool: RuntimeError: unexpected"):
                h.call("boom", {})
            with pytest.raises(AssertionError, match="raised MCPError"):
                h.call("protocol", {})
            with pytest.raises(AssertionError, match="empty text"):
                h.call("empty_error", {})
