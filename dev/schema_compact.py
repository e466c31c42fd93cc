"""Shrink the JSON Schemas advertised in tools/list: every token there is paid on each conversation.

Drops what carries no meaning for a client (generated ``title``s, ``default: null``) and
turns pydantic's ``anyOf: [X, {"type": "null"}]`` for optional values into ``X`` (a value
that is optional is simply not required). Validation still runs on the full pydantic models.
"""

from __future__ import annotations

from typing import Any

_MAP_KEYWORDS = frozenset({"properties", "$defs", "definitions", "patternProperties"})


def compact_output_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """What a client validates a result against: the properties every result has, with their JSON types.

    Optional properties and nested shapes are left out (other properties are allowed): the
    agent sees them in the result itself, and publishing them would cost context in every
    conversation, every time tools/list is read.
    """
    compact = compact_schema(schema)
    variants = [_resolve(v, compact.get("$defs", {})) for v in compact.get("anyOf", [])] or [compact]
    properties: dict[str, Any] = {}
    for variant in variants:
        for name, prop in variant.get("properties", {}).items():
            properties.setdefault(name, _shallow(prop))
    required = [r for r in variants[0].get("required", []) if all(r in v.get("required", []) for v in variants)]
    return {
        "type": "object",
        "properties": {name: properties[name] for name in required},
        **({"required": required} if required else {}),
    }


def _resolve(node: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """A ``$ref`` to a local definition replaced by the definition (one result model of a union)."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        found: dict[str, Any] = definitions.get(ref.removeprefix("#/$defs/"), {})
        return found
    return node


def _shallow(prop: dict[str, Any]) -> dict[str, Any]:
    """A property's JSON type only (objects and arrays of objects as such): what a client checks a result against."""
    out = {k: v for k, v in prop.items() if k in {"type", "enum"}}
    if "$ref" in prop or prop.get("type") == "object":
        out["type"] = "object"
    elif prop.get("type") == "array":
        items = prop.get("items", {})
        if isinstance(items.get("type"), str) and items["type"] not in {"object", "array"} and "$ref" not in items:
            out["items"] = {"type": items["type"]}
    return out


def compact_input_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """An input schema whose nested models are plain ``object``s: each parameter's description shows the shape.

    The nested definitions (a sync's field mapping, identity, target, schedule) cost most of
    tools/list; the agent reads the shape from the description, and the server still
    validates every call against the full pydantic models and names what is wrong.
    """
    compact: dict[str, Any] = compact_schema(schema)
    compact.pop("$defs", None)
    compact["properties"] = {name: _flat(prop) for name, prop in compact.get("properties", {}).items()}
    return compact


_KEPT = frozenset({"type", "description", "enum", "items", "minimum", "maximum", "const"})


def _flat(prop: dict[str, Any]) -> dict[str, Any]:
    """A parameter schema with references to nested models replaced by their JSON type."""
    if "$ref" in prop:
        return {"type": "object", **({"description": prop["description"]} if "description" in prop else {})}
    if "anyOf" in prop:
        variants = [_flat(v) for v in prop["anyOf"] if v != {"type": "null"}]
        types = sorted({str(v["type"]) for v in variants if isinstance(v.get("type"), str)})
        out: dict[str, Any] = {"type": types if len(types) > 1 else types[0]} if types else {}
        return {**out, **({"description": prop["description"]} if "description" in prop else {})}
    out = {k: v for k, v in prop.items() if k in _KEPT}
    if isinstance(out.get("items"), dict):
        out["items"] = _flat(out["items"])
    return out


def compact_schema(schema: Any) -> Any:
    """A smaller equivalent of a generated JSON Schema node (recursively)."""
    if isinstance(schema, list):
        return [compact_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in _without_null_variant(schema).items():
        if _says_nothing(key, value):
            continue
        if key in _MAP_KEYWORDS and isinstance(value, dict):
            out[key] = {name: compact_schema(sub) for name, sub in value.items()}
        else:
            out[key] = compact_schema(value)
    return out


_NOTHING = {"default": None, "minLength": 1, "additionalProperties": True}
"""Keywords whose value here is what a client assumes anyway."""


def _says_nothing(key: str, value: Any) -> bool:
    """A generated title, or a keyword holding its implied value."""
    if key == "title":
        return isinstance(value, str)
    return key in _NOTHING and type(value) is type(_NOTHING[key]) and value == _NOTHING[key]


def _without_null_variant(node: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [X, {"type": "null"}]`` (an optional value) as ``X`` merged with the node's other keywords."""
    variants = node.get("anyOf")
    if not isinstance(variants, list):
        return node
    real = [v for v in variants if v != {"type": "null"}]
    if len(real) != 1 or len(real) == len(variants):
        return node
    return {**real[0], **{k: v for k, v in node.items() if k != "anyOf"}}
