"""Model syncs: mappings from model fields to a target object, their schedules and runs."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .._exceptions import InvalidRequestError
from .._versions import API_2024_02_08, supports_identities
from ._base import Actor, APIModel, RequestModel

SYNC_MODES = ("create", "update", "updateOrCreate", "replace", "append", "remove", "snapshot")
"""Known sync modes. The enum is open: the server may add more, which are kept as strings."""

SCHEDULE_FREQUENCIES = (
    "manual", "continuous", "hourly", "daily", "weekly", "custom", "builder", "runafter", "multi", "dbtcloud",
)
"""Known schedule frequencies (open enum)."""

IDENTITY_FUNCTIONS = ("Equality", "ISubstring", "OneOf", "DomainMatch", "HostnameMatch")
"""Identity match functions in the API's canonical spelling."""

EXECUTION_STATUSES = (
    "created", "scheduled", "queued", "waiting", "running", "processing",
    "canceling", "canceled", "completed", "failed", "interrupted",
)
"""Known execution statuses (open enum)."""


def canonical_identity_function(value: Any) -> Any:
    """Map any spelling of a known identity function (``equality``) to the canonical one."""
    if isinstance(value, str):
        for known in IDENTITY_FUNCTIONS:
            if known.lower() == value.strip().lower():
                return known
    return value


IdentityFunction = Annotated[str, BeforeValidator(canonical_identity_function)]


class SyncSource(RequestModel):
    """A model field: ``{"model_id", "field"}``."""

    model_id: str
    field: str


class SyncField(RequestModel):
    """One mapping of a model field (or a constant) to a target field."""

    target: str
    source: SyncSource | None = None
    override_value: str | None = None
    new: bool | None = None
    sync_mode: str | None = None
    encryption_enabled: bool | None = None


class SyncIdentity(RequestModel):
    """How a model record is matched to a target record."""

    source: SyncSource
    target: str
    function: IdentityFunction
    new_field: bool | None = None


class SyncIdentities(RequestModel):
    """2025-09-18 identities: one or more mappings combined by ``strategy``."""

    mappings: list[SyncIdentity]
    strategy: str | None = None


class SyncTarget(RequestModel):
    """Where a sync writes: an existing ``object`` or a new one described by ``create``."""

    connection_id: str
    object: str | None = None
    create: dict[str, str] | None = None
    configuration: dict[str, Any] | None = None
    new_name: str | None = None
    search_values: dict[str, Any] | None = None


class RunAfter(RequestModel):
    """Syncs whose completion triggers this one (frequency ``runafter``)."""

    sync_ids: list[str] | None = None
    bulk_sync_ids: list[str] | None = None


class Schedule(RequestModel):
    """When a sync runs. Times are strings, in UTC."""

    frequency: str
    minute: str | None = None
    hour: str | None = None
    day_of_week: str | None = None
    day_of_month: str | None = None
    month: str | None = None
    run_after: RunAfter | None = None
    run_after_success_only: bool | None = None
    job_id: int | None = None
    connection_id: str | None = None


class OverrideField(RequestModel):
    """A constant value written to a target field on every record."""

    target: str
    override_value: str | None = None
    new: bool | None = None
    sync_mode: str | None = None


class SyncRequest(RequestModel):
    """Body of POST /api/syncs and PUT /api/syncs/{id}; serialize with ``to_body(version)``.

    Give either ``identity`` or ``identities``; the body is built for the pinned API
    version: ``identities`` on 2025-09-18, a single ``identity`` on 2024-02-08.
    """

    name: str
    mode: str
    target: SyncTarget
    fields: list[SyncField]
    schedule: Schedule
    active: bool | None = None
    identity: SyncIdentity | None = None
    identities: SyncIdentities | None = None
    override_fields: list[OverrideField] | None = None
    overrides: list[dict[str, Any]] | None = None
    model_filters: dict[str, Any] | None = None
    target_filters: dict[str, Any] | None = None
    sync_all_records: bool | None = None
    skip_initial_backfill: bool | None = None
    only_enrich_updates: bool | None = None
    encryption_passphrase: str | None = None
    organization_id: str | None = None
    policies: list[str] | None = None

    def identity_mappings(self) -> list[SyncIdentity]:
        """Every identity mapping, whichever form it was given in."""
        if self.identities is not None:
            return list(self.identities.mappings)
        return [self.identity] if self.identity is not None else []

    def to_body(self, api_version: str | None = None) -> dict[str, Any]:
        """The JSON body for ``api_version`` (identities vs identity, see class doc)."""
        if self.identity is not None and self.identities is not None:
            raise InvalidRequestError("give either `identity` or `identities`, not both")
        body = super().to_body()
        mappings = self.identity_mappings()
        body.pop("identity", None)
        body.pop("identities", None)
        if not mappings:
            return body
        dumped = [m.to_body() for m in mappings]
        if api_version is None or supports_identities(api_version):
            identities: dict[str, Any] = {"mappings": dumped}
            strategy = self.identities.strategy if self.identities is not None else None
            if strategy is None and len(dumped) > 1:
                strategy = "priority"
            if strategy is not None:
                identities["strategy"] = strategy
            body["identities"] = identities
        elif len(dumped) == 1:
            body["identity"] = dumped[0]
        else:
            raise InvalidRequestError(
                f"API version {API_2024_02_08} accepts one identity mapping; got {len(dumped)}. "
                "Pin 2025-09-18 to use several."
            )
        return body


