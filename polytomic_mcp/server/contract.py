"""The server's public contract (tools/list, resources, templates, prompts, instructions) as JSON, the tool manifest and
the output schemas.

Regenerate the committed snapshot, the manifest and the output schemas after a deliberate change
to the tool surface or a result model::

    python -m polytomic_mcp.server.contract --write tests/server/contract.json
    python -m polytomic_mcp.server.contract --write-schemas
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from polytomic_mcp.settings import Settings
from polytomic_mcp.tools import load_tools
from polytomic_mcp.tools._framework import manifest as manifest_module
from polytomic_mcp.tools._framework import output_schemas as output_schemas_module

from .app import build_server


async def collect(settings: Settings | None = None) -> dict[str, Any]:
    """Everything a client can list, in wire form, from an in-memory session on the sandbox."""
    settings = settings or Settings(sandbox=True)
    async with Client(build_server(settings), mode="legacy") as client:
        tools = (await client.list_tools()).tools
        resources = (await client.list_resources()).resources
        templates = (await client.list_resource_templates()).resource_templates
        prompts = (await client.list_prompts()).prompts
        instructions = client.instructions

    def dump(items: list[Any]) -> list[dict[str, Any]]:
        return [item.model_dump(mode="json", by_alias=True, exclude_none=True) for item in items]

    return {
        "instructions": instructions,
        "tools": dump(tools),
        "resources": dump(resources),
        "resourceTemplates": dump(templates),
        "prompts": dump(prompts),
    }


def render(contract: dict[str, Any]) -> str:
    """Stable, diff-friendly JSON text."""
    return json.dumps(contract, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def output_schemas() -> dict[str, dict[str, Any]]:
    """The output schema of every declared tool, generated from its result model."""
    return output_schemas_module.generate({name: spec.declared for name, spec in load_tools().items()})


def manifest() -> dict[str, dict[str, Any]]:
    """The tool manifest (what tools/list says of each tool), generated from the declared tools."""
    return manifest_module.generate(load_tools())


def main() -> None:
    """Print the contract, or write it to a file (``--write PATH``); ``--write-schemas`` refreshes the package's
    tool manifest and precomputed output schemas."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the snapshot to this file")
    parser.add_argument("--write-schemas", action="store_true", help="regenerate the precomputed tool schemas")
    args = parser.parse_args()
    if args.write_schemas:
        output_schemas_module.PATH.write_text(output_schemas_module.render(output_schemas()))
        manifest_module.PATH.write_text(manifest_module.render(manifest()))
        return
    text = render(anyio.run(collect))
    if args.write:
        args.write.write_text(text)
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
