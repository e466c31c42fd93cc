"""Compact result views returned by tools: what the agent needs for its next step, no more.

API objects stay defined once in the client (``SyncProblem``, ``SyncSummary``,
``Execution``...); these views select and mask fields from them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from polytomic_mcp.client.models import SyncProblem

from .._checks.sync_check import Problem


class View(BaseModel):
    """A tool result; its validator is built on first use, not at import (every result type costs cold start otherwise)."""

    model_config = ConfigDict(defer_build=True)


class FieldSpec(View):
    """A configuration field of a connection type."""

    name: str
    type: str | None = None
    secret: bool | None = Field(default=None, description="True: write-only, never shown back.")
    default: Any = None
    enum: list[Any] | None = None
    description: str | None = None


class ConnectionTypeBrief(View):
    """A connection type in a list."""

    id: str
    name: str
    oauth: bool
    source: bool
    destination: bool


class ConnectionTypeList(View):
    """Connection types matching the filters."""

    types: list[ConnectionTypeBrief]
    total: int
    next_step: str


class ConnectionTypeDetail(ConnectionTypeBrief):
    """What a configuration for this type needs."""

    required: list[FieldSpec]
    optional: list[FieldSpec]
    example_configuration: dict[str, Any]
    next_step: str


class ConnectionBrief(View):
    """A connection in a list."""

    id: str
    name: str
    type: str
    status: str | None = None


class ConnectionList(View):
    """One page of connections."""

    connections: list[ConnectionBrief]
    total: int
    next_cursor: str | None = None


class ConnectionDetail(View):
    """A connection with its configuration (secrets masked)."""

    workspace_data: ClassVar[tuple[str, ...]] = ("status_error",)

    id: str
    name: str
    type: str
    status: str | None = None
    status_error: str | None = None
    configuration: dict[str, Any]
    auth_url: str | None = Field(default=None, description="OAuth: a person must open this URL in a browser.")
    action_required: str | None = None
    next_step: str | None = None


class ModelFieldBrief(View):
    """A model field usable as ``source.field`` in a sync (or, for a bulk source, a schema's field)."""

    name: str
    type: str | None = None
    primary_key: bool | None = None


class SourceChoices(View):
    """What a source connection offers: choices for a model's configuration, or (bulk) the schemas it can replicate."""

    connection_id: str
    requires_one_of: list[str] | None = None
    choices: dict[str, list[Any]] | None = None
    schemas: list[str] | None = Field(default=None, description="Bulk: schema (object/table) ids to replicate.")
    cache_status: str | None = Field(default=None, description="Bulk: Polytomic's schema cache (refreshed when stale).")
    fields: list[ModelFieldBrief] | None = None
    next_step: str


class ModelBrief(View):
    """A model in a list."""

    id: str
    name: str
    connection_id: str | None = None


class ModelList(View):
    """One page of models."""

    models: list[ModelBrief]
    total: int
    next_cursor: str | None = None
    cut: str | None = None


class ModelDetail(View):
    """A model with its fields."""

    workspace_data: ClassVar[tuple[str, ...]] = ("sample",)

    id: str
    name: str
    connection_id: str | None = None
    configuration: dict[str, Any]
    identifier: str | None = None
    fields: list[ModelFieldBrief]
    sample: list[dict[str, Any]] | None = None
    next_step: str | None = None


class ModeBrief(View):
    """A sync mode of a target object."""

    mode: str
    requires_identity: bool


class TargetObjectBrief(View):
    """A target object with its modes."""

    id: str
    name: str | None = None
    modes: list[ModeBrief]


class TargetObjectPage(View):
    """One page of target objects, or (bulk) what the destination accepts for bulk syncs."""

    connection_id: str
    objects: list[TargetObjectBrief] | None = None
    total: int | None = Field(default=None, description="Objects matching `search` across all pages.")
    next_cursor: str | None = None
    bulk_modes: list[str] | None = None
    resync_modes: list[str] | None = None
    required: list[FieldSpec] | None = Field(default=None, description="Bulk: destination_configuration fields.")
    optional: list[FieldSpec] | None = None
    example_configuration: dict[str, Any] | None = None
    next_step: str


class TargetFieldBrief(View):
    """A target field and what a sync may do with it."""

    id: str
    type: str | None = None
    required: bool | None = None
    createable: bool | None = None
    updateable: bool | None = None
    identity_functions: list[str] | None = Field(default=None, description="Set when usable as an identity.")


class TargetFieldList(View):
    """Fields and modes of one target object."""

    connection_id: str
    object: str
    modes: list[ModeBrief]
    fields: list[TargetFieldBrief]
    next_step: str


class SyncResult(View):
    """Outcome of create_sync (or of its dry run)."""

    created: bool
    id: str | None = None
    name: str
    mode: str
    active: bool | None = None
    target_object: str | None = None
    problems: list[SyncProblem] | None = Field(default=None, description="Problems Polytomic reports on the saved sync.")
    checks: list[Problem] | None = Field(default=None, description="Problems found before calling the API.")
    request: dict[str, Any] | None = Field(default=None, description="Dry run: the checked API request.")
    next_step: str


class UpdateResult(View):
    """Outcome of update_connection, update_model or update_sync (or of its dry run)."""

    updated: bool
    kind: str
    id: str
    name: str
    changes: list[str] = Field(description="What differs from the stored object.")
    checks: list[str] | None = Field(default=None, description="Problems found before calling the API.")
    request: dict[str, Any] | None = Field(default=None, description="Dry run: the full body that would be sent (secrets masked).")
    result: dict[str, Any] | None = Field(default=None, description="The object as saved.")
    next_step: str


class Deleted(View):
    """Outcome of delete."""

    deleted: bool
    kind: str
    id: str
    name: str
    also_deleted: list[str] | None = None
    note: str | None = None
    next_step: str


class BulkSyncResult(View):
    """Outcome of create_bulk_sync (or of its dry run)."""

    created: bool
    id: str | None = None
    name: str
    mode: str | None = None
    active: bool | None = None
    schemas: list[str] | None = None
    checks: list[Problem] | None = Field(default=None, description="Problems found before calling the API.")
    request: dict[str, Any] | None = Field(default=None, description="Dry run: the checked API request.")
    next_step: str


class SyncBrief(View):
    """A sync in a list."""

    id: str
    name: str
    mode: str | None = None
    active: bool | None = None
    kind: str = "model"
    target_connection_id: str | None = None
    target_object: str | None = None
    failing: str | None = Field(default=None, description="With failing=true: why (last run failed, problems).")


class SyncList(View):
    """One page of syncs."""

    syncs: list[SyncBrief]
    total: int
    next_cursor: str | None = None
    cut: str | None = None


class SyncDetail(View):
    """A sync's configuration and problems (model sync: target and mappings; bulk sync: source, destination, schemas)."""

    workspace_data: ClassVar[tuple[str, ...]] = ("problems",)

    id: str
    kind: str = Field(description="'model' (Reverse ETL) or 'bulk' (ELT).")
    name: str
    mode: str | None = None
    active: bool | None = None
    target: dict[str, Any] | None = None
    schedule: dict[str, Any] | None = None
    identity: dict[str, Any] | None = None
    identities: dict[str, Any] | None = None
    fields: list[dict[str, Any]] | None = None
    model_ids: list[str] | None = None
    source_connection_id: str | None = None
    destination_connection_id: str | None = None
    destination_configuration: dict[str, Any] | None = None
    schemas: list[str] | None = Field(default=None, description="Bulk: the enabled schemas.")
    options: dict[str, Any] | None = Field(default=None, description="Bulk: policies such as automatically_add_new_fields.")
    problems: list[SyncProblem] | None = None


class RunStarted(View):
    """An execution that was just started."""

    sync_id: str
    execution_id: str
    status: str
    next_step: str


class RunBrief(View):
    """One run of a sync: status, times, record counts and its first errors."""

    id: str
    status: str
    started_at: str | None = None
    finished_at: str | None = None
    records: dict[str, int] | None = Field(default=None, description="total, inserted, updated, deleted, errored, warnings.")
    errors: list[str] | None = None
    schemas: list[dict[str, Any]] | None = Field(default=None, description="Bulk: per schema status, records, errors.")


class RunStatus(View):
    """Whether a sync runs, how its last run went, and when it runs next."""

    workspace_data: ClassVar[tuple[str, ...]] = ("current_run", "last_run")

    sync_id: str
    name: str
    active: bool | None = None
    summary: str
    current_run: RunBrief | None = None
    last_run: RunBrief | None = None
    next_run_at: str | None = None
    next_step: str


class SyncRuns(View):
    """Recent runs of a sync (newest first), or one run with the record errors Polytomic logged and the end of its console log."""

    workspace_data: ClassVar[tuple[str, ...]] = ("runs", "run", "record_errors", "console_tail")

    sync_id: str
    runs: list[RunBrief] | None = None
    run: RunBrief | None = None
    record_logs: dict[str, int] | None = Field(default=None, description="Records per log type (errors, inserts, ...).")
    record_errors: list[dict[str, Any]] | None = None
    console_tail: list[str] | None = None
    next_step: str


class ActivationResult(View):
    """A sync turned on or paused."""

    id: str
    active: bool
    note: str | None = None


class RunCanceled(View):
    """A request to stop a running execution."""

    sync_id: str
    execution_id: str | None = None
    message: str | None = None
    next_step: str


class ApiOperationHit(View):
    """One API operation found by search_api: enough to call it with call_api."""

    operation: str
    method: str
    path: str
    summary: str
    path_params: list[str] | None = None
    query: dict[str, str] | None = Field(default=None, description="Name to type; * marks required.")
    body: dict[str, Any] | None = Field(default=None, description="Field to type; * marks required.")
    reads: bool
    asks_user: bool | None = Field(default=None, description="call_api asks the user before sending it.")
    use_instead: str | None = Field(default=None, description="The typed tool that does this job better.")
    unavailable: str | None = Field(default=None, description="Why call_api will refuse it here.")


class ApiSearchResult(View):
    """Operations matching a search_api query, best first."""

    operations: list[ApiOperationHit]
    next_step: str


class ApiCallResult(View):
    """What call_api sent (or, with dry_run, would send) and Polytomic's answer, secrets masked."""

    workspace_data: ClassVar[tuple[str, ...]] = ("response",)

    operation: str
    request: str = Field(description="METHOD /path as sent.")
    sent: bool
    query: dict[str, Any] | None = None
    body: Any = None
    response: Any = None
    next_page_token: str | None = None
    next_step: str
