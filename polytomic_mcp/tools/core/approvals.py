"""Pending yeses: consent tokens the assistant relays and approval links the person opens, single use, bound.

A token is bound to the tenant, the tool, a digest of the exact request and a digest of the facts the
question showed; it expires after ``ttl`` seconds and is claimed once. An approval link carries a separate
id (the token never appears in a URL) and is decided on this server's approval page.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from polytomic_mcp.bounded_cache import BoundedCache

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
    """One question waiting for a yes: relayed by the assistant (``by_link`` false) or decided on the page."""

    token: str
    link_id: str
    tenant: str
    tool: str
    request: str
    facts: str
    title: str
    question: str
    by_link: bool
    expires_at: float
    state: State = "pending"


class ConsentRefused(Exception):
    """A token that cannot be used; the message says why, in words for the model."""


@dataclass
class ConsentStore:
    """Every pending yes of this process (shared by its tenants; the page finds a link without knowing the tenant)."""

    ttl: float = CONSENT_TTL
    clock: Callable[[], float] = time.monotonic
    _by_token: BoundedCache[str, PendingConsent] = field(init=False)
    _token_of_link: BoundedCache[str, str] = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._by_token = BoundedCache(MAX_PENDING, ttl=self.ttl, clock=self.clock)
        self._token_of_link = BoundedCache(MAX_PENDING, ttl=self.ttl, clock=self.clock)

    def issue(self, *, tenant: str, tool: str, request: str, facts: str, title: str, question: str,
              by_link: bool) -> PendingConsent:
        """A new pending yes for this exact request and these facts."""
        pending = PendingConsent(
            token=secrets.token_urlsafe(24), link_id=secrets.token_urlsafe(24), tenant=tenant, tool=tool,
            request=request, facts=facts, title=title, question=question, by_link=by_link,
            expires_at=self.clock() + self.ttl,
        )
        with self._lock:
            self._by_token.put(pending.token, pending, expires_at=pending.expires_at)
            if by_link:
                self._token_of_link.put(pending.link_id, pending.token, expires_at=pending.expires_at)
        return pending

    def by_link(self, link_id: str) -> PendingConsent | None:
        """The live pending yes behind an approval link, or None."""
        with self._lock:
            token = self._token_of_link.get(link_id)
            return self._by_token.get(token) if token is not None else None

    def decide(self, link_id: str, approve: bool) -> PendingConsent | None:
        """Record the person's answer on the page (only while pending); the entry as it is now, or None."""
        with self._lock:
            token = self._token_of_link.get(link_id)
            pending = self._by_token.get(token) if token is not None else None
            if pending is None or pending.state != "pending":
                return pending
            decided = replace(pending, state="approved" if approve else "declined")
            self._by_token.put(decided.token, decided, expires_at=decided.expires_at)
            return decided

    def check(self, token: str, *, tenant: str, tool: str, request: str) -> PendingConsent:
        """The usable entry for ``token`` and this call, or ConsentRefused saying why (nothing is claimed)."""
        with self._lock:
            pending = self._by_token.get(token)
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

    def approved_link(self, *, tenant: str, tool: str, request: str) -> PendingConsent | None:
        """An approved, unused link for this exact call (a client retrying after URL-mode elicitation sends no token)."""
        with self._lock:
            for pending in self._by_token.values():
                if (pending.by_link and pending.state == "approved" and pending.tenant == tenant
                        and pending.tool == tool and pending.request == request):
                    return pending
        return None

    def claim(self, pending: PendingConsent) -> bool:
        """Use the yes once: True for the first claim of a still-usable entry, False otherwise."""
        with self._lock:
            current = self._by_token.get(pending.token)
            if current is None or current.state == "used" or (current.by_link and current.state != "approved"):
                return False
            self._by_token.put(current.token, replace(current, state="used"), expires_at=current.expires_at)
            return True
