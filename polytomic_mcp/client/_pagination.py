"""Cursor pages (``page_token`` / ``pagination.next_page_token``) and an async iterator over them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from ._exceptions import ResponseParseError
from ._parse import parse_list

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; ``next_page_token`` is empty on the last page."""

    items: list[T]
    next_page_token: str | None = None

    @property
    def has_next_page(self) -> bool:
        """Whether another page can be fetched."""
        return bool(self.next_page_token)


class AsyncPager(Generic[T]):
    """Iterate items across pages: ``async for sync in client.syncs.list(): ...``."""

    def __init__(self, fetch: Callable[[str | None], Awaitable[Page[T]]]) -> None:
        self._fetch = fetch

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield each page in turn, following the cursor until it runs out."""
        token: str | None = None
        seen: set[str] = set()
        while True:
            page = await self._fetch(token)
            yield page
            if not page.has_next_page or page.next_page_token in seen:
                return
            token = page.next_page_token
            seen.add(token or "")

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def to_list(self) -> list[T]:
        """Every item of every page."""
        return [item async for item in self]


def page_from_body(model: Any, body: Any, where: str) -> Page[Any]:
    """A Page from ``{"data": [...], "pagination": {"next_page_token"}}`` (pagination optional)."""
    if not isinstance(body, dict) or "data" not in body:
        raise ResponseParseError(f"{where}: no `data` envelope")
    token = (body.get("pagination") or {}).get("next_page_token") or None
    return Page(items=parse_list(model, body["data"], where), next_page_token=token)
