"""The MCP server: tools, resources, prompt and instructions over one Polytomic client."""

from .app import build_server, make_client, selected_tools

__all__ = ["build_server", "make_client", "selected_tools"]
