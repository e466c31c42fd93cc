"""``polytomic-mcp demo``: the demo workspace's failing sync, then the MongoDB -> Salesforce reference workflow,
through a real MCP session.

Everything runs in this process against the sandbox's demo workspace (seeded with a history): an MCP client calls
the server's tools, a simulated person opens the Salesforce auth_url, and the transcript is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp_types import TextContent

from polytomic_mcp.client import API_2024_02_08, SUPPORTED_API_VERSIONS, mask_configuration
from polytomic_mcp.settings import Settings

from .app import build_server
from .sandbox_backend import new_sandbox, sandbox_client

MAX_SHOWN = 600
MAX_STATUS_READS = 10


class DemoFailed(Exception):
    """A tool call in the demo returned an error."""


def _short(value: Any) -> str:
    """One line of JSON, cut to a readable length."""
    text = json.dumps(value, separators=(", ", ": "), ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


async def _call(client: Client, step: int, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Call a tool, print the call and its compact result, fail on an error result."""
    print(f"\n[{step}] {name}({_short(mask_configuration(arguments))})")
    result = await client.call_tool(name, arguments)
    text = " ".join(c.text for c in result.content if isinstance(c, TextContent))
    if result.is_error:
        print(f"    error: {text}")
        raise DemoFailed(f"{name} failed")
    print(f"    -> {_short(result.structured_content)}")
    return result.structured_content or {}


async def run_demo(api_version: str) -> None:
    """Run the workflow; raises DemoFailed if any step fails."""
    sandbox = new_sandbox()
    settings = Settings(sandbox=True, api_version=api_version)
    async with sandbox_client(settings, sandbox) as api, Client(build_server(settings, client=api)) as mcp:
        print(f"polytomic-mcp demo: MCP protocol {mcp.protocol_version}, Polytomic API {api_version}, sandbox workspace")
        await show_what_failed(mcp)
        mongo = await _call(mcp, 3, "create_connection", {
            "name": "MongoDB Connection", "type": "mongodb",
            "configuration": {"hosts": "example.mongodb.net", "username": "user", "password": "secret"},
        })
        salesforce = await _call(mcp, 4, "create_connection", {
            "name": "Salesforce Connection", "type": "salesforce",
            "configuration": {"domain": "https://example.my.salesforce.com"},
        })
        if salesforce.get("auth_url"):
            print(f"\n    [person] opens {salesforce['auth_url']} and approves access")
            async with httpx2.AsyncClient(transport=sandbox.transport()) as browser:
                await browser.get(salesforce["auth_url"])
        model = await _call(mcp, 5, "create_model", {
            "name": "MongoDB Model", "connection_id": mongo["id"],
            "configuration": {"database": "example", "collection": "users"},
        })
        await _call(mcp, 6, "list_target_objects", {"connection_id": salesforce["id"], "search": "contact"})
        source = {"model_id": model["id"]}
        sync = await _call(mcp, 7, "create_sync", {
            "name": "Mongo to Salesforce Sync", "mode": "create",
            "identity": {"source": {"field": "email", **source}, "target": "Email", "function": "equality"},
            "fields": [
                {"source": {"field": "first_name", **source}, "target": "FirstName"},
                {"source": {"field": "last_name", **source}, "target": "LastName"},
            ],
            "schedule": {"frequency": "continuous"},
            "target": {"connection_id": salesforce["id"], "object": "Contact"},
        })
        await _call(mcp, 8, "start_sync", {"sync_id": sync["id"]})
        await _call(mcp, 9, "get_sync_status", {"sync_id": sync["id"]})
        print("\nMongoDB users are syncing into Salesforce contacts. Next: mirror Salesforce into Snowflake, daily.")
        await replicate_salesforce(mcp, salesforce["id"])
    print("\nDone (sandbox): a model sync (Reverse ETL) and a bulk sync (ELT), set up and run through MCP tools.")


async def show_what_failed(mcp: Client) -> None:
    """The seeded world first: which sync failed last night, and the records it rejected."""
    failing = await _call(mcp, 1, "list_syncs", {"failing": True})
    for sync in failing.get("syncs", [])[:1]:
        runs = await _call(mcp, 2, "get_sync_runs", {"sync_id": sync["id"], "only_failed": True, "limit": 1})
        for run in runs.get("runs", [])[:1]:
            for line in run.get("errors") or []:
                print(f"    why: {line}")
    print("\nThe demo workspace holds a week of runs; the sync above stays failing until its model and mapping are fixed."
          " Next: a new MongoDB -> Salesforce sync.")


async def replicate_salesforce(mcp: Client, salesforce_id: str) -> None:
    """The bulk half: a Snowflake destination, the replication, a run, and its result per schema."""
    snowflake = await _call(mcp, 10, "create_connection", {
        "name": "Snowflake Warehouse", "type": "snowflake",
        "configuration": {"account": "acme-xy12345", "username": "loader", "password": "secret", "dbname": "ANALYTICS"},
    })
    bulk = await _call(mcp, 11, "create_bulk_sync", {
        "name": "Salesforce to Snowflake", "source_connection_id": salesforce_id,
        "destination_connection_id": snowflake["id"], "destination_configuration": {"schema": "SALESFORCE"},
        "mode": "replicate", "schemas": ["Account", "Contact"], "schedule": {"frequency": "daily", "hour": "5", "minute": "0"},
    })
    await _call(mcp, 12, "start_sync", {"sync_id": bulk["id"]})
    status: dict[str, Any] = {}
    for _ in range(MAX_STATUS_READS):
        status = await _call(mcp, 13, "get_sync_status", {"sync_id": bulk["id"]})
        if "current_run" not in status:
            break
    for schema in (status.get("last_run") or {}).get("schemas", []):
        print(f"    {schema['schema']}: {schema.get('status')}, {schema.get('records', 0)} records")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``polytomic-mcp demo``; exit 0 on success."""
    parser = argparse.ArgumentParser(prog="polytomic-mcp demo", description=__doc__.splitlines()[0])
    parser.add_argument("--api-version", default=API_2024_02_08, choices=SUPPORTED_API_VERSIONS)
    args = parser.parse_args(argv)
    try:
        anyio.run(run_demo, args.api_version)
    except DemoFailed as error:
        print(f"\ndemo failed: {error}", file=sys.stderr)
        return 1
    return 0
