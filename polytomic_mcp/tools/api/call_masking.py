"""Secrets in call_api traffic: which body fields hold them, and masking of requests shown and answers returned.

Body paths are dotted field names with list positions left out (``headers.value``), as the
catalog records its ``secret_fields``; ``configuration.*`` covers everything under
``configuration``. A key whose name looks like a credential counts too, except paging cursors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from polytomic_mcp.client import MASK, is_set, looks_secret

from ..core.masking import masked_configuration, masked_free_text
from ..core.secrets import is_env_reference
from ..core.services import Services

PAGING_KEYS = frozenset({"page_token", "next_page_token", "previous_page_token", "prev_page_token"})
"""Cursors, not credentials: they must reach the agent for it to ask for the next page."""


def is_secret_field(path: str, key: str, secret_fields: Iterable[str]) -> bool:
    """Whether the body field at dotted ``path`` (last name ``key``) holds a secret."""
    fields = set(secret_fields)
    parts = path.split(".")
    covered = any(".".join(parts[:n]) + ".*" in fields for n in range(1, len(parts)))
    return path in fields or covered or (looks_secret(key) and key not in PAGING_KEYS)


def leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    """(dotted path, key, value) of every member of a JSON object, nested objects and lists of them included."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}{key}"
            yield path, str(key), item
            if not is_env_reference(item):
                yield from leaves(item, f"{path}.")
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, prefix)


def masked_body(body: Any, secret_fields: Iterable[str], _prefix: str = "") -> Any:
    """A request body as the user and the agent may see it: secret values masked, ``{"$env": ...}`` shown as written."""
    if isinstance(body, Mapping):
        fields = tuple(secret_fields)
        shown: dict[str, Any] = {}
        for key, item in body.items():
            path = f"{_prefix}{key}"
            if is_env_reference(item):
                shown[key] = dict(item)
            elif is_secret_field(path, str(key), fields) and is_set(item):
                shown[key] = MASK
            else:
                shown[key] = masked_body(item, fields, f"{path}.")
        return shown
    if isinstance(body, list):
        return [masked_body(item, secret_fields, _prefix) for item in body]
    return masked_free_text(body)


async def masked_answer(svc: Services, value: Any) -> Any:
    """Polytomic's answer, compact (null members left out) and with every secret masked.

    Masked: connection configurations by their type's schema, credential-looking keys, inline credentials.
    """
    if isinstance(value, list):
        return [await masked_answer(svc, item) for item in value]
    if not isinstance(value, Mapping):
        return masked_free_text(value)
    shown: dict[str, Any] = {}
    type_id = _connection_type(value)
    for key, item in value.items():
        if item is None:
            continue
        if key == "configuration" and type_id is not None and isinstance(item, dict):
            shown[key] = await masked_configuration(svc, type_id, item)
        elif looks_secret(str(key)) and key not in PAGING_KEYS and is_set(item):
            shown[key] = MASK
        else:
            shown[key] = await masked_answer(svc, item)
    return shown


def _connection_type(value: Mapping[str, Any]) -> str | None:
    """The connection type id of an object that looks like a connection (``type: {id}`` or ``type: "id"``)."""
    kind = value.get("type")
    if isinstance(kind, Mapping) and isinstance(kind.get("id"), str):
        return str(kind["id"])
    return kind if isinstance(kind, str) and "configuration" in value else None
