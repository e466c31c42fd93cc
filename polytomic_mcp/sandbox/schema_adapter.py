"""Fit a connection-type schema and a sent configuration to standard JSON Schema, for ``jsonschema``.

The sandbox answers like Polytomic, whose schemas bend JSON Schema in a few ways: enum items may be
``{"value", "label"}`` objects, a default satisfies ``required`` (and is filled in), an empty string or
null counts as absent, configuration objects take no keys beyond their properties, and read-only or
internal (hidden, not ``api_field``) fields are Polytomic's to fill, so values sent for them are dropped.
This module is the sandbox's own copy of those rules: the sandbox is the oracle the tools are tested
against, so it shares no code with them.
"""

from __future__ import annotations

import copy
from typing import Any

from jsonschema import Draft202012Validator

_SUBSCHEMA = ("items", "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames", "unevaluatedItems", "unevaluatedProperties")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def is_read_only(prop: dict[str, Any]) -> bool:
    """``readOnly`` (JSON Schema) or ``readonly`` (as some real Polytomic schemas spell it)."""
    return bool(prop.get("readOnly") or prop.get("readonly"))


def enum_values(prop: dict[str, Any]) -> list[Any]:
    """Return the allowed values of an enum written either as scalars or as ``{"value", "label"}`` objects."""
    return [item.get("value") if isinstance(item, dict) else item for item in prop.get("enum", [])]


def is_mask(value: Any) -> bool:
    """Whether ``value`` looks like the mask a secret is returned as (three or more ``*``)."""
    return isinstance(value, str) and len(value) >= 3 and set(value) == {"*"}


def path_of(prefix: str, key: str | int) -> str:
    """``basic`` + ``user`` -> ``basic.user``; ``query`` + 0 -> ``query[0]``."""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def to_standard(node: Any) -> Any:
    """A copy of schema ``node`` in plain JSON Schema: scalar enums, defaults taken out of ``required``, objects closed."""
    if not isinstance(node, dict):
        return node
    out = dict(node)
    for key in _SUBSCHEMA:
        if key in node:
            out[key] = to_standard(node[key])
    for key in _SUBSCHEMA_LISTS:
        if isinstance(node.get(key), list):
            out[key] = [to_standard(sub) for sub in node[key]]
    for key in _SUBSCHEMA_MAPS:
        if isinstance(node.get(key), dict):
            out[key] = {name: to_standard(sub) for name, sub in node[key].items()}
    if isinstance(node.get("enum"), list):
        out["enum"] = enum_values(node)
    properties = node.get("properties")
    if isinstance(properties, dict):
        out["required"] = [name for name in node.get("required", []) if "default" not in properties.get(name, {})]
        out.setdefault("additionalProperties", False)
    return out


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A draft 2020-12 validator for the standard form of a connection type's schema."""
    return Draft202012Validator(to_standard(schema))


def receive(configuration: Any, schema: dict[str, Any]) -> Any:
    """Copy a sent configuration the way Polytomic reads it: nulls, empty required strings and unsettable fields gone, required defaults filled.

    A secret's mask sent back is copied like any value: the API stores it (and the upstream later rejects it).
    """
    return _receive(configuration, schema)


def _settable(prop: dict[str, Any]) -> bool:
    return not is_read_only(prop) and not (prop.get("hidden") and not prop.get("api_field"))


def _receive(value: Any, node: dict[str, Any]) -> Any:
    if isinstance(value, dict) and isinstance(node.get("properties"), dict):
        return _receive_object(value, node)
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        return [_receive(item, node["items"]) for item in value]
    return copy.deepcopy(value)


def _receive_object(value: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = node["properties"]
    required = node.get("required", [])
    kept: dict[str, Any] = {}
    for key, item in value.items():
        prop = props.get(key)
        if item is None or (item == "" and key in required):
            continue
        if prop is None:
            kept[key] = copy.deepcopy(item)
        elif not _settable(prop):
            continue
        else:
            kept[key] = _receive(item, prop)
    for key in required:
        if key not in kept and "default" in props.get(key, {}):
            kept[key] = copy.deepcopy(props[key]["default"])
    return kept
