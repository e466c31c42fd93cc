"""A real uvicorn server on loopback serving the project's HTTP app, and raw MCP-over-HTTP helpers."""

from __future__ import annotations

import dataclasses
import threading
import time

import httpx2
import uvicorn
from processes import free_port
from server_support import BASE_URL

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.server.http import http_app, serving_app, uvicorn_config
from polytomic_mcp.settings import Settings

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
PING = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


class Running:
    """A uvicorn server in a thread with the same app and uvicorn config as ``serve_http``."""

    def __init__(self, settings: Settings, sandbox: Sandbox | None = None, *, as_served: bool = False) -> None:
        """With ``sandbox`` its workspaces serve tools and key checks; with ``as_served`` the app is ``serve_http``'s own."""
        self.port = free_port()
        settings = dataclasses.replace(settings, host="127.0.0.1", port=self.port)
        if settings.auth == "oauth":
            settings = dataclasses.replace(settings, public_url=f"http://127.0.0.1:{self.port}")
        factory = None
        if sandbox is not None:
            factory = lambda key, org: PolytomicClient(  # noqa: E731
                key, organization_id=org, base_url=BASE_URL, transport=sandbox.transport())
        self.mcp_server = None if as_served else build_server(settings, client_factory=factory)
        """The MCP server behind the app (None when ``as_served``), for reaching its consent store."""
        app = serving_app(settings) if self.mcp_server is None else http_app(
            self.mcp_server, settings, client_for_key=factory)
        self.server = uvicorn.Server(uvicorn_config(app, settings))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def __enter__(self) -> Running:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


async def open_session(http: httpx2.AsyncClient, url: str, headers: dict[str, str] | None = None) -> str:
    """POST initialize and return the new session's id."""
    response = await http.post(url, json=INITIALIZE, headers={**MCP_HEADERS, **(headers or {})})
    assert response.status_code == 200, (response.status_code, response.text)
    return response.headers["mcp-session-id"]


async def ping(http: httpx2.AsyncClient, url: str, session_id: str, headers: dict[str, str] | None = None) -> int:
    """The HTTP status of a ping on a session."""
    session_headers = {"mcp-session-id": session_id, "mcp-protocol-version": "2025-11-25"}
    response = await http.post(url, json=PING, headers={**MCP_HEADERS, **session_headers, **(headers or {})})
    return response.status_code

