"""Configuration checks against a connection type's JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polytomic_mcp.client.models import ConfigurationSchema
from polytomic_mcp.tools.core.config_check import check_configuration

SCHEMA = ConfigurationSchema.from_json_schema(
    "demo",
    {
        "type": "object",
        "required": ["hosts", "mode", "port"],
        "properties": {
            "hosts": {"type": "string", "title": "Hostname(s)"},
            "password": {"type": "string", "sensitive": True},
            "mode": {"type": "string", "enum": ["browser", "api"], "default": "browser"},
            "port": {"type": "integer"},
            "ssl": {"type": "boolean"},
            "username": {"type": "string", "readOnly": True},
            "oauth_token_expiry": {"type": "string", "hidden": True},
            "oauth_refresh_token": {"type": "string", "hidden": True, "api_field": True},
            "basic": {"type": "object", "required": ["user"], "properties": {"user": {"type": "string"}}},
        },
    },
)


def test_valid_configuration_has_no_problems() -> None:
    assert check_configuration({"hosts": "h", "port": 1, "ssl": True, "oauth_refresh_token": "t"}, SCHEMA) == []


def test_every_problem_is_reported_at_once() -> None:
    problems = check_configuration(
        {"hostz": "h", "mode": "telepathy", "port": "5432", "username": "u", "oauth_token_expiry": "x", "basic": {}},
        SCHEMA,
    )
    text = "\n".join(problems)
    assert "missing required field 'hosts' (Hostname(s))" in text
    assert "unknown field 'hostz' (did you mean 'hosts'?)" in text
    assert "field 'mode' must be one of 'browser', 'api', got 'telepathy'" in text
    assert "field 'port' must be integer, got string" in text
    assert "field 'username' is read-only" in text
    assert "field 'oauth_token_expiry' is read-only" in text
    assert "missing required field 'basic.user'" in text
    assert len(problems) == 7


def test_required_field_with_default_is_satisfied_by_it() -> None:
    assert check_configuration({"hosts": "h", "port": 1}, SCHEMA) == []


def test_booleans_are_not_integers() -> None:
    assert check_configuration({"hosts": "h", "port": True}, SCHEMA) == ["field 'port' must be integer, got boolean"]


@pytest.mark.parametrize(
    ("type_id", "config"),
    [
        ("mongodb", {"hosts": "example.mongodb.net", "username": "user", "password": "secret"}),
        ("salesforce", {"domain": "https://example.my.salesforce.com"}),
        ("postgresql", {"hostname": "h", "username": "u", "password": "p", "database": "d", "port": 5432}),
    ],
)
def test_reference_configurations_pass_the_real_captured_schemas(shared_api: Path, type_id: str, config: dict) -> None:
    raw = json.loads((shared_api / "connection_type_schemas" / f"{type_id}.json").read_text())
    assert check_configuration(config, ConfigurationSchema.from_json_schema(type_id, raw)) == []


def test_real_captured_schema_catches_unknown_and_missing(shared_api: Path) -> None:
    raw = json.loads((shared_api / "connection_type_schemas" / "mysql.json").read_text())
    problems = check_configuration({"hostname": "h", "user": "root"}, ConfigurationSchema.from_json_schema("mysql", raw))
    text = "\n".join(problems)
    assert "missing required field 'account'" in text
    assert "missing required field 'passwd'" in text
    assert "unknown field 'user'" in text


def test_a_schema_jsonschema_cannot_read_leaves_types_to_the_api_but_keeps_polytomic_rules() -> None:
    odd = ConfigurationSchema.from_json_schema(
        "odd", {"type": "object", "properties": {"port": {"type": "decimal"}, "username": {"type": "string", "readOnly": True}}}
    )
    assert check_configuration({"port": "5", "username": "u"}, odd) == ["field 'username' is read-only (Polytomic fills it); remove it"]


def test_integers_follow_json_schema_and_say_so() -> None:
    assert check_configuration({"hosts": "h", "port": 5.0}, SCHEMA) == []
    assert check_configuration({"hosts": "h", "port": 5.5}, SCHEMA) == ["field 'port' must be integer, got number"]
