"""The OAuth authorization server provider behind ``--auth oauth`` (the SDK's routes call it).

Access and refresh tokens are sealed (see ``sealing``): each carries the tenant's Polytomic key and
organization id, the granted scopes, its expiry, the client id and a grant id shared by every token
of one authorization. Replicas with the same secret all accept them. An authorization code is sealed the same
way (kind ``code``: its client, redirect URI, PKCE challenge, scopes, resource, expiry, the key and a random
code id). Kept in the shared state (every replica's, with ``POLYTOMIC_STATE_URL``; else this process's):
registered clients, pending authorizations, each used code id (its single use, then the grant it made) and
each grant's state (its live refresh token, revoked or not: see ``grants``), all under digests of the ids;
no API key, in any form.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    IdentityAssertionParams,
    RefreshToken,
    RegistrationError,
    TokenError,
    construct_redirect_uri,
)
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken
from pydantic import BaseModel

from polytomic_mcp.server.tenants import Grant, key_digest
from polytomic_mcp.shared_state import MemoryState, SharedState, StateUnavailable, digest, namespaced, tenant_hash

from .client_documents import ClientDocuments, is_document_url
from .grants import GrantBook, TooManyGrants
from .quotas import Quota, QuotaExceeded
from .request_bounds import BadRequest, check_authorization, compact_client
from .sealing import Sealer

READ_SCOPE = "polytomic:read"
WRITE_SCOPE = "polytomic:write"
SCOPES = (READ_SCOPE, WRITE_SCOPE)
CODE_TTL = 300
PENDING_TTL = 900
ACCESS_TTL = 3600
REFRESH_TTL = 30 * 24 * 3600
SPENT_TTL = 2 * CODE_TTL
"""How long a used code id is remembered: past its own expiry, so a replay is seen for as long as it could work."""
CLAIMED = "claimed"
"""A used code whose exchange has not issued tokens yet."""
REPLAYED = "replayed"
"""A used code presented again before its exchange issued tokens: that exchange then issues nothing."""
GRANT_PREFIX = "grant:"
"""A used code whose exchange made grant ``grant:<id>`` (a replay revokes it)."""
MAX_ENTRIES = 10_000
"""Registrations per day, and authorizations per 15 minutes, from everyone together."""
PER_CALLER = 20
"""Registrations per day, and authorizations per 15 minutes, from one client address."""
REGISTRATION_TTL = 24 * 3600


def record_key(kind: str, value: str) -> str:
    """Where a record about ``value`` (a client id, request id or code) lives: under its digest, never the value."""
    return namespaced("oauth", kind, digest(value))



class TenantAccessToken(AccessToken):
    """An access token opened to the tenant it acts for (never serialized back to the client)."""

    api_key: str
    organization_id: str | None = None
    grant_id: str


class TenantRefreshToken(RefreshToken):
    """A refresh token opened to its tenant and its own id (for rotation)."""

    api_key: str
    organization_id: str | None = None
    grant_id: str
    token_id: str


class TenantAuthorizationCode(AuthorizationCode):
    """A code opened: bound to client, redirect URI and PKCE challenge, holding the verified tenant key."""

    api_key: str
    organization_id: str | None = None
    code_id: str


class PendingAuthorization(BaseModel):
    """An authorization request waiting for the user to enter a key on the key page (stored as its JSON)."""

    client_id: str
    params: AuthorizationParams
    expires_at: float


def granted_scopes(read_write: bool) -> list[str]:
    """The scopes of a read-only or read-write grant."""
    return list(SCOPES) if read_write else [READ_SCOPE]


def grant_of(token: object) -> Grant | None:
    """The tenant an access token of this server acts as (key, organization, read-only when it lacks the write scope)."""
    if not isinstance(token, TenantAccessToken):
        return None
    return Grant(token.api_key, token.organization_id, read_only=WRITE_SCOPE not in token.scopes)


def is_read_only(scopes: list[str]) -> bool:
    """Whether a grant lacks the write scope."""
    return WRITE_SCOPE not in scopes


class SealedTokenProvider:
    """``OAuthAuthorizationServerProvider`` issuing sealed tokens for tenants verified on the key page.

    Every method that reads or writes ``state`` raises ``StateUnavailable`` when it cannot be reached; the app
    answers 503 ``temporarily_unavailable`` (see ``routes``) and nothing single-use was done.
    """

    def __init__(self, sealer: Sealer, key_page_url: str, clock: Callable[[], float] = time.time,
                 documents: ClientDocuments | None = None, resource_url: str | None = None,
                 state: SharedState | None = None) -> None:
        """``resource_url``: this server's MCP endpoint; tokens are issued for it alone and accepted for it alone.
        ``state``: what every replica shares (default: this process only)."""
        self.state: SharedState = state if state is not None else MemoryState()
        self.sealer = sealer
        self._resource_url = resource_url.rstrip("/") if resource_url else None
        self._documents = documents or ClientDocuments(default_scope=" ".join(SCOPES), state=self.state)
        self._key_page_url = key_page_url
        self.clock = clock
        self._registrations = Quota(self.state, "registrations", per_caller=PER_CALLER, total=MAX_ENTRIES,
                                    window=REGISTRATION_TTL)
        self._authorizations = Quota(self.state, "authorizations", per_caller=PER_CALLER, total=MAX_ENTRIES,
                                     window=PENDING_TTL)
        self.grants = GrantBook(self.state, REFRESH_TTL)
        """Each grant's live refresh token and whether it is revoked (see ``grants``)."""

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        """A registered client, or the client an https client id's metadata document describes."""
        if (registered := await self._registered(client_id)) is not None:
            return registered
        if is_document_url(client_id):
            return await self._documents.client(client_id)
        return None

    async def _registered(self, client_id: str) -> OAuthClientInformationFull | None:
        stored = await self.state.get(record_key("client", client_id))
        if stored is None:
            return None
        client = OAuthClientInformationFull.model_validate_json(stored)
        if client.client_secret is not None:
            opened = self.sealer.open("client_secret", client.client_secret)
            client.client_secret = None if opened is None else str(opened.get("s"))
        return client

    async def _keep_client(self, client: OAuthClientInformationFull, ttl: float) -> None:
        """Store the registration as JSON (public data; a confidential client's secret sealed) for ``ttl`` seconds."""
        stored = client.model_copy()
        if stored.client_secret is not None:
            stored.client_secret = self.sealer.seal("client_secret", {"s": stored.client_secret})
        await self.state.put(record_key("client", client.client_id or ""), stored.model_dump_json(), ttl)

    async def _extend_client(self, client_id: str, ttl: float) -> None:
        """Keep a registered client ``ttl`` seconds from now (its refresh tokens need it)."""
        if (registered := await self._registered(client_id)) is not None:
            await self._keep_client(registered, ttl)

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        """Keep a checked, compact copy of the client (see ``request_bounds``), within the caller's quota."""
        if client_info.client_id is None:
            raise RegistrationError("invalid_client_metadata", "no client_id was assigned")
        try:
            compact = compact_client(client_info)
        except BadRequest as problem:
            raise RegistrationError("invalid_redirect_uri" if "redirect" in str(problem) else "invalid_client_metadata",
                                    str(problem)) from None
        try:
            await self._registrations.spend()
        except QuotaExceeded as full:
            raise RegistrationError("invalid_client_metadata", str(full)) from None
        await self._keep_client(compact, REGISTRATION_TTL)

    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        """Park the request and send the browser to the key page (the code is issued there)."""
        if client.client_id is None:
            raise AuthorizeError("unauthorized_client", "unknown client")
        try:
            check_authorization(params)
        except BadRequest as problem:
            raise AuthorizeError("invalid_request", str(problem)) from None
        if params.resource and self._resource_url and params.resource.rstrip("/") != self._resource_url:
            raise AuthorizeError("invalid_request", f"resource must be this server, {self._resource_url}")
        request_id = secrets.token_urlsafe(32)
        expires_at = self.clock() + PENDING_TTL
        try:
            await self._authorizations.spend()
            await self.state.put(record_key("pending", request_id),
                                 PendingAuthorization(client_id=client.client_id, params=params,
                                                      expires_at=expires_at).model_dump_json(), PENDING_TTL)
        except QuotaExceeded as full:
            raise AuthorizeError("temporarily_unavailable", str(full)) from None
        except StateUnavailable as down:
            raise AuthorizeError("temporarily_unavailable", str(down)) from None
        return construct_redirect_uri(self._key_page_url, request=request_id)

    async def pending(self, request_id: str) -> PendingAuthorization | None:
        """The unexpired pending authorization ``request_id``, if any (the key page reads it)."""
        stored = await self.state.get(record_key("pending", request_id))
        return None if stored is None else PendingAuthorization.model_validate_json(stored)

    async def issue_code(self, request_id: str, api_key: str, organization_id: str | None, read_write: bool) -> str:
        """Complete a pending authorization for a verified key: the redirect URL carrying a new code.

        The pending request is taken (on every replica), so a form is never submitted twice into two codes. The
        code is its grant data sealed (kind ``code``); nothing about it is stored until it is exchanged.
        """
        stored = await self.state.take(record_key("pending", request_id))
        if stored is None:
            raise AuthorizeError("access_denied", "the authorization request expired; start again from the client")
        entry = PendingAuthorization.model_validate_json(stored)
        read_write = read_write and await self._may_write(entry)
        await self._extend_client(entry.client_id, REFRESH_TTL)
        code = self.sealer.seal("code", {
            "jti": secrets.token_urlsafe(16), "exp": self.clock() + CODE_TTL, "cid": entry.client_id,
            "ru": str(entry.params.redirect_uri), "rux": entry.params.redirect_uri_provided_explicitly,
            "cc": entry.params.code_challenge, "scope": granted_scopes(read_write), "res": entry.params.resource,
            "key": api_key, "org": organization_id,
        })
        return construct_redirect_uri(str(entry.params.redirect_uri), code=code, state=entry.params.state)

    async def may_write(self, request_id: str) -> bool:
        """Whether the pending authorization ``request_id`` may be granted write access (the key page offers it)."""
        entry = await self.pending(request_id)
        return entry is not None and await self._may_write(entry)

    async def _may_write(self, entry: PendingAuthorization) -> bool:
        """Write only when both the request and the client's registration (if it names scopes) include it."""
        client = await self._registered(entry.client_id)
        registered = client.scope.split() if client is not None and client.scope else list(SCOPES)
        requested = entry.params.scopes or list(SCOPES)
        return WRITE_SCOPE in registered and WRITE_SCOPE in requested

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> TenantAuthorizationCode | None:
        """The code opened, used up by this very request on every replica (its code id claimed): a wrong PKCE
        verifier burns it, and a code presented a second time revokes the grant the first exchange made (RFC 6749
        section 4.1.2)."""
        claims = self.sealer.open("code", authorization_code)
        if claims is None:
            return None
        used = record_key("code-used", str(claims.get("jti")))
        if not await self.state.add(used, CLAIMED, SPENT_TTL):
            await self._replayed(used)
            return None
        if claims.get("cid") != client.client_id or float(claims.get("exp", 0)) <= self.clock():
            return None
        key = str(claims["key"])
        return TenantAuthorizationCode(
            code=authorization_code, code_id=str(claims["jti"]), scopes=list(claims.get("scope", [])),
            expires_at=float(claims["exp"]), client_id=str(claims["cid"]), code_challenge=str(claims["cc"]),
            redirect_uri=claims["ru"], redirect_uri_provided_explicitly=bool(claims.get("rux")),
            resource=claims.get("res"), subject=key_digest(key), api_key=key, organization_id=claims.get("org"),
        )

    async def _replayed(self, used: str) -> None:
        """A used code presented again: revoke the grant its exchange made, or (none yet) mark it so that exchange
        issues nothing; ``used`` is the code id's record."""
        if await self.state.swap(used, CLAIMED, REPLAYED, SPENT_TTL):
            return
        current = await self.state.get(used) or ""
        if current.startswith(GRANT_PREFIX):
            await self.grants.revoke(current.removeprefix(GRANT_PREFIX), REFRESH_TTL)

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: TenantAuthorizationCode
    ) -> OAuthToken:
        """Tokens for a code this request loaded: its grant is recorded under the code id, unless the code was
        presented again meanwhile (then the new grant is revoked and nothing is issued)."""
        used = record_key("code-used", authorization_code.code_id)
        grant_id = secrets.token_urlsafe(16)
        refresh_id = secrets.token_urlsafe(16)
        try:
            await self.grants.start(grant_id, tenant_hash(authorization_code.api_key), refresh_id, REFRESH_TTL)
        except TooManyGrants as full:
            raise TokenError("invalid_grant", str(full)) from None
        if not await self.state.swap(used, CLAIMED, GRANT_PREFIX + grant_id, SPENT_TTL):
            await self.grants.revoke(grant_id, REFRESH_TTL)
            await self._replayed(used)
            raise TokenError("invalid_grant", "authorization code already used")
        return self._issue(client.client_id or "", authorization_code.api_key, authorization_code.organization_id,
                           authorization_code.scopes, authorization_code.resource, grant_id, refresh_id)

    async def load_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: str
    ) -> TenantRefreshToken | None:
        claims = self.sealer.open("refresh", refresh_token)
        if claims is None or claims.get("cid") != client.client_id or claims.get("exp", 0) <= self.clock():
            return None
        grant_id = str(claims.get("gid"))
        token_id = str(claims.get("jti"))
        if not await self.grants.is_live_refresh(grant_id, token_id):
            await self.grants.revoke(grant_id, REFRESH_TTL)
            return None
        return TenantRefreshToken(
            token=refresh_token, client_id=str(claims["cid"]), scopes=list(claims.get("scope", [])),
            expires_at=int(claims["exp"]), resource=claims.get("res"), subject=key_digest(str(claims["key"])),
            api_key=str(claims["key"]), organization_id=claims.get("org"), grant_id=grant_id, token_id=token_id,
        )

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: TenantRefreshToken, scopes: list[str]
    ) -> OAuthToken:
        if not set(scopes) <= set(refresh_token.scopes):
            raise TokenError("invalid_scope", "a refresh cannot widen the grant")
        refresh_id = secrets.token_urlsafe(16)
        if not await self.grants.rotate(refresh_token.grant_id, refresh_token.token_id, refresh_id, REFRESH_TTL):
            raise TokenError("invalid_grant", "refresh token already used")
        await self._extend_client(refresh_token.client_id, REFRESH_TTL)
        return self._issue(refresh_token.client_id, refresh_token.api_key, refresh_token.organization_id,
                           scopes or refresh_token.scopes, refresh_token.resource, refresh_token.grant_id, refresh_id)

    async def load_access_token(self, token: str) -> TenantAccessToken | None:
        claims = self.sealer.open("access", token)
        if claims is None or claims.get("exp", 0) <= self.clock() or not self._for_us(claims.get("res")):
            return None
        grant_id = str(claims.get("gid"))
        if await self.grants.is_revoked(grant_id):
            return None
        return TenantAccessToken(
            token=token, client_id=str(claims["cid"]), scopes=list(claims.get("scope", [])),
            expires_at=int(claims["exp"]), resource=claims.get("res"), subject=key_digest(str(claims["key"])),
            api_key=str(claims["key"]), organization_id=claims.get("org"), grant_id=grant_id,
        )

    def _for_us(self, resource: object) -> bool:
        """Whether a token's audience is this server (a token naming no resource is this server's own)."""
        return resource is None or self._resource_url is None or str(resource).rstrip("/") == self._resource_url

    async def verify_token(self, token: str) -> TenantAccessToken | None:
        """``TokenVerifier`` for the SDK's bearer check: the same as ``load_access_token``."""
        return await self.load_access_token(token)

    async def revoke_token(self, token: TenantAccessToken | TenantRefreshToken) -> None:
        """Revoke the whole grant: the access and refresh tokens issued together, and their rotations."""
        await self.grants.revoke(token.grant_id, REFRESH_TTL)

    async def exchange_identity_assertion(
        self, client: OAuthClientInformationFull, params: IdentityAssertionParams
    ) -> OAuthToken:
        """Enterprise identity assertions (SEP-990) are not offered: a tenant is a Polytomic key entered on the page."""
        raise TokenError("unsupported_grant_type", "only authorization_code and refresh_token grants are supported")

    def _issue(self, client_id: str, api_key: str, organization_id: str | None, scopes: list[str],
               resource: str | None, grant_id: str, refresh_id: str) -> OAuthToken:
        now = int(self.clock())
        base = {"cid": client_id, "key": api_key, "org": organization_id, "scope": scopes, "res": resource,
                "gid": grant_id}
        access = self.sealer.seal("access", {**base, "exp": now + ACCESS_TTL})
        refresh = self.sealer.seal("refresh", {**base, "exp": now + REFRESH_TTL, "jti": refresh_id})
        return OAuthToken(access_token=access, expires_in=ACCESS_TTL, scope=" ".join(scopes), refresh_token=refresh)
