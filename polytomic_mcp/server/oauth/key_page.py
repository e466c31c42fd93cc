"""The key page: the user pastes a Polytomic API key, the server checks it with GET /api/me, then issues a code.

Two steps, both POSTed to the same path: "verify" checks the key and shows the organization it acts in;
"confirm" issues the code and redirects to the client. The key travels in clear only in the first POST body;
between the steps the browser keeps it sealed (kind ``verified``, bound to the sign-in, the owner browser and
an expiry) in an HttpOnly cookie, used once, so any replica may answer either step and the shared state never
holds it; it never appears in a URL, a page or an error. Every POST needs
the CSRF token of its request (in the form and in a cookie, both equal to the one stored) and, when the
browser says where it comes from, the same origin. The page belongs to the browser that opened it first
(a cookie), so a leaked page URL is no capability. Key checks are limited per authorization and per client
address and minute (on all replicas together), and never retried: each is a request to Polytomic from this
server's address. Write access is offered only when both the request and the client's registration include it.
The page's records (owner browser and CSRF token as digests, used confirmations by id) live as long as the
authorization.
"""

from __future__ import annotations

import functools
import html
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import urlparse

from mcp.server.auth.provider import AuthorizeError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from polytomic_mcp.client import AuthenticationError, PermissionDeniedError, PolytomicClient, PolytomicError
from polytomic_mcp.shared_state import StateUnavailable, digest

from ..pages import page, same_origin
from ..state import is_token_text
from .client_documents import is_document_url
from .provider import PENDING_TTL, SealedTokenProvider, record_key
from .quotas import PerMinute

KEY_PAGE_PATH = "/oauth/key"
CSRF_COOKIE = "pmcp_csrf"
BROWSER_COOKIE = "pmcp_browser"
VERIFIED_COOKIE = "pmcp_verified"
"""The checked key, sealed, between the two steps (see the module docstring)."""
CHECKS_PER_REQUEST = 5
"""Keys one authorization may have checked: past that, the user starts again from the client."""
CHECKS_PER_MINUTE = 10
"""Keys checked per minute for one client address: each check is a request to Polytomic from this server's address."""
ClientForKey = Callable[[str, "str | None"], PolytomicClient]

@dataclass
class Verified:
    """A key that passed GET /api/me, waiting for the user's confirmation (sealed into ``VERIFIED_COOKIE``)."""

    key: str
    org: str | None
    read_write: bool
    rid: str
    """The sign-in (request id) it was checked for."""
    browser: str
    """A digest of the owner browser's cookie."""
    exp: float
    jti: str
    """Its id: a confirmation is claimed under it, once."""


def destination(redirect_uri: str) -> str:
    """Where the browser goes after the grant, as the user should read it: the web origin, or the app's own scheme."""
    parts = urlparse(redirect_uri)
    if parts.scheme in ("https", "http"):
        return f"<strong>{html.escape(f'{parts.scheme}://{parts.netloc}')}</strong>"
    return f"the app that opens <strong>{html.escape(parts.scheme)}:</strong> links (not a website)"


def who_asks(client_id: str) -> str:
    """The client's verified web host when its id is a metadata document URL (a registered client's name is only
    what it claimed, so it is not shown)."""
    return f" from <strong>{html.escape(urlparse(client_id).netloc)}</strong>" if is_document_url(client_id) else ""


