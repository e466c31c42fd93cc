"""The one consent table: the effects of a write that need the person's yes, for typed tools and call_api alike.

An allow-list: a write needs no yes only when its tool or catalog row says it has none of these effects
(a sync in ``create`` mode, a new model, a paused sync); anything new or unknown needs one (``UNKNOWN``).
"""

from __future__ import annotations

from enum import StrEnum


class Effect(StrEnum):
    """Why a write needs the person's yes; the value is how the question and the refusals say it."""

    RECORDS = "it changes, replaces or deletes records in a business app"
    DESTRUCTIVE = "it deletes, cancels, replaces or reruns from scratch"
    CREDENTIALED = "it runs a request, SQL or schema edit with stored credentials"
    OUTWARD = "it sends data, events, links or credentials to a new address or account"
    ACCESS = "it changes users, roles, keys, policies or organizations"
    UNKNOWN = "this server does not know it to be safe"


SAFE_SYNC_MODES = frozenset({"create", "append"})
"""Model-sync modes that only add records; every other mode (update, updateOrCreate, replace, remove, snapshot,
and any mode Polytomic adds later) can change what already exists in the target, so it needs the yes."""


def changes_records(mode: str) -> bool:
    """Whether a model sync in ``mode`` may change, replace or delete records that already exist in the target."""
    return mode not in SAFE_SYNC_MODES
