"""How a run writes one value to a target field: converted to the field's type, or rejected in the destination's words.

Text that reads as the field's type is converted, as Polytomic does ("42" into an integer field is written as 42,
"yes" into a boolean as true, dates as ISO 8601). A value that does not fit is a ``Problem`` coded the way the
destination codes it: ``INVALID_TYPE``; a value outside a restricted picklist (Salesforce
``INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST``, HubSpot ``INVALID_OPTION``); a string over the field's length
(``STRING_TOO_LONG``); a lookup holding something that is not an id (``MALFORMED_ID``) or the id of no record of the
referenced object (``INVALID_CROSS_REFERENCE_KEY``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..upstream import TargetField

INVALID_TYPE = "INVALID_TYPE"
STRING_TOO_LONG = "STRING_TOO_LONG"
MALFORMED_ID = "MALFORMED_ID"
INVALID_CROSS_REFERENCE_KEY = "INVALID_CROSS_REFERENCE_KEY"
_PICKLIST_CODES = {"salesforce": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "hubspot": "INVALID_OPTION"}
_TRUE = ("true", "yes", "y", "t", "1")
_FALSE = ("false", "no", "n", "f", "0")
_INTEGER = re.compile(r"[-+]?\d+(\.0+)?")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_SALESFORCE_ID = re.compile(r"[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?")
_SHOWN = 60
_TEXT_TYPES = ("string", "text", "id", "reference", "picklist", "email", "url", "phone")

Ids = Callable[[str], set[str]]
"""The ids of the records an object holds (for lookups)."""


@dataclass(frozen=True)
class Problem:
    """Why a value cannot be written: the destination's code, the field, and a message naming the value."""

    code: str
    field: str
    message: str


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(text.partition(".")[0]) if _INTEGER.fullmatch(text) else None


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    text = str(value).strip()
    if not _NUMBER.fullmatch(text):
        return None
    return int(text) if re.fullmatch(r"[-+]?\d+", text) else float(text)


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _date(value: Any) -> str | None:
    moment = _moment(value)
    return moment.date().isoformat() if moment is not None else None


def _datetime(value: Any) -> str | None:
    moment = _moment(value)
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "boolean": _boolean,
    "integer": _integer,
    **dict.fromkeys(("number", "double", "decimal", "currency"), _number),
    "date": _date,
    **dict.fromkeys(("datetime", "timestamp"), _datetime),
}


def _text(value: Any) -> Any:
    """A scalar written to a string field, as text (objects and arrays go as they are)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else value


def write(field: TargetField, value: Any, *, vendor: str, ids: Ids) -> tuple[Any, Problem | None]:
    """The value as written to ``field``, or the problem that rejects it (empty values pass: required fields are
    checked apart)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return value, None
    convert = _CONVERTERS.get(field.type)
    if convert is not None:
        converted = convert(value)
        if converted is None:
            return value, Problem(INVALID_TYPE, field.id, f"{field.id}: value {_shown(value)!r} is not a valid {field.type}")
        return converted, None
    if field.type not in _TEXT_TYPES:
        return value, None
    text = _text(value)
    return text, _text_problem(field, text, vendor, ids) if isinstance(text, str) else None


def _text_problem(field: TargetField, text: str, vendor: str, ids: Ids) -> Problem | None:
    """A restricted picklist, a maximum length or a lookup that the text breaks."""
    options = [v for v, _ in field.values]
    if field.restricted and options and text not in options:
        code = _PICKLIST_CODES.get(vendor, _PICKLIST_CODES["salesforce"])
        if vendor == "hubspot":
            return Problem(code, field.id, f"{field.id}: {text} was not one of the allowed options: [{', '.join(options)}]")
        return Problem(code, field.id, f"{field.id}: bad value for restricted picklist field: {text} (valid: {', '.join(options)})")
    if field.max_length and len(text) > field.max_length:
        return Problem(STRING_TOO_LONG, field.id, f"{field.id}: data value too large: {_shown(text)} (max length={field.max_length})")
    if field.reference_to:
        objects = " or ".join(field.reference_to)
        if vendor == "salesforce" and not _SALESFORCE_ID.fullmatch(text):
            return Problem(MALFORMED_ID, field.id, f"{field.id}: id value of incorrect type: {_shown(text)} (expected the id of a record of {objects})")
        if not any(text in ids(name) for name in field.reference_to):
            return Problem(INVALID_CROSS_REFERENCE_KEY, field.id, f"{field.id}: invalid cross reference id: {text} (no {objects} has this id)")
    return None
