"""The ``Sandbox`` facade: workspaces per API key, request log, faults, idempotency store, app and transport."""

from __future__ import annotations

from .app import build_app
from .demo_world import seed_demo
from .domain.connections import complete_consent
from .faults import SandboxTransport
from .ids import stable_id
from .records import Connection
from .seeding import SeededWorkspace
from .state import SandboxState

DEMO_API_KEY = "pk_sandbox_demo"
"""The demo workspace's key: it starts with a history (``demo_world``), one nightly sync failing."""
EMPTY_API_KEY = "pk_sandbox_empty"
"""A key whose workspace starts empty, like every key but the demo one."""
DEFAULT_BASE_URL = "http://sandbox.polytomic.test"


class Sandbox(SandboxState):
    """A stateful in-memory Polytomic API; ``app`` serves it over ASGI and ``transport()`` in-process."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL) -> None:
        super().__init__(base_url)
        self.app = build_app(self)

    @classmethod
    def with_demo_workspace(cls, base_url: str = DEFAULT_BASE_URL) -> Sandbox:
        """Return a sandbox with the ``DEMO_API_KEY`` workspace registered and seeded with the demo world."""
        sandbox = cls(base_url=base_url)
        sandbox.add_demo_workspace()
        return sandbox

    @classmethod
    def with_empty_workspace(cls, base_url: str = DEFAULT_BASE_URL, api_key: str = EMPTY_API_KEY) -> Sandbox:
        """Return a sandbox with one empty workspace (``EMPTY_API_KEY`` unless another key is given)."""
        sandbox = cls(base_url=base_url)
        sandbox.add_workspace(api_key, org_name="Empty Org")
        return sandbox

    def add_demo_workspace(self, org_name: str = "Demo Org") -> SeededWorkspace:
        """Register the ``DEMO_API_KEY`` workspace and store the demo world in it (connections, models, syncs, runs)."""
        workspace = self.add_workspace(DEMO_API_KEY, org_name=org_name)
        seed_demo(workspace)
        return workspace

    def add_workspace(self, api_key: str, org_name: str = "Sandbox Org") -> SeededWorkspace:
        """Register an isolated workspace reachable with ``api_key`` (its organization id derives from the key)."""
        if api_key in self.workspaces:
            raise ValueError(f"API key {api_key!r} is already registered")
        workspace = SeededWorkspace(api_key, stable_id("org", api_key), org_name, self.oauth)
        self.workspaces[api_key] = workspace
        return workspace

    def workspace(self, api_key: str) -> SeededWorkspace:
        """Return the workspace of ``api_key`` (KeyError when unknown)."""
        found = self.workspaces[api_key]
        assert isinstance(found, SeededWorkspace), "every workspace is registered through add_workspace"
        return found

    def transport(self) -> SandboxTransport:
        """Return an ``httpx2.AsyncBaseTransport`` that calls the app in-process and implements the "drop" fault."""
        return SandboxTransport(self.app)

    def complete_oauth(self, connection_id: str) -> Connection:
        """Finish the simulated consent of an OAuth connection, as opening its ``auth_url`` would."""
        for workspace in self.workspaces.values():
            if connection_id in workspace.connections:
                for state, (_, pending) in list(self.oauth.states.items()):
                    if pending == connection_id:
                        del self.oauth.states[state]
                return complete_consent(workspace, connection_id)
        raise KeyError(f"no workspace has connection {connection_id!r}")
