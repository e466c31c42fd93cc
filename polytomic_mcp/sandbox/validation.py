"""Check a connection configuration against its type's JSON Schema and mask secrets, answering problems like the API.

``jsonschema`` judges the standard form of the schema (see ``schema_adapter``); this module words its
errors like the API. A secret's mask sent back is a value like any other: it is stored as is and the
upstream rejects it when probed (see ``credentials``), so a client that round-trips masks is caught.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from jsonschema.exceptions import ValidationError

from .errors import bad_request
from .schema_adapter import is_read_only, path_of, receive, validator

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


def _describe(error: ValidationError) -> list[str]:
    """Word one jsonschema error the way the API words configuration problems."""
    path = ""
    for part in error.absolute_path:
        path = path_of(path, part)
    node: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    rule: Any = error.validator_value
    instance: Any = error.instance
    props: dict[str, Any] = node.get("properties", {})
    if error.validator == "required":
        return [f"{path_of(path, key)} is required" for key in rule if key not in instance]
    if error.validator == "additionalProperties":
        return [f'unknown field "{path_of(path, key)}"' for key in instance if key not in props]
    subject = path or "configuration"
    if error.validator == "type":
        kinds = rule if isinstance(rule, list) else [rule]
        wanted = " or ".join(_ARTICLE_TYPE.get(str(kind), str(kind)) for kind in kinds if kind != "null")
        return [f"{subject} must be {wanted}, got {json_type(instance)}"]
    if error.validator == "enum":
        options = ", ".join(f'"{v}"' for v in rule)
        return [f'{subject} must be one of {options}; got "{instance}"']
    return [f"{subject} does not satisfy {error.validator} {json.dumps(rule, default=str)}"]


def clean_configuration(schema: dict[str, Any], config: Any, *, fill_defaults: bool = True) -> dict[str, Any]:
    """Validate ``config`` and return it with read-only keys dropped and defaults filled; raise a 400 naming every problem.

    Read-only and internal properties sent by a client are silently ignored (Polytomic fills them).
    A masked placeholder sent back for a secret is kept as the secret's value: the API does not guard it.
    """
    if not isinstance(config, dict):
        raise bad_request(f"invalid configuration: configuration must be an object, got {json_type(config)}")
    sent = receive(config, schema)
    problems: list[str] = []
    errors = sorted(validator(schema).iter_errors(sent), key=lambda e: (e.validator == "required", e.json_path))
    # A value of the wrong type also fails its enum; the type is the problem to name.
    mistyped = {error.json_path for error in errors if error.validator == "type"}
    for error in errors:
        if error.json_path not in mistyped or error.validator == "type":
            problems.extend(p for p in _describe(error) if p not in problems)
    if problems:
        raise bad_request("invalid configuration: " + "; ".join(problems))
    cleaned: dict[str, Any] = sent
    if fill_defaults:
        for key, prop in schema.get("properties", {}).items():
            if key not in cleaned and "default" in prop and not is_read_only(prop):
                cleaned[key] = copy.deepcopy(prop["default"])
    return cleaned


def masked_for_answer(schema: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``config`` with every non-empty ``sensitive`` value replaced by the mask."""
    props = schema.get("properties", {})
    masked: dict[str, Any] = {}
    for key, value in config.items():
        prop = props.get(key, {})
        if prop.get("sensitive") and value not in (None, ""):
            masked[key] = MASK
        elif isinstance(value, dict) and "properties" in prop:
            masked[key] = masked_for_answer(prop, value)
        else:
            masked[key] = copy.deepcopy(value)
    return masked
