"""Every sample payload of the API reference parses into the client's models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from polytomic_mcp.client._error_responses import parse_error_body
from polytomic_mcp.client.models import (
    Connection,
    ConnectionCreateRequest,
    ConnectionType,
    Execution,
    ExecutionStart,
    Job,
    Me,
    Model,
    ModelCreateRequest,
    ModelField,
    ModelSample,
    ScheduleOption,
    SourceMeta,
    StartSyncRequest,
    Sync,
    SyncActivation,
    SyncRequest,
    SyncStatus,
    SyncSummary,
    TargetCreation,
    TargetFields,
    TargetObject,
)

# sample file -> (model, how to reach the payload, is-a-list)
RESPONSES: dict[str, tuple[type[BaseModel], str, bool]] = {
    "connection_create_response_mongodb.json": (Connection, "data", False),
    "connection_create_response_salesforce_oauth.json": (Connection, "data", False),
    "connection_get.json": (Connection, "data", False),
    "connection_list.json": (Connection, "data", True),
    "connection_types_list_excerpt.json": (ConnectionType, "data", True),
    "identity_get.json": (Me, "data", False),
    "job_get_done.json": (Job, "data", False),
    "model_create_async_response.json": (Job, "job", False),
    "model_get.json": (Model, "data", False),
    "model_sample.json": (ModelSample, "data", False),
    "modelsync_source_fields.json": (ModelField, "data", True),
    "modelsync_source_meta.json": (SourceMeta, "data", False),
    "sync_activate.json": (SyncActivation, "data", False),
    "sync_executions_list.json": (Execution, "data", True),
    "sync_get.json": (Sync, "data", False),
    "sync_list_2025-09-18.json": (SyncSummary, "data", True),
    "sync_start_response.json": (ExecutionStart, "data", False),
    "sync_status.json": (SyncStatus, "data", False),
    "target_fields.json": (TargetFields, "data", False),
    "target_objects_list.json": (TargetObject, "data", True),
    "target_objects_list_with_creation.json": (TargetObject, "data", True),
}
REQUESTS: dict[str, type[BaseModel]] = {
    "connection_create_request_mongodb.json": ConnectionCreateRequest,
    "connection_create_request_salesforce_oauth.json": ConnectionCreateRequest,
    "model_create_request.json": ModelCreateRequest,
    "sync_create_request.json": SyncRequest,
    "sync_start_request.json": StartSyncRequest,
}
OTHER = {"connection_parameter_values.json", "sync_schedule_options.json"}


def test_every_sample_is_covered(shared_api: Path) -> None:
    names = {p.name for p in (shared_api / "samples").glob("*.json")}
    errors = {n for n in names if n.startswith("error_")}
    assert names - errors == set(RESPONSES) | set(REQUESTS) | OTHER


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_sample_parses(shared_api: Path, name: str) -> None:
    model, key, many = RESPONSES[name]
    payload = json.loads((shared_api / "samples" / name).read_text())[key]
    items = payload if many else [payload]
    assert items
    for item in items:
        parsed = model.model_validate(item)
        assert parsed.model_dump(by_alias=True, exclude_unset=True).keys() <= item.keys() | set(
            parsed.model_extra or {}
        )


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_request_sample_round_trips(shared_api: Path, name: str) -> None:
    payload = json.loads((shared_api / "samples" / name).read_text())
    request = REQUESTS[name].model_validate(payload)
    assert request.to_body() == payload


def test_schedule_options_and_target_creation_parse(shared_api: Path) -> None:
    options = json.loads((shared_api / "samples" / "sync_schedule_options.json").read_text())
    parsed = [ScheduleOption.model_validate(o) for o in options["data"]["schedule_options"]]
    assert [o.frequency for o in parsed] == ["manual", "continuous", "daily"]
    listing = json.loads((shared_api / "samples" / "target_objects_list_with_creation.json").read_text())
    creation = TargetCreation.model_validate(listing["target_creation"])
    assert creation.supported and creation.properties[0].values


@pytest.mark.parametrize("name", ["error_400_validation.json", "error_401_2024-02-08.json", "error_404.json",
                                  "error_409_idempotency_in_flight.json", "error_422_connection_in_use.json"])
def test_error_samples_parse(shared_api: Path, name: str) -> None:
    raw = (shared_api / "samples" / name).read_bytes()
    message, key, metadata = parse_error_body(raw, "reason")
    body = json.loads(raw)
    assert message == body.get("message", body.get("error"))
    if name == "error_422_connection_in_use.json":
        assert metadata["used_by"][0]["type"] == "sync"
