"""Counters anonymous callers spend (registrations, authorizations, key checks, document fetches), in the shared state.

Each is a fixed window per client address, plus one for everyone together where a table must stay bounded. A
spent quota refuses the next request instead of evicting an older record: evicting let 10,000 anonymous
registrations push out a legitimate client, and 10,000 anonymous authorizations expire a user's sign-in in
progress. Counters are shared by every replica, so a caller cannot multiply its quota by the replica count.
The caller is the client address of the request (see ``callers``), stored only as a digest.
"""

from __future__ import annotations

from polytomic_mcp.shared_state import SharedState, digest, namespaced

from ..callers import caller


class QuotaExceeded(Exception):
    """The caller (or everyone together) has spent the quota; the message says which."""


def address_key(name: str, address: str) -> str:
    """The counter of ``name`` for one client address (a digest of it: addresses are personal data)."""
    return namespaced("oauth", "quota", name, digest(address)[:32])


class Quota:
    """At most ``per_caller`` new ``what`` per client address and ``total`` in all, per ``window`` seconds."""

    def __init__(self, state: SharedState, what: str, *, per_caller: int, total: int, window: float) -> None:
        self.what = what
        self.per_caller = per_caller
        self.total = total
        self.window = window
        self._state = state
        self._name = what.replace(" ", "-")

    async def spend(self) -> None:
        """Count one for the current caller; ``QuotaExceeded`` when that is one too many (for it, or for everyone)."""
        if await self._state.hit(address_key(self._name, caller.get()), self.window) > self.per_caller:
            raise QuotaExceeded(f"too many {self.what} from this address ({self.per_caller}); try again later")
        if await self._state.hit(namespaced("oauth", "quota", self._name, "all"), self.window) > self.total:
            raise QuotaExceeded(f"too many {self.what} on this server; try again later")


class PerMinute:
    """At most ``limit`` events per caller in each minute (a fixed window from its first event), on every replica."""

    def __init__(self, state: SharedState, name: str, limit: int) -> None:
        self.limit = limit
        self._state = state
        self._name = name

    async def allow(self, who: str) -> bool:
        """Count one event for ``who``; False when that makes more than ``limit`` this minute."""
        return await self._state.hit(address_key(self._name, who), 60) <= self.limit
