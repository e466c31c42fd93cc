"""Precomputed output schemas of every tool, so start-up does not generate them with pydantic.

Generating JSON Schemas for the result models was about a third of the server's start-up
work. They are generated once into ``output_schemas.json`` (shipped in the package) and a
test fails when that file no longer matches the result models. Regenerate with::

    python -m polytomic_mcp.server.contract --write-schemas
"""

from __future__ import annotations

import json
import typing
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .schema_compact import compact_output_schema

FILE = "output_schemas.json"
PATH = Path(__file__).with_name(FILE)


def generate(functions: Mapping[str, Callable[..., Awaitable[Any]]]) -> dict[str, dict[str, Any]]:
    """Output schema of each tool function (by name), from its return annotation."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, fn in sorted(functions.items()):
        returned = typing.get_type_hints(fn)["return"]
        schemas[name] = compact_output_schema(TypeAdapter(returned).json_schema(by_alias=True, mode="serialization"))
    return schemas


@cache
def load() -> dict[str, dict[str, Any]]:
    """The committed schemas (empty if the file is missing, in which case the SDK generates them)."""
    try:
        loaded: dict[str, dict[str, Any]] = json.loads(resources.files(__package__).joinpath(FILE).read_text())
    except FileNotFoundError:
        return {}
    return loaded


def render(schemas: dict[str, dict[str, Any]]) -> str:
    """Stable JSON text."""
    return json.dumps(schemas, indent=1, sort_keys=True) + "\n"
