"""The generated MCP Bundle manifest: committed and current, its tools the server's tools, its settings the server's settings."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

import pytest
from mcp import Client

from dev import bundle
from polytomic_mcp.client import DEFAULT_API_VERSION, DEFAULT_BASE_URL
from polytomic_mcp.server.app import build_server
from polytomic_mcp.settings import Settings, SettingsError, load
from polytomic_mcp.tools import load_tools

SPECS = load_tools()


def expand_env(manifest: dict[str, Any], **chosen: object) -> dict[str, str]:
    """The server's environment as Claude Desktop builds it: ``${user_config.x}`` replaced by the chosen or default value."""
    values = {name: chosen.get(name, field["default"]) for name, field in manifest["user_config"].items()}
    env = {}
    for var, template in manifest["server"]["mcp_config"]["env"].items():
        for name, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            template = template.replace(f"${{user_config.{name}}}", text)
        assert "${" not in template, f"{var} keeps an unexpanded placeholder: {template}"
        env[var] = template
    return env


def test_committed_manifest_is_a_uv_bundle_of_this_version() -> None:
    committed = json.loads((bundle.BUNDLE_DIR / "manifest.json").read_text())
    assert committed["version"] == bundle.polytomic_mcp.__version__
    assert committed["server"]["type"] == "uv"


@pytest.mark.anyio
async def test_manifest_tools_are_the_servers_tools_with_their_descriptions() -> None:
    async with Client(build_server(Settings(sandbox=True)), mode="legacy") as client:
        listed = [{"name": tool.name, "description": tool.description} for tool in (await client.list_tools()).tools]
    manifest_tools = json.loads((bundle.BUNDLE_DIR / "manifest.json").read_text())["tools"]
    assert manifest_tools == listed
    assert {tool["name"] for tool in manifest_tools} == set(SPECS)


def test_api_key_is_sensitive_and_read_only_defaults_to_true() -> None:
    config = bundle.manifest()["user_config"]
    assert config["api_key"]["sensitive"] is True
    assert config["read_only"] == {**config["read_only"], "type": "boolean", "default": True}
    assert config["sandbox"]["type"] == "boolean"
    assert all(not field.get("sensitive") for name, field in config.items() if name != "api_key")


def test_defaults_without_a_key_refuse_to_start_rather_than_run_keyless() -> None:
    env = expand_env(bundle.manifest())
    with pytest.raises(SettingsError, match="no API key"):
        load({}, env, frozenset(SPECS))


def test_defaults_with_the_sandbox_start_read_only_on_the_default_api() -> None:
    settings = load({}, expand_env(bundle.manifest(), sandbox=True), frozenset(SPECS))
    assert (settings.sandbox, settings.read_only, settings.api_key) == (True, True, None)
    assert (settings.base_url, settings.api_version) == (DEFAULT_BASE_URL, DEFAULT_API_VERSION)


def test_every_user_config_field_reaches_its_setting() -> None:
    env = expand_env(
        bundle.manifest(), api_key="pk-test", read_only=False, base_url="https://eu.example.com", api_version="2024-02-08"
    )
    settings = load({}, env, frozenset(SPECS))
    assert settings.api_key == "pk-test"
    assert settings.read_only is False
    assert settings.base_url == "https://eu.example.com"
    assert settings.api_version == "2024-02-08"


def test_icon_is_a_512_pixel_rgba_png_with_a_valid_checksum() -> None:
    data = (bundle.BUNDLE_DIR / bundle.ICON_NAME).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    header = data[16 : 16 + length]
    (crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    assert kind == b"IHDR" and crc == zlib.crc32(kind + header)
    assert struct.unpack(">IIBB", header[:10]) == (512, 512, 8, 6)
