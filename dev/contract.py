"""The server's public contract as JSON: tools/list, resources, templates, prompts and instructions.

``tests/server/contract.json`` holds it, reviewed like code: a test diffs the live server against it, and
``python -m dev.regenerate`` rewrites it after a deliberate change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

PATH = Path(__file__).resolve().parents[1] / "tests" / "server" / "contract.json"


async def collect(settings: Settings | None = None) -> dict[str, Any]:
    """Everything a client can list, in wire form, from an in-memory session on the sandbox."""
    settings = settings or Settings(sandbox=True)
    async with Client(build_server(settings), mode="legacy") as client:
        tools = (await client.list_tools()).tools
        resources = (await client.list_resources()).resources
        templates = (await client.list_resource_templates()).resource_templates
        prompts = (await client.list_prompts()).prompts
        instructions = client.instructions

    def dump(items: list[Any]) -> list[dict[str, Any]]:
        return [item.model_dump(mode="json", by_alias=True, exclude_none=True) for item in items]

    return {
        "instructions": instructions,
        "tools": dump(tools),
        "resources": dump(resources),
        "resourceTemplates": dump(templates),
        "prompts": dump(prompts),
    }


def render(contract: dict[str, Any] | None = None) -> str:
    """Stable, diff-friendly JSON text (of the live server's contract when none is given)."""
    return json.dumps(anyio.run(collect) if contract is None else contract, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
