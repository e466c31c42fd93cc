"""The OAuth authorization server provider behind ``--auth oauth`` (the SDK's routes call it).

Access and refresh tokens are sealed (see ``sealing``): each carries the tenant's Polytomic key and
organization id, the granted scopes, its expiry, the client id and a grant id shared by every token
of one authorization. Replicas with the same secret all accept them. Kept in this process only:
registered clients, pending authorizations, codes (single use, five minutes), refresh tokens already
rotated and revoked grants; so rotation reuse detection and revocation hold per replica (README).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

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

from polytomic_mcp.bounded_cache import BoundedCache
from polytomic_mcp.server.tenants import Grant, key_digest

from .client_documents import ClientDocuments, is_document_url
from .quotas import QuotaExceeded, QuotaTable
from .request_bounds import BadRequest, check_authorization, compact_client
from .sealing import Sealer

READ_SCOPE = "polytomic:read"
WRITE_SCOPE = "polytomic:write"
SCOPES = (READ_SCOPE, WRITE_SCOPE)
CODE_TTL = 300
PENDING_TTL = 900
ACCESS_TTL = 3600
REFRESH_TTL = 30 * 24 * 3600
MAX_ENTRIES = 10_000
PER_CALLER = 20
"""Registrations, and authorizations in progress, one client address may hold at once."""
REGISTRATION_TTL = 24 * 3600



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
    """A code bound to client, redirect URI and PKCE challenge, holding the verified tenant key."""

    api_key: str
    organization_id: str | None = None


@dataclass(frozen=True)
class PendingAuthorization:
    """An authorization request waiting for the user to enter a key on the key page."""

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
    """``OAuthAuthorizationServerProvider`` issuing sealed tokens for tenants verified on the key page."""

    def __init__(self, sealer: Sealer, key_page_url: str, clock: Callable[[], float] = time.time,
                 documents: ClientDocuments | None = None) -> None:
        self._sealer = sealer
        self._documents = documents or ClientDocuments(default_scope=" ".join(SCOPES))
        self._key_page_url = key_page_url
        self._clock = clock
        self._clients: QuotaTable[OAuthClientInformationFull] = QuotaTable(
            "registrations", PER_CALLER, MAX_ENTRIES, clock=clock)
        """Registered clients: a day until a code is issued for them, then as long as their refresh tokens live."""
        self._pending: QuotaTable[PendingAuthorization] = QuotaTable(
            "authorizations in progress", PER_CALLER, MAX_ENTRIES, clock=clock)
        self._codes: BoundedCache[str, TenantAuthorizationCode] = BoundedCache(MAX_ENTRIES, clock=clock)
        self.used_refresh: BoundedCache[str, bool] = BoundedCache(MAX_ENTRIES, clock=clock)
        """Refresh token ids already exchanged, each until its token expires (a reuse revokes the grant)."""
        self.revoked_grants: BoundedCache[str, bool] = BoundedCache(MAX_ENTRIES, clock=clock)
        """Grant ids revoked, each until the longest token of the grant expires."""

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        """A registered client, or the client an https client id's metadata document describes."""
        if (registered := self._clients.get(client_id)) is not None:
            return registered
        if is_document_url(client_id):
            return await self._documents.client(client_id)
        return None

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
            self._clients.add(client_info.client_id, compact, self._clock() + REGISTRATION_TTL)
        except QuotaExceeded as full:
            raise RegistrationError("invalid_client_metadata", str(full)) from None

    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        """Park the request and send the browser to the key page (the code is issued there)."""
        if client.client_id is None:
            raise AuthorizeError("unauthorized_client", "unknown client")
        try:
            check_authorization(params)
        except BadRequest as problem:
            raise AuthorizeError("invalid_request", str(problem)) from None
        request_id = secrets.token_urlsafe(32)
        expires_at = self._clock() + PENDING_TTL
        try:
            self._pending.add(request_id, PendingAuthorization(client.client_id, params, expires_at), expires_at)
        except QuotaExceeded as full:
            raise AuthorizeError("temporarily_unavailable", str(full)) from None
        return construct_redirect_uri(self._key_page_url, request=request_id)

    def pending(self, request_id: str) -> PendingAuthorization | None:
        """The unexpired pending authorization ``request_id``, if any (the key page reads it)."""
        return self._pending.get(request_id)

    def issue_code(self, request_id: str, api_key: str, organization_id: str | None, read_write: bool) -> str:
        """Complete a pending authorization for a verified key: the redirect URL carrying a new code.

        The pending request is consumed, so a form is never submitted twice into two codes.
        """
        entry = self._pending.pop(request_id)
        if entry is None:
            raise AuthorizeError("access_denied", "the authorization request expired; start again from the client")
        code = secrets.token_urlsafe(32)
        expires_at = self._clock() + CODE_TTL
        self._clients.extend(entry.client_id, self._clock() + REFRESH_TTL)
        self._codes.put(code, TenantAuthorizationCode(
            code=code, scopes=granted_scopes(read_write), expires_at=expires_at,
            client_id=entry.client_id, code_challenge=entry.params.code_challenge,
            redirect_uri=entry.params.redirect_uri,
            redirect_uri_provided_explicitly=entry.params.redirect_uri_provided_explicitly,
            resource=entry.params.resource, subject=key_digest(api_key), api_key=api_key,
            organization_id=organization_id,
        ), expires_at=expires_at)
        return construct_redirect_uri(str(entry.params.redirect_uri), code=code, state=entry.params.state)

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> TenantAuthorizationCode | None:
        code = self._codes.get(authorization_code)
        return code if code is not None and code.client_id == client.client_id else None

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: TenantAuthorizationCode
    ) -> OAuthToken:
        if self._codes.pop(authorization_code.code) is None:
            raise TokenError("invalid_grant", "authorization code already used")
        return self._issue(client.client_id or "", authorization_code.api_key, authorization_code.organization_id,
                           authorization_code.scopes, authorization_code.resource, secrets.token_urlsafe(16))

    async def load_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: str
    ) -> TenantRefreshToken | None:
        claims = self._sealer.open("refresh", refresh_token)
        if claims is None or claims.get("cid") != client.client_id or claims.get("exp", 0) <= self._clock():
            return None
        grant_id = str(claims.get("gid"))
        if grant_id in self.revoked_grants:
            return None
        token_id = str(claims.get("jti"))
        if token_id in self.used_refresh:
            self.revoked_grants.put(grant_id, True, expires_at=self._clock() + REFRESH_TTL)
            return None
        self._clients.extend(client.client_id or "", float(claims["exp"]))
        return TenantRefreshToken(
            token=refresh_token, client_id=str(claims["cid"]), scopes=list(claims.get("scope", [])),
            expires_at=int(claims["exp"]), resource=claims.get("res"), subject=key_digest(str(claims["key"])),
            api_key=str(claims["key"]), organization_id=claims.get("org"), grant_id=grant_id, token_id=token_id,
        )

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: TenantRefreshToken, scopes: list[str]
    ) -> OAuthToken:
        if refresh_token.token_id in self.used_refresh:
            raise TokenError("invalid_grant", "refresh token already used")
        if not set(scopes) <= set(refresh_token.scopes):
            raise TokenError("invalid_scope", "a refresh cannot widen the grant")
        self.used_refresh.put(refresh_token.token_id, True, expires_at=float(refresh_token.expires_at or self._clock() + REFRESH_TTL))
        return self._issue(refresh_token.client_id, refresh_token.api_key, refresh_token.organization_id,
                           scopes or refresh_token.scopes, refresh_token.resource, refresh_token.grant_id)

    async def load_access_token(self, token: str) -> TenantAccessToken | None:
        claims = self._sealer.open("access", token)
        if claims is None or claims.get("exp", 0) <= self._clock():
            return None
        grant_id = str(claims.get("gid"))
        if grant_id in self.revoked_grants:
            return None
        return TenantAccessToken(
            token=token, client_id=str(claims["cid"]), scopes=list(claims.get("scope", [])),
            expires_at=int(claims["exp"]), resource=claims.get("res"), subject=key_digest(str(claims["key"])),
            api_key=str(claims["key"]), organization_id=claims.get("org"), grant_id=grant_id,
        )

    async def verify_token(self, token: str) -> TenantAccessToken | None:
        """``TokenVerifier`` for the SDK's bearer check: the same as ``load_access_token``."""
        return await self.load_access_token(token)

    async def revoke_token(self, token: TenantAccessToken | TenantRefreshToken) -> None:
        """Revoke the whole grant: the access and refresh tokens issued together, and their rotations."""
        self.revoked_grants.put(token.grant_id, True, expires_at=self._clock() + REFRESH_TTL)

    async def exchange_identity_assertion(
        self, client: OAuthClientInformationFull, params: IdentityAssertionParams
    ) -> OAuthToken:
        """Enterprise identity assertions (SEP-990) are not offered: a tenant is a Polytomic key entered on the page."""
        raise TokenError("unsupported_grant_type", "only authorization_code and refresh_token grants are supported")

    def _issue(self, client_id: str, api_key: str, organization_id: str | None, scopes: list[str],
               resource: str | None, grant_id: str) -> OAuthToken:
        now = int(self._clock())
        base = {"cid": client_id, "key": api_key, "org": organization_id, "scope": scopes, "res": resource,
                "gid": grant_id}
        access = self._sealer.seal("access", {**base, "exp": now + ACCESS_TTL})
        refresh = self._sealer.seal("refresh", {**base, "exp": now + REFRESH_TTL, "jti": secrets.token_urlsafe(16)})
        return OAuthToken(access_token=access, expires_in=ACCESS_TTL, scope=" ".join(scopes), refresh_token=refresh)
