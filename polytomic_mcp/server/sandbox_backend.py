"""The embedded sandbox: a client wired to an in-process simulation of the Polytomic API."""

from __future__ import annotations

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import DEMO_API_KEY, Sandbox
from polytomic_mcp.settings import Settings

SANDBOX_BASE_URL = "http://sandbox.polytomic.local"


def sandbox_client(settings: Settings, sandbox: Sandbox | None = None, *, api_key: str = DEMO_API_KEY) -> PolytomicClient:
    """A client for a workspace of ``sandbox`` (the demo one by default; a fresh sandbox when none is given)."""
    sandbox = sandbox or new_sandbox()
    return PolytomicClient(
        api_key,
        base_url=SANDBOX_BASE_URL,
        api_version=settings.api_version,
        transport=sandbox.transport(),
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )


def new_sandbox() -> Sandbox:
    """A sandbox with the demo workspace."""
    sandbox = Sandbox(base_url=SANDBOX_BASE_URL)
    sandbox.add_workspace(DEMO_API_KEY, org_name="Sandbox Org")
    return sandbox
