"""The tool manifest: what tools/list says of every tool, precomputed, so start-up imports no tool module.

Building the server used to import every tool family and its result views, and have the SDK make a pydantic
argument model and a JSON Schema per tool; that was most of our start-up time. Each tool's title, hints,
toolset, read-only behaviour, context parameter and compact input schema (without the parameters resolvers
fill) are generated once into ``manifest.json`` (shipped in the package); tools are registered from it
(``deferred``) and load their module on the first call. A test fails when the file no longer matches the
tools. Regenerate::

    python -m polytomic_mcp.server.contract --write-schemas
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver.resolve import find_resolved_parameters
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter
from mcp.server.mcpserver.utilities.func_metadata import func_metadata
from mcp_types import ToolAnnotations

from .schema_compact import compact_input_schema

if TYPE_CHECKING:
    from .registry import ToolSpec

FILE = "manifest.json"
PATH = Path(__file__).with_name(FILE)


@dataclass(frozen=True)
class Entry:
    """One tool as the manifest records it."""

    name: str
    title: str
    annotations: ToolAnnotations
    toolset: str
    guards_writes: bool
    context: str | None
    """The parameter the SDK fills with the request context."""
    input_schema: dict[str, Any]

    @property
    def kept_in_read_only_mode(self) -> bool:
        """Whether read-only mode still exposes the tool (it only reads, or it refuses its own writes)."""
        return bool(self.annotations.read_only_hint) or self.guards_writes


def generate(specs: Mapping[str, ToolSpec]) -> dict[str, dict[str, Any]]:
    """The manifest of the declared tools, with input schemas as the SDK would make them."""
    manifest: dict[str, dict[str, Any]] = {}
    for name, spec in sorted(specs.items()):
        context = find_context_parameter(spec.fn)
        resolved = sorted(find_resolved_parameters(spec.fn))
        skip = [*([context] if context else []), *resolved]
        arguments = func_metadata(spec.fn, skip_names=skip, structured_output=False).arg_model
        manifest[name] = {
            "title": spec.title,
            "annotations": spec.annotations.model_dump(mode="json", by_alias=True, exclude_none=True),
            "toolset": spec.toolset,
            "guards_writes": spec.guards_writes,
            "context": context,
            "input_schema": compact_input_schema(arguments.model_json_schema(by_alias=True)),
        }
    return manifest


@cache
def entries() -> dict[str, Entry]:
    """The committed manifest, by tool name."""
    raw: dict[str, dict[str, Any]] = json.loads(resources.files(__package__).joinpath(FILE).read_text())
    return {
        name: Entry(name, item["title"], ToolAnnotations.model_validate(item["annotations"]), item["toolset"],
                    item["guards_writes"], item["context"], item["input_schema"])
        for name, item in raw.items()
    }


def render(manifest: dict[str, dict[str, Any]]) -> str:
    """Stable JSON text."""
    return json.dumps(manifest, indent=1, sort_keys=True) + "\n"
