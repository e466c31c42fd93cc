"""Whether a model field's values can be written to a target field's type, judged from the two declared types.

A run rejects each record whose value does not fit its target field (``INVALID_TYPE``). Some pairs can
never fit (a datetime into a boolean): no record with a value gets through, so the mapping is refused.
Others fit for some values only (a string column may hold numeric text): the dry run warns and says
what the run will do. Types this module does not know (picklists, references, arrays...) are not judged.
"""

from __future__ import annotations

from typing import Literal

Fit = Literal["some", "none"]
"""``some``: only values of the right shape are written; ``none``: no value with content is."""

KINDS = {
    "string": "string", "text": "string",
    "integer": "integer", "int": "integer", "long": "integer",
    "number": "number", "double": "number", "float": "number", "decimal": "number", "currency": "number",
    "boolean": "boolean", "bool": "boolean",
    "datetime": "datetime", "date": "datetime", "timestamp": "datetime",
}
"""Type names as Polytomic reports them, folded into the kinds the rules below speak of."""

RULES: dict[tuple[str, str], Fit] = {
    ("string", "number"): "some", ("string", "integer"): "some", ("string", "boolean"): "some", ("string", "datetime"): "some",
    ("number", "integer"): "some", ("number", "boolean"): "some", ("number", "datetime"): "some",
    ("integer", "boolean"): "some", ("integer", "datetime"): "some",
    ("boolean", "number"): "none", ("boolean", "integer"): "none", ("boolean", "datetime"): "none",
    ("datetime", "number"): "none", ("datetime", "integer"): "none", ("datetime", "boolean"): "none",
}
"""(model kind, target kind) pairs that do not always fit; every other known pair does."""

SHAPES = {"number": "a number", "integer": "a whole number", "boolean": "true/false (or 1/0)", "datetime": "a date or timestamp"}


def kind(type_name: str | None) -> str | None:
    """The kind of a reported type, or None when it is not one judged here."""
    return KINDS.get((type_name or "").strip().lower())


def fit(source_type: str | None, target_type: str | None) -> Fit | None:
    """How values of ``source_type`` fit a ``target_type`` field: None (always), ``some`` or ``none``."""
    source, target = kind(source_type), kind(target_type)
    if source is None or target is None:
        return None
    return RULES.get((source, target))


def consequence(field: str, source_type: str, target: str, target_type: str, verdict: Fit) -> str:
    """What the run will do with this mapping, naming both fields and types."""
    pair = f"model field '{field}' ({source_type}) into '{target}' ({target_type})"
    shape = SHAPES.get(kind(target_type) or "", f"a {target_type}")
    if verdict == "none":
        return (f"{pair}: no {source_type} value is {shape}, so the run rejects every record where it has a value "
                f"(INVALID_TYPE); map a field of a fitting type")
    return (f"{pair}: records whose value is not {shape} are rejected by the run (INVALID_TYPE); "
            "fine if the values are, otherwise map another field")
