"""The login part of a connection probe: a secret that is a mask, or one that is missing, fails authentication.

Secrets are write-only and PUT replaces the whole configuration, so a client that sends back what it
read (``"******"``) or leaves a secret out has broken the connection. The API does not guard against
either; the upstream refuses to log in, which is what this check reports.
"""

from __future__ import annotations

from typing import Any

from .schema_adapter import is_mask, is_read_only, path_of

_LOGINS = {"mongodb": ("username", "password"), "postgresql": ("username", "password"), "mysql": ("account", "passwd")}
"""Types whose upstream needs a password once a user name is given: (user key, password key)."""


def masked_secrets(schema: dict[str, Any], config: dict[str, Any], prefix: str = "") -> list[str]:
    """Paths of settable secrets whose stored value is a mask (a run of ``*``), at any depth."""
    found: list[str] = []
    props: dict[str, Any] = schema.get("properties", {})
    for key, value in config.items():
        prop = props.get(key, {})
        if prop.get("sensitive") and not is_read_only(prop) and is_mask(value):
            found.append(path_of(prefix, key))
        elif isinstance(value, dict) and "properties" in prop:
            found.extend(masked_secrets(prop, value, path_of(prefix, key)))
    return found


def login_problem(type_id: str, type_name: str, schema: dict[str, Any], config: dict[str, Any]) -> str | None:
    """Why the upstream refuses these credentials, or None when it would accept them."""
    masked = masked_secrets(schema, config)
    if masked:
        return f"authentication failed: {type_name} rejected the {' and '.join(masked)}"
    user_key, password_key = _LOGINS.get(type_id, ("", ""))
    if user_key and config.get(user_key) and not config.get(password_key):
        return f'authentication failed for user "{config[user_key]}": no {password_key} supplied'
    return None

