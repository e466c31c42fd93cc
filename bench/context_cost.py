"""Context cost: the size of the full tools/list result, per tool and in total (tokens estimated as chars/4)."""

from __future__ import annotations

import json

from mcp import Client

from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings


def chars(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


async def run() -> dict[str, object]:
    """Characters and estimated tokens of tools/list as sent on the wire."""
    async with Client(build_server(Settings(sandbox=True)), mode="legacy") as client:
        result = await client.list_tools()
    wire = result.model_dump(mode="json", by_alias=True, exclude_none=True)
    per_tool = {tool["name"]: chars(tool) for tool in wire["tools"]}
    total = chars(wire)
    top = sorted(per_tool.items(), key=lambda item: -item[1])[:5]
    return {
        "tools": len(per_tool),
        "total_chars": total,
        "total_tokens": total / 4,
        "top5": [{"tool": name, "chars": size, "tokens": size / 4} for name, size in top],
        "per_tool_tokens": {name: size / 4 for name, size in per_tool.items()},
    }
