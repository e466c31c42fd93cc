"""Run the sandbox over a real socket with uvicorn (the ``polytomic-mcp sandbox`` command calls ``serve``)."""

from __future__ import annotations

import uvicorn

from .hosts import known_hosts
from .sandbox import DEMO_API_KEY, EMPTY_API_KEY, Sandbox


def build_server(sandbox: Sandbox, host: str = "127.0.0.1", port: int = 8765, log_level: str = "warning") -> uvicorn.Server:
    """Return an unstarted uvicorn server for ``sandbox`` (call ``.run()`` or ``.serve()``)."""
    return uvicorn.Server(uvicorn.Config(sandbox.app, host=host, port=port, log_level=log_level, lifespan="off"))


def serve(host: str = "127.0.0.1", port: int = 8765, *, sandbox: Sandbox | None = None) -> None:
    """Serve a sandbox with the demo workspace (and an empty one) until interrupted, printing its base URL and keys first."""
    base_url = f"http://{host}:{port}"
    if sandbox is None:
        sandbox = Sandbox.with_demo_workspace(base_url=base_url)
        sandbox.add_workspace(EMPTY_API_KEY, org_name="Empty Org")
    print(f"Polytomic sandbox listening on {base_url}", flush=True)
    print(f"API key: {DEMO_API_KEY}", flush=True)
    print(f"An empty workspace: {EMPTY_API_KEY}", flush=True)
    print("Reachable upstream hosts: " + "; ".join(f"{t}: {', '.join(h)}" for t, h in known_hosts().items()), flush=True)
    build_server(sandbox, host, port).run()
