"""A checkout or a built wheel runs with one command: ``uvx --from <checkout> polytomic-mcp``, ``pipx run --spec <checkout> polytomic-mcp``.

Each run builds the package in a fresh cache under tmp_path and fetches its dependencies from PyPI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from polytomic_mcp import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _env(tmp_path: Path) -> dict[str, str]:
    """The caller's environment without Polytomic settings, with uv and pipx caches of their own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYTOMIC_")}
    env.update(UV_CACHE_DIR=str(tmp_path / "uv-cache"), UV_TOOL_DIR=str(tmp_path / "uv-tools"), PIPX_HOME=str(tmp_path / "pipx"))
    return env


def test_uvx_from_a_checkout_prints_the_version(tmp_path: Path) -> None:
    run = subprocess.run([str(BIN / "uvx"), "--from", str(ROOT), "polytomic-mcp", "--version"], capture_output=True, text=True, env=_env(tmp_path), timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == f"polytomic-mcp {__version__}\n"


def test_pipx_run_from_a_checkout_prints_the_version(tmp_path: Path) -> None:
    command = [str(BIN / "pipx"), "run", "--no-cache", "--spec", str(ROOT), "polytomic-mcp", "--version"]
    run = subprocess.run(command, capture_output=True, text=True, env=_env(tmp_path), timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == f"polytomic-mcp {__version__}"


@pytest.mark.anyio
async def test_uvx_serves_the_sandbox_over_stdio(tmp_path: Path) -> None:
    params = StdioServerParameters(command=str(BIN / "uvx"), args=["--from", str(ROOT), "polytomic-mcp", "--sandbox"], env=_env(tmp_path))
    async with Client(params) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        assert {"create_connection", "create_sync", "call_api"} <= names
        result = await client.call_tool("list_connection_types", {})
        assert not result.is_error, result.content[0].text


def test_uvx_and_pipx_run_a_built_wheel(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path / "dist")], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("polytomic_mcp-*.whl")
    for command in ([str(BIN / "uvx"), "--from", str(wheel)], [str(BIN / "pipx"), "run", "--no-cache", "--spec", str(wheel)]):
        run = subprocess.run([*command, "polytomic-mcp", "--version"], capture_output=True, text=True, env=_env(tmp_path), timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.strip().splitlines()[-1] == f"polytomic-mcp {__version__}", command[0]
