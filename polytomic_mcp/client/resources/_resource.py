"""Base of the per-resource API modules: a handle on the shared request pipeline."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .._http import HTTPCore, QueryParams, unwrap


def segment(value: str) -> str:
    """Quote an id for use as one path segment (ids come from users and agents)."""
    return quote(str(value), safe="")


class Resource:
    """Shared helpers for resource modules."""

    def __init__(self, core: HTTPCore) -> None:
        self._core = core

    @property
    def api_version(self) -> str:
        """The pinned ``X-Polytomic-Version``."""
        return self._core.api_version

    async def _data(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams = None,
        json: Any = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """Send a request and return the ``data`` member of its envelope."""
        body = await self._core.request(method, path, params=params, json=json, idempotency_key=idempotency_key)
        return unwrap(body, method, path)

    async def _raw(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams = None,
        json: Any = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """Send a request and return the whole decoded body."""
        return await self._core.request(method, path, params=params, json=json, idempotency_key=idempotency_key)