def _known(value: dict[str, Any], model: type[RequestModel]) -> dict[str, Any]:
    """The keys of an API answer that ``model`` accepts, without empty strings and nulls; nested sources kept whole."""
    names = {info.alias or name for name, info in model.model_fields.items()}
    kept = {k: v for k, v in value.items() if k in names and v not in ("", None)}
    if isinstance(kept.get("source"), dict):
        kept["source"] = {k: v for k, v in kept["source"].items() if k in {"model_id", "field"}}
    return kept


class SyncProblem(APIModel):
    """A server-computed problem on a stored sync; a sync with problems will not run."""

    code: str | None = None
    message: str | None = None
    path: str | None = None
    severity: str | None = None


class Sync(APIModel):
    """A model sync as the API returns it."""

    id: str
    name: str
    mode: str
    active: bool | None = None
    organization_id: str | None = None
    target: dict[str, Any] | None = None
    fields: list[dict[str, Any]] = Field(default_factory=list)
    schedule: dict[str, Any] | None = None
    identity: dict[str, Any] | None = None
    identities: dict[str, Any] | None = None
    model_ids: list[str] = Field(default_factory=list)
    override_fields: list[dict[str, Any]] | None = None
    problems: list[SyncProblem] = Field(default_factory=list)
    sync_all_records: bool | None = None
    skip_initial_backfill: bool | None = None
    only_enrich_updates: bool | None = None
    created_at: str | None = None
    created_by: Actor | None = None
    updated_at: str | None = None
    updated_by: Actor | None = None

    def __repr_args__(self):  # type: ignore[no-untyped-def]
        for name, value in super().__repr_args__():
            if name == "encryption_passphrase" and value:
                value = "******"
            yield name, value

    @property
    def target_connection_id(self) -> str | None:
        """The destination connection."""
        return (self.target or {}).get("connection_id")

    def to_request(self) -> SyncRequest:
        """The create/update body that describes this sync as it is (for a merge before a full-replacement PUT).

        Keys the API adds to its answers (empty strings, derived ids) are left out; extra
        options it returns (filters, overrides) are carried over as they are.
        """
        extra = self.model_extra or {}
        identities = self.identities if self.identities and self.identities.get("mappings") else None
        return SyncRequest(
            name=self.name,
            mode=self.mode,
            target=SyncTarget.model_validate(_known(self.target or {}, SyncTarget)),
            fields=[SyncField.model_validate(_known(f, SyncField)) for f in self.fields],
            schedule=Schedule.model_validate(_known(self.schedule or {"frequency": "manual"}, Schedule)),
            active=self.active,
            identity=SyncIdentity.model_validate(_known(self.identity, SyncIdentity)) if self.identity and not identities else None,
            identities=SyncIdentities.model_validate(
                {**_known(identities, SyncIdentities), "mappings": [_known(m, SyncIdentity) for m in identities["mappings"]]}
            ) if identities else None,
            override_fields=[OverrideField.model_validate(_known(f, OverrideField)) for f in self.override_fields or []] or None,
            model_filters=extra.get("model_filters") or None,
            target_filters=extra.get("target_filters") or None,
            overrides=extra.get("overrides") or None,
            sync_all_records=self.sync_all_records,
            skip_initial_backfill=self.skip_initial_backfill,
            only_enrich_updates=self.only_enrich_updates,
            policies=extra.get("policies") or None,
        )

    @property
    def target_object(self) -> str | None:
        """The target object id."""
        return (self.target or {}).get("object")


class SyncSummary(APIModel):
    """An item of GET /api/syncs (light on 2025-09-18, full object on 2024-02-08)."""

    id: str
    name: str
    mode: str | None = None
    active: bool | None = None
    organization_id: str | None = None
    model_ids: list[str] = Field(default_factory=list)
    target_connection_id: str | None = None
    target_object: str | None = None
    schedule: dict[str, Any] | None = None
    created_at: str | None = None
    updated_at: str | None = None

    def model_post_init(self, context: Any, /) -> None:
        """Fill the light fields from a full 2024-02-08 object's ``target``."""
        target = (self.model_extra or {}).get("target")
        if isinstance(target, dict):
            if self.target_connection_id is None:
                self.target_connection_id = target.get("connection_id")
            if self.target_object is None:
                self.target_object = target.get("object")


class SyncActivation(APIModel):
    """POST /api/syncs/{id}/activate."""

    id: str
    active: bool


class ScheduleOption(APIModel):
    """A frequency and the configuration form that says which schedule fields it needs."""

    frequency: str
    label: str | None = None
    description: str | None = None
    configuration: dict[str, Any] = Field(default_factory=dict)


class ExecutionCounts(APIModel):
    """Record counts of one execution."""

    total: int | None = None
    insert: int | None = None
    update: int | None = None
    upserts: int | None = None
    delete: int | None = None
    error: int | None = None
    warnings: int | None = None


class Execution(APIModel):
    """One run of a sync."""

    id: str
    status: str
    type: str | None = None
    created_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    counts: ExecutionCounts | None = None
    errors: list[str] | None = None
    version: str | None = None


class ExecutionStart(APIModel):
    """POST /api/syncs/{id}/executions: the execution that was queued."""

    id: str
    status: str
    created_at: str | None = None


class SyncStatus(APIModel):
    """GET /api/syncs/{id}/status."""

    current_execution: Execution | None = None
    last_execution: Execution | None = None
    next_execution_time: str | None = None


class StartSyncRequest(RequestModel):
    """Body of POST /api/syncs/{id}/executions."""

    resync: bool | None = None
    test: bool | None = None
    identities: list[str] | None = None
    source_identities: list[list[dict[str, Any]]] | None = None
