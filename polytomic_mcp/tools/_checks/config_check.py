"""Check a connection configuration against its type's JSON Schema before calling the API.

Every problem is collected (missing required fields, unknown fields, read-only fields,
enum values, JSON types) so one error can name them all.
"""

from __future__ import annotations

from typing import Any

from polytomic_mcp.client.models import ConfigurationSchema

from .suggest import did_you_mean, listing

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def check_configuration(configuration: dict[str, Any], schema: ConfigurationSchema) -> list[str]:
    """Problems with ``configuration`` for this type; empty when it looks valid."""
    return _check_object(configuration, schema.raw, "")


def _check_object(value: dict[str, Any], schema: dict[str, Any], prefix: str) -> list[str]:
    """Check one JSON object level against its schema node."""
    problems: list[str] = []
    properties: dict[str, Any] = schema.get("properties") or {}
    for name in schema.get("required") or []:
        prop = properties.get(name, {})
        if _missing(value.get(name)) and "default" not in prop:
            title = f" ({prop['title']})" if isinstance(prop, dict) and prop.get("title") else ""
            problems.append(f"missing required field '{prefix}{name}'{title}")
    if properties or schema.get("additionalProperties") is False:
        settable = [n for n, p in properties.items() if isinstance(p, dict) and _settable(p)]
        for name, item in value.items():
            path = f"{prefix}{name}"
            prop = properties.get(name)
            if prop is None:
                problems.append(f"unknown field '{path}'{did_you_mean(name, settable)}")
                continue
            if not _settable(prop):
                problems.append(f"field '{path}' is read-only (Polytomic fills it); remove it")
                continue
            problems.extend(_check_value(item, prop, path))
    return problems


def _check_value(value: Any, prop: dict[str, Any], path: str) -> list[str]:
    """Check one value's JSON type and enum, recursing into objects and arrays."""
    if value is None:
        return []
    kind = prop.get("type")
    kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if k and k != "null"]
    if kinds and not any(_is_type(value, k) for k in kinds):
        return [f"field '{path}' must be {' or '.join(kinds)}, got {_json_type(value)}"]
    enum = prop.get("enum")
    if isinstance(enum, list) and enum:
        allowed = [e.get("value") if isinstance(e, dict) else e for e in enum]
        if value not in allowed:
            return [f"field '{path}' must be one of {listing(map(str, allowed))}, got {value!r}"]
    if isinstance(value, dict) and prop.get("properties"):
        return _check_object(value, prop, f"{path}.")
    if isinstance(value, list) and isinstance(prop.get("items"), dict):
        problems: list[str] = []
        for index, item in enumerate(value):
            problems.extend(_check_value(item, prop["items"], f"{path}[{index}]"))
        return problems
    return []


def _settable(prop: dict[str, Any]) -> bool:
    """Read-only and server-internal (hidden, not api_field) properties may not be sent."""
    if prop.get("readOnly"):
        return False
    return not (prop.get("hidden") and not prop.get("api_field"))


def _missing(value: Any) -> bool:
    """Absent, null or an empty string."""
    return value is None or value == ""


def _is_type(value: Any, kind: str) -> bool:
    """JSON Schema type test (booleans are not integers)."""
    if kind in {"integer", "number"} and isinstance(value, bool):
        return False
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    expected = _JSON_TYPES.get(kind)
    return True if expected is None else isinstance(value, expected)


def _json_type(value: Any) -> str:
    """The JSON name of a Python value's type."""
    for name in _JSON_TYPES:
        if _is_type(value, name):
            return name
    return type(value).__name__
