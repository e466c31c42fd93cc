"""Check a connection configuration against its type's JSON Schema and mask secrets, answering problems like the API."""

from __future__ import annotations

import copy
from typing import Any

from .errors import bad_request

MASK = "******"

_ARTICLE_TYPE = {
    "string": "a string",
    "boolean": "a boolean",
    "integer": "an integer",
    "number": "a number",
    "object": "an object",
    "array": "an array",
}


def json_type(value: Any) -> str:
    """Name the JSON type of a decoded value the way error messages do."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def enum_values(prop: dict[str, Any]) -> list[Any]:
    """Return the allowed values of an enum written either as scalars or as ``{"value", "label"}`` objects."""
    return [item["value"] if isinstance(item, dict) else item for item in prop.get("enum", [])]


def _type_ok(kind: str, value: Any) -> bool:
    checks = {
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
    }
    return checks.get(kind, lambda v: True)(value)


def check_value(path: str, prop: dict[str, Any], value: Any) -> list[str]:
    """Return the problems of ``value`` against schema property ``prop`` (type, enum, nested fields)."""
    kind = prop.get("type")
    if kind and not _type_ok(kind, value):
        return [f"{path} must be {_ARTICLE_TYPE.get(kind, kind)}, got {json_type(value)}"]
    allowed = enum_values(prop)
    if allowed and value not in allowed:
        options = ", ".join(f'"{v}"' for v in allowed)
        return [f'{path} must be one of {options}; got "{value}"']
    if kind == "object" and "properties" in prop:
        problems: list[str] = []
        for key, item in value.items():
            sub = prop["properties"].get(key)
            if sub is None:
                if prop.get("additionalProperties") is False:
                    problems.append(f'unknown field "{path}.{key}"')
                continue
            if item is not None:
                problems.extend(check_value(f"{path}.{key}", sub, item))
        return problems
    if kind == "array" and "items" in prop:
        problems = []
        for index, item in enumerate(value):
            problems.extend(check_value(f"{path}[{index}]", prop["items"], item))
        return problems
    return []


def _is_mask(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 3 and set(value) == {"*"}


def clean_configuration(schema: dict[str, Any], config: Any, *, fill_defaults: bool = True) -> dict[str, Any]:
    """Validate ``config`` and return it with read-only keys dropped and defaults filled; raise a 400 naming every problem.

    Read-only properties sent by a client are silently ignored (Polytomic fills them).
    A masked placeholder sent back for a secret is rejected, since secrets are write-only.
    """
    if not isinstance(config, dict):
        raise bad_request(f"invalid configuration: configuration must be an object, got {json_type(config)}")
    props: dict[str, Any] = schema.get("properties", {})
    problems: list[str] = []
    cleaned: dict[str, Any] = {}
    for key, value in config.items():
        prop = props.get(key)
        if prop is None:
            problems.append(f'unknown field "{key}"')
            continue
        if prop.get("readOnly") or value is None:
            continue
        if prop.get("sensitive") and _is_mask(value):
            problems.append(f'{key} is the masked placeholder "{value}"; send the real secret (secrets are write-only)')
            continue
        problems.extend(check_value(key, prop, value))
        cleaned[key] = value
    for key in schema.get("required", []):
        if cleaned.get(key) not in (None, ""):
            continue
        if "default" in props.get(key, {}):
            cleaned[key] = copy.deepcopy(props[key]["default"])
        else:
            problems.append(f"{key} is required")
    if problems:
        raise bad_request("invalid configuration: " + "; ".join(problems))
    if fill_defaults:
        for key, prop in props.items():
            if key not in cleaned and "default" in prop and not prop.get("readOnly"):
                cleaned[key] = copy.deepcopy(prop["default"])
    return cleaned


def mask_configuration(schema: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``config`` with every non-empty ``sensitive`` value replaced by the mask."""
    props = schema.get("properties", {})
    masked: dict[str, Any] = {}
    for key, value in config.items():
        prop = props.get(key, {})
        if prop.get("sensitive") and value not in (None, ""):
            masked[key] = MASK
        elif isinstance(value, dict) and "properties" in prop:
            masked[key] = mask_configuration(prop, value)
        else:
            masked[key] = copy.deepcopy(value)
    return masked
