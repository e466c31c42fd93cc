"""Result size: the largest result of each list/get tool and resource on a big workspace.

Seeded: 1,000 connections, 1,000 models, 100 syncs and a target connection with 900
objects of 50 fields each. Tokens are estimated as characters/4 of the text content.
"""

from __future__ import annotations

from typing import Any

from mcp import Client

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import DEMO_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

BASE = "http://sandbox.polytomic.test"
MONGO = {"hosts": "example.mongodb.net", "username": "user", "password": "pw-secret-1234"}


def seeded() -> tuple[Sandbox, dict[str, str]]:
    sandbox = Sandbox.with_demo_workspace(base_url=BASE)
    workspace = sandbox.workspace(DEMO_API_KEY)
    ids: dict[str, str] = {}
    for index in range(1000):
        connection = workspace.add_connection(f"Mongo connection {index:04d}", "mongodb", MONGO)
        model = workspace.add_model(f"Users model {index:04d}", connection["id"], {"database": "example", "collection": "users"})
        ids.setdefault("connection", connection["id"])
        ids.setdefault("model", model["id"])
    target = workspace.add_synthetic_target("Warehouse", objects=900, fields=50)
    ids["target"] = target["id"]
    return sandbox, ids


async def run() -> dict[str, Any]:
    """Estimated tokens of the largest result per tool and resource, and whether lists say how to page."""
    sandbox, ids = seeded()
    sizes: dict[str, float] = {}
    paging: dict[str, bool] = {}
    async with PolytomicClient(DEMO_API_KEY, base_url=BASE, transport=sandbox.transport()) as api:
        objects = (await api.targets.list_objects(ids["target"])).objects
        target_object = objects[0].id
        model_fields = [f.name for f in (await api.models.get(ids["model"])).fields]
        for index in range(100):
            await api.syncs.create(_sync(f"Sync {index:03d}", ids, target_object, model_fields))
        sync_id = (await api.syncs.list_page(limit=1)).items[0].id
        calls: list[tuple[str, dict[str, Any]]] = [
            ("list_connection_types", {}),
            ("get_connection_type", {"type": "postgresql"}),
            ("get_connection_type", {"type": "s3"}),
            ("list_connections", {"limit": 50}),
            ("get_connection", {"connection_id": ids["connection"]}),
            ("list_source_objects", {"connection_id": ids["connection"], "params": {"database": "example", "collection": "users"}}),
            ("list_models", {"limit": 50}),
            ("get_model", {"model_id": ids["model"], "sample": True}),
            ("list_target_objects", {"connection_id": ids["target"], "limit": 50}),
            ("get_target_fields", {"connection_id": ids["target"], "target_object": target_object}),
            ("list_syncs", {"limit": 50}),
            ("get_sync", {"sync_id": sync_id}),
            ("get_sync_status", {"sync_id": sync_id}),
        ]
        async with Client(build_server(Settings(sandbox=True), client=api)) as client:
            for name, arguments in calls:
                result = await client.call_tool(name, arguments)
                if result.is_error:
                    raise RuntimeError(f"{name} failed: {result.content[0].text}")
                text = result.content[0].text
                sizes[name] = max(sizes.get(name, 0), len(text) / 4)
                if name.startswith("list_") and name not in {"list_source_objects", "list_connection_types"}:
                    paging[name] = bool((result.structured_content or {}).get("next_cursor"))
            for uri in ("polytomic://connections", f"polytomic://connections/{ids['connection']}",
                        "polytomic://models", f"polytomic://models/{ids['model']}"):
                contents = (await client.read_resource(uri)).contents[0]
                sizes[uri] = len(contents.text) / 4
    return {"tokens": sizes, "largest": max(sizes.values()), "lists_page": paging}


def _sync(name: str, ids: dict[str, str], target_object: str, model_fields: list[str]) -> Any:
    from polytomic_mcp.client.models import SyncRequest

    return SyncRequest.model_validate({
        "name": name, "mode": "append", "target": {"connection_id": ids["target"], "object": target_object},
        "fields": [{"source": {"model_id": ids["model"], "field": "email"}, "target": "email"}],
        "schedule": {"frequency": "manual"},
    })
