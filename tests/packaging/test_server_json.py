"""server.json for the official MCP registry: the registry's required fields, one version, and environment
variables that exist in ``settings.OPTIONS`` with defaults the server really uses and secrets marked secret.

The registry's schema file is not vendored; ``REGISTRY_RULES`` restates the fields and constraints that
https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json requires of a stdio PyPI package."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from polytomic_mcp import __version__
from polytomic_mcp.settings import OPTIONS, Settings

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json"

REGISTRY_RULES: dict[str, Any] = {
    "type": "object",
    "required": ["$schema", "name", "description", "version", "packages"],
    "properties": {
        "$schema": {"const": SCHEMA_URL},
        "name": {"type": "string", "minLength": 3, "maxLength": 200, "pattern": "^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$"},
        "title": {"type": "string", "minLength": 1, "maxLength": 100},
        "description": {"type": "string", "minLength": 1, "maxLength": 100},
        "version": {"type": "string", "maxLength": 255},
        "packages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["registryType", "identifier", "version", "transport"],
                "properties": {
                    "registryType": {"enum": ["npm", "pypi", "nuget", "oci", "mcpb"]},
                    "identifier": {"type": "string", "minLength": 1},
                    "version": {"type": "string", "minLength": 1, "not": {"const": "latest"}},
                    "runtimeHint": {"type": "string"},
                    "transport": {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["stdio", "streamable-http", "sse"]}}},
                    "environmentVariables": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "description"],
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string"},
                                "description": {"type": "string", "minLength": 1},
                                "isRequired": {"type": "boolean"},
                                "isSecret": {"type": "boolean"},
                                "format": {"enum": ["string", "number", "boolean", "filepath"]},
                                "default": {"type": "string"},
                                "choices": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
    },
}


def _server_json() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "server.json").read_text())
    return loaded


def _variables() -> list[dict[str, Any]]:
    (package,) = _server_json()["packages"]
    variables: list[dict[str, Any]] = package["environmentVariables"]
    return variables


def _secret_envs() -> set[str]:
    """Environment variables of settings the server hides from its own repr: the credentials."""
    hidden = {f.name for f in dataclasses.fields(Settings) if not f.repr}
    return {o.env for o in OPTIONS if o.field in hidden and o.env is not None}


def test_server_json_meets_the_registry_rules() -> None:
    jsonschema.validate(_server_json(), REGISTRY_RULES)


def test_the_rules_reject_what_the_registry_rejects() -> None:
    document = _server_json()
    for broken in (
        {**document, "name": "polytomic-mcp"},
        {**document, "description": "x" * 101},
        {k: v for k, v in document.items() if k != "version"},
        {**document, "packages": [{**document["packages"][0], "version": "latest"}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, REGISTRY_RULES)


def test_versions_equal_the_package_version() -> None:
    document = _server_json()
    assert document["version"] == __version__
    assert [p["version"] for p in document["packages"]] == [__version__]


def test_the_package_is_the_pypi_distribution_over_stdio() -> None:
    (package,) = _server_json()["packages"]
    assert (package["registryType"], package["identifier"], package["transport"]) == ("pypi", "polytomic-mcp", {"type": "stdio"})
    assert 'name = "polytomic-mcp"' in (ROOT / "pyproject.toml").read_text()


def test_every_variable_is_a_setting_and_the_key_is_required_and_secret() -> None:
    known = {o.env for o in OPTIONS if o.env is not None}
    names = [v["name"] for v in _variables()]
    assert sorted(set(names) - known) == []
    assert len(names) == len(set(names))
    secret = {v["name"] for v in _variables() if v.get("isSecret")}
    assert _secret_envs() == {"POLYTOMIC_API_KEY", "POLYTOMIC_OAUTH_SECRET", "POLYTOMIC_STATE_URL"}
    assert secret == _secret_envs() - {"POLYTOMIC_OAUTH_SECRET", "POLYTOMIC_STATE_URL"}, \
        "the stdio package has no use for the HTTP-only OAuth secret or the replicas' shared state (its URL may hold a password)"
    key = next(v for v in _variables() if v["name"] == "POLYTOMIC_API_KEY")
    assert key["isRequired"] is True
    for wanted in ("POLYTOMIC_BASE_URL", "POLYTOMIC_API_VERSION", "POLYTOMIC_READ_ONLY", "POLYTOMIC_TOOLSETS"):
        assert wanted in names


def test_defaults_and_choices_are_what_the_server_parses_to_its_own_defaults() -> None:
    options = {o.env: o for o in OPTIONS}
    defaults = Settings()
    for variable in _variables():
        option = options[variable["name"]]
        if "default" in variable:
            assert option.parse(variable["name"], variable["default"]) == getattr(defaults, option.field), variable["name"]
        for choice in variable.get("choices", []):
            option.parse(variable["name"], choice)
