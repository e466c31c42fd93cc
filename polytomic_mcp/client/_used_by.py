"""``UsedBy``: an object that depends on a connection, as a 422 "connection in use" lists it in ``metadata.used_by``.

It lives apart from ``models`` so the exception tree can parse it without importing the model package.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class UsedBy(BaseModel):
    """A model, sync or bulk sync that uses a connection: ``type`` (``model``, ``sync``, ``bulk_sync``…), ``id``, ``name``."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    type: str
    id: str
    name: str | None = None


def parse_used_by(metadata: Any) -> list[UsedBy]:
    """The ``used_by`` entries of an error's ``metadata``; entries that are not objects with ``type`` and ``id`` are skipped."""
    items = metadata.get("used_by") if isinstance(metadata, dict) else None
    found: list[UsedBy] = []
    for item in items if isinstance(items, list) else []:
        try:
            found.append(UsedBy.model_validate(item))
        except ValidationError:
            continue
    return found
