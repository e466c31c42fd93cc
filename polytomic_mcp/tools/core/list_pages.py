"""Local paging for list tools: read every API page (bounded), filter, then page with an opaque offset cursor.

The API may page a list (models, syncs) or answer it whole; either way a tool filters over
all items and serves at most ``MAX_LIMIT`` of them, with the total and its own cursor (an
offset into the filtered list, never the API's page token), so results stay small and a
search finds matches on any API page.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from polytomic_mcp.client import AsyncPager

from .errors import fail

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 50
API_PAGE_SIZE = 50
"""Items asked of the API per page (its cap)."""
MAX_READ_ITEMS = 20_000
MAX_READ_PAGES = MAX_READ_ITEMS // API_PAGE_SIZE
"""Reading a paged list stops once this many items or API pages are read and more remain; the result says so."""


@dataclass(frozen=True)
class Listing(Generic[T]):
    """Items read from a paged API list; ``cut`` when the bounds stopped the reading before the last page."""

    items: list[T]
    cut: bool


async def read_all(pager: AsyncPager[T]) -> Listing[T]:
    """Every item of every API page, stopping after ``MAX_READ_ITEMS`` items or ``MAX_READ_PAGES`` pages."""
    items: list[T] = []
    pages = 0
    async for api_page in pager.pages():
        items.extend(api_page.items)
        pages += 1
        if api_page.has_next_page and (len(items) >= MAX_READ_ITEMS or pages >= MAX_READ_PAGES):
            return Listing(items, cut=True)
    return Listing(items, cut=False)


def cut_note(kind: str, read: int) -> str:
    """What a result says when its listing was cut after ``read`` items."""
    return (
        f"The list was cut: only the first {read:,} {kind} (newest first) were read and `total` counts matches "
        "among them. Narrow it with `search` or the other filters."
    )


def encode_cursor(offset: int) -> str:
    """An opaque cursor for an offset."""
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The offset in a cursor from ``encode_cursor``; a ToolError for anything else."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        offset = int(value)
        if kind != "o" or offset < 0:
            raise ValueError(raw)
    except (ValueError, UnicodeDecodeError):
        raise fail("Invalid cursor: pass the `next_cursor` value from the previous result unchanged.") from None
    return offset


def page(items: Sequence[T], offset: int, limit: int | None) -> tuple[list[T], str | None]:
    """The slice of ``items`` from ``offset`` (see ``decode_cursor``) and the cursor of the next slice (None at the end)."""
    size = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    chunk = list(items[offset : offset + size])
    following = offset + size
    return chunk, encode_cursor(following) if following < len(items) else None
