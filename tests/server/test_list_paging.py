"""List tools page locally over every API page: search finds matches anywhere, results stay bounded.

Each case runs against the sandbox paging its lists (50 per API page) and answering them whole,
as the real API may: the tools must give the same small, cursor-paged results either way.
"""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp_types import TextContent
from server_support import api_client, call_error, call_ok, mcp_session

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox, SeededWorkspace
from polytomic_mcp.tools.core import list_pages as paging

pytestmark = pytest.mark.anyio

PAGING = pytest.mark.parametrize("paginate_lists", [True, False], ids=["api-paged", "api-unpaged"])
POSTGRES = {"hostname": "db.example.com", "username": "polytomic", "password": "pg-s3cret", "database": "acme"}
LIMIT_CHARS = 16_000
"""4,000 tokens at four characters a token: the budget of any list result."""


def seed_models(workspace: SeededWorkspace, count: int, *, needle: bool = False) -> list[str]:
    """``count`` one-field models named "Filler model NNNN", after a "Needle model" when asked; newest first."""
    source = workspace.add_connection("PG", "postgresql", POSTGRES)
    names = (["Needle model"] if needle else []) + [f"Filler model {index:04d}" for index in range(count)]
    ids = [workspace.add_model(name, source.id, {"table": "public.users"}, fields=["email"]).id for name in names]
    return list(reversed(ids))


def seed_syncs(workspace: SeededWorkspace, count: int, *, needle: bool = False) -> list[str]:
    """``count`` syncs named "Filler sync NNNN", after a "Needle sync" when asked; newest first."""
    source = workspace.add_connection("Mongo", "mongodb", {"hosts": "example.mongodb.net"})
    model = workspace.add_model("Sync source", source.id, {"database": "example", "collection": "users"}).id
    target = workspace.add_synthetic_target("Warehouse", objects=1, fields=2)
    names = (["Needle sync"] if needle else []) + [f"Filler sync {index:04d}" for index in range(count)]
    ids = [
        workspace.add_sync(
            name, target={"connection_id": target.id, "object": "synthetic.object_0001"}, mode="append",
            fields=[{"source": {"model_id": model, "field": "email"}, "target": "email"}],
        ).id
        for name in names
    ]
    return list(reversed(ids))


def api_reads(sandbox: Sandbox, path: str) -> int:
    """How many GET requests the sandbox answered on ``path``."""
    return sum(1 for r in sandbox.requests if r.method == "GET" and r.path == path)


