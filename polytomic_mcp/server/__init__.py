"""The MCP server: tools, resources, prompt and instructions over one Polytomic client."""

from .app import build_server, make_client, selected_tools
from .state_check import require_shared_state

__all__ = ["build_server", "make_client", "require_shared_state", "selected_tools"]
