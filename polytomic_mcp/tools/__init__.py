"""MCP tools over the Polytomic client: one package per resource family, each tool declared with ``@tool``.

``ToolName`` lists every tool and ``Toolset`` the groups ``POLYTOMIC_TOOLSETS`` chooses from. Importing this
package loads no family: the server lists tools from ``core.manifest`` and ``load_tools`` imports the families
on the first tool call (it also checks that the declared tools and ``ToolName`` agree).
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .core.registry import ToolSpec


class ToolName(StrEnum):
    """Every tool this server can expose, in the order of the workflow (tools/list keeps it)."""

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


class Toolset(StrEnum):
    """Tool groups: the typed pipeline tools, and the generic path to every API operation."""

    PIPELINES = "pipelines"
    API = "api"


TOOL_MODULES = ("connections.tools", "models.tools", "syncs.targets", "syncs.tools", "syncs.bulk", "syncs.runs",
                "deletion.tools", "api.tools")
"""The modules that declare tools (importing one registers its tools)."""


def load_tools() -> dict[str, ToolSpec]:
    """Import every tool module (declaring its tools) and return the registry; checks it against ``ToolName``."""
    for module in TOOL_MODULES:
        importlib.import_module(f".{module}", __name__)
    specs: dict[str, ToolSpec] = importlib.import_module(".core.registry", __name__).SPECS
    if set(specs) != {t.value for t in ToolName}:
        raise RuntimeError(f"ToolName and registered tools disagree: {sorted(set(specs) ^ {t.value for t in ToolName})}")
    return specs


__all__ = ["TOOL_MODULES", "ToolName", "Toolset", "load_tools"]
