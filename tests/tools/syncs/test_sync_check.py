"""Sync mapping checks: fields, mode, identity, required fields, schedule."""

from __future__ import annotations

from typing import Any

import pytest

from polytomic_mcp.client.models import Model, ScheduleOption, SyncRequest, TargetFields, TargetObject
from polytomic_mcp.tools.syncs.checks import check_sync

MODEL = Model.model_validate(
    {"id": "m1", "name": "Users", "fields": [{"name": n} for n in ("email", "first_name", "last_name", "plan")]}
)
OBJECT = TargetObject.model_validate(
    {"id": "Contact", "modes": [{"id": "create", "requires_identity": False}, {"id": "update", "requires_identity": True}]}
)
FIELDS = TargetFields.model_validate(
    {
        "id": "Contact",
        "fields": [
            {"id": "Email", "supports_identity": True, "identity_functions": [{"id": "Equality"}, {"id": "ISubstring"}]},
            {"id": "FirstName"},
            {"id": "LastName", "required": True},
            {"id": "Id", "createable": False, "updateable": False, "supports_identity": True,
             "identity_functions": [{"id": "Equality"}]},
            {"id": "CreatedDate", "createable": False, "updateable": False},
        ],
    }
)
SCHEDULES = [
    ScheduleOption(frequency="continuous"),
    ScheduleOption(frequency="daily", configuration={"required": ["hour", "minute"]}),
]


def sync(**overrides: Any) -> SyncRequest:
    body: dict[str, Any] = {
        "name": "s",
        "mode": "create",
        "target": {"connection_id": "c", "object": "Contact"},
        "fields": [
            {"source": {"model_id": "m1", "field": "first_name"}, "target": "FirstName"},
            {"source": {"model_id": "m1", "field": "last_name"}, "target": "LastName"},
        ],
        "identity": {"source": {"model_id": "m1", "field": "email"}, "target": "Email", "function": "equality"},
        "schedule": {"frequency": "continuous"},
    }
    body.update(overrides)
    return SyncRequest.model_validate(body)


def messages(request: SyncRequest) -> str:
    problems = check_sync(request, models={"m1": MODEL}, target_object=OBJECT, target_fields=FIELDS,
                          schedule_options=SCHEDULES)
    return "\n".join(f"{p.path}: {p.message}" for p in problems)


def test_reference_mapping_is_clean() -> None:
    assert messages(sync()) == ""


def test_unknown_model_field_suggests_the_closest() -> None:
    text = messages(sync(fields=[{"source": {"model_id": "m1", "field": "firstname"}, "target": "FirstName"},
                                 {"source": {"model_id": "m1", "field": "last_name"}, "target": "LastName"}]))
    assert "fields[0].source.field: model 'Users' has no field 'firstname' (did you mean 'first_name'" in text


def test_unknown_identity_source_field() -> None:
    text = messages(sync(identity={"source": {"model_id": "m1", "field": "mail"}, "target": "Email", "function": "Equality"}))
    assert "identity.source.field" in text and "did you mean 'email'" in text


def test_unknown_model_id() -> None:
    text = messages(sync(fields=[{"source": {"model_id": "nope", "field": "x"}, "target": "LastName"}]))
    assert "model 'nope' does not exist" in text


def test_unknown_target_field_suggests_the_closest() -> None:
    text = messages(sync(fields=[{"source": {"model_id": "m1", "field": "last_name"}, "target": "Lastname"}]))
    assert "has no field 'Lastname' (did you mean 'LastName'" in text


def test_mode_the_object_lacks_lists_valid_modes() -> None:
    text = messages(sync(mode="updateOrCreate"))
    assert "does not support mode 'updateOrCreate'; valid modes: 'create', 'update'" in text


def test_missing_identity_where_mode_requires_one() -> None:
    text = messages(sync(mode="update", identity=None))
    assert "mode 'update' needs an identity" in text and "'Email'" in text


def test_unsupported_identity_function_lists_valid_ones() -> None:
    text = messages(sync(identity={"source": {"model_id": "m1", "field": "email"}, "target": "Email", "function": "DomainMatch"}))
    assert "does not support identity function 'DomainMatch'; valid: 'Equality', 'ISubstring'" in text


def test_identity_on_a_field_that_cannot_match() -> None:
    text = messages(sync(identity={"source": {"model_id": "m1", "field": "email"}, "target": "FirstName", "function": "Equality"}))
    assert "field 'FirstName' cannot be used as an identity" in text


