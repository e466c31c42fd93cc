"""Identifiers, timestamps and a global revision counter, so stored objects sort newest-updated first."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

_revisions = itertools.count(1)
_ORG_NAMESPACE = uuid.UUID("6f1c2a9e-3b7d-4c55-9a0e-5d1f2b3c4a5e")


def new_id() -> str:
    """Return a fresh random UUID string (the API's id format)."""
    return str(uuid.uuid4())


def stable_id(*parts: str) -> str:
    """Return a UUID derived from ``parts`` so the same API key always maps to the same org."""
    return str(uuid.uuid5(_ORG_NAMESPACE, "/".join(parts)))


def next_revision() -> int:
    """Return a strictly increasing integer used to order objects by last update."""
    return next(_revisions)


def now_iso() -> str:
    """Return the current UTC time in the API's ``2025-10-01T09:30:00Z`` format."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
