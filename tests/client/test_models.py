"""Model behaviour: open enums, version-specific sync bodies, canonical identity functions, masking."""

from __future__ import annotations

import pytest

from polytomic_mcp.client import InvalidRequestError, PolytomicClient
from polytomic_mcp.client.models import (
    ConfigurationSchema,
    Connection,
    ConnectionCreateRequest,
    Execution,
    Sync,
    SyncRequest,
    SyncSummary,
)

SECRET = "hunter2-very-secret"


def reference_sync(**overrides: object) -> SyncRequest:
    body: dict[str, object] = {
        "name": "Mongo to Salesforce Sync",
        "mode": "create",
        "identity": {"source": {"field": "email", "model_id": "m1"}, "target": "Email", "function": "equality"},
        "fields": [{"source": {"field": "first_name", "model_id": "m1"}, "target": "FirstName"}],
        "schedule": {"frequency": "continuous"},
        "target": {"connection_id": "c1", "object": "Contact"},
    }
    body.update(overrides)
    return SyncRequest.model_validate(body)


def test_sync_body_2024_uses_identity_with_canonical_function() -> None:
    body = reference_sync().to_body("2024-02-08")
    assert "identities" not in body
    assert body["identity"] == {"source": {"field": "email", "model_id": "m1"}, "target": "Email", "function": "Equality"}


def test_sync_body_2025_uses_identities() -> None:
    body = reference_sync().to_body("2025-09-18")
    assert "identity" not in body
    assert body["identities"] == {
        "mappings": [{"source": {"field": "email", "model_id": "m1"}, "target": "Email", "function": "Equality"}]
    }


@pytest.mark.parametrize("spelling", ["equality", "EQUALITY", " Equality", "eQuAlItY"])
def test_identity_function_accepts_any_case(spelling: str) -> None:
    request = reference_sync(identity={"source": {"field": "e", "model_id": "m"}, "target": "Email", "function": spelling})
    assert request.identity is not None and request.identity.function == "Equality"


def test_unknown_identity_function_is_kept_for_the_server_to_judge() -> None:
    request = reference_sync(identity={"source": {"field": "e", "model_id": "m"}, "target": "Email", "function": "Fuzzy"})
    assert request.identity is not None and request.identity.function == "Fuzzy"


def test_several_identities_need_2025() -> None:
    mapping = {"source": {"field": "email", "model_id": "m1"}, "target": "Email", "function": "Equality"}
    request = reference_sync(identity=None, identities={"mappings": [mapping, mapping]})
    assert request.to_body("2025-09-18")["identities"]["strategy"] == "priority"
    with pytest.raises(InvalidRequestError, match="one identity"):
        request.to_body("2024-02-08")
    single = reference_sync(identity=None, identities={"mappings": [mapping]})
    assert single.to_body("2024-02-08")["identity"] == mapping


def test_identity_and_identities_together_are_refused() -> None:
    mapping = {"source": {"field": "email", "model_id": "m1"}, "target": "Email", "function": "Equality"}
    with pytest.raises(InvalidRequestError):
        reference_sync(identities={"mappings": [mapping]}).to_body("2025-09-18")


def test_open_enums_keep_unknown_values() -> None:
    sync = Sync.model_validate({"id": "s", "name": "n", "mode": "teleport", "schedule": {"frequency": "lunar"}})
    execution = Execution.model_validate({"id": "e", "status": "levitating"})
    assert sync.mode == "teleport" and sync.schedule == {"frequency": "lunar"}
    assert execution.status == "levitating"


def test_full_2024_sync_objects_fill_summary_fields() -> None:
    summary = SyncSummary.model_validate(
        {"id": "s", "name": "n", "mode": "create", "target": {"connection_id": "c9", "object": "Lead"}}
    )
    assert (summary.target_connection_id, summary.target_object) == ("c9", "Lead")


def test_repr_and_str_of_connections_hide_secrets() -> None:
    request = ConnectionCreateRequest(
        name="db", type="postgresql", configuration={"hostname": "h", "password": SECRET, "ssh": {"private_key": SECRET}}
    )
    connection = Connection.model_validate(
        {"id": "c", "name": "db", "type": {"id": "postgresql"}, "configuration": {"password": SECRET, "hostname": "h"}}
    )
    for text in (repr(request), str(request), repr(connection), str(connection)):
        assert SECRET not in text
        assert "hostname" in text
    assert request.to_body()["configuration"]["password"] == SECRET


def test_client_repr_hides_key() -> None:
    client = PolytomicClient(SECRET)
    assert SECRET not in repr(client) and SECRET not in str(client)


def test_configuration_schema_flattens_fields() -> None:
    schema = ConfigurationSchema.from_json_schema(
        "webhook",
        {
            "type": "object",
            "required": ["url", "auth_method"],
            "properties": {
                "url": {"type": "string"},
                "auth_method": {"type": "string", "default": "polytomic_secret",
                                "enum": [{"value": "polytomic_secret", "label": "Secret"}, "basic"]},
                "secret": {"type": "string", "sensitive": True, "readOnly": True},
                "basic": {"type": "object", "properties": {"password": {"type": "string", "sensitive": True}}},
                "headers": {"type": "array", "items": {"type": "object", "properties": {"value": {"type": "string"}}}},
                "oauth_token_expiry": {"type": "string", "hidden": True},
            },
        },
    )
    auth = schema.field("auth_method")
    assert auth is not None and auth.required and auth.has_default and auth.enum == ["polytomic_secret", "basic"]
    assert [f.path for f in schema.required] == ["url", "auth_method"]
    assert schema.secret_paths == ["secret", "basic.password"]
    assert schema.field("headers[].value") is not None
    secret = schema.field("secret")
    assert secret is not None and secret.read_only and not secret.settable
    expiry = schema.field("oauth_token_expiry")
    assert expiry is not None and expiry.internal
