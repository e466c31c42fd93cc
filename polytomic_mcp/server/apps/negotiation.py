"""The Apps extension on the server, and the middleware that shows views only to clients that negotiated it.

The SDK's ``Apps`` extension serves each view document as a ``ui://`` resource (``text/html;profile=mcp-app``) and
advertises the capability. Our tools are listed from the manifest (``tool_listing``), so ``_meta.ui.resourceUri``
is stamped here on tools/list, for a client that declared the extension with that MIME type; for any other client
the ``ui://`` resources are left out of resources/list, so it sees exactly what it saw before views existed.
"""

from __future__ import annotations

from typing import Any

from mcp.server.apps import Apps, client_supports_apps
from mcp.server.context import CallNext, ServerRequestContext

from .views import VIEWS, view_of_tool

LEGACY_URI_KEY = "ui/resourceUri"
"""The flat ``_meta`` key older hosts read (ext-apps' ``RESOURCE_URI_META_KEY``; its server SDK sets both)."""


def apps_extension() -> Apps:
    """The extension with every view document registered as a ``ui://`` resource."""
    apps = Apps()
    for view in VIEWS:
        apps.add_html_resource(view.uri, view.html, name=view.uri.rsplit("/", 1)[-1], title=view.title,
                               description=view.description)
    return apps


async def show_views_to_apps_clients(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> Any:
    """Middleware: tools/list names each tool's view for an Apps client; resources/list hides views from the rest."""
    result = await call_next(ctx)
    if ctx.method not in ("tools/list", "resources/list") or not isinstance(result, dict):
        return result
    if ctx.method == "tools/list" and client_supports_apps(ctx):
        views = view_of_tool()
        result["tools"] = [_with_view(tool, views[tool["name"]]) if tool.get("name") in views else tool
                           for tool in result.get("tools", [])]
    elif ctx.method == "resources/list" and not client_supports_apps(ctx):
        result["resources"] = [r for r in result.get("resources", []) if not str(r.get("uri", "")).startswith("ui://")]
    return result


def _with_view(tool: dict[str, Any], uri: str) -> dict[str, Any]:
    meta = dict(tool.get("_meta") or {})
    meta["ui"] = {**(meta.get("ui") or {}), "resourceUri": uri}
    meta[LEGACY_URI_KEY] = uri
    return {**tool, "_meta": meta}
