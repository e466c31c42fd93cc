"""Classification: what reads, what is destructive, admin or mints credentials, which body fields are secret."""

from __future__ import annotations

from dev import catalog_rules as rules
from polytomic_mcp.catalog import find, load


def test_only_gets_read() -> None:
    for op in load():
        assert op.reads == (op.method == "GET"), op.key
    assert not find("POST /api/model-preview").reads, "a POST that previews still counts as a write"
    assert not find("POST /api/connections/{connection_id}/query").reads, "the query runner runs caller SQL"


def test_every_delete_and_cancel_is_destructive() -> None:
    for op in load():
        if op.method == "DELETE" or op.path.endswith("/cancel"):
            assert "destructive" in op.risk, op.key
    assert "destructive" in find("POST /api/syncs/{sync_id}/executions/{id}/cancel").risk


def test_full_replacement_puts_are_destructive_and_switches_are_not() -> None:
    for key in ("PUT /api/connections/{id}", "PUT /api/syncs/{id}", "PUT /api/models/{id}", "PUT /api/bulk/syncs/{id}",
                "PUT /api/notifications/global-error-subscribers", "PUT /api/permissions/policies/{id}"):
        assert "destructive" in find(key).risk, key
    assert "destructive" not in find("PUT /api/connections/{id}/proxy/settings").risk
    assert "destructive" not in find("PUT /api/harbors/{harbor_id}/users/{user_id}").risk
    assert "destructive" not in find("POST /api/webhooks").risk
    assert find("GET /api/webhooks").risk == ()


def test_force_and_resync_make_single_calls_destructive() -> None:
    assert find("DELETE /api/connections/{id}").destructive_params == ("force",)
    assert find("POST /api/organizations/{org_id}/users/{id}/keys").destructive_params == ("force",)
    assert find("POST /api/syncs/{id}/executions").destructive_params == ("resync",)
    assert find("POST /api/bulk/syncs/{id}/executions").destructive_params == ("resync_mode",)


def test_people_keys_roles_policies_organizations_and_harbor_are_admin() -> None:
    for key in (
        "GET /api/organization/users", "POST /api/organizations/{org_id}/users", "PUT /api/permissions/roles/{id}",
        "DELETE /api/permissions/policies/{id}", "PUT /api/organizations/{id}", "PUT /api/organization/record-logging",
        "POST /api/harbors", "GET /api/harbor/connections", "DELETE /api/harbors/{harbor_id}/keys/{key_id}",
        "GET /api/organization/harbor-activity", "POST /api/temporary-credentials",
    ):
        assert "admin" in find(key).risk, key
    for key in ("GET /api/connections", "PUT /api/connections/{connection_id}/schemas/{schema_id}/primary_keys", "GET /api/me", "POST /api/webhooks"):
        assert "admin" not in find(key).risk, key


def test_key_and_credential_creation_mints_credentials_and_nothing_else_does() -> None:
    minting = {op.key for op in load() if "mints_credentials" in op.risk}
    assert minting == {
        "POST /api/organizations/{org_id}/users/{id}/keys",
        "POST /api/harbors/{harbor_id}/keys",
        "POST /api/harbors",
        "POST /api/harbor/sessions",
        "POST /api/temporary-credentials",
    }


def test_secret_fields_are_found_by_name_and_connection_configuration_is_type_dependent() -> None:
    assert find("POST /api/webhooks").secret_fields == ("secret",)
    assert find("PUT /api/organizations/{id}").secret_fields == ("client_secret",)
    assert find("POST /api/syncs").secret_fields == ("encryption_passphrase",)
    assert find("POST /api/connections").secret_fields == ("configuration.*",)
    assert find("PUT /api/connections/{id}").secret_fields == ("configuration.*",)
    assert find("POST /api/connections/test").secret_fields == ("configuration.*",)
    assert find("POST /api/connection_types/{type}/parameter_values").secret_fields == ("parameters.*",)
    assert find("POST /api/harbors").secret_fields == (), "generate_api_key is a switch, not a key"
    assert find("POST /api/models").secret_fields == (), "a model's configuration is a query, not credentials"


def test_secret_names() -> None:
    for name in ("password", "clientSecret", "client_secret", "api_key", "apiKey", "private_key", "access_token", "credentials", "passphrase"):
        assert rules.is_secret_name(name), name
    for name in ("primary_keys", "key_hint", "page_token", "token_url", "name", "monkey", "tokenizer_mode"):
        assert not rules.is_secret_name(name), name


def test_nested_secret_fields_have_dotted_paths() -> None:
    body = {"name*": "string", "auth": {"password*": "string", "user": "string"}, "hooks": [{"signing_key": "string"}], "rotate_token": "boolean"}
    assert rules.secret_fields("/api/webhooks", body) == ("auth.password", "hooks.signing_key")


def test_risk_rules_on_their_own() -> None:
    assert rules.risks("x.delete", "DELETE", "/api/things/{id}") == ("destructive",)
    assert rules.risks("x.cancel", "POST", "/api/things/{id}/cancel") == ("destructive",)
    assert rules.risks("x.update", "PUT", "/api/things/{id}") == ("destructive",)
    assert rules.risks("x.patch", "PATCH", "/api/things/{id}") == ()
    assert rules.risks("connections.proxy.update_proxy_settings", "PUT", "/api/connections/{id}/proxy/settings") == ()
    assert rules.risks("users.create_api_key", "POST", "/api/organizations/{org_id}/users/{id}/keys") == ("admin", "mints_credentials")
    assert [method for method in ("GET", "POST", "PUT", "PATCH", "DELETE") if rules.reads(method)] == ["GET"]
    assert rules.risks("x.get", "GET", "/api/organizations/{id}/things") == ("admin",)
    assert rules.risks("x.get", "GET", "/api/things/{keys}") == (), "a placeholder named keys is not the keys segment"


def test_untyped_params_are_what_a_typed_operation_has_beyond_its_tool() -> None:
    assert rules.untyped_params("model_sync.create", ["name", "mode", "model_filters", "overrides"]) == ("model_filters", "overrides")
    assert rules.untyped_params("webhooks.create", ["endpoint", "secret"]) == (), "no typed tool: call_api takes every call"
    assert {"model_filters", "sync_all_records"} <= set(find("POST /api/syncs").untyped_params)
    assert "name" not in find("POST /api/syncs").untyped_params and find("GET /api/webhooks").untyped_params == ()
