"""The catalog is data read on first use: importing the package reads nothing and loads no SDK, mcp or HTTP stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from polytomic_mcp.catalog import load


@pytest.mark.slow
def test_importing_the_catalog_reads_no_file_and_loads_neither_the_sdk_nor_mcp_nor_http() -> None:
    code = (
        "import json, sys\n"
        "import polytomic_mcp.catalog as catalog\n"
        "before = catalog.load.cache_info().misses\n"
        "catalog.search('list webhooks'); catalog.build_request('GET /api/webhooks')\n"
        "after = catalog.load.cache_info()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('polytomic', 'mcp', 'httpx', 'httpx2', 'httpcore'))\n"
        "print(json.dumps([before, after.misses, after.hits > 0, heavy]))\n"
    )
    before, misses, hit, heavy = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    assert before == 0, "importing the package read operations.json"
    assert misses == 1, "the file is read once"
    assert hit
    assert heavy == []


def test_load_returns_the_same_operations_every_time() -> None:
    assert load() is load()


@pytest.mark.slow
def test_starting_the_server_loads_neither_the_catalog_nor_jsonschema_until_first_use() -> None:
    code = (
        "import json, sys\n"
        "from polytomic_mcp.server import build_server\n"
        "from polytomic_mcp.settings import Settings\n"
        "build_server(Settings(sandbox=True))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('polytomic_mcp.catalog', 'jsonschema')))))\n"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    assert loaded == [], "cold start pays for the catalog or jsonschema before any tool needs them"


@pytest.mark.slow
def test_starting_the_server_and_listing_tools_imports_no_tool_family_until_a_call() -> None:
    """Tools are served from the manifest: listing them loads no family or result view; the first call loads them."""
    code = (
        "import anyio, json, sys\n"
        "from mcp import Client\n"
        "from polytomic_mcp.server import build_server\n"
        "from polytomic_mcp.settings import Settings\n"
        "families = ('polytomic_mcp.tools.syncs.tools', 'polytomic_mcp.tools.api.tools', 'polytomic_mcp.tools.connections.views')\n"
        "async def main():\n"
        "    async with Client(build_server(Settings(sandbox=True))) as client:\n"
        "        listed = len((await client.list_tools()).tools)\n"
        "        before = sorted(m for m in families if m in sys.modules)\n"
        "        await client.call_tool('list_connections', {})\n"
        "        after = sorted(m for m in families if m in sys.modules)\n"
        "    print(json.dumps([listed, before, after]))\n"
        "anyio.run(main)\n"
    )
    listed, before, after = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    assert listed == 21
    assert before == [], "listing tools imported tool modules (cold start pays for them)"
    assert len(after) == 3
