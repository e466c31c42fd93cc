"""Precomputed input schemas of every tool, so start-up builds no pydantic argument model per tool.

The SDK makes one argument model per tool and a JSON Schema from it when a tool is added; for 21 tools
that was the largest part of building the server. The compact schemas (what tools/list sends) and each
tool's context parameter are generated once into ``input_schemas.json`` (shipped in the package), the
argument models are built on a tool's first call (``deferred``), and a test fails when the file no
longer matches the tool signatures. Regenerate with::

    python -m polytomic_mcp.server.contract --write-schemas
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from mcp.server.mcpserver.resolve import find_resolved_parameters
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter
from mcp.server.mcpserver.utilities.func_metadata import func_metadata

from .schema_compact import compact_input_schema

FILE = "input_schemas.json"
PATH = Path(__file__).with_name(FILE)


def generate(functions: Mapping[str, Callable[..., Awaitable[Any]]]) -> dict[str, dict[str, Any]]:
    """Per tool function (by name): its context parameter, its parameters filled by resolvers (elicitation), and its
    compact input schema, as the SDK would make them."""
    entries: dict[str, dict[str, Any]] = {}
    for name, fn in sorted(functions.items()):
        context = find_context_parameter(fn)
        resolved = sorted(find_resolved_parameters(fn))
        skip = [*([context] if context else []), *resolved]
        arguments = func_metadata(fn, skip_names=skip, structured_output=False).arg_model
        entries[name] = {"context": context, "resolved": resolved,
                         "schema": compact_input_schema(arguments.model_json_schema(by_alias=True))}
    return entries


@cache
def load() -> dict[str, dict[str, Any]]:
    """The committed entries (empty if the file is missing, in which case the SDK builds each tool at start)."""
    try:
        loaded: dict[str, dict[str, Any]] = json.loads(resources.files(__package__).joinpath(FILE).read_text())
    except FileNotFoundError:
        return {}
    return loaded


def render(entries: dict[str, dict[str, Any]]) -> str:
    """Stable JSON text."""
    return json.dumps(entries, indent=1, sort_keys=True) + "\n"
