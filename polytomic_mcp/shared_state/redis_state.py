"""The Redis (or Valkey) backend: the state every replica shares, each operation one atomic step on the server.

Markers, records and locks are ``SET NX PX``; a read-and-delete is ``GETDEL``; compare-and-set, owner-checked
release and windowed counting are short Lua scripts. Socket timeouts are short and commands are never retried
(a retried ``INCR`` counts twice): a failure surfaces at once as ``StateUnavailable``, and the next call reconnects.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from .interface import StateUnavailable, holding

SOCKET_TIMEOUT = 1.5
"""Seconds to connect or to wait for one reply: a replica that cannot reach Redis says so quickly."""

SWAP = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0"
RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
HIT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n"

T = TypeVar("T")


def milliseconds(seconds: float) -> int:
    """A time to live in whole milliseconds, at least 1 (``PX 0`` is an error)."""
    return max(1, math.ceil(seconds * 1000))


class RedisState:
    """``SharedState`` in Redis 7 or Valkey at a ``redis://`` or ``rediss://`` URL."""

    backend = "redis"

    def __init__(self, url: str, *, timeout: float = SOCKET_TIMEOUT) -> None:
        self._redis: Redis = Redis.from_url(
            url, decode_responses=True, socket_timeout=timeout, socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0), client_name="polytomic-mcp",
        )
        self._swap = self._redis.register_script(SWAP)
        self._release = self._redis.register_script(RELEASE)
        self._hit = self._redis.register_script(HIT)

    async def _run(self, command: Awaitable[T]) -> T:
        """Await one command; any Redis or socket failure becomes ``StateUnavailable`` naming only its kind."""
        try:
            return await command
        except (RedisError, OSError) as error:
            raise StateUnavailable(f"redis {type(error).__name__}") from None

    async def ping(self) -> None:
        await self._run(self._redis.ping())

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()

    async def claim(self, key: str, ttl: float) -> bool:
        return await self.add(key, "1", ttl)

    async def put(self, key: str, value: str, ttl: float) -> None:
        await self._run(self._redis.set(key, value, px=milliseconds(ttl)))

    async def add(self, key: str, value: str, ttl: float) -> bool:
        return bool(await self._run(self._redis.set(key, value, px=milliseconds(ttl), nx=True)))

    async def get(self, key: str) -> str | None:
        value: Any = await self._run(self._redis.get(key))
        return None if value is None else str(value)

    async def take(self, key: str) -> str | None:
        value: Any = await self._run(self._redis.getdel(key))
        return None if value is None else str(value)

    async def swap(self, key: str, expected: str, value: str, ttl: float) -> bool:
        return bool(await self._run(self._swap(keys=[key], args=[expected, value, milliseconds(ttl)])))

    async def delete(self, key: str) -> None:
        await self._run(self._redis.delete(key))

    async def hit(self, key: str, window: float) -> int:
        return int(await self._run(self._hit(keys=[key], args=[milliseconds(window)])))

    async def acquire(self, name: str, owner: str, ttl: float) -> bool:
        return await self.add(name, owner, ttl)

    async def release(self, name: str, owner: str) -> None:
        await self._run(self._release(keys=[name], args=[owner]))

    def locked(self, name: str, *, ttl: float, wait: float) -> AbstractAsyncContextManager[None]:
        return holding(self, name, ttl=ttl, wait=wait)
