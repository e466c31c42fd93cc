"""MCP authorization (OAuth 2.1) for the remote connector: sealed tokens and the SDK provider."""
