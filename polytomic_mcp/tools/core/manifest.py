"""The tool manifest: what tools/list says of every tool, generated into ``manifest.json`` so start-up imports no tool.

Each tool's title, description, hints, toolset, read-only behaviour, compact input schema (the parameters
resolvers fill left out) and compact output schema are generated from the declared tools by
``python -m dev.regenerate`` (a CI step fails when the file is stale). The server lists tools from here and
adds a tool with the SDK's own ``add_tool`` on its first call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mcp_types import Icon, Tool, ToolAnnotations

FILE = "manifest.json"


@dataclass(frozen=True)
class Entry:
    """One tool as the manifest records it."""

    name: str
    title: str
    icon: str
    description: str
    annotations: ToolAnnotations
    toolset: str
    guards_writes: bool
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]

    @property
    def kept_in_read_only_mode(self) -> bool:
        """Whether read-only mode still exposes the tool (it only reads, or it refuses its own writes)."""
        return bool(self.annotations.read_only_hint) or self.guards_writes

    def listed(self, *, read_only: bool = False) -> Tool:
        """The tool as tools/list shows it (``read_only``: to a server or tenant that may only read)."""
        annotations = read_only_view(self.annotations) if read_only and self.guards_writes else self.annotations
        return Tool(name=self.name, title=self.title, description=self.description, input_schema=self.input_schema,
                    output_schema=self.output_schema, annotations=annotations, icons=[Icon(src=self.icon)])


def read_only_view(annotations: ToolAnnotations) -> ToolAnnotations:
    """The hints of a tool that refuses its own writes (``guards_writes``), where writes are off: it can only read.

    With readOnlyHint true the spec gives destructiveHint and idempotentHint no meaning, so they are left out.
    """
    return ToolAnnotations(read_only_hint=True, open_world_hint=annotations.open_world_hint)


@cache
def entries() -> dict[str, Entry]:
    """The committed manifest, by tool name."""
    raw: dict[str, dict[str, Any]] = json.loads(resources.files(__package__).joinpath(FILE).read_text())
    return {
        name: Entry(name, item["title"], item["icon"], item["description"], ToolAnnotations.model_validate(item["annotations"]),
                    item["toolset"], item["guards_writes"], item["input_schema"], item["output_schema"])
        for name, item in raw.items()
    }
