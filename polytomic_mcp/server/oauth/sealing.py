"""Sealed tokens: a JSON claim set encrypted and authenticated with AES-256-GCM under the server secret.

Any replica holding the same secret can open a token, so no token store is shared between replicas.
The token kind is bound as associated data, so an access token never opens as a refresh token. Authorization
codes and the key page's checked key (held by the browser until confirmed) are sealed the same way, so the
shared state never holds a tenant's key; a confidential client's secret is kept there sealed.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from collections.abc import Mapping
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from polytomic_mcp.oauth_secret import SECRET_BYTES, SECRET_ENV, SecretError, decode_secret

TOKEN_PREFIX = "pmcp_"
NONCE_BYTES = 12

TokenKind = Literal["access", "refresh", "code", "verified", "client_secret"]
"""Tokens and codes handed out, the key page's cookie, and a client's secret as the shared state keeps it."""


def secret_from_env(env: Mapping[str, str] | None = None) -> bytes:
    """The server secret from ``POLYTOMIC_OAUTH_SECRET``; refused when missing or short."""
    value = (os.environ if env is None else env).get(SECRET_ENV, "")
    if not value.strip():
        raise SecretError(f"{SECRET_ENV} is not set; --auth oauth needs it to seal tokens.")
    return decode_secret(value)


class Sealer:
    """Seals and opens claim sets under one secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != SECRET_BYTES:
            raise SecretError(f"the OAuth secret must be {SECRET_BYTES} bytes")
        self._aead = AESGCM(secret)

    def seal(self, kind: TokenKind, claims: Mapping[str, Any]) -> str:
        """An opaque token carrying ``claims``, readable only with this secret and this kind."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        body = self._aead.encrypt(nonce, json.dumps(claims, separators=(",", ":")).encode(), kind.encode())
        return TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + body).decode().rstrip("=")

    def open(self, kind: TokenKind, token: str) -> dict[str, Any] | None:
        """The claims of a token sealed by ``seal(kind, ...)`` under this secret, else None (never raises)."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        text = token[len(TOKEN_PREFIX):]
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], kind.encode())
            claims = json.loads(plain)
        except (binascii.Error, ValueError, InvalidTag):
            return None
        return claims if isinstance(claims, dict) else None