class KeyPage:
    """GET shows the key form for a pending authorization; POST verifies the key, then confirms."""

    def __init__(self, provider: SealedTokenProvider, client_for_key: ClientForKey, issuer_origin: str) -> None:
        self._provider = provider
        self._client_for_key = client_for_key
        self._origin = issuer_origin.rstrip("/")
        self._state = provider.state
        self._per_address = PerMinute(provider.state, "key-checks", CHECKS_PER_MINUTE)
        """Key checks per client address and minute."""

    def routes(self) -> list[Route]:
        """The page's one route."""
        return [Route(KEY_PAGE_PATH, self.endpoint, methods=["GET", "POST"])]

    async def endpoint(self, request: Request) -> Response:
        """Dispatch GET (show the form) and POST (verify or confirm), from the browser the page was opened in; when
        the shared state cannot be reached, nothing is done (503)."""
        try:
            return await self.dispatch(request)
        except StateUnavailable as down:
            return page("Try again shortly", f"<p>{html.escape(str(down))}. Nothing was authorized; reload this page "
                        "in a moment.</p>", 503)

    async def dispatch(self, request: Request) -> Response:
        """The page for the browser that opened it first (its ``BROWSER_COOKIE``, kept as a digest); 403 for others."""
        getting = request.method == "GET"
        request_id = request.query_params.get("request", "") if getting else str((await request.form()).get("request", ""))
        browser = request.cookies.get(BROWSER_COOKIE, "")
        owners = record_key("browser", request_id)
        stored = await self._state.get(owners)
        owner = None
        if stored is None and getting and await self._provider.pending(request_id) is not None:
            mine = browser or secrets.token_urlsafe(24)
            if await self._state.add(owners, digest(mine), PENDING_TTL):
                owner = mine
            else:
                stored = await self._state.get(owners)
        if stored is not None:
            if not secrets.compare_digest(digest(browser), stored):
                return page("Opened in another browser", "<p>This sign-in was started in another browser or window. "
                            "Start again from your MCP client in this one.</p>", 403)
            owner = browser
        response = await self.show_form(request_id, None) if getting else await self.submit(request)
        if owner is not None:
            response.set_cookie(BROWSER_COOKIE, owner, httponly=True, samesite="lax", path=KEY_PAGE_PATH,
                                secure=self._origin.startswith("https://"))
        return response

    async def show_form(self, request_id: str, error: str | None, status: int = 200, *,
                        organization_id: str | None = None, read_write: bool = False) -> Response:
        """The key form for ``request_id`` with a fresh CSRF token (also set as a cookie); after an error it keeps
        the organization id and access the user chose (never the key)."""
        pending = await self._provider.pending(request_id)
        if pending is None:
            return page("Authorization expired", "<p>This authorization request is unknown or expired. "
                        "Start again from your MCP client.</p>", 400)
        token = secrets.token_urlsafe(32)
        await self._state.put(record_key("csrf", request_id), digest(token), PENDING_TTL)
        offer_write = await self._provider.may_write(request_id)
        notice = f"<p class=error role=alert>{html.escape(error)}</p>" if error else ""
        body = (
            f"{notice}<p>An MCP client{who_asks(pending.client_id)} asks to use Polytomic on your behalf; once "
            f"allowed you are sent to {destination(str(pending.params.redirect_uri))}. "
            "Paste a Polytomic API key; it is checked with Polytomic and never shown again.</p>"
            f"<form method=post action='{KEY_PAGE_PATH}'>"
            f"<input type=hidden name=request value='{html.escape(request_id, quote=True)}'>"
            f"<input type=hidden name=csrf value='{token}'><input type=hidden name=step value=verify>"
            "<label for=api_key>Polytomic API key</label>"
            "<input type=password id=api_key name=api_key required autocomplete=off>"
            "<label for=organization_id>Organization id <small>(partner keys only)</small></label>"
            f"<input type=text id=organization_id name=organization_id autocomplete=off "
            f"value='{html.escape(organization_id or '', quote=True)}'>"
            "<fieldset><legend>Access</legend>"
            f"<label><input type=radio name=access value=read{'' if read_write else ' checked'}> Read-only: only "
            "read tools are listed and accepted; nothing in Polytomic can be changed.</label>"
            + (f"<label><input type=radio name=access value=read-write{' checked' if read_write else ''}> Read and "
               "write: the client may also create, change and run syncs and other objects.</label>"
               if offer_write else
               "<p>This client asked for read-only access.</p>")
            + "</fieldset>"
            "<button type=submit>Check key</button></form>"
        )
        response = page("Connect Polytomic", body, status)
        self._set_cookie(response, CSRF_COOKIE, token)
        response.delete_cookie(VERIFIED_COOKIE, path=KEY_PAGE_PATH)
        return response

    def _set_cookie(self, response: Response, name: str, value: str) -> None:
        """One of the page's own cookies: HttpOnly, same-site only, this path only, secure over https."""
        response.set_cookie(name, value, httponly=True, samesite="strict", path=KEY_PAGE_PATH,
                            secure=self._origin.startswith("https://"))

    def _same_origin(self, request: Request) -> bool:
        """Refuse a POST the browser marks as cross-site; browsers that send nothing rely on the CSRF token."""
        return same_origin(request, self._origin)

    async def submit(self, request: Request) -> Response:
        """Check CSRF and origin, then run the posted step."""
        form = await request.form()
        request_id = str(form.get("request", ""))
        expected = await self._state.get(record_key("csrf", request_id))
        sent, cookie = str(form.get("csrf", "")), request.cookies.get(CSRF_COOKIE, "")
        if (not self._same_origin(request) or expected is None
                or not (secrets.compare_digest(digest(sent), expected) and secrets.compare_digest(cookie.encode(), sent.encode()))):
            return page("Request refused", "<p>The form was not submitted from this page (missing or stale "
                        "security token). Reload the page from your MCP client and try again.</p>", 403)
        if str(form.get("step", "")) == "confirm":
            return await self.confirm(request, request_id)
        api_key = str(form.get("api_key", "")).strip()
        organization_id = str(form.get("organization_id", "")).strip() or None
        read_write = str(form.get("access", "read")) == "read-write" and await self._provider.may_write(request_id)
        again = functools.partial(self.show_form, request_id, organization_id=organization_id, read_write=read_write)
        if not api_key:
            return await again("Paste a Polytomic API key.", 400)
        if not is_token_text(api_key) or (organization_id is not None and not is_token_text(organization_id)):
            return await again("That is not a Polytomic API key (or organization id): only letters, digits and "
                         "punctuation. Nothing was authorized.", 400)
        if (too_many := await self._too_many_checks(request_id, request.client.host if request.client else "unknown")):
            return page("Too many attempts", f"<p>{too_many} Nothing was authorized.</p>", 429)
        try:
            async with self._client_for_key(api_key, organization_id) as client:
                me = await client.identity.get()
        except (AuthenticationError, PermissionDeniedError):
            return await again("Polytomic refused this key (check the key, and the organization id for a partner key). "
                         "Nothing was authorized.", 400)
        except PolytomicError:
            return await again("Could not reach Polytomic to check the key. Try again in a moment. Nothing was authorized.",
                         502)
        name = me.organization_name or me.organization_id or "your organization"
        sealed = self._provider.sealer.seal("verified", asdict(Verified(
            api_key, organization_id, read_write, request_id, digest(request.cookies.get(BROWSER_COOKIE, "")),
            self._provider.clock() + PENDING_TTL, secrets.token_urlsafe(16))))
        access = ("read and write" if read_write
                  else "read-only (only read tools are listed and accepted)")
        body = (f"<p>The key is valid for the organization <strong>{html.escape(name)}</strong>.</p>"
                f"<p>Access: <strong>{access}</strong>.</p>"
                f"<form method=post action='{KEY_PAGE_PATH}'>"
                f"<input type=hidden name=request value='{html.escape(request_id, quote=True)}'>"
                f"<input type=hidden name=csrf value='{html.escape(sent, quote=True)}'>"
                "<input type=hidden name=step value=confirm>"
                f"<button type=submit>Allow access to {html.escape(name)}</button></form>")
        response = page("Confirm access", body)
        self._set_cookie(response, VERIFIED_COOKIE, sealed)
        return response

    async def _too_many_checks(self, request_id: str, address: str) -> str | None:
        """Why one more key check is refused (per authorization, per client address and minute), or None; counts it."""
        if await self._state.hit(record_key("checks", request_id), PENDING_TTL) > CHECKS_PER_REQUEST:
            return f"{CHECKS_PER_REQUEST} keys were already checked for this sign-in: start again from your MCP client."
        if not await self._per_address.allow(address):
            return f"{CHECKS_PER_MINUTE} keys were checked from your address in the last minute: wait a minute."
        return None

    def _verified(self, request: Request, request_id: str) -> Verified | None:
        """The key checked in this browser for ``request_id`` and not expired, from ``VERIFIED_COOKIE``, else None."""
        claims = self._provider.sealer.open("verified", request.cookies.get(VERIFIED_COOKIE, ""))
        try:
            verified = Verified(**(claims or {}))
        except TypeError:
            return None
        mine = secrets.compare_digest(verified.browser, digest(request.cookies.get(BROWSER_COOKIE, "")))
        return verified if mine and verified.rid == request_id and verified.exp > self._provider.clock() else None

    async def confirm(self, request: Request, request_id: str) -> Response:
        """Issue the code for the verified key, once, and redirect to the client (303, so the browser GETs it)."""
        verified = self._verified(request, request_id)
        await self._state.delete(record_key("csrf", request_id))
        if verified is None or not await self._state.claim(record_key("confirmed", verified.jti), PENDING_TTL):
            return page("Nothing to confirm", "<p>Check a key first. Start again from your MCP client.</p>", 400)
        try:
            location = await self._provider.issue_code(request_id, verified.key, verified.org, verified.read_write)
        except AuthorizeError:
            return page("Authorization expired", "<p>Start again from your MCP client.</p>", 400)
        response = RedirectResponse(location, status_code=303, headers={"Cache-Control": "no-store"})
        response.delete_cookie(VERIFIED_COOKIE, path=KEY_PAGE_PATH)
        return response
