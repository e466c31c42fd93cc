"""Shrink the JSON Schemas advertised in tools/list: every token there is paid on each conversation.

Drops what carries no meaning for a client (generated ``title``s, ``default: null``) and
turns pydantic's ``anyOf: [X, {"type": "null"}]`` for optional values into ``X`` (a value
that is optional is simply not required). Validation still runs on the full pydantic models.
"""

from __future__ import annotations

from typing import Any

_MAP_KEYWORDS = frozenset({"properties", "$defs", "definitions", "patternProperties"})


def compact_output_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The top level of an output schema: each property's type and description, nested objects as plain objects.

    The agent sees nested shapes in the result itself; publishing them in full would cost
    more context on every conversation than the results ever do.
    """
    compact = compact_schema(schema)
    return {
        "type": "object",
        "properties": {name: _shallow(prop) for name, prop in compact.get("properties", {}).items()},
        **({"required": compact["required"]} if compact.get("required") else {}),
    }


def _shallow(prop: dict[str, Any]) -> dict[str, Any]:
    """A property schema whose referenced or nested objects are reduced to ``{"type": "object"}``."""
    out = {k: v for k, v in prop.items() if k in {"type", "description", "enum"}}
    if "$ref" in prop or prop.get("type") == "object":
        out["type"] = "object"
    elif prop.get("type") == "array":
        items = prop.get("items", {})
        out["items"] = {"type": "object"} if "$ref" in items or items.get("type") == "object" else _shallow(items)
    return out


def compact_input_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """An input schema without the Python docstrings of nested models (each parameter has its own description)."""
    compact: dict[str, Any] = compact_schema(schema)
    for definition in compact.get("$defs", {}).values():
        definition.pop("description", None)
        if definition.get("additionalProperties") is False:
            definition.pop("additionalProperties")
    return compact


def compact_schema(schema: Any) -> Any:
    """A smaller equivalent of a generated JSON Schema node (recursively)."""
    if isinstance(schema, list):
        return [compact_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    node = dict(schema)
    variants = node.get("anyOf")
    if isinstance(variants, list):
        real = [v for v in variants if v != {"type": "null"}]
        if len(real) == 1 and len(real) < len(variants):
            node.pop("anyOf")
            merged = {**real[0], **{k: v for k, v in node.items()}}
            node = merged
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and value is None:
            continue
        if key == "minLength" and value == 1:
            continue
        if key == "additionalProperties" and value is True:
            continue
        if key in _MAP_KEYWORDS and isinstance(value, dict):
            out[key] = {name: compact_schema(sub) for name, sub in value.items()}
        else:
            out[key] = compact_schema(value)
    return out
