"""The ``Sandbox`` facade: workspaces per API key, request log, faults, idempotency store, app and transport."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .app import build_app
from .demo_world import seed_demo
from .domain.connections import complete_consent
from .faults import FaultConfig, FaultInjector, SandboxTransport
from .idempotency import IdempotencyStore
from .ids import stable_id
from .log_links import LogLinks
from .recording import RecordedRequest
from .store import OAuthRegistry, Workspace

DEMO_API_KEY = "pk_sandbox_demo"
"""The demo workspace's key: it starts with a history (``demo_world``), one nightly sync failing."""
EMPTY_API_KEY = "pk_sandbox_empty"
"""A key whose workspace starts empty, like every key but the demo one."""
DEFAULT_BASE_URL = "http://sandbox.polytomic.test"


class Sandbox:
    """A stateful in-memory Polytomic API; ``app`` serves it over ASGI and ``transport()`` in-process."""

    paginate_lists: bool = True
    """False: GET /api/models, /api/syncs and a sync's executions answer every item at once, with no ``pagination``
    (the real API may not page these; the official SDK's ``models.list`` takes no page token)."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL) -> None:
        self.base_url = base_url.rstrip("/")
        self.oauth = OAuthRegistry(self.base_url)
        self.log_links = LogLinks(self.base_url)
        self.requests: list[RecordedRequest] = []
        self.idempotency = IdempotencyStore()
        self.before_handle: Callable[[RecordedRequest], Awaitable[None]] | None = None
        self._workspaces: dict[str, Workspace] = {}
        self._faults = FaultConfig()
        self.fault_injector = FaultInjector(self._faults)
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

    def add_demo_workspace(self, org_name: str = "Demo Org") -> Workspace:
        """Register the ``DEMO_API_KEY`` workspace and store the demo world in it (connections, models, syncs, runs)."""
        workspace = self.add_workspace(DEMO_API_KEY, org_name=org_name)
        seed_demo(workspace)
        return workspace

    @property
    def workspaces(self) -> dict[str, Workspace]:
        """Registered workspaces by API key (read-only view by convention)."""
        return self._workspaces

    @property
    def faults(self) -> FaultConfig:
        """The active fault configuration."""
        return self._faults

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        """Install ``config`` and restart its random sequence from its seed."""
        self._faults = config
        self.fault_injector = FaultInjector(config)

    def add_workspace(self, api_key: str, org_name: str = "Sandbox Org") -> Workspace:
        """Register an isolated workspace reachable with ``api_key`` (its organization id derives from the key)."""
        if api_key in self._workspaces:
            raise ValueError(f"API key {api_key!r} is already registered")
        workspace = Workspace(api_key, stable_id("org", api_key), org_name, self.oauth)
        self._workspaces[api_key] = workspace
        return workspace

    def workspace(self, api_key: str) -> Workspace:
        """Return the workspace of ``api_key`` (KeyError when unknown)."""
        return self._workspaces[api_key]

    def transport(self) -> SandboxTransport:
        """Return an ``httpx2.AsyncBaseTransport`` that calls the app in-process and implements the "drop" fault."""
        return SandboxTransport(self.app)

    def reset(self) -> None:
        """Clear every workspace's objects, the request log, idempotency keys, OAuth states, log links and faults."""
        for workspace in self._workspaces.values():
            workspace.clear()
        self.requests.clear()
        self.idempotency.clear()
        self.oauth.states.clear()
        self.log_links.clear()
        self.faults = FaultConfig()
        self.before_handle = None

    def complete_oauth(self, connection_id: str) -> dict[str, Any]:
        """Finish the simulated consent of an OAuth connection, as opening its ``auth_url`` would."""
        for workspace in self._workspaces.values():
            if connection_id in workspace.connections:
                for state, (_, pending) in list(self.oauth.states.items()):
                    if pending == connection_id:
                        del self.oauth.states[state]
                return complete_consent(workspace, connection_id)
        raise KeyError(f"no workspace has connection {connection_id!r}")