def test_required_target_field_unmapped_in_create_mode() -> None:
    text = messages(sync(fields=[{"source": {"model_id": "m1", "field": "first_name"}, "target": "FirstName"}]))
    assert "required fields of 'Contact' must be mapped: 'LastName'" in text


def test_required_field_not_demanded_in_update_mode() -> None:
    text = messages(sync(mode="update", fields=[{"source": {"model_id": "m1", "field": "first_name"}, "target": "FirstName"}]))
    assert text == ""


def test_not_createable_and_not_updateable_fields() -> None:
    created = messages(sync(fields=[*sync().model_dump()["fields"],
                                    {"source": {"model_id": "m1", "field": "plan"}, "target": "CreatedDate"}]))
    assert "field 'CreatedDate' cannot be set on create" in created
    updated = messages(sync(mode="update", fields=[{"source": {"model_id": "m1", "field": "plan"}, "target": "CreatedDate"}]))
    assert "field 'CreatedDate' cannot be updated" in updated


def test_target_mapped_twice() -> None:
    text = messages(sync(fields=[*sync().model_dump()["fields"],
                                 {"source": {"model_id": "m1", "field": "plan"}, "target": "LastName"}]))
    assert "target field 'LastName' is mapped more than once" in text


def test_schedule_frequency_and_required_fields() -> None:
    assert "unknown frequency 'continous'" in messages(sync(schedule={"frequency": "continous"}))
    assert "frequency 'daily' needs 'hour', 'minute'" in messages(sync(schedule={"frequency": "daily"}))
    assert messages(sync(schedule={"frequency": "daily", "hour": "5", "minute": "0"})) == ""


TYPED_MODEL = Model.model_validate({"id": "m2", "name": "Accounts", "fields": [
    {"name": "plan", "type": "string"}, {"name": "seats", "type": "integer"}, {"name": "revenue", "type": "number"},
    {"name": "signed_up", "type": "datetime"}, {"name": "active", "type": "boolean"}, {"name": "tags", "type": "array"}]})
TYPED_FIELDS = TargetFields.model_validate({"id": "Account", "fields": [
    {"id": "Name", "type": "string"}, {"id": "Seats__c", "type": "integer"}, {"id": "Revenue", "type": "currency"},
    {"id": "Active__c", "type": "boolean"}, {"id": "Since", "type": "date"}, {"id": "Stage", "type": "picklist"}]})


def typed_problems(source: str, target: str) -> list[tuple[str, str, bool]]:
    """(path, message, warning) of each problem of one mapping from the typed model to the typed object."""
    request = SyncRequest.model_validate({
        "name": "s", "mode": "create", "target": {"connection_id": "c", "object": "Account"},
        "fields": [{"source": {"model_id": "m2", "field": source}, "target": target}], "schedule": {"frequency": "continuous"}})
    problems = check_sync(request, models={"m2": TYPED_MODEL}, target_object=OBJECT, target_fields=TYPED_FIELDS, schedule_options=SCHEDULES)
    return [(p.path, p.message, bool(p.warning)) for p in problems]


def test_a_value_type_the_target_cannot_hold_blocks_naming_both_types_and_the_rejection() -> None:
    [(path, message, warning)] = typed_problems("signed_up", "Active__c")
    assert path == "fields[0]" and not warning
    assert "'signed_up' (datetime) into 'Active__c' (boolean)" in message and "rejects every record" in message
    assert [w for _, _, w in typed_problems("active", "Revenue")] == [False]


@pytest.mark.parametrize(("source", "target"), [("plan", "Revenue"), ("plan", "Since"), ("revenue", "Seats__c"), ("seats", "Active__c")])
def test_a_type_only_some_values_fit_is_a_warning_saying_what_the_run_rejects(source: str, target: str) -> None:
    [(path, message, warning)] = typed_problems(source, target)
    assert path == "fields[0]" and warning and "are rejected by the run (INVALID_TYPE)" in message
    assert f"'{source}' (" in message and f"'{target}' (" in message


@pytest.mark.parametrize(("source", "target"), [("plan", "Name"), ("seats", "Revenue"), ("revenue", "Revenue"),
                                                 ("signed_up", "Since"), ("tags", "Seats__c"), ("active", "Stage")])
def test_types_that_always_fit_or_are_not_judged_say_nothing(source: str, target: str) -> None:
    assert typed_problems(source, target) == []
