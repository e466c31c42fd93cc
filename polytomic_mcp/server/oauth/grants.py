"""Each grant (one authorization's tokens) in the shared state: its one live refresh token, or revoked.

One record per grant, ``oauth|grant|<grant id>``: ``live:<digest of the live refresh token id>`` or
``revoked``, kept as long as the grant's longest token (a refresh token's 30 days from its last rotation),
so no caller can flush it: the earlier first-in-first-out tables of used refresh tokens and revoked grants
were flushed by an attacker refreshing its own grant 10,001 times. Rotation is one compare-and-swap, so of
two replicas presented the same refresh token exactly one rotates it and the other sees a reuse and revokes
the grant for every replica. Grants are only made for a key verified on the key page, at most
``PER_TENANT`` per key and refresh-token lifetime (a counter under the key's hash).
"""

from __future__ import annotations

from polytomic_mcp.shared_state import SharedState, digest, namespaced

PER_TENANT = 1_000
"""Grants one Polytomic key may start per refresh-token lifetime (each sign-in of each client is one)."""
REVOKED = "revoked"


class TooManyGrants(Exception):
    """The key already started ``PER_TENANT`` grants in the window."""


def grant_key(grant_id: str) -> str:
    return namespaced("oauth", "grant", grant_id)


def live(refresh_id: str) -> str:
    """The record of a grant whose live refresh token is ``refresh_id`` (its digest only)."""
    return "live:" + digest(refresh_id)


class GrantBook:
    """Grant id -> its live refresh token or ``revoked``; see the module docstring. ``ttl`` values are seconds."""

    def __init__(self, state: SharedState, window: float) -> None:
        """``window``: the refresh-token lifetime, over which a tenant's new grants are counted."""
        self._state = state
        self._window = window

    async def start(self, grant_id: str, tenant: str, refresh_id: str, ttl: float) -> None:
        """A new grant with its first refresh token; ``TooManyGrants`` when the tenant (a ``tenant_hash``) is at its limit."""
        if await self._state.hit(namespaced("oauth", "tenant", tenant, "grants"), self._window) > PER_TENANT:
            raise TooManyGrants(f"this key already started {PER_TENANT} sign-ins in 30 days; revoke some, or wait")
        await self._state.put(grant_key(grant_id), live(refresh_id), ttl)

    async def is_revoked(self, grant_id: str) -> bool:
        return await self._state.get(grant_key(grant_id)) == REVOKED

    async def rotate(self, grant_id: str, used_id: str, new_id: str, ttl: float) -> bool:
        """Replace the grant's live refresh token ``used_id`` by ``new_id``; False (and the grant revoked) when
        ``used_id`` is not the live one: an old token is being reused. A grant the state does not hold (the
        in-process state after a restart) is recorded from here: its token is authentic and unexpired."""
        key = grant_key(grant_id)
        if await self._state.swap(key, live(used_id), live(new_id), ttl):
            return True
        if await self._state.add(key, live(new_id), ttl):
            return True
        if await self._state.get(key) != REVOKED:
            await self.revoke(grant_id, ttl)
        return False

    async def is_live_refresh(self, grant_id: str, refresh_id: str) -> bool:
        """Whether ``refresh_id`` may still be used: the grant's live one (or a grant the state does not hold)."""
        current = await self._state.get(grant_key(grant_id))
        return current is None or current == live(refresh_id)

    async def revoke(self, grant_id: str, ttl: float) -> None:
        """Revoke the grant for ``ttl`` seconds (at least as long as its longest token may live)."""
        await self._state.put(grant_key(grant_id), REVOKED, ttl)
