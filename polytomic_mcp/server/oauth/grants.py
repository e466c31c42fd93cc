"""What this process remembers of each grant (one authorization's tokens): revoked or not, and its one live refresh token.

A grant's entry lives exactly as long as its longest token and nothing else can remove it: the
earlier first-in-first-out tables of used refresh tokens and revoked grants (10,000 entries each)
were flushed by an attacker refreshing its own grant 10,001 times, after which a stolen, rotated
refresh token and a revoked grant worked again. Keeping the current refresh token id per grant
detects a reuse exactly, in one entry per grant. Grants are only made for a key verified on the key
page, at most ``PER_TENANT`` live ones per key. A restart forgets all of it (README): tokens of a
grant the process no longer knows are accepted until they expire, as on a replica that never saw it.
"""

from __future__ import annotations

import heapq
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

PER_TENANT = 1_000
"""Live grants one Polytomic key may hold in this process (each sign-in of each client is one)."""


class TooManyGrants(Exception):
    """The key already holds ``PER_TENANT`` live grants."""


@dataclass
class GrantState:
    tenant: str
    refresh_id: str
    expires_at: float
    revoked: bool = False


class GrantBook:
    """Grant id -> its state, each until it expires; see the module docstring."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._grants: dict[str, GrantState] = {}
        self._per_tenant: Counter[str] = Counter()
        self._expiries: list[tuple[float, str]] = []

    def start(self, grant_id: str, tenant: str, refresh_id: str, expires_at: float) -> None:
        """A new grant with its first refresh token; ``TooManyGrants`` when the tenant is at its limit."""
        self._drop_expired()
        if self._per_tenant[tenant] >= PER_TENANT:
            raise TooManyGrants(f"this key already has {PER_TENANT} active sign-ins here; revoke some first")
        self._add(grant_id, GrantState(tenant, refresh_id, expires_at))

    def is_revoked(self, grant_id: str) -> bool:
        state = self._live(grant_id)
        return state is not None and state.revoked

    def rotate(self, grant_id: str, used_id: str, new_id: str, tenant: str, expires_at: float) -> bool:
        """Replace the grant's live refresh token ``used_id`` by ``new_id``; False (and the grant revoked) when
        ``used_id`` is not the live one: an old token is being reused. A grant this process does not know (issued
        before a restart, or by another replica) is recorded from here, outside the new-grant limit: it exists."""
        state = self._live(grant_id)
        if state is None:
            self._drop_expired()
            self._add(grant_id, GrantState(tenant, new_id, expires_at))
            return True
        if state.revoked:
            return False
        if state.refresh_id != used_id:
            state.revoked = True
            return False
        state.refresh_id = new_id
        self._extend(grant_id, state, expires_at)
        return True

    def is_live_refresh(self, grant_id: str, refresh_id: str) -> bool:
        """Whether ``refresh_id`` may still be used: the grant's live one (or a grant this process does not know)."""
        state = self._live(grant_id)
        return state is None or (not state.revoked and state.refresh_id == refresh_id)

    def revoke(self, grant_id: str, tenant: str, expires_at: float) -> None:
        """Revoke the grant until ``expires_at`` at least (a grant not known here is recorded as revoked)."""
        state = self._live(grant_id)
        if state is None:
            self._drop_expired()
            state = self._add(grant_id, GrantState(tenant, "", expires_at))
        state.revoked = True
        self._extend(grant_id, state, expires_at)

    def __len__(self) -> int:
        self._drop_expired()
        return len(self._grants)

    def _live(self, grant_id: str) -> GrantState | None:
        state = self._grants.get(grant_id)
        return state if state is not None and state.expires_at > self._clock() else None

    def _add(self, grant_id: str, state: GrantState) -> GrantState:
        self._grants[grant_id] = state
        self._per_tenant[state.tenant] += 1
        heapq.heappush(self._expiries, (state.expires_at, grant_id))
        return state

    def _extend(self, grant_id: str, state: GrantState, expires_at: float) -> None:
        if expires_at > state.expires_at:
            state.expires_at = expires_at
            heapq.heappush(self._expiries, (expires_at, grant_id))

    def _drop_expired(self) -> None:
        now = self._clock()
        while self._expiries and self._expiries[0][0] <= now:
            expires_at, grant_id = heapq.heappop(self._expiries)
            state = self._grants.get(grant_id)
            if state is not None and state.expires_at == expires_at:
                del self._grants[grant_id]
                self._per_tenant[state.tenant] -= 1
                if self._per_tenant[state.tenant] <= 0:
                    del self._per_tenant[state.tenant]
