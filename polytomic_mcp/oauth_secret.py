"""The ``--auth oauth`` server secret: 32 bytes given as hex or base64, checked when settings load (no crypto here)."""

from __future__ import annotations

import base64
import binascii

SECRET_ENV = "POLYTOMIC_OAUTH_SECRET"
SECRET_BYTES = 32


class SecretError(ValueError):
    """The OAuth server secret is missing or not 32 bytes."""


def decode_secret(text: str) -> bytes:
    """32 bytes from hex (64 characters) or base64/base64url; anything else is refused."""
    text = text.strip()
    raw: bytes | None = None
    if len(text) == 2 * SECRET_BYTES:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = None
    if raw is None:
        try:
            raw = base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raw = b""
    if len(raw) != SECRET_BYTES:
        raise SecretError(
            f"{SECRET_ENV} must be {SECRET_BYTES} random bytes as hex or base64 "
            f"(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    return raw
