"""Result size: the largest result of each list/get tool and resource on a big workspace, twice.

Seeded: 1,000 connections, 5,000 models named "Model 0".."Model 4999" (so `search="Model 3"`
matches 1,111), 1,000 syncs and a target connection with 900 objects of 50 fields each.
Measured once with the sandbox paging its lists (50 per API page) and once answering them
whole, as the real API may. Tokens are estimated as characters/4 of the text content.

    python bench/result_size.py    # just these figures (about a minute)
"""

from __future__ import annotations

import time
from typing import Any

import anyio
from mcp import Client
from mcp_types import TextContent, TextResourceContents

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

BASE = "http://sandbox.polytomic.test"
MONGO = {"hosts": "example.mongodb.net", "username": "user", "password": "pw-secret-1234"}
CONNECTIONS, MODELS, SYNCS = 1000, 5000, 1000
PAGED_LISTS = ("list_connections", "list_models", "list_target_objects", "list_syncs")
MODES = {"paged": True, "unpaged": False}


def seeded(paginate_lists: bool) -> tuple[Sandbox, dict[str, str]]:
    """A sandbox whose empty workspace holds the big workspace, stored directly (no API calls)."""
    sandbox = Sandbox.with_empty_workspace(base_url=BASE)
    sandbox.paginate_lists = paginate_lists
    workspace = sandbox.workspace(EMPTY_API_KEY)
    connections = [
        workspace.add_connection(f"Mongo connection {index:04d}", "mongodb", MONGO).id for index in range(CONNECTIONS)
    ]
    config = {"database": "example", "collection": "users"}
    models = [workspace.add_model(f"Model {index}", connections[index % CONNECTIONS], config).id for index in range(MODELS)]
    target = workspace.add_synthetic_target("Warehouse", objects=900, fields=50)
    target_object = "synthetic.object_0001"
    for index in range(SYNCS):
        workspace.add_sync(
            f"Sync {index:04d}", target={"connection_id": target.id, "object": target_object}, mode="append",
            fields=[{"source": {"model_id": models[index], "field": "email"}, "target": "email"}],
        )
    return sandbox, {"connection": connections[0], "model": models[0], "target": target.id, "object": target_object}


def calls(ids: dict[str, str], sync_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Each tool with the arguments that give its largest result (list tools at their default limit)."""
    return [
        ("list_connection_types", {}),
        ("list_connection_types", {"type": "postgresql"}),
        ("list_connection_types", {"type": "s3"}),
        ("list_connections", {}),
        ("list_connections", {"connection_id": ids["connection"]}),
        ("list_source_objects", {"connection_id": ids["connection"], "params": {"database": "example", "collection": "users"}}),
        ("list_models", {}),
        ("list_models", {"search": "Model 3"}),
        ("list_models", {"model_id": ids["model"], "sample": True}),
        ("list_target_objects", {"connection_id": ids["target"]}),
        ("list_target_objects", {"connection_id": ids["target"], "target_object": ids["object"]}),
        ("list_syncs", {}),
        ("list_syncs", {"search": "Sync 0"}),
        ("list_syncs", {"sync_id": sync_id}),
        ("get_sync_status", {"sync_id": sync_id}),
    ]


async def measure(paginate_lists: bool) -> dict[str, Any]:
    """Estimated tokens of the largest result per tool and resource; items, total and cursor of each list; seeding time."""
    started = time.perf_counter()
    sandbox, ids = seeded(paginate_lists)
    seed_ms = (time.perf_counter() - started) * 1000
    sizes: dict[str, float] = {}
    lists: dict[str, dict[str, Any]] = {}
    async with PolytomicClient(EMPTY_API_KEY, base_url=BASE, transport=sandbox.transport()) as api:
        sync_id = (await api.syncs.list_page(limit=1)).items[0].id
        async with Client(build_server(Settings(sandbox=True), client=api)) as client:
            for name, arguments in calls(ids, sync_id):
                started = time.perf_counter()
                result = await client.call_tool(name, arguments)
                elapsed_ms = (time.perf_counter() - started) * 1000
                first = result.content[0]
                text = first.text if isinstance(first, TextContent) else ""
                if result.is_error:
                    raise RuntimeError(f"{name} failed: {text}")
                sizes[name] = max(sizes.get(name, 0), len(text) / 4)
                if name in PAGED_LISTS:
                    content = result.structured_content or {}
                    shown = next((len(v) for v in content.values() if isinstance(v, list)), 0)
                    label = f"{name}({', '.join(f'{k}={v!r}' for k, v in arguments.items() if k != 'connection_id')})"
                    lists[label] = {
                        "tokens": len(text) / 4, "items": shown, "total": content.get("total"),
                        "next_cursor": bool(content.get("next_cursor")), "ms": elapsed_ms,
                    }
            for uri in ("polytomic://connections", f"polytomic://connections/{ids['connection']}",
                        "polytomic://models", f"polytomic://models/{ids['model']}"):
                contents = (await client.read_resource(uri)).contents[0]
                sizes[uri] = len(contents.text) / 4 if isinstance(contents, TextResourceContents) else 0
    return {"tokens": sizes, "largest": max(sizes.values()), "largest_list": max(v["tokens"] for v in lists.values()),
            "lists": lists, "seed_ms": seed_ms}


async def run() -> dict[str, Any]:
    """Both measurements; ``largest`` is the larger of the two."""
    results: dict[str, Any] = {mode: await measure(paginate) for mode, paginate in MODES.items()}
    results["largest"] = max(results[mode]["largest"] for mode in MODES)
    results["largest_list"] = max(results[mode]["largest_list"] for mode in MODES)
    return results


def rows(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows (measure, value, note): the largest result and every list call, per sandbox mode."""
    table: list[tuple[str, str, str]] = []
    for mode in MODES:
        figures = results[mode]
        tokens = figures["tokens"]
        table.append((
            f"largest result, sandbox {mode} (5,000 models, 1,000 syncs, 900x50 target)",
            f"~{figures['largest']:,.0f} tokens ({max(tokens, key=tokens.get)})", "budget <= 4,000 tokens",
        ))
        table.append((f"seeding that workspace with the sandbox's helpers, sandbox {mode}", f"{figures['seed_ms']:.0f} ms", "no API calls"))
        for label, item in figures["lists"].items():
            table.append((
                f"{label}, sandbox {mode}",
                f"~{item['tokens']:,.0f} tokens, {item['items']} items of {item['total']}, "
                f"next_cursor {'yes' if item['next_cursor'] else 'no'}, {item['ms']:.0f} ms", "",
            ))
    return table


def main() -> None:
    results = anyio.run(run)
    for measure_, value, note in rows(results):
        print(f"{measure_}: {value}" + (f" ({note})" if note else ""))


if __name__ == "__main__":
    main()
