"""Generate ``polytomic_mcp/tools/core/manifest.json``: what tools/list says of each declared tool.

Input schemas are the SDK's own (``Tool.from_function``, the same call ``add_tool`` makes), compacted for
tools/list; output schemas come from each tool's return annotation. Both are made once here, so the server
starts without importing a tool module or building a pydantic schema.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mcp.server.mcpserver.tools import Tool
from pydantic import TypeAdapter

from polytomic_mcp.tools import ToolName, load_tools
from polytomic_mcp.tools.core import manifest
from polytomic_mcp.tools.core.registry import ToolSpec

from .schema_compact import compact_input_schema, compact_output_schema

PATH = Path(manifest.__file__).with_name(manifest.FILE)


def entry(spec: ToolSpec) -> dict[str, Any]:
    """One tool's manifest entry."""
    sdk = Tool.from_function(spec.fn, name=spec.name, title=spec.title, description=spec.description,
                             annotations=spec.annotations, structured_output=False)
    returned = typing.get_type_hints(spec.declared)["return"]
    return {
        "title": spec.title,
        "icon": spec.icon,
        "description": spec.description,
        "annotations": spec.annotations.model_dump(mode="json", by_alias=True, exclude_none=True),
        "toolset": str(spec.toolset),
        "guards_writes": spec.guards_writes,
        "input_schema": compact_input_schema(sdk.parameters),
        "output_schema": compact_output_schema(TypeAdapter(returned).json_schema(by_alias=True, mode="serialization")),
    }


def generate(specs: Mapping[str, ToolSpec] | None = None) -> dict[str, dict[str, Any]]:
    """The manifest of the declared tools, in ``ToolName`` order."""
    specs = load_tools() if specs is None else specs
    return {name.value: entry(specs[name.value]) for name in ToolName if name.value in specs}


def render(generated: dict[str, dict[str, Any]] | None = None) -> str:
    """The file's text: stable, indented JSON."""
    return json.dumps(generate() if generated is None else generated, indent=1, ensure_ascii=False) + "\n"
