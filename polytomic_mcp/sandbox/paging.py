"""Cursor paging: opaque tokens, ``limit`` capped at 50, newest-updated first unless ascending.

``web.listing`` answers a route's list through here, or whole when the sandbox does not page lists.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request

from .errors import bad_request

MAX_LIMIT = 50
DEFAULT_LIMIT = 50
T = TypeVar("T")


def parse_limit(raw: str | None) -> int:
    """Return the page size: default when absent or ≤0, capped at ``MAX_LIMIT``; 400 when not an integer."""
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError as exc:
        raise bad_request(f'limit must be an integer, got "{raw}"') from exc
    return DEFAULT_LIMIT if value <= 0 else min(value, MAX_LIMIT)


def encode_token(position: int) -> str:
    """Encode the last position served as an opaque token."""
    return base64.urlsafe_b64encode(json.dumps({"after": position}).encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    """Decode a token from ``encode_token`` or raise 400."""
    try:
        padded = token + "=" * (-len(token) % 4)
        return int(json.loads(base64.urlsafe_b64decode(padded.encode()))["after"])
    except (ValueError, KeyError, TypeError) as exc:
        raise bad_request("invalid page_token: pass pagination.next_page_token back unchanged") from exc


def paginate(items: list[T], position: Callable[[T], int], request: Request, *, ascending: bool = False) -> tuple[list[T], str]:
    """Return one page of ``items`` (ordered by ``position``) and the next token (``""`` on the last page)."""
    limit = parse_limit(request.query_params.get("limit"))
    ordered = sorted(items, key=position, reverse=not ascending)
    token = request.query_params.get("page_token")
    if token:
        after = decode_token(token)
        ordered = [i for i in ordered if (position(i) > after if ascending else position(i) < after)]
    page = ordered[:limit]
    more = len(ordered) > limit
    return page, encode_token(position(page[-1])) if more else ""


def pagination(next_token: str) -> dict[str, Any]:
    """Return the ``pagination`` member of a paged envelope."""
    return {"next_page_token": next_token}
