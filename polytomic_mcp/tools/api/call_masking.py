"""Secrets in call_api traffic: which body fields hold them, and masking of requests shown and answers returned.

Body paths are dotted field names with list positions left out (``headers.value``), as the
catalog records its ``secret_fields``; ``configuration.*`` covers everything under
``configuration``. A key whose name looks like a credential (``secret_name``) counts too, except
paging cursors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import anyio

from polytomic_mcp.client import MASK, PolytomicError, is_set, mask_configuration

from ..core.masking import masked_free_text, secret_name
from ..core.secrets import is_env_reference
from ..core.services import Services

PAGING_KEYS = frozenset({"page_token", "next_page_token", "previous_page_token", "prev_page_token"})
"""Cursors, not credentials: they must reach the agent for it to ask for the next page."""


def is_secret_field(path: str, key: str, secret_fields: Iterable[str]) -> bool:
    """Whether the body field at dotted ``path`` (last name ``key``) holds a secret."""
    fields = set(secret_fields)
    parts = path.split(".")
    covered = any(".".join(parts[:n]) + ".*" in fields for n in range(1, len(parts)))
    return path in fields or covered or (secret_name(key) and key not in PAGING_KEYS)


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

    Masked: connection configurations by their type's schema, credential-looking keys (``X-Api-Key``, ``Cookie``
    included, with or without a connection type), secrets recognized by their shape in any string. The schemas are
    read first; the walk itself runs in a worker thread, so a huge answer does not hold the event loop.
    """
    secret_paths: dict[str, list[str]] = {}
    for type_id in _connection_types(value):
        try:
            secret_paths[type_id] = list((await svc.type_schema(type_id)).secret_paths)
        except PolytomicError:
            secret_paths[type_id] = []
    return await anyio.to_thread.run_sync(_masked, value, secret_paths)


def _masked(value: Any, secret_paths: Mapping[str, list[str]]) -> Any:
    """The synchronous walk of ``masked_answer`` with the schemas' secret paths already read."""
    if isinstance(value, list):
        return [_masked(item, secret_paths) for item in value]
    if not isinstance(value, Mapping):
        return masked_free_text(value)
    shown: dict[str, Any] = {}
    type_id = _connection_type(value)
    for key, item in value.items():
        if item is None:
            continue
        if key == "configuration" and type_id is not None and isinstance(item, dict):
            shown[key] = _masked(mask_configuration(item, secret_paths.get(type_id, [])), secret_paths)
        elif secret_name(str(key)) and key not in PAGING_KEYS and is_set(item):
            shown[key] = MASK
        else:
            shown[key] = _masked(item, secret_paths)
    return shown


def _connection_types(value: Any, found: set[str] | None = None) -> set[str]:
    """Every connection type id named by an object in the answer that looks like a connection."""
    found = set() if found is None else found
    if isinstance(value, list):
        for item in value:
            _connection_types(item, found)
    elif isinstance(value, Mapping):
        type_id = _connection_type(value)
        if type_id is not None:
            found.add(type_id)
        for item in value.values():
            if isinstance(item, (list, Mapping)):
                _connection_types(item, found)
    return found


def _connection_type(value: Mapping[str, Any]) -> str | None:
    """The connection type id of an object that looks like a connection (``type: {id}`` or ``type: "id"``)."""
    kind = value.get("type")
    if isinstance(kind, Mapping) and isinstance(kind.get("id"), str):
        return str(kind["id"])
    return kind if isinstance(kind, str) and "configuration" in value else None
