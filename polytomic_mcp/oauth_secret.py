"""The ``--auth oauth`` server secret: 32 bytes given as hex or base64, checked when settings load (no crypto here)."""

from __future__ import annotations

import base64
import binascii

SECRET_ENV = "POLYTOMIC_OAUTH_SECRET"
SECRET_BYTES = 32


class SecretError(ValueError):
    """The OAuth server secret is missing, not 32 bytes, or not random-looking."""


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
    if not looks_random(text, raw):
        raise SecretError(
            f"{SECRET_ENV} does not look random (repeated bytes, or words rather than random characters): every "
            "token this server issues could be forged by guessing it. Generate one with "
            "python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    return raw


def looks_random(text: str, raw: bytes) -> bool:
    """Whether a secret could have come from a random generator: 32 random bytes have about 30 distinct values, 64
    random hex digits nearly all 16, and 43 random base64 characters both letter cases (a passphrase has not)."""
    if len(set(raw)) < 20:
        return False
    if len(text) == 2 * SECRET_BYTES and all(c in "0123456789abcdefABCDEF" for c in text):
        return len(set(text.lower())) >= 10
    return any(c.isupper() for c in text) and any(c.islower() for c in text)
