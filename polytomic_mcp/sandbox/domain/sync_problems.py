"""A stored sync's ``problems``: what stops it from running, computed from the workspace as it is now."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import bad_request
from ..records import Sync

if TYPE_CHECKING:
    from ..store import Workspace


def _problem(code: str, message: str, path: str) -> dict[str, Any]:
    return {"code": code, "message": message, "path": path, "severity": "error"}


def _mapped_sources(sync: Sync) -> list[tuple[str, dict[str, Any]]]:
    """(JSON path, ``{model_id, field}``) of every model field the sync reads."""
    sources = [(f"$.fields[{i}].source", f["source"]) for i, f in enumerate(sync.fields) if f.get("source")]
    mappings = sync.identities["mappings"]
    sources += [(f"$.identities.mappings[{i}].source", m["source"]) for i, m in enumerate(mappings)]
    return sources


def problems(ws: Workspace, sync: Sync) -> list[dict[str, Any]]:
    """Unmapped required fields, plus models and model fields the sync reads that no longer exist."""
    found = list(sync.unmapped_required)
    for model_id in sync.model_ids:
        if model_id not in ws.models:
            found.append(_problem("model_not_found", f'model "{model_id}" no longer exists', "$.fields"))
    for path, source in _mapped_sources(sync):
        model = ws.models.get(source["model_id"])
        if model is not None and source["field"] not in {f["name"] for f in model.fields} | {f["id"] for f in model.fields}:
            message = f'model field "{source["field"]}" no longer exists in model "{model.name}"'
            found.append(_problem("model_field_not_found", message, f"{path}.field"))
    return found


def check_runnable(ws: Workspace, sync: Sync) -> None:
    """Raise 400 when the sync cannot start: it has problems or its destination connection is gone.

    A connection that exists but cannot be used (unhealthy, unauthorized) does not stop the start: the run
    itself fails and says why, as the API reports it in the execution.
    """
    current = problems(ws, sync)
    if current:
        raise bad_request("sync has problems and cannot run: " + "; ".join(p["message"] for p in current), metadata={"problems": current})
    if sync.target["connection_id"] not in ws.connections:
        raise bad_request("the sync's target connection no longer exists")
