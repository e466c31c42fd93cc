"""The approval page: a person opens an approval link, sees the exact change, and approves or declines it.

``GET /consent/{link_id}`` shows the question; ``POST`` records the answer in the consent store. The link id
is a capability for deciding that one change (the consent token stays with the assistant and is never in a
URL). Every POST needs the link's CSRF token (in the form and in a cookie, both equal to an HMAC of the link
id under a salt kept in the shared state, so any replica can check it) and, when the browser says where it
comes from, this server's own origin. A decided link stays decided.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import math
import secrets
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from polytomic_mcp.shared_state import StateUnavailable, digest, namespaced
from polytomic_mcp.tools.core.approvals import ConsentStore, PendingConsent

from .pages import page, same_origin

CONSENT_PATH = "/consent"
CSRF_COOKIE_PREFIX = "pmcp_consent_"
MAX_FORM_BYTES = 4_096
"""A form with a CSRF token and a decision is far smaller; a longer body is refused unread."""

UNKNOWN = ("<p>This approval link is unknown or expired; nothing was changed. "
           "Ask your assistant to try again.</p>")
UNREACHABLE = ("<p>This server could not reach its shared state; nothing was changed. "
               "Try again in a moment.</p>")
REFUSED = ("<p>The form was not submitted from this page (missing or stale security token). "
           "Open the approval link again and decide there.</p>")
OUTCOMES = {
    "approved": ("Approved", "ok", "Approved: go back to your assistant and tell it to go ahead; it repeats the "
                                   "call with its consent_token."),
    "declined": ("Declined", "no", "Declined: nothing will be changed."),
    "used": ("Already done", "ok", "This change was approved and your assistant has made it; the approval is "
                                   "used up."),
}


def consent_link(approval_base: str, link_id: str) -> str:
    """The URL a person opens to decide one pending change."""
    return f"{approval_base.rstrip('/')}{CONSENT_PATH}/{link_id}"


def outcome_page(pending: PendingConsent, again: bool = False) -> Response:
    """The page of a decided (or used) link: what was decided, and that it stands."""
    title, tone, text = OUTCOMES.get(pending.state, OUTCOMES["used"])
    stands = "<p><small>This change was already decided here; the answer stands.</small></p>" if again else ""
    return page(title, f"<p class='notice {tone}' role=status>{html.escape(text)}</p>{stands}",
                409 if again else 200)


def minutes_left(pending: PendingConsent, now: float) -> int:
    """Whole minutes until the link expires (at least 1 while it is live)."""
    return max(1, math.ceil((pending.expires_at - now) / 60))


class ApprovalPage:
    """GET shows a pending change with Approve / Decline; POST records the answer once."""

    def __init__(self, store: ConsentStore, approval_base: str) -> None:
        self._store = store
        self._base = approval_base.rstrip("/")
        self._cookie_path = urlsplit(self._base).path + CONSENT_PATH

    def routes(self) -> list[Route]:
        """The page's one route."""
        return [Route(CONSENT_PATH + "/{link_id}", self.endpoint, methods=["GET", "POST"])]

    async def endpoint(self, request: Request) -> Response:
        """Dispatch GET (show the change) and POST (record the answer)."""
        link_id = request.path_params["link_id"]
        try:
            if request.method == "GET":
                return await self.show(link_id)
            return await self.submit(request, link_id)
        except StateUnavailable:
            return page("Try again", UNREACHABLE, 503)

    async def _csrf(self, link_id: str, ttl: float | None = None) -> str | None:
        """The link's CSRF token: an HMAC of the link id under a random salt kept in the shared state (made when
        ``ttl`` is given), so every replica derives the same token and the state holds neither it nor the link id."""
        key = namespaced("consent-csrf", digest(link_id))
        if ttl is not None:
            await self._store.state.add(key, secrets.token_hex(32), ttl)
        salt = await self._store.state.get(key)
        return hmac.new(salt.encode(), link_id.encode(), hashlib.sha256).hexdigest() if salt is not None else None

    async def show(self, link_id: str) -> Response:
        """The change behind the link with the two buttons, or where it stands once decided."""
        pending = await self._store.by_link(link_id)
        if pending is None:
            return page("Approval link expired", UNKNOWN, 404)
        if pending.state != "pending":
            return outcome_page(pending)
        left = max(1.0, pending.expires_at - self._store.clock())
        token = await self._csrf(link_id, left)
        if token is None:
            return page("Approval link expired", UNKNOWN, 404)
        response = page(pending.title, self._form(pending, token))
        response.set_cookie(self._cookie(link_id), token, max_age=minutes_left(pending, self._store.clock()) * 60,
                            path=self._cookie_path, httponly=True, samesite="strict",
                            secure=self._base.startswith("https://"))
        return response

    def _form(self, pending: PendingConsent, token: str) -> str:
        """The question as sent (escaped, preformatted) and one form posting back to this URL."""
        minutes = minutes_left(pending, self._store.clock())
        return (
            "<p>Your assistant asks to make this change in Polytomic. Nothing is changed unless you approve.</p>"
            f"<pre>{html.escape(pending.question)}</pre>"
            f"<p><small>Tool: {html.escape(pending.tool)}. This link expires in about {minutes} "
            f"minute{'s' if minutes != 1 else ''} and works for this one change only.</small></p>"
            f"<form method=post><input type=hidden name=csrf value='{token}'><div class=actions>"
            "<button type=submit name=decision value=approve class=approve>Approve</button>"
            "<button type=submit name=decision value=decline class=decline>Decline</button></div></form>"
        )

    async def submit(self, request: Request, link_id: str) -> Response:
        """Check the origin and CSRF token, then record the decision (a decided link is shown, not changed)."""
        pending = await self._store.by_link(link_id)
        if pending is None:
            return page("Approval link expired", UNKNOWN, 404)
        form = await self._form_fields(request)
        if form is None or not await self._trusted(request, link_id, form.get("csrf", "")):
            return page("Request refused", REFUSED, 403)
        if pending.state != "pending":
            return outcome_page(pending, again=True)
        decision = form.get("decision")
        if decision not in ("approve", "decline"):
            return page("Request refused", "<p>Choose Approve or Decline.</p>", 400)
        decided = await self._store.decide(link_id, decision == "approve")
        if decided is None:
            return page("Approval link expired", UNKNOWN, 404)
        return outcome_page(decided, again=decided.state != ("approved" if decision == "approve" else "declined"))

    async def _trusted(self, request: Request, link_id: str, sent: str) -> bool:
        """The POST comes from this page: same origin, and the form's and the cookie's token equal the link's."""
        expected = await self._csrf(link_id)
        cookie = request.cookies.get(self._cookie(link_id), "")
        return (same_origin(request, self._base) and expected is not None
                and secrets.compare_digest(sent.encode(), expected.encode())
                and secrets.compare_digest(cookie.encode(), expected.encode()))

    @staticmethod
    def _cookie(link_id: str) -> str:
        """The CSRF cookie's name for one link (a hash: two links open in two tabs keep their own tokens)."""
        return CSRF_COOKIE_PREFIX + hashlib.sha256(link_id.encode()).hexdigest()[:16]

    @staticmethod
    async def _form_fields(request: Request) -> dict[str, str] | None:
        """The posted url-encoded fields (first value of each), or None for a body over ``MAX_FORM_BYTES``."""
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_FORM_BYTES:
                return None
        try:
            fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
        except ValueError:
            return None
        return {name: values[0] for name, values in fields.items()}
