"""Read-only per request: a tenant whose Services are read-only (an OAuth read-only grant) sees and may call
only the tools ``--read-only`` keeps, whatever the server-wide setting; ``call_api`` itself refuses writes
for such Services, so that tenant's tools/list shows it read-only (as ``--read-only`` does)."""

from __future__ import annotations

from typing import Any

from mcp.server.context import CallNext, ServerRequestContext
from mcp_types import CallToolResult, ListToolsResult, TextContent, ToolAnnotations

from polytomic_mcp.tools.core.manifest import entries, read_only_view
from polytomic_mcp.tools.core.services import serving_now


def writes_hidden(name: str) -> bool:
    """Whether a read-only tenant may not see or call tool ``name``."""
    entry = entries().get(name)
    return entry is not None and not entry.kept_in_read_only_mode


def guards_writes(name: str) -> bool:
    """Whether tool ``name`` refuses its own writes for a read-only tenant (so it can only read there)."""
    entry = entries().get(name)
    return entry is not None and entry.guards_writes


def read_only_listing(tool: dict[str, Any]) -> dict[str, Any]:
    """A wire-form tool as a read-only tenant may use it: hints of a tool that only reads if it guards its writes."""
    if not guards_writes(str(tool.get("name"))):
        return tool
    hints = ToolAnnotations.model_validate(tool.get("annotations") or {})
    return {**tool, "annotations": read_only_view(hints).model_dump(mode="json", by_alias=True, exclude_none=True)}


async def enforce_read_only_tenant(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
    """Middleware (after the one that picks the request's Services): hide and refuse write tools for read-only Services."""
    svc = serving_now()
    if svc is None or not svc.read_only:
        return await call_next(ctx)
    if ctx.method == "tools/call" and isinstance(ctx.params, dict) and writes_hidden(str(ctx.params.get("name"))):
        text = (f"Tool '{ctx.params.get('name')}' is disabled: this connection was authorized read-only, so it "
                "cannot create or change anything. Tell the user; reconnect with read-write access to make changes.")
        return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)
    result = await call_next(ctx)
    if ctx.method != "tools/list":
        return result
    if isinstance(result, ListToolsResult):
        kept_tools = [t.model_copy(update={"annotations": read_only_view(t.annotations or ToolAnnotations())})
                      if guards_writes(t.name) else t for t in result.tools if not writes_hidden(t.name)]
        return result.model_copy(update={"tools": kept_tools})
    if isinstance(result, dict) and isinstance(result.get("tools"), list):
        kept = [read_only_listing(t) if isinstance(t, dict) else t
                for t in result["tools"] if not (isinstance(t, dict) and writes_hidden(str(t.get("name"))))]
        return {**result, "tools": kept}
    return result
