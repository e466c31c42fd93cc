"""Local paging for lists the API returns whole: an opaque offset cursor."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TypeVar

from .errors import fail

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 50


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


def page(items: Sequence[T], cursor: str | None, limit: int | None) -> tuple[list[T], str | None]:
    """The slice of ``items`` for this cursor and the cursor of the next slice (None at the end)."""
    offset = decode_cursor(cursor)
    size = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    chunk = list(items[offset : offset + size])
    following = offset + size
    return chunk, encode_cursor(following) if following < len(items) else None
