"""An update_sync call as a full request: the stored sync with what the call gives replacing each top-level value.

Shared by update_sync and its confirmation resolver, so both judge the same merged request.
"""

from __future__ import annotations

from typing import Any

from polytomic_mcp.client.models import Sync, SyncRequest

from ..core.effects import changes_records

WHAT_MATCHES = ("target", "fields", "identity", "identities", "mode", "schedule")
"""Parts of a sync whose change alters which records are written, how, or when (a continuous schedule runs it
all the time)."""


def merge_sync(current: Sync, given: dict[str, Any]) -> SyncRequest:
    """The stored sync with each given (non-None) top-level value replacing its own; ``identity`` and ``identities`` replace each other."""
    updates = {k: v for k, v in given.items() if v is not None}
    if given.get("identity") is not None:
        updates["identities"] = None
    elif given.get("identities") is not None:
        updates["identity"] = None
    return current.to_request().model_copy(update=updates)


def needs_consent(current: Sync, request: SyncRequest) -> bool:
    """Whether saving ``request`` over ``current`` starts or changes writing existing records.

    True when a sync moves into a record-changing mode, or when a record-changing sync will be
    active and is being turned on or has its target, mapping, identity or schedule changed.
    """
    if not changes_records(request.mode):
        return False
    if not changes_records(current.mode):
        return True
    before = current.to_request()
    active = request.active if request.active is not None else bool(current.active)
    if not active:
        return False
    changed = any(getattr(before, key) != getattr(request, key) for key in WHAT_MATCHES)
    return changed or not current.active
