"""Which API version has each operation, and what each answers: read by call_api's refusal and the sandbox."""

from __future__ import annotations

import pytest

from polytomic_mcp.catalog import find, load, response


@pytest.mark.parametrize("operation", [
    "webhooks.list_deliveries", "model_sync.executions.cancel", "model_sync.executions.get_console_logs",
    "harbors.list", "users.list_current_org_users", "connections.get_usage", "organization.get_current",
])
def test_operations_new_in_2025_09_18_say_so(operation: str) -> None:
    op = find(operation)
    assert op.since == "2025-09-18"
    assert op.available_in("2025-09-18") and not op.available_in("2024-02-08") and not op.available_in("2023-04-25")


@pytest.mark.parametrize("operation", ["webhooks.list", "users.list", "events.list", "connections.create", "model_sync.executions.get"])
def test_operations_every_version_has_name_no_version(operation: str) -> None:
    op = find(operation)
    assert op.since is None
    assert all(op.available_in(version) for version in ("2025-09-18", "2024-02-08", "2023-04-25"))


def test_a_third_of_the_catalog_is_new_in_2025_09_18() -> None:
    assert {op.since for op in load()} == {None, "2025-09-18"}
    assert sum(op.since is not None for op in load()) == 87


def test_every_operation_has_its_answer_recorded() -> None:
    for op in load():
        assert response(op.id).id == op.id


def test_an_answer_names_its_sdk_type_and_the_model_under_data() -> None:
    webhook = response("webhooks.get")
    assert (webhook.type, webhook.data_type) == ("WebhookEnvelope", "Webhook")
    assert webhook.shape is not None and webhook.shape["data"]["endpoint"] == "string"
    listing = response("webhooks.list")
    assert listing.data_type == "Webhook" and listing.shape is not None and isinstance(listing.shape["data"], list)


def test_required_members_are_marked_and_an_ignored_body_has_no_type() -> None:
    status = response("harbors.get_status").shape
    assert status is not None and "as_of*" in status["data*"]
    assert response("webhooks.delete").type is None and response("webhooks.delete").shape is None
    assert response("notifications.get_global_error_subscribers").shape == {"emails": ["string"]}


def test_a_recursive_type_is_cut_where_it_repeats() -> None:
    schema = response("connections.get_connection_type_schema").shape
    assert schema is not None and schema["items"] == "object"
