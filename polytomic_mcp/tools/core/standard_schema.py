"""Fit a Polytomic connection-type schema and a configuration to standard JSON Schema, for ``jsonschema``.

Polytomic's schemas are draft 2020-12 with a few house rules that JSON Schema does not express:
enum items may be ``{"value", "label"}`` objects, a default satisfies ``required``, an empty string or
null counts as absent, configuration objects take no keys beyond their properties, and read-only or
internal (hidden, not ``api_field``) fields must not be sent. The schema side is folded into a standard
schema here; the configuration side is applied to a copy of the configuration, and fields that may not
be sent are taken out and listed so the caller can name them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


@dataclass
class PreparedConfiguration:
    """A configuration ready for ``jsonschema`` plus the paths of the fields it may not carry."""

    instance: Any
    unsettable: list[str] = field(default_factory=list)


def settable(prop: dict[str, Any]) -> bool:
    """Read-only and internal (hidden, not api_field) properties are Polytomic's to fill."""
    if prop.get("readOnly") or prop.get("readonly"):
        return False
    return not (prop.get("hidden") and not prop.get("api_field"))


def join_path(prefix: str, key: str | int) -> str:
    """``basic`` + ``user`` -> ``basic.user``; ``query`` + 0 -> ``query[0]``."""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


_SUBSCHEMA = ("items", "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames", "unevaluatedItems", "unevaluatedProperties")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def standard_schema(node: Any) -> Any:
    """A copy of ``node`` in plain JSON Schema: scalar enums, defaults taken out of ``required``, objects closed."""
    if not isinstance(node, dict):
        return node
    out = {**node, **_standard_subschemas(node)}
    if isinstance(node.get("enum"), list):
        out["enum"] = [item.get("value") if isinstance(item, dict) else item for item in node["enum"]]
    properties = node.get("properties")
    if isinstance(properties, dict):
        if isinstance(node.get("required"), list):
            out["required"] = [name for name in node["required"] if not _has_default(properties.get(name))]
        out.setdefault("additionalProperties", False)
    return out


def _standard_subschemas(node: dict[str, Any]) -> dict[str, Any]:
    """Every subschema of ``node`` (single, in lists, in maps), each in its standard form."""
    out: dict[str, Any] = {key: standard_schema(node[key]) for key in _SUBSCHEMA if key in node}
    out |= {key: [standard_schema(sub) for sub in node[key]] for key in _SUBSCHEMA_LISTS if isinstance(node.get(key), list)}
    out |= {key: {name: standard_schema(sub) for name, sub in node[key].items()}
            for key in _SUBSCHEMA_MAPS if isinstance(node.get(key), dict)}
    return out


def _has_default(prop: Any) -> bool:
    return isinstance(prop, dict) and "default" in prop


@lru_cache(maxsize=64)
def _validator_for_text(schema_text: str) -> Draft202012Validator | None:
    from jsonschema import Draft202012Validator  # imported on first use: it costs ~80 ms of every cold start
    from jsonschema.exceptions import SchemaError

    schema = standard_schema(json.loads(schema_text))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        return None
    return Draft202012Validator(schema)


def validator_for(schema: dict[str, Any]) -> Draft202012Validator | None:
    """A cached validator for the standard form of ``schema``; None when it is not valid JSON Schema (the API judges then)."""
    return _validator_for_text(json.dumps(schema, sort_keys=True, default=str))


def prepare(configuration: Any, schema: dict[str, Any]) -> PreparedConfiguration:
    """Copy ``configuration`` without nulls, empty required strings and unsettable fields (whose paths are kept)."""
    prepared = PreparedConfiguration(instance=None)
    prepared.instance = _prepare_value(configuration, schema, "", prepared.unsettable)
    return prepared


def _prepare_value(value: Any, node: dict[str, Any], path: str, unsettable: list[str]) -> Any:
    if isinstance(value, dict) and isinstance(node.get("properties"), dict):
        return _prepare_object(value, node, path, unsettable)
    items = node.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        return [_prepare_value(item, items, join_path(path, index), unsettable) for index, item in enumerate(value)]
    return value


def _prepare_object(value: dict[str, Any], node: dict[str, Any], path: str, unsettable: list[str]) -> dict[str, Any]:
    properties: dict[str, Any] = node["properties"]
    required = set(node.get("required") or [])
    kept: dict[str, Any] = {}
    for key, item in value.items():
        prop = properties.get(key)
        if item is None or (item == "" and key in required):
            continue
        if isinstance(prop, dict) and not settable(prop):
            unsettable.append(join_path(path, key))
            continue
        kept[key] = _prepare_value(item, prop, join_path(path, key), unsettable) if isinstance(prop, dict) else item
    return kept
