"""The MCP Bundle validates and packs with the official ``mcpb`` CLI, and the packed bundle's server command starts
the bundled server over stdio and lists the tools the manifest declares."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from interop_support import Toolchain, run_process

from dev import bundle
from polytomic_mcp.tools import load_tools

SPECS = load_tools()

pytestmark = pytest.mark.slow

MESSAGES = [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bundle-test", "version": "1"}}},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]
SERVER_TIMEOUT = 60.0


def mcpb(toolchain: Toolchain, *args: str | Path, cwd: Path) -> str:
    """Run the pinned ``mcpb`` CLI; fail with its output unless it exits 0."""
    result = run_process([toolchain.node.node, toolchain.mcpb_cli, *args], cwd=cwd, env=toolchain.node.env, timeout=120)
    assert not result.timed_out and result.returncode == 0, f"mcpb {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def server_env(manifest: dict[str, Any], **chosen: object) -> dict[str, str]:
    """A clean environment plus the manifest's env with ``${user_config.x}`` expanded as Claude Desktop does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYTOMIC_") and k != "PYTHONPATH"}
    for var, template in manifest["server"]["mcp_config"]["env"].items():
        for name, field in manifest["user_config"].items():
            value = chosen.get(name, field["default"])
            template = template.replace(f"${{user_config.{name}}}", str(value).lower() if isinstance(value, bool) else str(value))
        env[var] = template
    return env


def bundled_command(manifest: dict[str, Any]) -> list[str]:
    """What ``uv run --directory ${__dirname}`` runs, with this test's Python standing in for the uv environment's."""
    args = manifest["server"]["mcp_config"]["args"]
    assert manifest["server"]["mcp_config"]["command"] == "uv" and args[:2] == ["run", "--quiet"]
    assert args[2:4] == ["--directory", "${__dirname}"]
    command = args[4:]
    assert command[0] == "python"
    return [sys.executable, *command[1:]]


def list_tools_over_stdio(command: list[str], cwd: Path, env: dict[str, str]) -> list[str]:
    """Spawn the server, send initialize + tools/list, return the listed tool names."""
    with (cwd / "server-stderr.log").open("w+") as stderr, subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True
    ) as process:
        timer = threading.Timer(SERVER_TIMEOUT, process.kill)
        timer.start()
        try:
            assert process.stdin and process.stdout
            process.stdin.write("".join(json.dumps(m) + "\n" for m in MESSAGES))
            process.stdin.flush()
            for line in process.stdout:
                message = json.loads(line)
                if message.get("id") == 2:
                    return [tool["name"] for tool in message["result"]["tools"]]
            stderr.seek(0)
            raise AssertionError(f"no tools/list answer from {command}; stderr:\n{stderr.read()[-3000:]}")
        finally:
            timer.cancel()
            process.terminate()
            process.wait(timeout=10)


def test_bundle_validates_packs_and_its_server_command_lists_the_tools(toolchain: Toolchain, tmp_path: Path) -> None:
    manifest_path = bundle.BUNDLE_DIR / "manifest.json"
    assert "passes" in mcpb(toolchain, "validate", manifest_path, cwd=tmp_path)

    staged = bundle.stage(tmp_path / "stage")
    packed = tmp_path / "polytomic-mcp.mcpb"
    mcpb(toolchain, "pack", staged, packed, cwd=tmp_path)

    with zipfile.ZipFile(packed) as archive:
        names = set(archive.namelist())
        assert {"manifest.json", "icon.png", "pyproject.toml", "polytomic_mcp/__main__.py", "polytomic_mcp/server/app.py"} <= names
        assert {f"polytomic_mcp/tools/{spec.family.rsplit('.', 1)[-1]}/descriptions/{name}.md" for name, spec in SPECS.items()} <= names
        assert not any("__pycache__" in name for name in names)
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest == json.loads(manifest_path.read_text())
        assert manifest["server"]["entry_point"] in names
        unpacked = tmp_path / "unpacked"
        archive.extractall(unpacked)

    imported = subprocess.run(
        [sys.executable, "-c", "import polytomic_mcp; print(polytomic_mcp.__file__)"],
        cwd=unpacked, env=server_env(manifest), capture_output=True, text=True, timeout=60, check=True,
    )
    assert Path(imported.stdout.strip()).resolve().is_relative_to(unpacked.resolve()), "the bundled source must be what runs"

    command = bundled_command(manifest)
    every_tool = list_tools_over_stdio(command, unpacked, server_env(manifest, sandbox=True, read_only=False))
    assert every_tool == [tool["name"] for tool in manifest["tools"]]
    first_run = list_tools_over_stdio(command, unpacked, server_env(manifest, sandbox=True))
    assert first_run == [name for name in every_tool if SPECS[name].kept_in_read_only_mode]
    assert len(first_run) < len(every_tool)


def test_the_bundle_runs_under_real_uv_with_the_dependencies_it_declares(toolchain: Toolchain, tmp_path: Path) -> None:
    """Claude Desktop's own command, ``uv run --directory <bundle>``: uv installs the declared dependencies from PyPI
    into an environment of its own (this machine's Python, no interpreter download) and the server lists its tools."""
    uv = Path(sys.executable).with_name("uv")
    assert uv.exists(), "uv comes with the test extra"
    staged = bundle.stage(tmp_path / "stage")
    packed = tmp_path / "polytomic-mcp.mcpb"
    mcpb(toolchain, "pack", staged, packed, cwd=tmp_path)
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(packed) as archive:
        archive.extractall(unpacked)
    manifest = json.loads((unpacked / "manifest.json").read_text())
    config = manifest["server"]["mcp_config"]
    command = [str(uv), *(arg.replace("${__dirname}", str(unpacked)) for arg in config["args"])]
    env = server_env(manifest, sandbox=True, read_only=False)
    env.update(UV_CACHE_DIR=str(tmp_path / "uv-cache"), UV_PYTHON=sys.executable, UV_PYTHON_DOWNLOADS="never",
               VIRTUAL_ENV="", UV_PROJECT_ENVIRONMENT=str(tmp_path / "bundle-env"))
    assert list_tools_over_stdio(command, tmp_path, env) == [tool["name"] for tool in manifest["tools"]]
