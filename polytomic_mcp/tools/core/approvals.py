"""Pending yeses: consent tokens the assistant relays and approval links the person opens, single use, bound.

A token is bound to the tenant, the tool, a digest of the exact request and a digest of the facts the
question showed; it expires after ``ttl`` seconds and is used once. An approval link carries a separate
id (the token never appears in a URL) and is decided on the approval page of any replica. Records live in
the shared state under the tenant's namespace, keyed by a digest of the token (the link id is kept only as
a digest too); every change of state is a compare-and-swap, so a yes is used once across replicas.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from polytomic_mcp.shared_state import MemoryState, SharedState, namespaced
from polytomic_mcp.shared_state import digest as digest_of

CONSENT_TTL = 600.0
"""Seconds a relayed token or an approval link stays valid."""
MAX_PENDING = 10_000
State = Literal["pending", "approved", "declined", "used"]


def digest(value: Any) -> str:
    """A stable SHA-256 of a JSON value (keys sorted), for binding a yes to a request or to facts."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class PendingConsent:
    """One question waiting for a yes: relayed by the assistant (``by_link`` false) or decided on the page.

    ``token`` and ``link_id`` are known only to the replica that issued them (in its answer); an entry read
    back from the state has them empty and carries ``key``, the state key of its record.
    """

    key: str
    tenant: str
    tool: str
    request: str
    facts: str
    title: str
    question: str
    by_link: bool
    expires_at: float
    state: State = "pending"
    token: str = field(default="", compare=False)
    link_id: str = field(default="", compare=False)

    def record(self) -> str:
        """The stored form: everything but the token and link id."""
        return json.dumps({k: v for k, v in asdict(self).items() if k not in ("token", "link_id")}, sort_keys=True)

    @classmethod
    def stored(cls, text: str) -> PendingConsent:
        return cls(**json.loads(text))


class ConsentRefused(Exception):
    """A token that cannot be used; the message says why, in words for the model."""


def _link_key(link_id: str) -> str:
    return namespaced("consent-link", digest_of(link_id))


@dataclass
class ConsentStore:
    """Every pending yes, in the shared state (shared by tenants; the page finds a link without knowing the tenant).

    ``clock`` is wall time so replicas agree on when a link expires (shown on the page); the state's own
    time to live is what ends a record. Each method may raise ``StateUnavailable``.
    """

    state: SharedState = field(default_factory=MemoryState)
    ttl: float = CONSENT_TTL
    clock: Callable[[], float] = time.time

    def _left(self, pending: PendingConsent) -> float:
        return max(0.001, pending.expires_at - self.clock())

    async def issue(self, *, tenant: str, tool: str, request: str, facts: str, title: str, question: str,
                    by_link: bool) -> PendingConsent:
        """A new pending yes for this exact request and these facts."""
        token, link_id = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        pending = PendingConsent(
            key=namespaced("t", tenant, "consent", digest_of(token)), tenant=tenant, tool=tool, request=request,
            facts=facts, title=title, question=question, by_link=by_link, expires_at=self.clock() + self.ttl,
            token=token, link_id=link_id,
        )
        await self.state.put(pending.key, pending.record(), self.ttl)
        if by_link:
            await self.state.put(_link_key(link_id), pending.key, self.ttl)
        return pending

    async def _read(self, key: str) -> PendingConsent | None:
        text = await self.state.get(key)
        return PendingConsent.stored(text) if text is not None else None

    async def by_link(self, link_id: str) -> PendingConsent | None:
        """The live pending yes behind an approval link, or None."""
        key = await self.state.get(_link_key(link_id))
        return await self._read(key) if key is not None else None

    async def decide(self, link_id: str, approve: bool) -> PendingConsent | None:
        """Record the person's answer on the page (only while pending); the entry as it is now, or None."""
        pending = await self.by_link(link_id)
        if pending is None or pending.state != "pending":
            return pending
        decided = replace(pending, state="approved" if approve else "declined")
        if not await self.state.swap(pending.key, pending.record(), decided.record(), self._left(pending)):
            return await self._read(pending.key)  # another replica decided (or it expired) meanwhile
        if approve:
            await self.state.put(self._approved_key(decided.tenant, decided.tool, decided.request), decided.key,
                                 self._left(decided))
        return decided

    async def check(self, token: str, *, tenant: str, tool: str, request: str) -> PendingConsent:
        """The usable entry for ``token`` and this call, or ConsentRefused saying why (nothing is claimed)."""
        pending = await self._read(namespaced("t", tenant, "consent", digest_of(token)))
        if pending is None or pending.tenant != tenant:
            raise ConsentRefused("the consent_token is unknown or expired (tokens last "
                                 f"{self.ttl / 60:g} minutes and work once)")
        if pending.tool != tool or pending.request != request:
            raise ConsentRefused("the consent_token was issued for a different request; it only works for the exact "
                                 "call it was issued for")
        if pending.state == "used":
            raise ConsentRefused("the consent_token was already used; a token works once")
        if pending.state == "declined":
            raise ConsentRefused("the person declined this change on the approval page")
        if pending.by_link and pending.state != "approved":
            raise ConsentRefused("the person has not approved it on the approval page yet")
        return pending

    @staticmethod
    def _approved_key(tenant: str, tool: str, request: str) -> str:
        return namespaced("t", tenant, "consent-approved", digest([tool, request]))

    async def approved_link(self, *, tenant: str, tool: str, request: str) -> PendingConsent | None:
        """An approved, unused link for this exact call (a client retrying after URL-mode elicitation sends no token)."""
        key = await self.state.get(self._approved_key(tenant, tool, request))
        pending = await self._read(key) if key is not None else None
        if (pending is not None and pending.by_link and pending.state == "approved" and pending.tenant == tenant
                and pending.tool == tool and pending.request == request):
            return pending
        return None

    async def claim(self, pending: PendingConsent) -> bool:
        """Use the yes once: True for the first claim of a still-usable entry (across replicas), False otherwise."""
        current = await self._read(pending.key)
        if current is None or current.state == "used" or (current.by_link and current.state != "approved"):
            return False
        return await self.state.swap(current.key, current.record(), replace(current, state="used").record(),
                                     self._left(current))