async def walk(client: Client, tool: str, key: str, arguments: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Every id a tool lists, following next_cursor to the end, and each page's result."""
    seen: list[str] = []
    pages: list[dict[str, Any]] = []
    cursor = None
    while True:
        result = await call_ok(client, tool, {**arguments, **({"cursor": cursor} if cursor else {})})
        pages.append(result)
        seen += [item["id"] for item in result[key]]
        cursor = result.get("next_cursor")
        if cursor is None:
            return seen, pages


@PAGING
async def test_search_finds_a_model_beyond_the_first_api_page(sandbox: Sandbox, paginate_lists: bool) -> None:
    sandbox.paginate_lists = paginate_lists
    ids = seed_models(sandbox.workspace(EMPTY_API_KEY), 120, needle=True)
    async with mcp_session(sandbox) as client:
        found = await call_ok(client, "list_models", {"search": "NEEDLE"})
    assert [m["id"] for m in found["models"]] == [ids[-1]]
    assert found["total"] == 1 and "next_cursor" not in found and "cut" not in found
    assert api_reads(sandbox, "/api/models") == (3 if paginate_lists else 1)


@PAGING
async def test_search_finds_a_sync_beyond_the_first_api_page(sandbox: Sandbox, paginate_lists: bool) -> None:
    sandbox.paginate_lists = paginate_lists
    ids = seed_syncs(sandbox.workspace(EMPTY_API_KEY), 120, needle=True)
    async with mcp_session(sandbox) as client:
        found = await call_ok(client, "list_syncs", {"search": "needle"})
        inactive = await call_ok(client, "list_syncs", {"search": "needle", "active": False})
    assert [s["id"] for s in found["syncs"]] == [ids[-1]] and found["total"] == 1
    assert [s["id"] for s in inactive["syncs"]] == [ids[-1]]
    assert api_reads(sandbox, "/api/syncs") == (6 if paginate_lists else 2)


@PAGING
async def test_a_search_with_many_matches_pages_through_each_once(sandbox: Sandbox, paginate_lists: bool) -> None:
    sandbox.paginate_lists = paginate_lists
    workspace = sandbox.workspace(EMPTY_API_KEY)
    models = seed_models(workspace, 120, needle=True)
    syncs = seed_syncs(workspace, 120, needle=True)
    async with mcp_session(sandbox) as client:
        seen_models, model_pages = await walk(client, "list_models", "models", {"search": "filler"})
        seen_syncs, sync_pages = await walk(client, "list_syncs", "syncs", {"search": "filler", "limit": 50})
    assert seen_models == models[:-1]
    assert [len(p["models"]) for p in model_pages] == [50, 50, 20] and {p["total"] for p in model_pages} == {120}
    assert seen_syncs == syncs[:-1] and [len(p["syncs"]) for p in sync_pages] == [50, 50, 20]
    assert {p["total"] for p in sync_pages} == {120}


async def test_unpaged_api_with_5000_models_gives_bounded_pages(sandbox: Sandbox) -> None:
    sandbox.paginate_lists = False
    ids = seed_models(sandbox.workspace(EMPTY_API_KEY), 5000)
    async with mcp_session(sandbox) as client:
        seen: list[str] = []
        cursor = None
        for _ in range(3):
            result = await client.call_tool("list_models", {"cursor": cursor} if cursor else {})
            text = result.content[0]
            assert not result.is_error and result.structured_content is not None and isinstance(text, TextContent)
            assert len(text.text) < LIMIT_CHARS
            page = result.structured_content
            assert len(page["models"]) == 50 and page["total"] == 5000 and page["next_cursor"]
            seen += [m["id"] for m in page["models"]]
            cursor = page["next_cursor"]
        search = await call_ok(client, "list_models", {"search": "model 3"})
    assert seen == ids[:150]
    assert search["total"] == 1000 and len(search["models"]) == 50 and search["next_cursor"]


@PAGING
async def test_a_listing_longer_than_the_bound_says_it_was_cut(
    sandbox: Sandbox, paginate_lists: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "MAX_READ_PAGES", 2)
    sandbox.paginate_lists = paginate_lists
    seed_models(sandbox.workspace(EMPTY_API_KEY), 120)
    async with mcp_session(sandbox) as client:
        listed = await call_ok(client, "list_models", {})
    if paginate_lists:
        assert listed["total"] == 100 and "first 100 models" in listed["cut"] and "search" in listed["cut"]
    else:
        assert listed["total"] == 120 and "cut" not in listed


@pytest.mark.parametrize("tool", ["list_models", "list_syncs", "list_connections"])
async def test_a_cursor_that_is_not_ours_is_refused(sandbox: Sandbox, tool: str) -> None:
    """Garbage and the API's own page token (the sandbox's format) are both error results."""
    seed_models(sandbox.workspace(EMPTY_API_KEY), 60)
    async with mcp_session(sandbox) as client:
        for cursor in ("garbage!", "eyJhZnRlciI6IDV9"):
            text = await call_error(client, tool, {"cursor": cursor})
            assert "next_cursor" in text and "unchanged" in text


async def test_bulk_source_schemas_are_searched_and_paged(sandbox: Sandbox) -> None:
    """A source with a thousand tables: a page of 50 with `total` and `next_cursor`, and `search` over all of them."""
    workspace = sandbox.workspace(EMPTY_API_KEY)
    source = workspace.add_connection("PG", "postgresql", POSTGRES).id
    for index in range(1_000):
        workspace.add_source_table(source, f"public.table_{index:04d}", {"id": "integer"})
    async with api_client(sandbox) as api:
        await api.schemas.refresh(source)  # the tool waits for the refresh, then reads the new tables
    async with mcp_session(sandbox) as client:
        pages = [await call_ok(client, "list_source_objects", {"connection_id": source, "bulk": True})]
        while "next_cursor" in pages[-1]:
            pages.append(await call_ok(client, "list_source_objects", {"connection_id": source, "cursor": pages[-1]["next_cursor"]}))
        found = await call_ok(client, "list_source_objects", {"connection_id": source, "search": "TABLE_099"})
    seen = [schema for page in pages for schema in page["schemas"]]
    assert len(pages) == 21 and {len(page["schemas"]) for page in pages[:-1]} == {50} and {page["total"] for page in pages} == {1_003}
    assert len(set(seen)) == 1_003 and "public.table_0999" in seen and "truncated" not in pages[0]
    assert found["schemas"] == [f"public.table_{index:04d}" for index in range(990, 1_000)] and found["total"] == 10
