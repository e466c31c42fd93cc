"""Seed helpers on a workspace (store objects without going through HTTP): what tests, the demo world and benches build on.

They sit above the domain layer (they call its builders), so the store itself stays plain data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import bulk_seed
from .domain import executions
from .domain.connections import seed_connection
from .domain.models import build_model
from .domain.syncs import build_sync
from .errors import ApiError
from .ids import new_id
from .records import Connection, Execution, Model, Sync
from .seed_runs import backdate
from .store import Workspace
from .synthetic import synthetic_system


@contextmanager
def _as_value_error() -> Iterator[None]:
    """Report seed-helper validation failures as ``ValueError`` with the API's message."""
    try:
        yield
    except ApiError as exc:
        raise ValueError(exc.message) from exc



class SeededWorkspace(Workspace):
    """A workspace with seed helpers; the sandbox registers every workspace as one."""

    def add_connection(self, name: str, type: str, configuration: dict[str, Any], *, status: str = "healthy") -> Connection:
        """Store a connection without probing the upstream; OAuth types are authorized unless ``status`` is ``""``."""
        return seed_connection(self, name, type, configuration, status=status)

    def add_model(self, name: str, connection_id: str, configuration: dict[str, Any], **options: Any) -> Model:
        """Store a model over ``connection_id``; ``options`` are the other create-body fields (ValueError when invalid)."""
        with _as_value_error():
            model = build_model(self, {"name": name, "connection_id": connection_id, "configuration": configuration, **options})
        self.models[model.id] = model
        return model

    def add_sync(
        self,
        name: str,
        *,
        target: dict[str, Any],
        mode: str,
        fields: list[dict[str, Any]],
        schedule: dict[str, Any] | None = None,
        **options: Any,
    ) -> Sync:
        """Store a sync from a 2025-09-18 create body; ``identities``, ``active``… go in ``options`` (ValueError when invalid)."""
        body = {"name": name, "target": target, "mode": mode, "fields": fields, "schedule": schedule or {"frequency": "manual"}, **options}
        with _as_value_error():
            sync = build_sync(self, body, version="2025-09-18")
        self.syncs[sync.id] = sync
        return sync

    def add_synthetic_target(self, name: str, objects: int = 900, fields: int = 50) -> Connection:
        """Store a PostgreSQL destination whose upstream holds ``objects`` generated tables of ``fields`` columns."""
        config = {"hostname": f"synthetic-{new_id()[:8]}.sandbox.test", "username": "sandbox", "password": "sandbox", "database": "synthetic"}
        connection = self.add_connection(name, "postgresql", config)
        self.systems[connection.id] = synthetic_system(objects, fields)
        return connection

    def add_bulk_sync(
        self, name: str, *, source_connection_id: str, destination_connection_id: str,
        destination_configuration: dict[str, Any], **options: Any,
    ) -> dict[str, Any]:
        """Store a bulk sync from a 2025-09-18 create body (``schemas``, ``mode``, ``default_schedule``… in ``options``;
        manual schedule by default; ValueError when invalid)."""
        body = {"name": name, "source_connection_id": source_connection_id, "destination_connection_id": destination_connection_id,
                "destination_configuration": destination_configuration, **options}
        return bulk_seed.add_bulk_sync(self, body)

    def run_bulk_sync(self, sync_id: str) -> dict[str, Any]:
        """Start a run of bulk sync ``sync_id`` and finish it at once; return the stored execution (ValueError when it cannot start)."""
        return bulk_seed.run_bulk_sync(self, sync_id)

    def fail_bulk_schema(self, connection_id: str, schema_id: str, message: str) -> None:
        """Make every bulk run of ``schema_id`` read from ``connection_id`` fail with ``message``."""
        bulk_seed.fail_bulk_schema(self, connection_id, schema_id, message)

    def add_source_table(self, connection_id: str, name: str, columns: dict[str, str], row_count: int = 100) -> None:
        """Add a table upstream of a connection; its cached schemas show it only after a schema refresh."""
        bulk_seed.add_source_table(self, connection_id, name, columns, row_count)

    def run_sync(self, sync_id: str, *, test: bool = False, resync: bool = False) -> Execution:
        """Start a run of ``sync_id`` and finish it at once; return the stored execution (ValueError when it cannot start)."""
        with _as_value_error():
            execution = executions.start(self, self.syncs[sync_id], {"test": test, "resync": resync})
        return executions.finish_now(self, execution)

    def seed_failing_sync(self, *, past_runs: int = 3, name: str = "Signups to Salesforce Contacts") -> dict[str, Any]:
        """Store a sync whose runs fail with ``REQUIRED_FIELD_MISSING``, and ``past_runs`` failed runs an hour apart.

        A MongoDB model over ``example.users`` has a user-added field ``lastName`` that no document holds; the
        sync maps it onto Salesforce ``Contact.LastName`` (required), matching contacts by email, so every record
        is rejected. Mapping ``last_name`` instead fixes it. Returns ``source``, ``destination``, ``model``,
        ``sync`` and ``executions`` (newest first).
        """
        mongo = self.add_connection("Signups (MongoDB)", "mongodb", {"hosts": "cluster0.example.mongodb.net", "username": "sandbox", "password": "sandbox"})
        salesforce = self.add_connection("Salesforce", "salesforce", {"domain": "acme.my.salesforce.com"})
        model = self.add_model(
            "Signups", mongo.id, {"database": "example", "collection": "users"},
            additional_fields=[{"name": "lastName", "label": "Last name", "type": "string"}],
        )
        sync = self.add_sync(
            name,
            target={"connection_id": salesforce.id, "object": "Contact"},
            mode="updateOrCreate",
            fields=[
                {"source": {"model_id": model.id, "field": "first_name"}, "target": "FirstName"},
                {"source": {"model_id": model.id, "field": "lastName"}, "target": "LastName"},
            ],
            identities={"mappings": [{"source": {"model_id": model.id, "field": "email"}, "target": "Email", "function": "Equality"}]},
        )
        runs = [backdate(self.run_sync(sync.id), hours_ago=past_runs - index) for index in range(past_runs)]
        return {"source": mongo, "destination": salesforce, "model": model, "sync": sync, "executions": runs[::-1]}
