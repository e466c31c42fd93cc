"""Context cost of tools/list (tokens estimated as chars/4), default configuration and per toolset.

- model-facing: name, title, description, input schema and annotations, the part an agent's model reads;
- whole: the tools/list JSON as sent, output schemas and icons included (icons are for the host's user
  interface: MCP's ``Icon`` is "for display", so they are not counted as model-facing).
"""

from __future__ import annotations

import json
from typing import Any

from mcp import Client

from polytomic_mcp.server import build_server
from polytomic_mcp.settings import TOOLSETS, Settings


def chars(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


async def listed(settings: Settings) -> dict[str, Any]:
    """tools/list as sent on the wire."""
    async with Client(build_server(settings), mode="legacy") as client:
        result = await client.list_tools()
    wire: dict[str, Any] = result.model_dump(mode="json", by_alias=True, exclude_none=True)
    return wire


NOT_MODEL_FACING = frozenset({"outputSchema", "icons"})


def model_facing(wire: dict[str, Any]) -> int:
    """Characters of tools/list without the output schemas and icons."""
    return chars({**wire, "tools": [{k: v for k, v in tool.items() if k not in NOT_MODEL_FACING} for tool in wire["tools"]]})


async def run() -> dict[str, object]:
    """Sizes of the default tools/list, per tool and per toolset."""
    wire = await listed(Settings(sandbox=True))
    per_tool = {tool["name"]: chars(tool) for tool in wire["tools"]}
    total = chars(wire)
    top = sorted(per_tool.items(), key=lambda item: -item[1])[:5]
    toolsets = {}
    for name in TOOLSETS:
        alone = await listed(Settings(sandbox=True, toolsets=frozenset({name})))
        toolsets[name] = {"tools": len(alone["tools"]), "model_facing_tokens": model_facing(alone) / 4}
    return {
        "tools": len(per_tool),
        "total_chars": total,
        "total_tokens": total / 4,
        "model_facing_tokens": model_facing(wire) / 4,
        "toolsets": toolsets,
        "top5": [{"tool": name, "chars": size, "tokens": size / 4} for name, size in top],
        "per_tool_tokens": {name: size / 4 for name, size in per_tool.items()},
    }
