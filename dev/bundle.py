"""Build the MCP Bundle (.mcpb) for Claude Desktop: ``bundle/manifest.json``, its icon, and a directory ready to pack.

The manifest is generated from the package (version, tool names and descriptions, settings' environment
variables) so it cannot drift from the server; ``python -m dev.regenerate`` rewrites it with the other
generated files. Run from a checkout:

    python -m dev.bundle --stage build/mcpb   # assemble the directory ``mcpb pack`` takes

The bundle uses the manifest's ``uv`` server type: Claude Desktop runs ``uv`` in the unpacked bundle,
which installs the dependencies the bundle's ``pyproject.toml`` declares (pydantic-core and other
compiled wheels for the user's own platform) and runs ``python -m polytomic_mcp`` from the bundled source.
"""

from __future__ import annotations

import argparse
import json
import shutil
import struct
import tomllib
import zlib
from pathlib import Path
from typing import Any

import polytomic_mcp
from polytomic_mcp.client import DEFAULT_API_VERSION, DEFAULT_BASE_URL, SUPPORTED_API_VERSIONS
from polytomic_mcp.settings import OPTIONS
from polytomic_mcp.tools import ToolName
from polytomic_mcp.tools.core.manifest import entries

MANIFEST_VERSION = "0.4"
PACKAGE_DIR = Path(polytomic_mcp.__file__).resolve().parent
REPO = PACKAGE_DIR.parent
BUNDLE_DIR = REPO / "bundle"
ICON_NAME = "icon.png"
ICON_SIZE = 512
ENTRY_POINT = "polytomic_mcp/__main__.py"
SERVER_ARGS = ("python", "-m", "polytomic_mcp")
"""The command uv runs inside the bundle's environment (the working directory is the unpacked bundle)."""

USER_CONFIG: dict[str, dict[str, Any]] = {
    "api_key": {
        "type": "string",
        "title": "Polytomic API key",
        "description": "Organization API key from Polytomic settings. Leave empty only with the sandbox switched on.",
        "sensitive": True,
        "required": False,
        "default": "",
    },
    "read_only": {
        "type": "boolean",
        "title": "Read-only",
        "description": "Expose only tools that do not write to Polytomic. Switch off to let Claude create and change syncs.",
        "required": False,
        "default": True,
    },
    "sandbox": {
        "type": "boolean",
        "title": "Sandbox (no API key needed)",
        "description": "Use a simulated in-memory Polytomic workspace instead of the real API, to try the server safely.",
        "required": False,
        "default": False,
    },
    "base_url": {
        "type": "string",
        "title": "Polytomic API URL",
        "description": f"Change only for a self-hosted or regional Polytomic (default {DEFAULT_BASE_URL}).",
        "required": False,
        "default": DEFAULT_BASE_URL,
    },
    "api_version": {
        "type": "string",
        "title": "Polytomic API version",
        "description": f"One of {', '.join(SUPPORTED_API_VERSIONS)}.",
        "required": False,
        "default": DEFAULT_API_VERSION,
    },
}
"""Install-time settings. Every field has a default so that ``${user_config.x}`` always expands to a value the
settings parser accepts (an empty key means "no key"; the server then refuses to start unless the sandbox is on)."""


def env_var(field: str) -> str:
    """The environment variable the server reads for a setting field (from ``settings.OPTIONS``)."""
    for option in OPTIONS:
        if option.field == field and option.env:
            return option.env
    raise KeyError(f"no environment variable for setting {field!r}")


def tool_entries() -> list[dict[str, str]]:
    """Every tool the server can expose, in the server's order, with its model-facing description."""
    manifest = entries()
    return [{"name": name.value, "description": manifest[name.value].description} for name in ToolName]


def project_metadata() -> dict[str, Any]:
    """The ``[project]`` table of the repository's pyproject.toml."""
    with (REPO / "pyproject.toml").open("rb") as handle:
        project: dict[str, Any] = tomllib.load(handle)["project"]
    return project


def manifest() -> dict[str, Any]:
    """The bundle's manifest.json content."""
    project = project_metadata()
    return {
        "$schema": f"https://raw.githubusercontent.com/anthropics/mcpb/main/schemas/mcpb-manifest-v{MANIFEST_VERSION}.schema.json",
        "manifest_version": MANIFEST_VERSION,
        "name": "polytomic-mcp",
        "display_name": "Polytomic",
        "version": polytomic_mcp.__version__,
        "description": project["description"],
        "author": {"name": "polytomic-mcp contributors"},
        "license": project["license"],
        "icon": ICON_NAME,
        "keywords": ["polytomic", "etl", "reverse-etl", "data-pipelines"],
        "server": {
            "type": "uv",
            "entry_point": ENTRY_POINT,
            "mcp_config": {
                "command": "uv",
                "args": ["run", "--quiet", "--directory", "${__dirname}", *SERVER_ARGS],
                "env": {env_var(field): f"${{user_config.{field}}}" for field in USER_CONFIG},
            },
        },
        "tools": tool_entries(),
        "user_config": USER_CONFIG,
        "compatibility": {"platforms": ["darwin", "win32", "linux"], "runtimes": {"python": project["requires-python"]}},
    }


def bundle_pyproject() -> str:
    """The pyproject.toml uv reads in the bundle: the package's dependencies, nothing to build (``package = false``)."""
    project = project_metadata()
    dependencies = "".join(f"    {json.dumps(dep)},\n" for dep in project["dependencies"])
    return (
        "[project]\n"
        f'name = "{project["name"]}-bundle"\n'
        f'version = "{polytomic_mcp.__version__}"\n'
        f'requires-python = "{project["requires-python"]}"\n'
        f"dependencies = [\n{dependencies}]\n\n"
        "[tool.uv]\npackage = false\n"
    )


def icon_png(size: int = ICON_SIZE) -> bytes:
    """A small PNG drawn with the standard library: three white pipeline bars on a teal rounded square."""
    radius = size // 6
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type: none
        for x in range(size):
            dx = max(radius - x, x - (size - 1 - radius), 0)
            dy = max(radius - y, y - (size - 1 - radius), 0)
            inside = dx * dx + dy * dy <= radius * radius
            bar = any(abs(y - centre) <= size // 20 for centre in (size * 3 // 10, size // 2, size * 7 // 10))
            bar = bar and size // 5 <= x < size - size // 5
            if not inside:
                row += bytes((0, 0, 0, 0))
            elif bar:
                row += bytes((255, 255, 255, 255))
            else:
                row += bytes((15, 118, 110, 255))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


def render_manifest() -> str:
    """manifest.json as committed: stable, indented JSON."""
    return json.dumps(manifest(), indent=2, ensure_ascii=False) + "\n"


def stage(target: Path) -> Path:
    """Assemble the directory ``mcpb pack`` packs: manifest, icon, bundle pyproject and the package source."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "manifest.json").write_text(render_manifest())
    (target / ICON_NAME).write_bytes(icon_png())
    (target / "pyproject.toml").write_text(bundle_pyproject())
    shutil.copy2(REPO / "README.md", target / "README.md")
    shutil.copytree(PACKAGE_DIR, target / PACKAGE_DIR.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--stage DIR`` assembles the directory to pack (the committed files are ``dev.regenerate``'s)."""
    parser = argparse.ArgumentParser(prog="python -m dev.bundle", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stage", type=Path, metavar="DIR", required=True, help="assemble DIR for `mcpb pack DIR`")
    args = parser.parse_args(argv)
    print(stage(args.stage))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
