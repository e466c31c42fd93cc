"""The official MCP Inspector CLI (``@modelcontextprotocol/inspector-cli --cli``) against the sandbox server,
over stdio (it launches ``python -m polytomic_mcp --sandbox``) and over Streamable HTTP."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from interop_support import Toolchain, inspector, parse_json_output, stdio_server_command

pytestmark = pytest.mark.slow

WORKFLOW_TOOLS = {"list_connection_types", "create_connection", "create_model", "list_target_objects", "create_sync", "start_sync", "get_sync_status"}
MONGO_CONFIGURATION = {"hosts": "example.mongodb.net", "username": "user", "password": "secret"}


@pytest.fixture(params=["stdio", "http"])
def target(request: pytest.FixtureRequest) -> list[str]:
    """What the Inspector connects to: the stdio command, or the URL of a stateful HTTP server."""
    if request.param == "stdio":
        return stdio_server_command()
    return [request.getfixturevalue("stateful_server").url]


def unmarked(text: str) -> dict[str, Any]:
    """A result's text form as one object: its JSON line with each ``<workspace-data>`` block's field put back."""
    head, _, rest = text.partition("\n")
    value: dict[str, Any] = json.loads(head)
    value.update({f: json.loads(v) for f, v in re.findall(r'<workspace-data field="([a-z_]+)">\n(.*?)\n</workspace-data>', rest, re.S)})
    return value


def run(toolchain: Toolchain, target: list[str], method: str, *extra: str) -> dict:
    result = inspector(toolchain, target, method, *extra)
    assert not result.timed_out and result.returncode == 0, f"the Inspector CLI failed:\n{result.describe()}"
    return parse_json_output(result)


def call_tool(toolchain: Toolchain, target: list[str], name: str, *tool_args: str) -> dict:
    """tools/call; the result must be a success whose text content is its structuredContent (workspace data marked)."""
    extra = ["--tool-name", name]
    if tool_args:
        extra += ["--tool-arg", *tool_args]
    result = run(toolchain, target, "tools/call", *extra)
    assert result.get("isError") is not True, result
    structured = result.get("structuredContent")
    assert isinstance(structured, dict), result
    texts = [c["text"] for c in result["content"] if c["type"] == "text"]
    assert texts and unmarked(texts[0]) == {k: v for k, v in structured.items() if k != "untrusted"}
    return structured


def test_tools_list(toolchain: Toolchain, target: list[str]) -> None:
    tools = {t["name"]: t for t in run(toolchain, target, "tools/list")["tools"]}
    assert WORKFLOW_TOOLS <= set(tools), sorted(tools)
    for name in WORKFLOW_TOOLS:
        assert tools[name]["inputSchema"]["type"] == "object"
        assert tools[name]["outputSchema"]["type"] == "object", f"{name} has no outputSchema"
        assert tools[name].get("description")
    assert set(tools["create_connection"]["inputSchema"]["required"]) >= {"name", "type"}
    assert tools["list_connection_types"]["annotations"]["readOnlyHint"] is True


def test_call_list_connection_types(toolchain: Toolchain, target: list[str]) -> None:
    result = call_tool(toolchain, target, "list_connection_types", "search=mongo")
    ids = [t["id"] for t in result["types"]]
    assert "mongodb" in ids, result
    mongodb = next(t for t in result["types"] if t["id"] == "mongodb")
    assert mongodb["source"] is True and mongodb["oauth"] is False


def test_call_create_connection(toolchain: Toolchain, target: list[str]) -> None:
    # --tool-arg values are parsed as JSON when they parse, so the object goes through as an object
    result = call_tool(
        toolchain, target, "create_connection",
        "name=MongoDB Connection", "type=mongodb", f"configuration={json.dumps(MONGO_CONFIGURATION)}",
    )
    assert result["name"] == "MongoDB Connection" and result["type"] == "mongodb"
    assert result["status"] == "healthy" and result["id"]
    assert result["configuration"]["hosts"] == "example.mongodb.net"
    assert result["configuration"]["password"] == "******"
    assert "secret" not in json.dumps(result)


def test_resources(toolchain: Toolchain, target: list[str]) -> None:
    resources = {r["uri"]: r for r in run(toolchain, target, "resources/list")["resources"]}
    assert "polytomic://connections" in resources, sorted(resources)
    assert resources["polytomic://connections"]["mimeType"] == "text/plain"
    templates = {t["uriTemplate"] for t in run(toolchain, target, "resources/templates/list")["resourceTemplates"]}
    assert "polytomic://connections/{connection_id}" in templates, templates

    created = None
    if target[0].startswith("http"):  # one server for all calls: what one call creates, the next one reads
        created = call_tool(
            toolchain, target, "create_connection",
            "name=Resource Check", "type=mongodb", f"configuration={json.dumps(MONGO_CONFIGURATION)}",
        )["id"]
    read = run(toolchain, target, "resources/read", "--uri", "polytomic://connections")
    (content,) = read["contents"]
    assert content["uri"] == "polytomic://connections"
    assert content["mimeType"] == "text/plain"
    listing = unmarked(content["text"])
    # a bare list, or a bounded listing {"connections": [...], "total": n}
    connections = listing if isinstance(listing, list) else listing.get("connections")
    assert isinstance(connections, list), listing
    if created is not None:
        assert created in [c["id"] for c in connections], connections
        assert "secret" not in content["text"]


def test_prompts_list(toolchain: Toolchain, target: list[str]) -> None:
    prompts = {p["name"]: p for p in run(toolchain, target, "prompts/list")["prompts"]}
    assert "set_up_model_sync" in prompts, sorted(prompts)
    arguments = {a["name"]: a for a in prompts["set_up_model_sync"].get("arguments", [])}
    assert {"source", "destination"} <= set(arguments)
    assert all(arguments[name].get("required") for name in ("source", "destination"))
