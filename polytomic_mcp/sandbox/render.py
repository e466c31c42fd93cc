"""Turn stored records into version-specific response bodies (masking secrets, leaving sandbox bookkeeping out)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .domain.sync_problems import problems
from .records import Connection, Execution, Model, Sync, api_members
from .type_schemas import get_type
from .validation import masked_for_answer
from .versions import is_legacy

if TYPE_CHECKING:
    from .store import Workspace

_RATE_LIMIT = {"currently_limited": False, "limited_since": None, "expires_at": None}
_CREATED_CONNECTION_KEYS = (
    "id", "name", "organization_id", "type", "configuration", "status", "status_error", "saved", "policies",
    "healthcheck_interval",
)
_V2025_SYNC_KEYS = ("identities", "model_filters", "target_filters", "problems")
_LIGHT_SYNC_KEYS = (
    "id", "name", "organization_id", "active", "mode", "model_ids", "schedule", "sync_all_records",
    "skip_initial_backfill", "only_enrich_updates", "created_at", "created_by", "updated_at", "updated_by",
)


def connection(conn: Connection, version: str, *, with_auth: bool = False, mask: bool = True) -> dict[str, Any]:
    """Render a connection with secrets masked (unless a test asks for leaks).

    Reads answer ``ConnectionResponseSchema``; create/update (``with_auth``) answer the API's narrower
    ``CreateConnectionResponseSchema``: no timestamps, actors, usage or rate limit, but ``healthcheck_interval``,
    ``auth_url`` and ``auth_code``.
    """
    ctype = get_type(conn.type_id)
    out = api_members(conn)
    config = conn.configuration
    out["configuration"] = masked_for_answer(ctype.schema if ctype else {}, config) if mask else copy.deepcopy(config)
    if with_auth:
        out = {key: out[key] for key in _CREATED_CONNECTION_KEYS}
        out["auth_url"] = conn.auth_url
        out["auth_code"] = conn.auth_code
        return out
    out.pop("healthcheck_interval", None)
    if not is_legacy(version):
        out["rate_limit"] = dict(_RATE_LIMIT)
    return out


def model(stored: Model) -> dict[str, Any]:
    """Render a model."""
    return api_members(stored)


def model_preview(resolved: Model) -> dict[str, Any]:
    """Render a would-be model (``POST /api/model-preview``): no id or version, as nothing was stored."""
    out = api_members(resolved)
    del out["id"], out["version"]
    return out


def sync(ws: Workspace, stored: Sync, version: str) -> dict[str, Any]:
    """Render a full sync; 2024-02-08 omits the 2025-only members (identities, new filters, problems)."""
    out = api_members(stored)
    out["problems"] = problems(ws, stored)
    if out["encryption_passphrase"]:
        out["encryption_passphrase"] = "******"
    if is_legacy(version):
        for key in _V2025_SYNC_KEYS:
            out.pop(key, None)
    return out


def sync_light(stored: Sync) -> dict[str, Any]:
    """Render the light list item of ``GET /api/syncs`` on 2025-09-18."""
    out = {k: getattr(stored, k) for k in _LIGHT_SYNC_KEYS}
    out["target_connection_id"] = stored.target["connection_id"]
    out["target_object"] = stored.target["object"]
    return out


def execution(run: Execution) -> dict[str, Any]:
    """Render an execution (its bookkeeping and ``sync_id`` stay in the sandbox)."""
    return {
        "id": run.id, "status": run.status, "type": run.type, "created_at": run.created_at, "started_at": run.started_at,
        "completed_at": run.completed_at, "counts": run.counts, "errors": run.errors, "version": run.version,
    }
