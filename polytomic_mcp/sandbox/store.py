"""Per-API-key workspace state (connections, models, syncs, executions, jobs): plain data, the bottom layer the domain works on."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from .bulk_store import BulkState
from .generic.records import GenericStore
from .ids import stable_id
from .records import Connection, Execution, Job, Model, Sync
from .upstream import System


@dataclass
class OAuthRegistry:
    """Pending browser consents: maps the opaque ``state`` of an ``auth_url`` to its workspace and connection."""

    base_url: str
    states: dict[str, tuple[Workspace, str]] = field(default_factory=dict, repr=False)

    def issue(self, workspace: Workspace, connection_id: str) -> str:
        """Create a fresh state for ``connection_id`` and return the ``auth_url`` a person must open."""
        state = secrets.token_urlsafe(18)
        self.states[state] = (workspace, connection_id)
        return f"{self.base_url.rstrip('/')}/oauth/authorize?state={state}"


@dataclass
class Workspace:
    """One organization reachable with one API key; model-sync objects are typed records (``records``) keyed by id.

    Records keep secrets unmasked; their bookkeeping fields are never sent to clients (``render`` builds the answers).
    """

    api_key: str
    organization_id: str
    organization_name: str
    oauth: OAuthRegistry = field(repr=False, compare=False)
    user_id: str = ""
    connections: dict[str, Connection] = field(default_factory=dict, repr=False)
    models: dict[str, Model] = field(default_factory=dict, repr=False)
    syncs: dict[str, Sync] = field(default_factory=dict, repr=False)
    executions: dict[str, Execution] = field(default_factory=dict, repr=False)
    jobs: dict[str, Job] = field(default_factory=dict, repr=False)
    systems: dict[str, System] = field(default_factory=dict, repr=False)
    bulk: BulkState = field(default_factory=BulkState, repr=False)
    generic: GenericStore = field(default_factory=GenericStore, repr=False)
    """Objects of the operations no simulated domain serves (webhooks, users, roles, Harbor...)."""
    leak_secrets: bool = False
    """Test hook: answer with secrets unmasked, like a misbehaving API, to prove clients mask them anyway."""
    run_polls: int = 2
    """Reads of a run (status, execution, list, logs) until it finishes: the first makes it ``running``."""

    def __post_init__(self) -> None:
        if not self.user_id:
            self.user_id = stable_id("user", self.api_key)

    @property
    def user_email(self) -> str:
        """The email of the key's user, derived from the organization's name."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.organization_name.lower()).strip("-") or "sandbox"
        return f"sandbox.user@{slug}.example.com"

    def actor(self) -> dict[str, str]:
        """Return the ``created_by``/``updated_by`` object for changes made with this key."""
        return {"id": self.user_id, "name": "Sandbox User", "type": "user"}

    def clear(self) -> None:
        """Forget every stored object (the key and organization stay)."""
        for store in (self.connections, self.models, self.syncs, self.executions, self.jobs, self.systems):
            store.clear()
        self.bulk.clear()
        self.generic.clear()

    def drop_sync(self, sync_id: str) -> None:
        """Remove a sync and its execution history."""
        self.syncs.pop(sync_id, None)
        for execution_id in [e for e, x in self.executions.items() if x.sync_id == sync_id]:
            del self.executions[execution_id]
