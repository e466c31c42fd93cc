"""Baseline for the cold-start benchmark: a bare mcp 2.x server with one trivial tool, over stdio."""

from mcp.server import MCPServer

server = MCPServer("bare")


@server.tool()
def ping() -> str:
    """Answer pong."""
    return "pong"


if __name__ == "__main__":
    server.run("stdio")
