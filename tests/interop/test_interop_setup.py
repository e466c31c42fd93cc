"""The interop toolchain itself: exact pins, a lock file that matches them, and a clear failure (not a skip)
when the npm registry cannot be reached."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from interop_support import NODE_PROJECT, InteropSetupError, ensure_toolchain, find_node, pinned_packages


def test_pins_are_exact_and_locked() -> None:
    packages = pinned_packages()
    assert set(packages) == {"@modelcontextprotocol/inspector-cli", "@modelcontextprotocol/sdk", "@modelcontextprotocol/conformance", "@anthropic-ai/mcpb",
                             "@modelcontextprotocol/ext-apps"}
    lock = json.loads((NODE_PROJECT / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == packages, "package-lock.json is stale: run `npm install --package-lock-only` in tests/interop/node"
    for name, version in packages.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert not (NODE_PROJECT / "node_modules").exists(), "node_modules must not live in the repository"


@pytest.mark.slow
def test_node_is_at_least_22() -> None:
    assert int(find_node().version.split(".")[0]) >= 22


@pytest.mark.slow
def test_unreachable_registry_fails_with_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a loopback port with nothing listening: connections are refused at once
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    monkeypatch.setenv("POLYTOMIC_MCP_INTEROP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("npm_config_registry", f"http://127.0.0.1:{dead}/")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))  # nothing to fall back on
    with pytest.raises(InteropSetupError) as raised:
        ensure_toolchain()
    message = str(raised.value)
    assert "npm registry" in message and "npm ci" in message, message
    for name, version in pinned_packages().items():
        assert f"{name}@{version}" in message
    leftovers = [p.name for p in (tmp_path / "cache").iterdir() if not p.name.endswith(".lock")]
    assert leftovers == [], f"a failed install left {leftovers} behind"
