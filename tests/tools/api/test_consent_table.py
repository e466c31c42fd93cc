"""call_api's consent table: every write in the catalog is classified, side doors ask, and agent-sent secrets blind nothing.

The table is an allow-list: a write asks unless ``NO_CONSENT`` names it and the call sets nothing that asks;
an operation the table does not know asks ``UNKNOWN``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from polytomic_mcp.catalog import Operation, find, load
from polytomic_mcp.redaction import scrub
from polytomic_mcp.sandbox import EMPTY_API_KEY
from polytomic_mcp.tools.api import guard
from polytomic_mcp.tools.api.consent_table import ASKING, EFFECTS, NO_CONSENT, consent_effect
from polytomic_mcp.tools.core.effects import Effect
from polytomic_mcp.tools.core.services import Services

WRITES = [op for op in load() if not op.reads]
READS = [op for op in load() if op.reads]
ENV = {"$env": "POLYTOMIC_SECRET_PG"}


def effect(operation: str, body: Any = None, query: dict[str, Any] | None = None) -> Effect | None:
    return consent_effect(find(operation), query or {}, body)


@pytest.mark.parametrize("op", WRITES, ids=lambda op: op.id)
def test_every_write_in_the_catalog_is_classified(op: Operation) -> None:
    assert (op.id in NO_CONSENT) != (op.id in EFFECTS), f"{op.id} must be in exactly one of NO_CONSENT and EFFECTS"
    if op.id in NO_CONSENT:
        assert NO_CONSENT[op.id].strip(), f"{op.id} needs a reason"
    else:
        assert consent_effect(op, {}, None) is EFFECTS[op.id] is not Effect.UNKNOWN


def test_the_tables_name_only_catalog_writes_once_each() -> None:
    writes = {op.id for op in WRITES}
    listed = Counter(operation for operations in ASKING.values() for operation in operations)
    assert set(NO_CONSENT) <= writes and set(EFFECTS) <= writes
    assert [name for name, count in listed.items() if count > 1] == []
    assert set(NO_CONSENT) & set(EFFECTS) == set()


def test_nothing_the_catalog_marks_destructive_admin_or_minting_goes_unasked() -> None:
    risky = {op.id for op in WRITES if op.risk}
    assert risky & set(NO_CONSENT) == set()


def invented(id: str = "widgets.frobnicate", **changes: Any) -> Operation:
    fields: dict[str, Any] = {
        "id": id, "method": "POST", "path": "/api/widgets/{id}/frobnicate", "summary": "Frobnicates a widget",
        "path_params": ("id",), "query": {}, "body": {"level": "integer"}, "secret_fields": (), "destructive_params": (),
        "headers": (), "reads": False, "risk": (), "typed_tool": None,
    }
    return Operation(**{**fields, **changes})


@pytest.mark.parametrize("op", [
    invented(),
    invented(method="PATCH", body=None),
    invented(risk=("destructive",), method="DELETE"),
    find("models.create").model_copy(update={"id": "models.create_v2"}),
], ids=["post", "patch-no-body", "delete", "renamed-known"])
def test_an_operation_the_table_does_not_know_asks_unknown(op: Operation) -> None:
    assert consent_effect(op, {}, None) is Effect.UNKNOWN
    assert consent_effect(op, {}, {"level": 1}) is Effect.UNKNOWN


@pytest.mark.parametrize(("operation", "query", "body", "expected"), [
    ("connections.proxy.execute_proxy", {},
     {"request": {"method": "DELETE", "path": "/services/data/v59.0/sobjects/Account/001xx"}}, Effect.CREDENTIALED),
    ("connections.proxy.update_proxy_settings", {}, {"enabled": True}, Effect.CREDENTIALED),
    ("query_runner.run_query", {"query": "DELETE FROM users; DROP TABLE orders"}, None, Effect.CREDENTIALED),
    ("schemas.patch_field", {}, {"label": "Email", "type": "string"}, Effect.CREDENTIALED),
    ("schemas.upsert_field", {}, {"fields": [{"field_id": "f", "label": "F", "type": "string"}]}, Effect.CREDENTIALED),
    ("webhooks.create", {}, {"endpoint": "https://collector.example.net/in", "secret": "s3cr3t-value"}, Effect.OUTWARD),
    ("connections.connect", {}, {"name": "crm", "redirect_url": "https://evil.example.net/back"}, Effect.OUTWARD),
    ("record_view_links.create", {},
     {"connection_id": "c1", "schema_id": "Account", "lookup_key_field": "Id", "lookup_key_value": "001"}, Effect.OUTWARD),
    ("connections.test_connection", {}, {"type": "postgresql", "configuration": {"hostname": "db.example.net", "password": ENV}},
     Effect.OUTWARD),
    ("connections.test_connection", {}, {"type": "postgresql", "connection_id": "c1", "configuration": {"hostname": "db.example.net"}},
     Effect.OUTWARD),
    ("connections.get_type_parameter_values", {}, {"field": "database", "parameters": {"password": ENV}}, Effect.OUTWARD),
    ("connections.get_type_parameter_values", {}, {"field": "database", "connection_id": "c1"}, Effect.OUTWARD),
    ("organization.update_record_logging", {}, {"enabled": True, "deliveryConnectionId": "c9"}, Effect.OUTWARD),
    ("notifications.set_global_error_subscribers", {}, {"emails": ["someone@example.net"]}, Effect.OUTWARD),
    ("harbors.actions.execute", {}, {"execution_id": "e1"}, Effect.RECORDS),
    ("users.create_current_org_user", {}, {"email": "new@example.net", "role": "admin"}, Effect.ACCESS),
])
def test_each_side_door_asks_with_its_effect(operation: str, query: dict[str, Any], body: Any, expected: Effect) -> None:
    assert effect(operation, body, query) is expected


@pytest.mark.parametrize(("operation", "body"), [
    ("connections.test_connection", {"type": "postgresql", "configuration": {"hostname": "db.example.net", "password": ENV}}),
    ("connections.test_connection", {"type": "x", "configuration": {"tunnels": [{"key": ENV}]}}),
    ("connections.create", {"name": "pg", "type": "postgresql", "configuration": {"password": ENV}}),
    ("models.create", {"name": "m", "connection_id": "c1", "configuration": {"query": "select 1", "token": ENV}}),
])
def test_an_env_reference_in_a_no_consent_body_asks_outward(operation: str, body: Any) -> None:
    assert operation in NO_CONSENT
    assert effect(operation, body) is Effect.OUTWARD


@pytest.mark.parametrize(("operation", "body"), [
    ("connections.create", {"name": "sf", "type": "salesforce", "configuration": {}, "redirect_url": "https://x.example.net"}),
    ("models.create", {"name": "m", "connection_id": "c1", "configuration": {"url": "https://other.example.net/export"}}),
    ("models.preview", {"name": "m", "connection_id": "c1", "configuration": {"request": {"callbackUrl": "https://x.example.net"}}}),
])
def test_an_address_field_in_a_no_consent_body_asks_outward(operation: str, body: Any) -> None:
    assert operation in NO_CONSENT
    assert effect(operation, body) is Effect.OUTWARD


@pytest.mark.parametrize(("operation", "query", "body"), [
    ("connections.delete", {"force": True}, None),
    ("connections.delete", {"force": "true"}, None),
    ("model_sync.start", {}, {"resync": True}),
    ("bulk_sync.start", {}, {"resync_mode": "rebuild"}),
    ("bulk_sync.start", {}, {"resync_mode": "refetch"}),
    ("users.create_api_key", {"force": True}, None),
    ("bulk_sync.create", {}, {"name": "b", "additional_schedules": [{"frequency": "daily", "resync_mode": "resync"}]}),
    ("bulk_sync.schemas.patch", {}, {"schemas": [{"id": "Account", "enabled": False}]}),
])
def test_destructive_flags_ask_destructive(operation: str, query: dict[str, Any], body: Any) -> None:
    assert effect(operation, body, query) is Effect.DESTRUCTIVE


@pytest.mark.parametrize(("operation", "body", "expected"), [
    ("bulk_sync.start", {"resync_mode": "normal"}, None),
    ("bulk_sync.start", {"test": True}, None),
    ("model_sync.start", {"resync": False}, Effect.RECORDS),
    ("connections.delete", None, Effect.DESTRUCTIVE),
    ("model_sync.create", {"name": "s", "mode": "create"}, None),
    ("model_sync.create", {"name": "s", "mode": "append"}, None),
    ("model_sync.create", {"name": "s", "mode": "updateOrCreate"}, Effect.RECORDS),
    ("model_sync.create", {"name": "s", "mode": "snapshot"}, Effect.RECORDS),
    ("model_sync.activate", {"active": False}, None),
    ("model_sync.activate", {"active": True}, Effect.RECORDS),
    ("bulk_sync.schemas.patch", {"schemas": [{"id": "Account", "enabled": True}]}, None),
    ("bulk_sync.create", {"name": "b", "additional_schedules": [{"frequency": "daily", "resync_mode": "normal"}]}, None),
    ("connections.test_connection", {"type": "postgresql", "configuration": {"hostname": "db.example.net", "password": "typed"}}, None),
    ("models.create", {"name": "m", "connection_id": "c1", "configuration": {"query": "select * from users"}}, None),
    ("schemas.refresh", None, None),
    ("webhooks.disable", None, None),
    ("webhooks.enable", None, Effect.OUTWARD),
])
def test_unset_flags_and_safe_values_leave_the_tables_effect(operation: str, body: Any, expected: Effect | None) -> None:
    assert effect(operation, body) is expected


@pytest.mark.parametrize("op", READS, ids=lambda op: op.id)
def test_reads_never_ask(op: Operation) -> None:
    wild = {"force": True, "resync": True, "resync_mode": "rebuild", "redirect_url": "https://x.example.net", "secret": ENV}
    assert consent_effect(op, wild, wild) is None and consent_effect(op, {}, None) is None


def test_guard_re_exports_the_table() -> None:
    assert guard.consent_effect is consent_effect



@pytest.mark.anyio
async def test_prepare_registers_only_what_the_server_holds(svc: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYTOMIC_SECRET_PG", "pg-password-from-env-7f6e5d")
    typed = "alice@example.com"
    body = {"type": "postgresql", "configuration": {"hostname": "db", "username": typed, "password": typed, "ssh_key": ENV}}
    prepared = guard.prepare(svc, find("connections.test_connection"), None, None, body)
    assert prepared.shown_body["configuration"] == {"hostname": "******", "username": "******", "password": "******", "ssh_key": ENV}
    assert prepared.request.body is not None and prepared.request.body["configuration"]["ssh_key"] == "pg-password-from-env-7f6e5d"
    assert scrub(f"ask {typed}?") == f"ask {typed}?"
    assert scrub("pg-password-from-env-7f6e5d") == "******" and scrub(EMPTY_API_KEY) == "******"
