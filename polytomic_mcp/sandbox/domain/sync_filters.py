"""Sync filter blocks (model_filters, deprecated filters, target_filters): functions, labels and logic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import bad_request, unprocessable
from ..upstream import Mode
from .body import optional, require_object, require_str

if TYPE_CHECKING:
    from .sync_checker import Checker

FILTER_FUNCTIONS = (
    "Equality", "Inequality", "IsNull", "IsNotNull", "True", "False", "OnOrAfter", "OnOrBefore", "GreaterThan",
    "GreaterThanEqual", "LessThan", "LessThanEqual", "StringContains", "StringStartsWith", "StringEndsWith",
    "StringDoesNotContain", "StringDoesNotStartWith", "StringDoesNotEndWith", "StringOneOf", "StringNotOneOf",
    "Between", "ArrayContains", "ArrayDoesNotContain", "InTheLast", "RelativeOnOrBefore", "RelativeOnOrAfter",
    "StringLike", "StringNotLike", "StringMatchesTrimmed",
)


def filter_logic(conditions: list[dict[str, Any]], logic: str, where: str) -> str:
    """Default the logic to "A and B ..." or check that it names every condition label."""
    labels = [c["label"] for c in conditions]
    if not logic:
        return " and ".join(labels)
    tokens = set(logic.replace("(", " ").replace(")", " ").split())
    missing = [label for label in labels if label not in tokens]
    if missing:
        raise bad_request(f"{where}.logic must reference every condition label; missing: {', '.join(missing)}")
    return logic


def model_filters(check: Checker, body: dict[str, Any]) -> dict[str, Any]:
    """Validate model_filters (or convert deprecated filters/filter_logic) into the stored form."""
    raw = body.get("model_filters")
    if raw is None and body.get("filters"):
        converted = []
        for item in body["filters"]:
            item = require_object(item, "filters[]")
            converted.append({"source": item.get("field"), "function": item.get("function"), "value": item.get("value"), "label": item.get("label")})
        raw = {"conditions": converted, "logic": body.get("filter_logic", "")}
    if raw is None:
        return {"logic": "", "conditions": []}
    raw = require_object(raw, "model_filters")
    conditions = []
    for index, item in enumerate(optional(raw, "conditions", list, [], "model_filters.")):
        where = f"model_filters.conditions[{index}]"
        item = require_object(item, where)
        function = require_str(item, "function", f"{where}.")
        if function not in FILTER_FUNCTIONS:
            raise bad_request(f'{where}.function: unknown filter function "{function}"')
        condition = {"label": item.get("label") or chr(ord("A") + index), "source": check.source(item.get("source"), f"{where}.source"), "function": function}
        if item.get("value") is not None:
            condition["value"] = item["value"]
        conditions.append(condition)
    return {"logic": filter_logic(conditions, optional(raw, "logic", str, "", "model_filters."), "model_filters"), "conditions": conditions}


def target_filters(check: Checker, mode: Mode, raw: Any) -> dict[str, Any]:
    """Validate target_filters against the target fields and whether the mode allows them."""
    if raw is None:
        return {"logic": "", "conditions": []}
    raw = require_object(raw, "target_filters")
    items = optional(raw, "conditions", list, [], "target_filters.")
    if items and not mode.supports_target_filters:
        raise unprocessable(f'mode "{mode.id}" on {check.target.id} does not support target filters')
    conditions = []
    for index, item in enumerate(items):
        where = f"target_filters.conditions[{index}]"
        item = require_object(item, where)
        name = require_str(item, "field", f"{where}.")
        if name not in check.target.by_id:
            raise unprocessable(f'{where}: target field "{name}" does not exist on {check.target.id}')
        function = require_str(item, "function", f"{where}.")
        if function not in FILTER_FUNCTIONS:
            raise bad_request(f'{where}.function: unknown filter function "{function}"')
        conditions.append({"label": item.get("label") or chr(ord("A") + index), "field": name, "function": function, "value": item.get("value")})
    return {"logic": filter_logic(conditions, optional(raw, "logic", str, "", "target_filters."), "target_filters"), "conditions": conditions}
