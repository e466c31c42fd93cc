"""Check a connection configuration against its type's JSON Schema before calling the API.

``jsonschema`` judges the standard rules (types, enums, required, closed objects) on the schema's
standard form (see ``standard_schema``); Polytomic's own rule that read-only and internal fields are
not sent is checked beside it. Every problem is collected so one error can name them all, with the
valid options and "did you mean" suggestions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from polytomic_mcp.client.models import ConfigurationSchema

from .standard_schema import join_path, prepare, settable, validator_for
from .suggest import did_you_mean, listing

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


def check_configuration(configuration: dict[str, Any], schema: ConfigurationSchema) -> list[str]:
    """Problems with ``configuration`` for this type; empty when it looks valid."""
    prepared = prepare(configuration, schema.raw)
    problems = [f"field '{path}' is read-only (Polytomic fills it); remove it" for path in prepared.unsettable]
    validator = validator_for(schema.raw)
    if validator is None:
        return problems
    errors = sorted(validator.iter_errors(prepared.instance), key=lambda error: error.json_path)
    # A value of the wrong type also fails its enum; the type is the problem to name.
    mistyped = {error.json_path for error in errors if error.validator == "type"}
    seen: set[str] = set()
    for error in errors:
        if error.json_path in mistyped and error.validator != "type":
            continue
        for problem in _describe(error):
            if problem not in seen:
                seen.add(problem)
                problems.append(problem)
    return problems


def _describe(error: ValidationError) -> list[str]:
    """Turn one jsonschema error into messages that name the field and what it accepts."""
    path = _path(error)
    node: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    properties: dict[str, Any] = node.get("properties") or {}
    rule: Any = error.validator_value
    instance: Any = error.instance
    if error.validator == "required":
        return [_missing(join_path(path, name), properties.get(name)) for name in rule if name not in instance]
    if error.validator == "additionalProperties":
        options = [name for name, prop in properties.items() if isinstance(prop, dict) and settable(prop)]
        return [f"unknown field '{join_path(path, name)}'{did_you_mean(name, options)}" for name in instance if name not in properties]
    return [_wrong_value(f"field '{path}'" if path else "the configuration", str(error.validator), rule, instance)]


def _wrong_value(where: str, validator: str, rule: Any, instance: Any) -> str:
    """A value that breaks a rule of its field: the wrong type, not one of the options, or another rule."""
    if validator == "type":
        kinds = rule if isinstance(rule, list) else [rule]
        return f"{where} must be {' or '.join(k for k in kinds if k != 'null')}, got {json_type(instance)}"
    if validator == "enum":
        return f"{where} must be one of {listing(map(str, rule))}, got {instance!r}"
    shown = f" ({validator}: {rule!r})" if isinstance(rule, (str, int, float, bool)) else ""
    return f"{where} breaks the schema's '{validator}' rule{shown}"


def _missing(path: str, prop: Any) -> str:
    """``missing required field 'hosts' (Hostname(s))``."""
    title = f" ({prop['title']})" if isinstance(prop, dict) and prop.get("title") else ""
    return f"missing required field '{path}'{title}"


def _path(error: ValidationError) -> str:
    """The dotted path of the value an error is about (``basic.user``, ``query[0].name``)."""
    path = ""
    for part in error.absolute_path:
        path = join_path(path, part)
    return path


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type."""
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
    return "array" if isinstance(value, list) else "object"
