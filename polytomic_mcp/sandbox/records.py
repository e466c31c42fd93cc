"""Typed records of a workspace's model-sync objects: what the API shows as fields, sandbox bookkeeping as fields of its own.

Records hold plain values and no rendering rules: ``render`` (and ``domain.jobs``) turn them into the API's JSON.
Nested members (a sync's ``target``, ``fields``, ``schedule``...) stay the JSON objects the API shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import fields as declared_fields
from typing import Any


@dataclass
class Job:
    """A background job of an ``?async=true`` model call; ``work`` runs on its second poll."""

    job_id: str
    type: str
    work: Callable[[], Any] = field(repr=False)
    status: str = "created"
    result: Any = None
    error: str = ""
    polls: int = 0


@dataclass(frozen=True)
class RecordResult:
    """One record of a run: how it is identified, what was (or would have been) written, and any problem."""

    identity: dict[str, Any]
    operation: str
    values: dict[str, Any]
    error: dict[str, Any] | None = None
    warning: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        """The record's identity as one comparable string."""
        return "|".join(str(v) for v in self.identity.values())


@dataclass(frozen=True)
class RunResult:
    """The outcome of a finished run: per-record results, or a failure that stopped it before any record."""

    model_name: str = ""
    target_name: str = ""
    records: tuple[RecordResult, ...] = ()
    failure: str | None = None
    written: frozenset[str] = field(default_factory=frozenset)

    @property
    def processed(self) -> list[RecordResult]:
        """Records sent to the destination (warnings-only records were skipped)."""
        return [r for r in self.records if r.warning is None]

    def counts(self) -> dict[str, int]:
        """The execution's ``counts`` object."""
        done = Counter(r.operation for r in self.processed if r.error is None)
        return {
            "total": len(self.processed),
            "insert": done["insert"],
            "update": done["update"],
            "upserts": 0,
            "delete": done["delete"],
            "error": sum(1 for r in self.processed if r.error is not None),
            "warnings": sum(1 for r in self.records if r.warning is not None),
        }

    @property
    def failed(self) -> bool:
        """A run fails when it could not start reading/writing, or when every record it sent was rejected."""
        counts = self.counts()
        return self.failure is not None or (counts["total"] > 0 and counts["error"] == counts["total"])

    def error_summaries(self) -> list[str]:
        """One line per kind of record error (or the run's failure): what the execution's ``errors`` shows."""
        if self.failure is not None:
            return [self.failure]
        total = len(self.processed)
        groups = Counter((r.error["code"], r.error["message"]) for r in self.processed if r.error is not None)
        return [f"{n} of {total} records rejected by {self.target_name}: {code}: {message}" for (code, message), n in groups.items()]


@dataclass
class Execution:
    """One run of a model sync: the API's members, then the run's own bookkeeping (never rendered)."""

    id: str
    sync_id: str
    type: str
    created_at: str
    seq: int
    """Start order among all runs (history is newest first by it)."""
    status: str = "created"
    started_at: str | None = None
    completed_at: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    version: str = ""
    resync: bool = False
    limit: int = 0
    """Records a test run stops after (0: no limit)."""
    only: set[str] = field(default_factory=set)
    """Identities the run is restricted to (empty: all)."""
    polls: int = 0
    console: list[dict[str, Any]] = field(default_factory=list, repr=False)
    """Console log lines as ``GET …/consolelog`` answers them."""
    result: RunResult | None = field(default=None, repr=False)
    """What the run read and wrote, once it has finished (the record logs and later runs' backfill read it)."""


BOOKKEEPING = {"bookkeeping": True}
"""Field metadata of sandbox-only state: ``api_members`` leaves such fields out."""
ABSENT_WHEN_NONE = {"absent_when_none": True}
"""Field metadata of an optional member the API leaves out, rather than sending null, when it is not set."""


def api_members(record: Any) -> dict[str, Any]:
    """A record's API members in declaration order (a shallow copy), without bookkeeping or unset optional members."""
    return {
        f.name: getattr(record, f.name)
        for f in declared_fields(record)
        if not f.metadata.get("bookkeeping") and not (f.metadata.get("absent_when_none") and getattr(record, f.name) is None)
    }


@dataclass(kw_only=True)
class Sync:
    """A model sync as stored: its API members in the API's order (secrets unmasked), then bookkeeping."""

    name: str
    active: bool
    mode: str
    schedule: dict[str, Any]
    target: dict[str, Any]
    identities: dict[str, Any]
    fields: list[dict[str, Any]]
    override_fields: list[dict[str, Any]]
    model_filters: dict[str, Any]
    sync_all_records: bool
    skip_initial_backfill: bool
    id: str
    organization_id: str
    model_ids: list[str]
    identity: dict[str, Any] | None
    filters: list[dict[str, Any]]
    filter_logic: str
    target_filters: Any
    overrides: list[Any]
    policies: list[Any]
    only_enrich_updates: bool
    encryption_passphrase: str
    created_at: str
    created_by: dict[str, str]
    updated_at: str
    updated_by: dict[str, str]
    rev: int = field(metadata=BOOKKEEPING)
    """Change order (lists show the newest-changed first)."""
    unmapped_required: list[dict[str, Any]] = field(default_factory=list, metadata=BOOKKEEPING)
    """Problems found when it was built (required target fields left unmapped); ``problems`` adds the live ones."""


@dataclass(kw_only=True)
class Model:
    """A model as stored: its API members in the API's order, then bookkeeping."""

    id: str
    name: str
    organization_id: str
    connection_id: str
    configuration: Any
    identifier: str
    fields: list[dict[str, Any]]
    labels: list[dict[str, str]]
    tracking_columns: list[Any]
    relations: list[Any]
    policies: list[Any]
    version: int
    created_at: str
    created_by: dict[str, str]
    updated_at: str
    updated_by: dict[str, str]
    enricher: dict[str, Any] | None = field(default=None, metadata=ABSENT_WHEN_NONE)
    rev: int = field(metadata=BOOKKEEPING)
    """Change order (lists show the newest-changed first)."""


@dataclass(kw_only=True)
class Connection:
    """A connection as stored: its API members in the API's order (``configuration`` unmasked), then its OAuth state."""

    id: str
    name: str
    organization_id: str
    type: dict[str, Any]
    """The ``{id, name...}`` reference of its connection type."""
    configuration: dict[str, Any]
    status: str
    status_error: str
    saved: bool = True
    policies: list[Any] = field(default_factory=list)
    healthcheck_interval: str = ""
    api_calls_last_24_hours: int | None = None
    created_at: str
    created_by: dict[str, str]
    updated_at: str
    updated_by: dict[str, str]
    rev: int = field(metadata=BOOKKEEPING)
    """Change order (lists show the newest-changed first)."""
    authorized: bool = field(default=True, metadata=BOOKKEEPING)
    """False while an OAuth type waits for a person to open ``auth_url``."""
    auth_url: str = field(default="", metadata=BOOKKEEPING)
    auth_code: str = field(default="", metadata=BOOKKEEPING)
    redirect_url: str = field(default="", metadata=BOOKKEEPING)
    """Where the consent page sends the browser once access is granted (empty: show a page)."""

    @property
    def type_id(self) -> str:
        """The connection type's id (``postgresql``, ``salesforce``...)."""
        type_id: str = self.type["id"]
        return type_id
