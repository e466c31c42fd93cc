"""One table of configuration cases that the tools' pre-API check and the sandbox must judge alike.

Each case gives a schema (a small connection-type schema, or the name of a real captured one), a
configuration and the expected verdict: no problems (valid) or the exact set of (kind, field path)
problems. Kinds: ``missing``, ``unknown``, ``type``, ``enum`` and ``not_settable`` (a read-only or
internal field was sent: the tools refuse it before the API; the sandbox, like Polytomic, keeps it out
of the stored configuration). ``mentions`` are texts both checkers' messages must contain, such as
the valid enum values.

Rules the table pins down: JSON Schema types (an integer is any number with no fractional part, so
5.0 is one; booleans are not numbers), enums written as ``{"value", "label"}`` accept only the value,
a default satisfies ``required``, an empty string or null counts as absent, configuration objects are
closed, and read-only or hidden non-API fields may not be set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MISSING, UNKNOWN, TYPE, ENUM, NOT_SETTABLE = "missing", "unknown", "type", "enum", "not_settable"
VALID: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Case:
    """One configuration, the schema it is checked against and the verdict both checkers must give."""

    id: str
    schema: dict[str, Any] | str
    configuration: dict[str, Any]
    verdict: frozenset[tuple[str, str]]
    mentions: tuple[str, ...] = field(default_factory=tuple)


def problems(*pairs: tuple[str, str]) -> frozenset[tuple[str, str]]:
    """The expected (kind, path) problems of a case."""
    return frozenset(pairs)


def schema(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    """A connection-type schema with these properties."""
    node: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": properties, **extra}
    if required:
        node["required"] = required
    return node


PORT = schema({"port": {"type": "integer", "title": "Port"}})
RATIO = schema({"ratio": {"type": "number"}})
SSL = schema({"ssl": {"type": "boolean"}})
HOST = schema({"host": {"type": "string"}})
MODE = schema({"mode": {"type": "string", "enum": ["browser", "api"]}})
AUTH = schema(
    {"auth_method": {"type": "string", "enum": [{"value": "basic", "label": "Basic authentication"}, {"value": "header", "label": "Custom header"}]}}
)
LEVEL = schema({"level": {"type": "integer", "enum": [1, 2]}})
REQUIRED_HOSTS = schema({"hosts": {"type": "string", "title": "Hostname(s)"}, "database": {"type": "string"}}, ["hosts"])
DEFAULTED = schema({"hosts": {"type": "string"}, "mode": {"type": "string", "enum": ["browser", "api"], "default": "browser"}}, ["hosts", "mode"])
FLAGGED = schema(
    {
        "hosts": {"type": "string"},
        "username": {"type": "string", "readOnly": True},
        "oauth_token_expiry": {"type": "string", "hidden": True},
        "oauth_refresh_token": {"type": "string", "hidden": True, "api_field": True, "sensitive": True},
    }
)
NESTED = schema(
    {
        "basic": {
            "type": "object",
            "required": ["user"],
            "properties": {"user": {"type": "string"}, "port": {"type": "integer"}, "token": {"type": "string", "readOnly": True}},
            "additionalProperties": False,
        },
        "options": {"type": "object", "properties": {"retries": {"type": "integer"}}},
    }
)
ARRAYS = schema(
    {
        "tags": {"type": "array", "items": {"type": "string"}},
        "regions": {"type": "array", "items": {"type": "string", "enum": [{"value": "us", "label": "US"}, {"value": "eu", "label": "EU"}]}},
        "query": {
            "type": "array",
            "items": {"type": "object", "properties": {"name": {"type": "string"}, "value": {"type": "string"}}, "additionalProperties": False},
        },
    }
)
NULLABLE = schema({"hosts": {"type": "string"}, "params": {"type": "string"}, "note": {"type": ["string", "null"]}}, ["hosts"])
CLOSED = schema({"hosts": {"type": "string"}}, additionalProperties=False)

CASES: list[Case] = [
    Case("integer accepts 5", PORT, {"port": 5}, VALID),
    Case("integer accepts 5.0 (no fractional part)", PORT, {"port": 5.0}, VALID),
    Case("integer refuses 5.5", PORT, {"port": 5.5}, problems((TYPE, "port")), ("integer",)),
    Case("integer refuses the string '5'", PORT, {"port": "5"}, problems((TYPE, "port")), ("integer", "string")),
    Case("integer refuses true", PORT, {"port": True}, problems((TYPE, "port")), ("integer", "boolean")),
    Case("number accepts 5.5", RATIO, {"ratio": 5.5}, VALID),
    Case("number accepts 5", RATIO, {"ratio": 5}, VALID),
    Case("number refuses the string '5.5'", RATIO, {"ratio": "5.5"}, problems((TYPE, "ratio")), ("number",)),
    Case("number refuses false", RATIO, {"ratio": False}, problems((TYPE, "ratio")), ("number", "boolean")),
    Case("boolean accepts true", SSL, {"ssl": True}, VALID),
    Case("boolean refuses 'yes'", SSL, {"ssl": "yes"}, problems((TYPE, "ssl")), ("boolean",)),
    Case("boolean refuses 1", SSL, {"ssl": 1}, problems((TYPE, "ssl")), ("boolean",)),
    Case("string accepts text", HOST, {"host": "db.example.com"}, VALID),
    Case("string accepts an empty optional string", HOST, {"host": ""}, VALID),
    Case("string refuses 5", HOST, {"host": 5}, problems((TYPE, "host")), ("string", "integer")),
    Case("plain enum accepts a member", MODE, {"mode": "api"}, VALID),
    Case("plain enum refuses others and lists the members", MODE, {"mode": "telepathy"}, problems((ENUM, "mode")), ("browser", "api")),
    Case("value/label enum accepts a value", AUTH, {"auth_method": "header"}, VALID),
    Case("value/label enum refuses a label", AUTH, {"auth_method": "Custom header"}, problems((ENUM, "auth_method")), ("basic", "header")),
    Case("integer enum accepts 2.0", LEVEL, {"level": 2.0}, VALID),
    Case("integer enum refuses true", LEVEL, {"level": True}, problems((TYPE, "level"))),
    Case("missing required field", REQUIRED_HOSTS, {"database": "d"}, problems((MISSING, "hosts")), ("hosts",)),
    Case("null counts as missing for a required field", REQUIRED_HOSTS, {"hosts": None}, problems((MISSING, "hosts"))),
    Case("empty string counts as missing for a required field", REQUIRED_HOSTS, {"hosts": ""}, problems((MISSING, "hosts"))),
    Case("a default satisfies required", DEFAULTED, {"hosts": "h"}, VALID),
    Case("an empty string on a required field with a default", DEFAULTED, {"hosts": "h", "mode": ""}, VALID),
    Case("a sent required-with-default field is still checked", DEFAULTED, {"hosts": "h", "mode": "magic"}, problems((ENUM, "mode"))),
    Case("null for an optional field", NULLABLE, {"hosts": "h", "params": None}, VALID),
    Case("nullable type accepts null", NULLABLE, {"hosts": "h", "note": None}, VALID),
    Case("nullable type refuses a number", NULLABLE, {"hosts": "h", "note": 5}, problems((TYPE, "note")), ("string",)),
    Case("unknown top-level field", REQUIRED_HOSTS, {"hosts": "h", "hostz": "x"}, problems((UNKNOWN, "hostz")), ("hostz",)),
    Case("additionalProperties false refuses an extra field", CLOSED, {"hosts": "h", "extra": 1}, problems((UNKNOWN, "extra"))),
    Case("read-only field may not be set", FLAGGED, {"hosts": "h", "username": "u"}, problems((NOT_SETTABLE, "username"))),
    Case("hidden non-API field may not be set", FLAGGED, {"hosts": "h", "oauth_token_expiry": "x"}, problems((NOT_SETTABLE, "oauth_token_expiry"))),
    Case("hidden API field may be set", FLAGGED, {"hosts": "h", "oauth_refresh_token": "t"}, VALID),
    Case("nested object accepts valid fields", NESTED, {"basic": {"user": "u", "port": 1}, "options": {"retries": 3}}, VALID),
    Case("nested required field", NESTED, {"basic": {"port": 1}}, problems((MISSING, "basic.user"))),
    Case("nested type", NESTED, {"basic": {"user": "u", "port": "1"}}, problems((TYPE, "basic.port"))),
    Case("nested unknown field", NESTED, {"basic": {"user": "u", "usr": "x"}}, problems((UNKNOWN, "basic.usr"))),
    Case("nested object is closed even without additionalProperties", NESTED, {"options": {"retry": 3}}, problems((UNKNOWN, "options.retry"))),
    Case("nested read-only field", NESTED, {"basic": {"user": "u", "token": "t"}}, problems((NOT_SETTABLE, "basic.token"))),
    Case("object refuses a string", NESTED, {"basic": "u:p"}, problems((TYPE, "basic")), ("object",)),
    Case("array items accept strings", ARRAYS, {"tags": ["a", "b"]}, VALID),
    Case("array item type", ARRAYS, {"tags": ["a", 2]}, problems((TYPE, "tags[1]"))),
    Case("array item value/label enum", ARRAYS, {"regions": ["us", "EU"]}, problems((ENUM, "regions[1]")), ("us", "eu")),
    Case("array of objects refuses an unknown key", ARRAYS, {"query": [{"name": "n", "value": "v"}, {"nme": "n"}]}, problems((UNKNOWN, "query[1].nme"))),
    Case("array refuses a string", ARRAYS, {"tags": "a,b"}, problems((TYPE, "tags")), ("array",)),
    Case(
        "every problem at once",
        REQUIRED_HOSTS,
        {"hostz": "x", "database": 5},
        problems((MISSING, "hosts"), (UNKNOWN, "hostz"), (TYPE, "database")),
    ),
    Case("real webhook: value/label enum and nested blocks", "webhook", {"url": "https://example.com/hook", "auth_method": "basic", "basic": {"username": "u", "password": "p"}}, VALID),
    Case("real webhook: label is not a value", "webhook", {"url": "https://example.com/hook", "auth_method": "Basic authentication"}, problems((ENUM, "auth_method")), ("polytomic_secret",)),
    Case("real webhook: nested array item unknown key", "webhook", {"url": "https://example.com/hook", "query": [{"nam": "k"}]}, problems((UNKNOWN, "query[0].nam"))),
    Case("real postgresql: port 5432.0 is an integer", "postgresql", {"hostname": "h", "username": "u", "password": "p", "database": "d", "port": 5432.0}, VALID),
    Case("real postgresql: missing and mistyped", "postgresql", {"hostname": "h", "username": "u", "password": "p", "port": "5432"}, problems((MISSING, "database"), (TYPE, "port"))),
    Case("real salesforce: read-only username", "salesforce", {"domain": "https://example.my.salesforce.com", "username": "me"}, problems((NOT_SETTABLE, "username"))),
]
