"""Values read and made from the catalog's compact type pictures, so generic answers parse as the SDK's types.

A picture is ``"string"``, ``"integer"``, ``"number"``, ``"boolean"``, ``"datetime"``, ``"date"``, ``"any"``,
``"object"``, ``"map<...>"``, an enum ``"a|b|c"`` (open, as the SDK's are), scalar unions ``"string|[string]"``,
a list ``[item]`` or an object ``{"key": picture}`` whose required keys end in ``*``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..ids import new_id, now_iso

SCALARS = frozenset({"string", "integer", "number", "boolean", "datetime", "date", "any", "object"})
FINISHED = ("succeeded", "success", "done", "completed", "active", "enabled", "ok")
"""Enum members an action's answer prefers when none shares the action's verb."""
TOKEN_KEYS = frozenset({"value", "token", "access_token", "api_key", "key", "secret"})
"""String members a new credential's answer fills with a fresh random token."""


def members(picture: Mapping[str, Any]) -> dict[str, tuple[Any, bool]]:
    """``{wire name: (picture, required)}`` of an object picture."""
    return {key.removesuffix("*"): (value, key.endswith("*")) for key, value in picture.items()}


def enum_values(picture: str) -> list[str]:
    """The members of an enum picture (``[]`` for any other), without the ``...+N`` count.

    An enum may have members named like types (``unknown|string|number``); a union of scalars has only those.
    """
    if picture.startswith(("map<", "[")) or "|" not in picture:
        return []
    values = [value for value in picture.split("|") if not value.startswith("...")]
    return [] if all(value in SCALARS or value.startswith("[") for value in values) else values


def fits(picture: Any, value: Any) -> bool:
    """Whether ``value`` has the JSON type ``picture`` describes (enums are open: any string fits)."""
    if isinstance(picture, dict):
        return isinstance(value, dict)
    if isinstance(picture, list):
        return isinstance(value, list) and all(fits(picture[0], item) for item in value)
    if value is None:
        return True
    if picture in ("any", "object") or picture.startswith("map<"):
        return picture == "any" or isinstance(value, dict)
    if picture == "boolean":
        return isinstance(value, bool)
    if picture == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if picture == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if picture in ("datetime", "date"):
        return isinstance(value, str) and _is_time(value)
    if picture == "string" or enum_values(picture):
        return isinstance(value, str)
    return "|" not in picture or any(fits(_picture(part), value) for part in picture.split("|"))


def _picture(text: str) -> Any:
    """One member of a scalar union: ``[string]`` is a list picture."""
    return [text[1:-1]] if text.startswith("[") and text.endswith("]") else text


def _is_time(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def type_name(picture: Any) -> str:
    """How an error names the JSON type a picture wants."""
    if isinstance(picture, dict) or picture == "object" or str(picture).startswith("map<"):
        return "an object"
    if isinstance(picture, list):
        return "a list"
    names = {"boolean": "true or false", "integer": "an integer", "number": "a number",
             "datetime": "a date-time like 2025-10-01T09:30:00Z", "date": "a date like 2025-10-01"}
    return names.get(picture, "a string")


@dataclass(frozen=True)
class Context:
    """What made-up values may draw on: the path's parameters, the resource's noun, the action's verb."""

    path_params: Mapping[str, str] = field(default_factory=dict)
    noun: str = "object"
    verb: str = ""
    base_url: str = ""


def made_up(picture: Any, name: str, ctx: Context) -> Any:
    """A plausible value of type ``picture`` for the member ``name`` (ids, names, times, tokens, statuses)."""
    if isinstance(picture, dict):
        return {key: made_up(sub, key, ctx) for key, (sub, required) in members(picture).items() if required}
    if isinstance(picture, list):
        return []
    values = enum_values(picture)
    if values:
        return _member(values, ctx.verb)
    simple = {"boolean": False, "integer": 0, "number": 0, "datetime": now_iso(), "date": datetime.now(UTC).date().isoformat()}
    if picture in simple:
        return simple[picture]
    if picture != "string" and not picture.startswith("string|"):
        return {}
    return _string(name, ctx)


def _member(values: list[str], verb: str) -> str:
    """The enum member sharing the action's verb (``cancel`` -> ``canceled``), else a finished one, else the first."""
    stem = verb[:5]
    return next((v for v in values if stem and v.lower().startswith(stem)), next((v for v in FINISHED if v in values), values[0]))


def _string(name: str, ctx: Context) -> str:
    lowered = name.lower()
    words = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower().split("_")
    if name in ctx.path_params:
        return ctx.path_params[name]
    if lowered == "id" or words[-1] == "id":
        return new_id()
    if lowered in TOKEN_KEYS:
        return f"sbx_{secrets.token_hex(16)}"
    if words[-1] in ("url", "uri"):
        return f"{ctx.base_url}/sandbox/{ctx.noun.replace(' ', '-')}/{new_id()}"
    if words[-1] == "email":
        return "sandbox.user@example.com"
    if words[-1] in ("name", "title"):
        return f"Example {ctx.noun}"
    if words[-1] == "message":
        return f"{ctx.verb or 'request'} accepted"
    return "example"


def example(picture: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """An object of ``picture`` with every scalar member filled in (lists empty, nested objects only when required)."""
    made: dict[str, Any] = {}
    for key, (sub, required) in members(picture).items():
        if required or isinstance(sub, list) or (isinstance(sub, str) and sub not in ("any", "object") and not sub.startswith("map<")):
            made[key] = made_up(sub, key, ctx)
    return made


def render(picture: Any, value: Any, ctx: Context, nouns: frozenset[str] = frozenset()) -> Any:
    """``value`` as ``picture`` wants it: only the members it declares, of the right type, required ones made up.

    A member of ``picture`` that ``value`` lacks but whose name is one of ``nouns`` (``harbor`` in a create
    answer ``{"harbor": {...}, "api_key": {...}}``) gets the whole value.
    """
    if isinstance(picture, dict):
        source = value if isinstance(value, Mapping) else {}
        shown: dict[str, Any] = {}
        for key, (sub, required) in members(picture).items():
            if key in source and source[key] is not None and fits(sub, source[key]):
                shown[key] = render(sub, source[key], ctx)
            elif key in nouns and isinstance(sub, dict) and source:
                shown[key] = render(sub, source, ctx)
            elif required:
                shown[key] = made_up(sub, key, ctx)
        return shown
    if isinstance(picture, list):
        return [render(picture[0], item, ctx) for item in value] if isinstance(value, list) else []
    return value
