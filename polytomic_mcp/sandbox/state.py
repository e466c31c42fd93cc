"""What one sandbox holds across requests (workspaces, request log, idempotency keys, OAuth states, log links, faults).

The gateway and routes work on this; the ``Sandbox`` facade adds the app, transport and seeding on top, so the
layers below it never refer back to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .faults import FaultConfig, FaultInjector
from .idempotency import IdempotencyStore
from .log_links import LogLinks
from .recording import RecordedRequest
from .store import OAuthRegistry, Workspace


class SandboxState:
    """The state of a stateful in-memory Polytomic API, without the app that serves it."""

    paginate_lists: bool = True
    """False: GET /api/models, /api/syncs and a sync's executions answer every item at once, with no ``pagination``
    (the real API may not page these; the official SDK's ``models.list`` takes no page token)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.oauth = OAuthRegistry(self.base_url)
        self.log_links = LogLinks(self.base_url)
        self.requests: list[RecordedRequest] = []
        self.idempotency = IdempotencyStore()
        self.before_handle: Callable[[RecordedRequest], Awaitable[None]] | None = None
        self._workspaces: dict[str, Workspace] = {}
        self._faults = FaultConfig()
        self.fault_injector = FaultInjector(self._faults)

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
