"""Idempotency-Key handling: per-workspace store of the first completed response, replayed for later requests."""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,255}$")
IN_FLIGHT_BODY = {"status": 409, "message": "a request with this idempotency key is already being processed", "metadata": None}
METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class StoredResponse:
    """A completed response exactly as first sent."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class InFlight:
    """Marker for a key whose first request has not finished yet."""


IN_FLIGHT = InFlight()


class IdempotencyStore:
    """Maps ``(workspace key, Idempotency-Key)`` to the in-flight marker or the stored response (kept until reset)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], StoredResponse | InFlight] = {}

    def lookup(self, scope: str, key: str) -> StoredResponse | InFlight | None:
        """Return the stored response, ``IN_FLIGHT``, or None for a new key."""
        return self._entries.get((scope, key))

    def begin(self, scope: str, key: str) -> None:
        """Lock a new key while its first request runs."""
        self._entries[(scope, key)] = IN_FLIGHT

    def finish(self, scope: str, key: str, response: StoredResponse) -> None:
        """Store the first response for replay."""
        self._entries[(scope, key)] = response

    def release(self, scope: str, key: str) -> None:
        """Unlock a key whose first request was abandoned (e.g. cancelled) so a retry runs it again."""
        self._entries.pop((scope, key), None)

    def clear(self) -> None:
        """Forget every key."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def valid_key(key: str) -> bool:
    """Whether ``key`` has the documented format (8–255 of ``[A-Za-z0-9_-]``)."""
    return bool(KEY_PATTERN.match(key))
