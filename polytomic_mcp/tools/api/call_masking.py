"""Secrets in call_api traffic: which body fields hold them, and masking of requests shown and answers returned.

Body paths are dotted field names with list positions left out (``headers.value``), as the
catalog records its ``secret_fields``; ``configuration.*`` covers everything under
``configuration``. A key whose name looks like a credential (``secret_name``) counts too, except
paging cursors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import anyio

from polytomic_mcp.client import MASK, PolytomicError, is_set, mask_configuration
from polytomic_mcp.secret_shapes import mask_shapes

from ..core.bounds import MAX_RESULT_CHARS, bounded, is_large
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


class ShownAnswer(NamedTuple):
    """Polytomic's answer as call_api shows it, and what was cut from it (None when nothing was)."""

    response: Any
    truncated: str | None


RESPONSE_BUDGET = MAX_RESULT_CHARS - 1_000
"""What a large answer is cut to first; the rest of the result fits in the remainder."""


async def shown_answer(svc: Services, value: Any) -> ShownAnswer:
    """Polytomic's answer, compact (null members left out), every secret masked, a large one cut to size first.

    Masked: connection configurations by their type's schema, credential-looking keys (``X-Api-Key``, ``Cookie``
    included, with or without a connection type), secrets recognized by their shape in any string (before any
    string is cut). A large answer is cut in a worker thread, reading only what is kept, and only the kept part is
    masked: its objects sit at the same paths as in the answer, which still tells each one's connection type.
    """
    shown, truncated = value, None
    if is_large(value):
        cut = await anyio.to_thread.run_sync(lambda: bounded({"response": value}, RESPONSE_BUDGET, scrub=mask_shapes))
        shown, truncated = cut.get("response"), cut.get("truncated")
    secret_paths: dict[str, list[str]] = {}
    for type_id in sorted(_connection_types(shown, value)):
        try:
            secret_paths[type_id] = list((await svc.type_schema(type_id)).secret_paths)
        except PolytomicError:
            secret_paths[type_id] = []
    return ShownAnswer(await anyio.to_thread.run_sync(_masked, shown, value, secret_paths), truncated)


def _masked(value: Any, original: Any, secret_paths: Mapping[str, list[str]]) -> Any:
    """``value`` masked; ``original`` is what it was copied from (the same object unless cut), read for connection types."""
    if isinstance(value, list):
        originals = original if isinstance(original, list) else []
        return [_masked(item, originals[index] if index < len(originals) else None, secret_paths) for index, item in enumerate(value)]
    if not isinstance(value, Mapping):
        return masked_free_text(value)
    source = original if isinstance(original, Mapping) else {}
    shown: dict[str, Any] = {}
    type_id = _connection_type(source) or _connection_type(value)
    for key, item in value.items():
        if item is None:
            continue
        if key == "configuration" and type_id is not None and isinstance(item, dict):
            shown[key] = _masked(mask_configuration(item, secret_paths.get(type_id, [])), source.get(key), secret_paths)
        elif secret_name(str(key)) and key not in PAGING_KEYS and is_set(item):
            shown[key] = MASK
        else:
            shown[key] = _masked(item, source.get(key), secret_paths)
    return shown


def _connection_types(value: Any, original: Any, found: set[str] | None = None) -> set[str]:
    """Every connection type id named by an object (in ``value``, or where it was copied from) that looks like a connection."""
    found = set() if found is None else found
    if isinstance(value, list):
        originals = original if isinstance(original, list) else []
        for index, item in enumerate(value):
            _connection_types(item, originals[index] if index < len(originals) else None, found)
    elif isinstance(value, Mapping):
        source = original if isinstance(original, Mapping) else {}
        type_id = _connection_type(source) or _connection_type(value)
        if type_id is not None:
            found.add(type_id)
        for key, item in value.items():
            if isinstance(item, (list, Mapping)):
                _connection_types(item, source.get(key), found)
    return found


def _connection_type(value: Mapping[str, Any]) -> str | None:
    """The connection type id of an object that looks like a connection (``type: {id}`` or ``type: "id"``)."""
    kind = value.get("type")
    if isinstance(kind, Mapping) and isinstance(kind.get("id"), str):
        return str(kind["id"])
    return kind if isinstance(kind, str) and "configuration" in value else None
