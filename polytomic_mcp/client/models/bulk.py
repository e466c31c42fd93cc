"""Bulk syncs (ELT): create/update bodies built per API version, the sync as returned, and its per-schema settings.

The schedule is one field here, ``schedule``; ``BulkSyncRequest.to_body`` sends it as ``default_schedule`` on
2025-09-18 and as ``schedule`` on 2024-02-08 (which has no ``additional_schedules``).
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, Field

from .._exceptions import InvalidRequestError
from .._versions import API_2025_09_18
from ._base import Actor, APIModel, RequestModel

BULK_MODES = ("replicate", "snapshot", "append")
"""Known bulk sync modes (open enum; a destination lists the ones it takes)."""

RESYNC_MODES = ("refetch", "resync", "rebuild")
"""Resync modes of a run (``rebuild`` is what 2024-02-08's ``resync: true`` did)."""

DISCOVERY_OPTIONS = ("all", "onlyIncremental", "onlyNonIncremental", "none")
"""Values of ``automatically_add_new_objects`` / ``automatically_add_new_fields``."""


class BulkSchedule(RequestModel):
    """When a bulk sync runs (times are strings, in UTC)."""

    frequency: str
    minute: str | None = None
    hour: str | None = None
    day_of_week: str | None = None
    day_of_month: str | None = None
    month: str | None = None


class BulkAdditionalScheduleRequest(BulkSchedule):
    """An extra schedule (2025-09-18), optionally for some schemas only or with a resync."""

    schemas: list[str] | None = None
    resync_mode: str | None = None
    selective_mode: str | None = None


class BulkFieldSelection(RequestModel):
    """A field of a schema selection on create/update (``obfuscate`` here; PATCH says ``obfuscated``)."""

    id: str
    enabled: bool | None = None
    obfuscate: bool | None = None
    user_output_name: str | None = None


class BulkFilter(RequestModel):
    """A row filter on a schema: ``field_id`` compared with ``function`` (the model-sync filter functions)."""

    field_id: str
    function: str
    value: Any = None


class BulkSchemaSelection(RequestModel):
    """One schema of a create/update body with options; a bare schema id string selects it with defaults."""

    id: str
    enabled: bool | None = None
    fields: list[str | BulkFieldSelection] | None = None
    filters: list[BulkFilter] | None = None
    tracking_field: str | None = None
    partition_key: str | None = None
    user_output_name: str | None = None
    data_cutoff_timestamp: str | None = None
    disable_data_cutoff: bool | None = None
    history_enabled: bool | None = None


class BulkSyncRequest(RequestModel):
    """Body of POST /api/bulk/syncs and PUT /api/bulk/syncs/{id} (PUT is a full replacement).

    ``schedule`` (also accepted as ``default_schedule``) is sent as ``default_schedule`` on 2025-09-18 and as
    ``schedule`` on 2024-02-08. Omitting ``schemas`` selects every source schema on create and keeps the
    selection on update.
    """

    name: str
    source_connection_id: str
    destination_connection_id: str
    destination_configuration: dict[str, Any]
    schedule: BulkSchedule = Field(validation_alias=AliasChoices("schedule", "default_schedule"))
    additional_schedules: list[BulkAdditionalScheduleRequest] | None = None
    mode: str | None = None
    schemas: list[str | BulkSchemaSelection] | None = None
    active: bool | None = None
    automatically_add_new_objects: str | None = None
    automatically_add_new_fields: str | None = None
    normalize_names: str | None = None
    source_configuration: dict[str, Any] | None = None
    data_cutoff_timestamp: str | None = None
    disable_record_timestamps: bool | None = None
    concurrency_limit: int | None = None
    resync_concurrency_limit: int | None = None
    policies: list[str] | None = None
    organization_id: str | None = None

    def to_body(self, api_version: str | None = None) -> dict[str, Any]:
        """The JSON body for ``api_version`` (``default_schedule`` vs ``schedule``, see the class doc)."""
        body = super().to_body()
        schedule = body.pop("schedule")
        if api_version is None or api_version >= API_2025_09_18:
            body["default_schedule"] = schedule
            return body
        if self.additional_schedules:
            raise InvalidRequestError(
                f"API version {api_version} has one schedule per bulk sync; additional_schedules need 2025-09-18"
            )
        body["schedule"] = schedule
        return body


class BulkFieldUpdate(RequestModel):
    """A field in a PATCH of a sync's schemas."""

    id: str
    enabled: bool | None = None
    obfuscated: bool | None = None
    user_output_name: str | None = None


class BulkSchemaUpdate(RequestModel):
    """One schema in PATCH /api/bulk/syncs/{id}/schemas; only listed schemas change, omitted ``fields`` enables all."""

    id: str
    enabled: bool | None = None
    fields: list[BulkFieldUpdate] | None = None
    filters: list[BulkFilter] | None = None
    tracking_field: str | None = None
    partition_key: str | None = None
    user_output_name: str | None = None
    data_cutoff_timestamp: str | None = None
    disable_data_cutoff: bool | None = None
    history_enabled: bool | None = None


class BulkDefaultSchedule(APIModel):
    """A bulk sync's default schedule as returned."""

    id: str | None = None
    frequency: str
    minute: str | None = None
    hour: str | None = None
    day_of_week: str | None = None
    day_of_month: str | None = None
    month: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class BulkAdditionalSchedule(BulkDefaultSchedule):
    """An additional schedule as returned."""

    schemas: list[str] | None = None
    resync_mode: str | None = None
    selective_mode: str | None = None


class BulkSync(APIModel):
    """A bulk sync's top-level configuration; a 2024-02-08 ``schedule`` is read into ``default_schedule``."""

    id: str
    name: str
    active: bool | None = None
    mode: str | None = None
    organization_id: str | None = None
    source_connection_id: str | None = None
    destination_connection_id: str | None = None
    source_configuration: dict[str, Any] | None = None
    destination_configuration: dict[str, Any] | None = None
    default_schedule: BulkDefaultSchedule | None = None
    additional_schedules: list[BulkAdditionalSchedule] = Field(default_factory=list)
    automatically_add_new_objects: str | None = None
    automatically_add_new_fields: str | None = None
    normalize_names: str | None = None
    disable_record_timestamps: bool | None = None
    data_cutoff_timestamp: str | None = None
    policies: list[str] = Field(default_factory=list)
    created_at: str | None = None
    created_by: Actor | None = None
    updated_at: str | None = None
    updated_by: Actor | None = None

    def to_request(self, schemas: list[str]) -> BulkSyncRequest:
        """The create/update body that describes this bulk sync as it is, with ``schemas`` enabled (for a merge before a PUT)."""
        schedule = self.default_schedule.model_dump(include={"frequency", "minute", "hour", "day_of_week", "day_of_month", "month"},
                                                     exclude_none=True) if self.default_schedule else {"frequency": "manual"}
        return BulkSyncRequest(
            name=self.name,
            source_connection_id=self.source_connection_id or "",
            destination_connection_id=self.destination_connection_id or "",
            destination_configuration=self.destination_configuration or {},
            schedule=BulkSchedule.model_validate({k: v for k, v in schedule.items() if v != ""}),
            mode=self.mode or None,
            schemas=list(schemas) or None,
            active=self.active,
            automatically_add_new_objects=self.automatically_add_new_objects or None,
            automatically_add_new_fields=self.automatically_add_new_fields or None,
            normalize_names=self.normalize_names or None,
            source_configuration=self.source_configuration or None,
            data_cutoff_timestamp=self.data_cutoff_timestamp or None,
            disable_record_timestamps=self.disable_record_timestamps,
            policies=self.policies or None,
        )

    def model_post_init(self, context: Any, /) -> None:
        """Read the single 2024-02-08 ``schedule`` as the default schedule."""
        legacy = (self.model_extra or {}).get("schedule")
        if self.default_schedule is None and isinstance(legacy, dict) and "frequency" in legacy:
            self.default_schedule = BulkDefaultSchedule.model_validate(legacy)


class BulkSyncSchemaSummary(APIModel):
    """A schema of a bulk sync as listed (no fields or filters)."""

    id: str
    enabled: bool | None = None
    output_name: str | None = None
    user_output_name: str | None = None
    tracking_field: str | None = None
    partition_key: str | None = None
    data_cutoff_timestamp: str | None = None
    disable_data_cutoff: bool | None = None
    history_enabled: bool | None = None


class BulkSyncField(APIModel):
    """A field's selection on a bulk sync schema."""

    id: str
    enabled: bool | None = None
    obfuscated: bool | None = None
    output_name: str | None = None
    user_output_name: str | None = None


class BulkSyncFilter(APIModel):
    """A row filter as returned."""

    field_id: str | None = None
    function: str | None = None
    value: Any = None


class BulkSyncSchema(BulkSyncSchemaSummary):
    """One schema of a bulk sync with its field selection and filters."""

    fields: list[BulkSyncField] = Field(default_factory=list)
    filters: list[BulkSyncFilter] = Field(default_factory=list)

    @property
    def enabled_fields(self) -> list[str]:
        """Ids of the fields that are copied."""
        return [f.id for f in self.fields if f.enabled]
