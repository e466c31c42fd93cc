"""MCP Apps (``io.modelcontextprotocol/ui``): pipeline views a host draws beside a tool's result.

``views`` names each view (its ``ui://polytomic/...`` document and the tools it draws); ``negotiation`` shows them
only to clients that negotiated the extension, so every other client sees exactly the tools and resources it saw
before. The documents in ``html/`` are self-contained: inline script and style, a strict CSP, no network.
"""

from .negotiation import apps_extension, show_views_to_apps_clients
from .views import VIEWS, AppView, view_of_tool

__all__ = ["VIEWS", "AppView", "apps_extension", "show_views_to_apps_clients", "view_of_tool"]
