"""polytomic-mcp: an MCP server, a typed async client and a local sandbox for the Polytomic API."""

__version__ = "0.1.0"
