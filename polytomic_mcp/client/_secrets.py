"""Masking of secret configuration values, shared by reprs, tools and resources.

A value is secret when the connection type's schema marks it ``sensitive`` or when
its key looks like a credential (password, secret, token, key, private, ...). The
name rule is defence in depth: it holds even when the API echoes a secret back.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "******"

_SECRET_NAME = re.compile(
    r"(pass(wd|word|phrase)?|secret|token|api_?key|private|credential|service_account|"
    r"client_key|client_certificate|ca_cert|access_key|auth_code|^key$|_key$|^value$)",
    re.IGNORECASE,
)


def looks_secret(name: str) -> bool:
    """True when a configuration key's name suggests it holds a credential."""
    return bool(_SECRET_NAME.search(name))


def mask_configuration(value: Any, secret_paths: Iterable[str] = (), _prefix: str = "") -> Any:
    """Return a copy of ``value`` with secret leaves replaced by ``MASK``.

    ``secret_paths`` are dotted paths (``basic.password``, ``headers[].value``) that the
    type's schema marks sensitive; keys whose names look secret are masked too. Empty
    values stay empty so an agent can see that nothing is set.
    """
    secrets = set(secret_paths)
    if isinstance(value, Mapping):
        masked: dict[str, Any] = {}
        for key, item in value.items():
            path = f"{_prefix}{key}"
            if (path in secrets or looks_secret(str(key))) and is_set(item):
                masked[key] = MASK
            else:
                masked[key] = mask_configuration(item, secrets, f"{path}.")
        return masked
    if isinstance(value, list):
        list_prefix = _prefix[:-1] + "[]." if _prefix else ""
        return [mask_configuration(item, secrets, list_prefix) for item in value]
    return value


def is_set(value: Any) -> bool:
    """Whether a value carries content worth hiding (non-empty, non-null, not a bool)."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, (str, list, dict)):
        return len(value) > 0
    return True


def redact(text: str, *secrets: str | None) -> str:
    """Replace every occurrence of the given secrets in ``text``, also JSON-escaped, URL-encoded or in base64."""
    for secret in secrets:
        if not secret or len(secret) < 4:
            continue
        raw = secret.encode("utf-8", "surrogatepass")
        forms = {
            secret, json.dumps(secret)[1:-1], json.dumps(json.dumps(secret)[1:-1])[1:-1],
            quote(secret, safe=""), quote_plus(secret, safe=""),
            base64.b64encode(raw).decode().rstrip("="), base64.urlsafe_b64encode(raw).decode().rstrip("="),
        }
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, MASK)
    return text
