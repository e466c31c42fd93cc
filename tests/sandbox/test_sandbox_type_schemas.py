"""Connection-type listing and schemas, checked against the captured real schemas when the reference is present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polytomic_mcp.sandbox.schema_adapter import enum_values
from polytomic_mcp.sandbox.type_schemas import CONNECTION_TYPES

pytestmark = pytest.mark.anyio

CAPABILITIES = {
    "mongodb": (True, False),
    "postgresql": (True, True),
    "snowflake": (True, True),
    "bigquery": (True, True),
    "mysql": (True, True),
    "s3": (True, False),
    "salesforce": (True, True),
    "hubspot": (True, True),
    "webhook": (False, True),
}


async def test_type_list_shape(client) -> None:
    r = await client.get("/api/connection_types")
    assert r.status_code == 200
    items = {t["id"]: t for t in r.json()["data"]}
    assert set(CAPABILITIES) <= set(items)
    for type_id, (source, destination) in CAPABILITIES.items():
        item = items[type_id]
        assert item["capabilities"]["source"] is source, type_id
        assert item["capabilities"]["destination"] is destination, type_id
        assert set(item["capabilities"]) == {"source", "destination", "enrichment", "logging", "orchestration"}
        assert {"configurationForm", "initialConfiguration", "envConfig", "use_oauth", "logo_url", "name"} <= set(item)
        assert "jsonschema" in item["configurationForm"] and "uischema" in item["configurationForm"]
    assert items["salesforce"]["use_oauth"] is True and items["hubspot"]["use_oauth"] is True
    assert items["postgresql"]["use_oauth"] is False
    assert items["postgresql"]["initialConfiguration"]["port"] == 5432


async def test_type_schema_is_bare_json_schema(client) -> None:
    r = await client.get("/api/connection_types/salesforce")
    assert r.status_code == 200
    schema = r.json()
    assert "data" not in schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["domain", "connect_mode"]
    assert schema["properties"]["connect_mode"]["default"] == "browser"
    assert schema["properties"]["oauth_refresh_token"] == {"type": "string", "api_field": True, "hidden": True, "sensitive": True}


async def test_unknown_type_schema_is_404(client) -> None:
    r = await client.get("/api/connection_types/mongo")
    assert r.status_code == 404 and r.json()["message"] == 'connection type "mongo" not found'


def _flags(prop: dict) -> dict:
    read_only = bool(prop.get("readOnly") or prop.get("readonly"))
    return {
        "type": prop.get("type"),
        "sensitive": bool(prop.get("sensitive")),
        "readOnly": read_only,
        "hidden": bool(prop.get("hidden")),
        "api_field": bool(prop.get("api_field")),
        "default": prop.get("default"),
        "enum": enum_values(prop),
    }


@pytest.mark.parametrize("type_id", sorted(CAPABILITIES))
def test_schema_is_faithful_to_captured_schema(shared_dir: Path, type_id: str) -> None:
    real = json.loads((shared_dir / "connection_type_schemas" / f"{type_id}.json").read_text())
    ours = CONNECTION_TYPES[type_id].schema
    assert sorted(ours.get("required", [])) == sorted(real.get("required", []))
    assert list(ours["properties"]) == list(real["properties"])
    for name, prop in real["properties"].items():
        assert _flags(ours["properties"][name]) == _flags(prop), f"{type_id}.{name}"
        nested = prop.get("properties") or prop.get("items", {}).get("properties")
        if nested:
            mine = ours["properties"][name].get("properties") or ours["properties"][name]["items"]["properties"]
            assert list(mine) == list(nested), f"{type_id}.{name}"


def test_oauth_flags_match_reference_list(shared_dir: Path) -> None:
    listed = {t["id"]: t for t in json.loads((shared_dir / "connection_type_schemas" / "_connection_types_list.json").read_text())}
    for type_id, ctype in CONNECTION_TYPES.items():
        assert ctype.use_oauth == listed[type_id]["use_oauth"], type_id
        assert ctype.name == listed[type_id]["name"], type_id
