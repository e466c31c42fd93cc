"""MCP tools over the Polytomic client, one module per family, each declared with ``@tool``.

``ToolName`` lists every tool. The families load on first use of a name below (``SPECS``, ``register``...):
start-up registers tools from the manifest (``_framework.manifest``) and imports them on the first call.
Loading checks that the declared tools and ``ToolName`` agree.
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._framework.registry import SPECS, ToolSpec
    from ._framework.render import clip
    from ._framework.services import DEFAULT_TOOL_TIMEOUT, Services, current_services, serving
    from ._framework.views import connection_detail, model_detail


class ToolName(StrEnum):
    """Every tool this server can expose."""

    LIST_CONNECTION_TYPES = "list_connection_types"
    CREATE_CONNECTION = "create_connection"
    UPDATE_CONNECTION = "update_connection"
    LIST_CONNECTIONS = "list_connections"
    LIST_SOURCE_OBJECTS = "list_source_objects"
    CREATE_MODEL = "create_model"
    UPDATE_MODEL = "update_model"
    LIST_MODELS = "list_models"
    LIST_TARGET_OBJECTS = "list_target_objects"
    CREATE_SYNC = "create_sync"
    UPDATE_SYNC = "update_sync"
    CREATE_BULK_SYNC = "create_bulk_sync"
    LIST_SYNCS = "list_syncs"
    START_SYNC = "start_sync"
    GET_SYNC_STATUS = "get_sync_status"
    GET_SYNC_RUNS = "get_sync_runs"
    CANCEL_SYNC_RUN = "cancel_sync_run"
    ACTIVATE_SYNC = "activate_sync"
    DELETE = "delete"
    SEARCH_API = "search_api"
    CALL_API = "call_api"


FAMILIES = ("api", "bulk", "connection_types", "connections", "deletion", "models", "runs", "syncs", "targets")
LAZY = {
    "SPECS": "._framework.registry",
    "ToolSpec": "._framework.registry",
    "clip": "._framework.render",
    "DEFAULT_TOOL_TIMEOUT": "._framework.services",
    "Services": "._framework.services",
    "current_services": "._framework.services",
    "serving": "._framework.services",
    "connection_detail": "._framework.views",
    "model_detail": "._framework.views",
}


def load_tools() -> dict[str, ToolSpec]:
    """Import every tool family (declaring its tools) and return the registry; checks it against ``ToolName``."""
    for family in FAMILIES:
        importlib.import_module(f".{family}", __name__)
    specs: dict[str, ToolSpec] = importlib.import_module("._framework.registry", __name__).SPECS
    if set(specs) != {t.value for t in ToolName}:
        raise RuntimeError(f"ToolName and registered tools disagree: {sorted(set(specs) ^ {t.value for t in ToolName})}")
    return specs


def __getattr__(name: str) -> Any:
    """The names in ``LAZY``, loading the tool families first (PEP 562)."""
    if name not in LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    load_tools()
    value = getattr(importlib.import_module(LAZY[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_TOOL_TIMEOUT",
    "SPECS",
    "Services",
    "ToolName",
    "ToolSpec",
    "clip",
    "connection_detail",
    "current_services",
    "load_tools",
    "model_detail",
    "serving",
]
