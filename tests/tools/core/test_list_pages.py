"""Reading a paged API list is bounded: an API that never stops paging cannot hold a tool call forever."""

from __future__ import annotations

import pytest

from polytomic_mcp.client import AsyncPager, Page
from polytomic_mcp.tools.core.list_pages import MAX_READ_ITEMS, MAX_READ_PAGES, page, read_all

pytestmark = pytest.mark.anyio


def endless(per_page: int) -> tuple[AsyncPager[int], list[str | None]]:
    """A pager over an API that always offers a fresh next page, and the tokens it was asked for."""
    asked: list[str | None] = []

    async def fetch(token: str | None) -> Page[int]:
        asked.append(token)
        start = len(asked) * per_page
        return Page(items=list(range(start, start + per_page)), next_page_token=f"t{len(asked)}")

    return AsyncPager(fetch), asked


async def test_an_endless_api_is_read_up_to_the_page_bound() -> None:
    pager, asked = endless(per_page=1)
    listing = await read_all(pager)
    assert len(asked) == MAX_READ_PAGES and listing.cut and len(listing.items) == MAX_READ_PAGES


async def test_big_api_pages_stop_at_the_item_bound() -> None:
    pager, asked = endless(per_page=7_000)
    listing = await read_all(pager)
    assert len(asked) == 3 and listing.cut and len(listing.items) == 21_000 >= MAX_READ_ITEMS


async def test_one_whole_answer_is_never_cut() -> None:
    async def fetch(token: str | None) -> Page[int]:
        return Page(items=list(range(MAX_READ_ITEMS + 5)), next_page_token=None)

    listing = await read_all(AsyncPager(fetch))
    assert not listing.cut and len(listing.items) == MAX_READ_ITEMS + 5


def test_page_slices_at_the_offset_and_caps_the_size() -> None:
    items = list(range(120))
    first, cursor = page(items, 0, 500)
    assert first == items[:50] and cursor
    last, end = page(items, 100, None)
    assert last == items[100:] and end is None
