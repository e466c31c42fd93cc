"""MCP tools over the Polytomic client, one module per family, each declared with ``@tool``.

``ToolName`` lists every tool; importing this package registers them all in
``registry.SPECS`` and checks that the two agree.
"""

from __future__ import annotations

from enum import StrEnum

from . import api, bulk, connection_types, connections, deletion, models, runs, syncs, targets  # noqa: F401 - registers tools
from ._framework.registry import SPECS, ToolSpec, register
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


if set(SPECS) != {t.value for t in ToolName}:
    raise RuntimeError(f"ToolName and registered tools disagree: {sorted(set(SPECS) ^ {t.value for t in ToolName})}")

__all__ = [
    "DEFAULT_TOOL_TIMEOUT",
    "SPECS",
    "Services",
    "ToolName",
    "ToolSpec",
    "clip",
    "connection_detail",
    "current_services",
    "model_detail",
    "register",
    "serving",
]
